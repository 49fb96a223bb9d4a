"""The state every request of the web desk shares: store, settings, keys, limits, editions.

One `Desk` is made per app (`create_app`) and reached from a route with the `DeskDep`
dependency. Composing a briefing ranks and summarises a day's stories, which takes longer
than a page should, so each day's briefing is kept for `BRIEFING_TTL` seconds: a page is at
most that far behind the store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Request

from newsdesk.briefing.compose import briefing_window, compose_briefing
from newsdesk.config import Settings
from newsdesk.deliver import Links, Mailer, links_for, smtp_options
from newsdesk.models import Briefing
from newsdesk.store import Store
from newsdesk.store.browse import Edition, editions
from newsdesk.web.security import RateLimiter, Signer, check_password_hash

Choices = dict[str, list[tuple[str, str]]]
"""Menus of a form: for each, its (value, label) choices."""

K = TypeVar("K")
V = TypeVar("V")

BRIEFING_TTL = 60.0
"""Seconds a composed briefing is reused before it is composed again."""

CHOICES_TTL = 60.0
"""Seconds the search form's filter choices are reused before they are counted again."""

ARCHIVE_DAYS = 60
"""How many past briefings the archive lists."""

_logger = logging.getLogger("newsdesk.web")


class TtlCache(Generic[K, V]):
    """Values recomputed at most every `ttl` seconds, for a few keys (thread-safe).

    A value older than `ttl` is still answered while one background thread computes its
    replacement (stale-while-revalidate), so only the first request for a key ever waits.
    Values unused for `FORGET_AFTER` ttls are dropped.
    """

    FORGET_AFTER = 10

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._values: dict[K, tuple[float, V]] = {}
        self._refreshing: set[K] = set()
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The kept value for the key (refreshed in the background when stale), or a
        freshly computed one."""
        with self._lock:
            kept = self._values.get(key)
            stale = kept is not None and self._clock() - kept[0] >= self.ttl
            if stale and key not in self._refreshing:
                self._refreshing.add(key)
                threading.Thread(target=self._refresh, args=(key, compute), daemon=True).start()
        if kept is not None:
            return kept[1]
        value = compute()
        self._keep(key, value)
        return value

    def _refresh(self, key: K, compute: Callable[[], V]) -> None:
        """Compute a stale key's value again; on failure the stale one stays, and says why."""
        try:
            self._keep(key, compute())
        except Exception:
            _logger.exception("refreshing %r failed; the older value is kept", key)
        finally:
            with self._lock:
                self._refreshing.discard(key)

    def _keep(self, key: K, value: V) -> None:
        with self._lock:
            now = self._clock()
            horizon = self.ttl * self.FORGET_AFTER
            self._values = {k: v for k, v in self._values.items() if now - v[0] < horizon}
            self._values[key] = (now, value)


class Editions:
    """The desk's daily briefings: which days have one, and each day's, briefly cached."""

    def __init__(self, store: Store, ttl: float = BRIEFING_TTL) -> None:
        self.store = store
        self._briefings: TtlCache[date, Briefing] = TtlCache(ttl)
        self._archive: TtlCache[None, list[Edition]] = TtlCache(ttl)
        self.end_time = briefing_window(date(2000, 1, 1), None)[1].time()

    def current_day(self, now: datetime | None = None) -> date:
        """The edition being gathered now: the first whose window ends after `now`."""
        now = (now or datetime.now(UTC)).astimezone(UTC)
        day = now.date()
        return day if now.time() <= self.end_time else day + timedelta(days=1)

    def archive(self) -> list[Edition]:
        """The days with stories, newest first, up to the edition being gathered now."""
        current = self.current_day()
        days = self._archive.get(None, lambda: editions(self.store, self.end_time, ARCHIVE_DAYS))
        return [edition for edition in days if edition.date <= current]

    def latest_day(self) -> date:
        """The newest day with stories (the current edition when there is none)."""
        archive = self.archive()
        return archive[0].date if archive else self.current_day()

    def briefing(self, day: date) -> Briefing:
        """The desk's briefing for a day (everyone's: no subscriber's preferences)."""
        return self._briefings.get(day, lambda: compose_briefing(self.store, day))

    def warm(self) -> None:
        """Compose the latest briefing in the background, so the first reader need not wait."""
        threading.Thread(target=lambda: self.briefing(self.latest_day()), daemon=True).start()


@dataclass
class Desk:
    """What the routes share. `links` sign and check the links in emails."""

    store: Store
    settings: Settings
    links: Links
    signer: Signer
    editions: Editions
    subscribe_limiter: RateLimiter
    login_limiter: RateLimiter
    owner_password_hash: str
    choices: TtlCache[str, Choices]
    mailer_factory: Callable[[], Mailer] = field(repr=False)

    @classmethod
    def create(cls, store: Store, settings: Settings) -> Desk:
        """The desk of these settings over this store.

        Raises:
            ConfigError: the owner password hash is malformed.
        """
        links = links_for(settings, store)
        return cls(
            store=store,
            settings=settings,
            links=links,
            signer=Signer(links.secret_key),
            editions=Editions(store),
            subscribe_limiter=RateLimiter(settings.subscribe_per_hour),
            login_limiter=RateLimiter(settings.login_per_hour),
            owner_password_hash=check_password_hash(settings.owner_password_hash),
            choices=TtlCache(CHOICES_TTL),
            mailer_factory=lambda: Mailer(smtp_options(settings)),
        )

    @property
    def https(self) -> bool:
        """Whether the desk is served over https (its cookies are then Secure)."""
        return self.settings.base_url.lower().startswith("https://")


def desk_of(request: Request) -> Desk:
    """The desk of the app serving this request."""
    desk: Desk = request.app.state.desk
    return desk


DeskDep = Annotated[Desk, Depends(desk_of)]
