"""robots.txt cache, per-host pacing, backoff and adaptive polling."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import SourceError
from newsdesk.ingest.politeness import (
    HostPacer,
    RobotsCache,
    backoff_delay,
    next_poll_interval,
)

AGENT = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)"
ROBOTS = (
    b"User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\nCrawl-delay: 5\n"
)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0.0), (1, 60.0), (2, 120.0), (5, 960.0), (20, 86400.0), (10_000, 86400.0)],
)
def test_backoff_doubles_up_to_the_cap(failures: int, delay: float) -> None:
    assert backoff_delay(failures) == delay


def test_backoff_base_and_cap_are_settings() -> None:
    assert backoff_delay(3, base=1.0, cap=3.0) == 3.0
    assert backoff_delay(2, base=1.0, cap=3.0) == 2.0


def _every(gap: timedelta, count: int = 10) -> list[datetime]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [start + i * gap for i in range(count)]


MINIMUM, MAXIMUM = timedelta(minutes=2), timedelta(hours=6)


def test_busy_feed_is_polled_more_often_than_daily_feed() -> None:
    busy = next_poll_interval(_every(timedelta(minutes=10)), MINIMUM, MAXIMUM)
    daily = next_poll_interval(_every(timedelta(days=1)), MINIMUM, MAXIMUM)
    assert busy == timedelta(minutes=5)
    assert daily == MAXIMUM
    assert busy < daily


def test_interval_is_clamped_below_and_uses_the_median() -> None:
    assert next_poll_interval(_every(timedelta(seconds=30)), MINIMUM, MAXIMUM) == MINIMUM
    times = [*_every(timedelta(hours=1), 6), datetime(2025, 3, 1, tzinfo=UTC)]
    assert next_poll_interval(times, MINIMUM, MAXIMUM) == timedelta(minutes=30)


def test_interval_without_history_is_the_maximum() -> None:
    one = [datetime(2025, 1, 1, tzinfo=UTC)]
    assert next_poll_interval([], MINIMUM, MAXIMUM) == MAXIMUM
    assert next_poll_interval(one * 3, MINIMUM, MAXIMUM) == MAXIMUM


class _Loader:
    """A robots.txt source answering fixed (status, body) or failing, counting calls."""

    def __init__(self, status: int, body: bytes = b"", fail: bool = False) -> None:
        self.status, self.body, self.fail, self.calls = status, body, fail, 0

    def __call__(self, url: str) -> tuple[int, bytes]:
        assert url == "https://news.example.org/robots.txt"
        self.calls += 1
        if self.fail:
            raise SourceError("cannot fetch robots.txt")
        return self.status, self.body


def test_robots_group_for_our_agent_wins() -> None:
    loader = _Loader(200, b"User-agent: *\nDisallow: /\n\nUser-agent: newsdesk\nAllow: /\n")
    assert RobotsCache(AGENT, loader).allowed("https://news.example.org/world")
    assert not RobotsCache("otherbot/1.0", loader).allowed("https://news.example.org/world")


def test_robots_rules_are_obeyed_and_fetched_once() -> None:
    loader = _Loader(200, ROBOTS)
    robots = RobotsCache(AGENT, loader)
    assert robots.allowed("https://news.example.org/world/story")
    assert not robots.allowed("https://news.example.org/private/x")
    assert robots.crawl_delay("https://news.example.org/") == 5.0
    assert loader.calls == 1


@pytest.mark.parametrize("loader", [_Loader(404), _Loader(500), _Loader(0, fail=True)])
def test_missing_or_failing_robots_allows_all(loader: _Loader) -> None:
    robots = RobotsCache(AGENT, loader)
    assert robots.allowed("https://news.example.org/private/x")
    assert robots.allowed("https://news.example.org/other")
    assert loader.calls == 1


def test_robots_are_fetched_again_after_the_ttl() -> None:
    loader = _Loader(200, ROBOTS)
    robots = RobotsCache(AGENT, loader, ttl=0.0)
    robots.allowed("https://news.example.org/a")
    robots.allowed("https://news.example.org/b")
    assert loader.calls == 2


def _starts(pacer: HostPacer, hosts: list[str], hold: float = 0.0) -> list[float]:
    starts: list[float] = []
    lock = threading.Lock()

    def work(host: str) -> None:
        with pacer.slot(host):
            with lock:
                starts.append(time.monotonic())
            time.sleep(hold)

    threads = [threading.Thread(target=work, args=(host,)) for host in hosts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(starts)


def test_pacer_spaces_requests_to_one_host() -> None:
    starts = _starts(HostPacer(min_delay=0.2, per_host=2), ["a:80"] * 3)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= 0.19


def test_pacer_does_not_hold_back_other_hosts() -> None:
    starts = _starts(HostPacer(min_delay=5.0, per_host=1), ["a:80", "b:80", "c:80"])
    assert starts[-1] - starts[0] < 1.0


def test_pacer_limits_concurrency_per_host() -> None:
    pacer = HostPacer(min_delay=0.0, per_host=1)
    starts = _starts(pacer, ["a:80"] * 3, hold=0.15)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= 0.14


def test_pacer_remembers_retry_after() -> None:
    pacer = HostPacer(min_delay=0.0, per_host=1)
    assert pacer.deferred_for("a:80") == 0.0
    pacer.defer("a:80", 120.0)
    assert 119.0 < pacer.deferred_for("a:80") <= 120.0
    assert pacer.deferred_for("b:80") == 0.0
