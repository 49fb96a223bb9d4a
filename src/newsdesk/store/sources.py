"""The source registry: feeds, sitemaps and pages to poll, their health, and what they gave.

A source's health is what `newsdesk sources list` shows: when it was last fetched, when
it last worked, its last error, how many items it has given and when it is due next.
`source_items` remembers every item (a feed GUID, else its URL) so that a polling round
fetches only new articles. A fetch's outcome is written in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from newsdesk.errors import SourceError
from newsdesk.store.schema import desk_state, source_items, sources
from newsdesk.store.store import Store

SOURCE_KINDS = ("feed", "sitemap", "page")


@dataclass(frozen=True)
class Source:
    """A registered source and its health."""

    id: int
    url: str
    kind: str
    name: str | None
    region: str | None
    language: str | None
    interval_seconds: int | None
    etag: str | None
    last_modified: str | None
    last_fetch_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    failures: int
    items_seen: int
    next_poll_at: datetime
    added_at: datetime


@dataclass(frozen=True)
class FetchOutcome:
    """What one fetch of a source found, to record: success or the error, and new items."""

    fetched_at: datetime
    next_poll_at: datetime
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    new_items: Sequence[tuple[str, datetime | None]] = ()


def add_source(
    store: Store,
    url: str,
    kind: str,
    *,
    now: datetime,
    name: str | None = None,
    region: str | None = None,
    language: str | None = None,
    interval_seconds: int | None = None,
) -> Source:
    """Register a source, due at once.

    Raises:
        SourceError: the kind is unknown or the URL is registered already.
    """
    if kind not in SOURCE_KINDS:
        raise SourceError(f"source kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    values = {
        "url": url, "kind": kind, "name": name, "region": region, "language": language,
        "interval_seconds": interval_seconds, "next_poll_at": now, "added_at": now,
    }  # fmt: skip
    with store.engine.begin() as connection:
        if connection.execute(sa.select(sources.c.id).where(sources.c.url == url)).first():
            raise SourceError(f"{url} is registered already; see `newsdesk sources list`")
        connection.execute(sources.insert().values(**values))
    return get_source(store, url)


def get_source(store: Store, url_or_id: str | int) -> Source:
    """One source, by URL or id.

    Raises:
        SourceError: no such source.
    """
    column = sources.c.id if isinstance(url_or_id, int) else sources.c.url
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(sources).where(column == url_or_id)).mappings().first()
    if row is None:
        raise SourceError(f"no source {url_or_id!r}; see `newsdesk sources list`")
    return _source(row)


def list_sources(store: Store) -> list[Source]:
    """Every source, in the order they were added."""
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(sources).order_by(sources.c.id)).mappings().all()
    return [_source(row) for row in rows]


def remove_source(store: Store, url_or_id: str | int) -> Source:
    """Unregister a source (its articles stay); returns what was removed."""
    source = get_source(store, url_or_id)
    with store.engine.begin() as connection:
        connection.execute(sources.delete().where(sources.c.id == source.id))
    return source


def due_sources(store: Store, now: datetime) -> list[Source]:
    """The sources whose next poll time has come, most overdue first."""
    query = sa.select(sources).where(sources.c.next_poll_at <= now).order_by(sources.c.next_poll_at)
    with store.engine.connect() as connection:
        return [_source(row) for row in connection.execute(query).mappings()]


def unseen_items(store: Store, source_id: int, items: Sequence[str]) -> list[str]:
    """The items this source has not given before, in the order given."""
    seen: set[str] = set()
    with store.engine.connect() as connection:
        for start in range(0, len(items), 500):
            chunk = list(items[start : start + 500])
            query = sa.select(source_items.c.item).where(
                source_items.c.source_id == source_id, source_items.c.item.in_(chunk)
            )
            seen.update(connection.execute(query).scalars())
    return [item for item in dict.fromkeys(items) if item not in seen]


def recent_item_times(store: Store, source_id: int, limit: int = 30) -> list[datetime]:
    """Publication times of the source's latest items (for adaptive polling)."""
    query = (
        sa.select(source_items.c.published)
        .where(source_items.c.source_id == source_id, source_items.c.published.is_not(None))
        .order_by(source_items.c.published.desc())
        .limit(limit)
    )
    with store.engine.connect() as connection:
        return [time for time in connection.execute(query).scalars() if time is not None]


def record_fetch(store: Store, source: Source, outcome: FetchOutcome) -> None:
    """Write a fetch's outcome: the source's health and its new items, in one transaction."""
    failed = outcome.error is not None
    values = {
        "last_fetch_at": outcome.fetched_at,
        "next_poll_at": outcome.next_poll_at,
        "last_error": outcome.error,
        "failures": source.failures + 1 if failed else 0,
        "items_seen": source.items_seen + len(dict(outcome.new_items)),
    }
    if not failed:
        values |= {"last_success_at": outcome.fetched_at}
        values |= {"etag": outcome.etag, "last_modified": outcome.last_modified}
    rows = [
        {"source_id": source.id, "item": item, "seen_at": outcome.fetched_at, "published": when}
        for item, when in dict(outcome.new_items).items()
    ]
    with store.engine.begin() as connection:
        connection.execute(sources.update().where(sources.c.id == source.id).values(**values))
        if rows:
            connection.execute(source_items.insert(), rows)


def claim_once(store: Store, key: str, now: datetime) -> bool:
    """True the first time a key is claimed on this database, False ever after.

    For things a desk does once in its life, such as installing the default sources:
    a user who later removes them does not get them back.
    """
    with store.engine.begin() as connection:
        if connection.execute(sa.select(desk_state.c.key).where(desk_state.c.key == key)).first():
            return False
        connection.execute(desk_state.insert().values(key=key, value=now.isoformat()))
    return True


def _source(row: RowMapping) -> Source:
    return Source(**{name: row[name] for name in Source.__dataclass_fields__})


def next_poll_time(store: Store) -> datetime | None:
    """When the next source falls due (None with no sources)."""
    with store.engine.connect() as connection:
        query = sa.select(sa.func.min(sources.c.next_poll_at))
        value: datetime | None = connection.execute(query).scalar()
    return value
