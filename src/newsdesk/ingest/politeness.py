"""Politeness: robots.txt, per-host pacing, backoff after failures, adaptive polling.

newsdesk reads other people's servers every few minutes, for months. It behaves as a good
crawler does so that it is not blocked, and so that a small outlet's server is not hurt:

- robots.txt is obeyed; it is fetched once per host and kept for a day (RFC 9309 allows a
  day of caching). A missing robots.txt (4xx) allows everything; one that cannot be fetched
  (5xx, timeout) also allows, for an hour, so one broken server never stops a round.
- :class:`HostPacer` lets at most one or two requests run at once against a host, starts them
  at least `min_delay` seconds apart, honours a robots `Crawl-delay`, and remembers a
  `Retry-After` so the host is not asked again before it said.
- :func:`backoff_delay` spaces out retries of a failing source exponentially.
- :func:`next_poll_interval` polls a feed that publishes every ten minutes more often than
  one that publishes daily.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsdesk.errors import SourceError

RobotsLoader = Callable[[str], tuple[int, bytes]]
"""Fetch a robots.txt URL, returning (status, body); raise SourceError when it cannot."""

ROBOTS_TTL = 86_400.0
_ROBOTS_FAILURE_TTL = 3_600.0
_MAX_CRAWL_DELAY = 60.0
_RECENT_ITEMS = 20


@dataclass
class _Robots:
    """The rules for one origin (None = allow everything) and when to fetch them again."""

    parser: RobotFileParser | None
    expires: float


class RobotsCache:
    """robots.txt rules per origin (scheme, host, port), fetched once and kept for a day.

    Thread-safe: when many threads ask about one new host at once, robots.txt is fetched by
    the first of them while the others wait for its answer.
    """

    def __init__(self, user_agent: str, loader: RobotsLoader, ttl: float = ROBOTS_TTL) -> None:
        """Remember the agent to match rules for and how robots.txt files are fetched."""
        self._user_agent = user_agent
        self._loader = loader
        self._ttl = ttl
        self._rules: dict[str, _Robots] = {}
        self._origin_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        """True when the origin's robots.txt lets our user agent fetch the URL."""
        parser = self._parser_for(url)
        return parser is None or parser.can_fetch(self._user_agent, url)

    def crawl_delay(self, url: str) -> float | None:
        """The origin's `Crawl-delay` for our user agent in seconds (at most 60), if any."""
        parser = self._parser_for(url)
        delay = parser.crawl_delay(self._user_agent) if parser is not None else None
        return None if delay is None else min(float(delay), _MAX_CRAWL_DELAY)

    def _parser_for(self, url: str) -> RobotFileParser | None:
        """The cached rules for the URL's origin, fetching robots.txt when due."""
        origin = _origin(url)
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            cached = self._rules.get(origin)
            if cached is None or cached.expires <= time.monotonic():
                cached = self._load(origin)
                self._rules[origin] = cached
            return cached.parser

    def _load(self, origin: str) -> _Robots:
        """Fetch and parse `origin/robots.txt`; failures allow everything for an hour."""
        try:
            status, body = self._loader(f"{origin}/robots.txt")
        except SourceError:
            return _Robots(None, time.monotonic() + min(self._ttl, _ROBOTS_FAILURE_TTL))
        if 200 <= status < 300:
            parser = RobotFileParser()
            parser.parse(body.decode("utf-8", errors="replace").splitlines())
            return _Robots(parser, time.monotonic() + self._ttl)
        ttl = self._ttl if 400 <= status < 500 else min(self._ttl, _ROBOTS_FAILURE_TTL)
        return _Robots(None, time.monotonic() + ttl)


def _origin(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-cased: the scope of one robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower().rpartition('@')[2]}"


@dataclass
class _HostState:
    """Pacing state of one host."""

    delay: float
    active: int = 0
    last_start: float | None = None
    not_before: float = 0.0


class HostPacer:
    """Limit concurrency and spacing of requests per host, across threads.

    Args:
        min_delay: seconds between the starts of two requests to one host.
        per_host: how many requests may run against one host at the same time.
    """

    def __init__(self, min_delay: float, per_host: int) -> None:
        """Start with no host seen."""
        self._min_delay = max(0.0, min_delay)
        self._per_host = max(1, per_host)
        self._hosts: dict[str, _HostState] = {}
        self._condition = threading.Condition()

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Wait until a request to `host` may start, and hold its place while it runs."""
        with self._condition:
            state = self._state(host)
            while True:
                now = time.monotonic()
                wait = 0.0 if state.last_start is None else state.last_start + state.delay - now
                if state.active < self._per_host and wait <= 0:
                    break
                self._condition.wait(timeout=wait if state.active < self._per_host else None)
            state.active += 1
            state.last_start = now
        try:
            yield
        finally:
            with self._condition:
                state.active -= 1
                self._condition.notify_all()

    def defer(self, host: str, seconds: float) -> None:
        """Ask nothing of `host` for `seconds` (its `Retry-After`)."""
        with self._condition:
            state = self._state(host)
            state.not_before = max(state.not_before, time.monotonic() + seconds)

    def deferred_for(self, host: str) -> float:
        """Seconds until `host` may be asked again after a `Retry-After`; 0 when it may now."""
        with self._condition:
            state = self._hosts.get(host)
            return 0.0 if state is None else max(0.0, state.not_before - time.monotonic())

    def slow_down(self, host: str, delay: float) -> None:
        """Space requests to `host` at least `delay` seconds apart (a robots `Crawl-delay`)."""
        with self._condition:
            state = self._state(host)
            state.delay = max(self._min_delay, delay)

    def _state(self, host: str) -> _HostState:
        """The host's state, created on first use (the caller holds the condition)."""
        return self._hosts.setdefault(host, _HostState(delay=self._min_delay))


def backoff_delay(failures: int, base: float = 60.0, cap: float = 86400.0) -> float:
    """How long to wait before retrying a source that failed `failures` times in a row.

    Doubling from `base` means a source that is down for a day costs a dozen requests, not
    a thousand, and one that was down for a minute is back within a minute or two.

    Args:
        failures: consecutive failures so far (0 = healthy).
        base: the delay after the first failure, in seconds.
        cap: the longest delay, in seconds.

    Returns:
        0 for a healthy source, else `base * 2 ** (failures - 1)` seconds, at most `cap`.
    """
    if failures <= 0:
        return 0.0
    return min(cap, base * 2.0 ** min(failures - 1, 64))


def next_poll_interval(
    item_times: Sequence[datetime], minimum: timedelta, maximum: timedelta
) -> timedelta:
    """How long to wait before polling a feed again, from when its items were published.

    Half the median gap between the latest items (up to 20) means a new item waits on
    average a quarter of the usual gap, whatever the feed's pace; the median ignores a
    burst or a quiet weekend.

    Args:
        item_times: publication times of the feed's items (all aware or all naive).
        minimum: the shortest interval allowed (politeness).
        maximum: the longest interval, also used when fewer than two distinct times are known.

    Returns:
        Half the median gap, clamped to [minimum, maximum].
    """
    times = sorted(set(item_times))[-_RECENT_ITEMS:]
    gaps = sorted(later - earlier for earlier, later in pairwise(times))
    if not gaps:
        return maximum
    middle = len(gaps) // 2
    median = gaps[middle] if len(gaps) % 2 else (gaps[middle - 1] + gaps[middle]) / 2
    return max(minimum, min(maximum, median / 2))
