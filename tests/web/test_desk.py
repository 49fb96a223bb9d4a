"""The desk's shared state: editions by day and the cache that keeps pages fast."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime

import pytest

from newsdesk.store import Store
from newsdesk.web.desk import Editions, TtlCache


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_fresh_value_is_reused_and_a_stale_one_is_answered_while_refreshed():
    now = [0.0]
    cache: TtlCache[str, int] = TtlCache(10, clock=lambda: now[0])
    calls: list[int] = []
    release = threading.Event()

    def compute() -> int:
        if calls:
            release.wait(5)
        calls.append(1)
        return len(calls)

    assert cache.get("k", compute) == 1
    now[0] = 5
    assert cache.get("k", compute) == 1 and len(calls) == 1
    now[0] = 11
    assert cache.get("k", compute) == 1  # stale, answered at once
    assert cache.get("k", compute) == 1  # one refresh at a time
    release.set()
    _wait_for(lambda: cache.get("k", compute) == 2)
    assert len(calls) == 2


def test_a_failed_refresh_keeps_the_older_value(caplog: pytest.LogCaptureFixture):
    now = [0.0]
    cache: TtlCache[str, str] = TtlCache(10, clock=lambda: now[0])
    cache.get("k", lambda: "old")
    now[0] = 20
    done = threading.Event()

    def broken() -> str:
        done.set()
        raise RuntimeError("database went away")

    assert cache.get("k", broken) == "old"
    _wait_for(lambda: done.is_set() and "database went away" in caplog.text)
    _wait_for(lambda: cache.get("k", lambda: "new") == "new")  # tried again later


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2026, 11, 29, 6, 59, tzinfo=UTC), date(2026, 11, 29)),
        (datetime(2026, 11, 29, 7, 0, tzinfo=UTC), date(2026, 11, 29)),
        (datetime(2026, 11, 29, 7, 1, tzinfo=UTC), date(2026, 11, 30)),
    ],
)
def test_the_edition_being_gathered_ends_at_seven_utc(desk_store: Store, now: datetime, day: date):
    assert Editions(desk_store).current_day(now) == day
