"""Stories in the store: which story each article belongs to, and each story's span.

The clusterer works in memory; this module is how its decisions persist and how it picks up
where it stopped. An article is *unclustered* until it has a `story_articles` row, so a crash
between saving articles and clustering them loses nothing: the next run clusters them. Each
batch of assignments is written in one transaction together with the stories it touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from newsdesk.errors import StoreError
from newsdesk.models import Analysis
from newsdesk.store.records import StoredArticle, stored_from_row
from newsdesk.store.schema import analyses, articles, desk_state, stories, story_articles
from newsdesk.store.store import Store

_LAST_STORY_ID = "last_story_id"
READ_BATCH = 500
"""Articles read per query when restoring or listing (bounded memory per query)."""


@dataclass(frozen=True)
class Assignment:
    """The clusterer's decision for one article."""

    article_id: int
    story_id: int
    duplicate_of: int | None
    seen_at: datetime


@dataclass(frozen=True)
class StoryRecord:
    """A story's row: what is kept about the story itself rather than its articles."""

    id: int
    headline: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    updated_at: datetime


@dataclass(frozen=True)
class StoryMember:
    """A clustered article with its analysis and its place in a story."""

    article: StoredArticle
    analysis: Analysis | None
    story_id: int
    duplicate_of: int | None
    seen_at: datetime


def unclustered_articles(
    store: Store, *, by_time: bool = False, limit: int = READ_BATCH
) -> list[tuple[StoredArticle, Analysis | None]]:
    """The first articles that have no story yet, with their analyses.

    Args:
        store: the store.
        by_time: order by publication (else first sighting) time, as a rebuild does, rather
            than by arrival.
        limit: the most articles to return.
    """
    order: list[sa.ColumnElement[object]] = [articles.c.id]
    if by_time:
        order.insert(0, sa.func.coalesce(articles.c.published, articles.c.first_seen))
    query = (
        _with_analysis(sa.select(articles, analyses.c.data.label("analysis")))
        .outerjoin(story_articles, story_articles.c.article_id == articles.c.id)
        .where(story_articles.c.article_id.is_(None))
        .order_by(*order)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [(stored_from_row(row), _analysis(row)) for row in rows]


def count_unclustered(store: Store) -> int:
    """How many articles have no story yet."""
    query = (
        sa.select(sa.func.count())
        .select_from(articles)
        .outerjoin(story_articles, story_articles.c.article_id == articles.c.id)
        .where(story_articles.c.article_id.is_(None))
    )
    with store.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def members_since(store: Store, since: datetime | None) -> Iterator[StoryMember]:
    """Clustered articles seen at or after `since` (all when None), in the order clustered."""
    last = (datetime.min, 0)
    condition = sa.true() if since is None else story_articles.c.seen_at >= since
    while True:
        batch = _members(store, condition, after=last)
        yield from batch
        if len(batch) < READ_BATCH:
            return
        last = (batch[-1].seen_at, batch[-1].article.id)


def story_members(store: Store, story_id: int) -> list[StoryMember]:
    """Every article of one story, oldest first."""
    return list(_iter_members(store, story_articles.c.story_id == story_id))


def members_of(store: Store, story_ids: Sequence[int]) -> dict[int, list[StoryMember]]:
    """The articles of several stories, oldest first within each."""
    found: dict[int, list[StoryMember]] = {story_id: [] for story_id in story_ids}
    for start in range(0, len(story_ids), READ_BATCH):
        chunk = story_ids[start : start + READ_BATCH]
        for member in _iter_members(store, story_articles.c.story_id.in_(chunk)):
            found[member.story_id].append(member)
    return found


def save_assignments(
    store: Store, assignments: Sequence[Assignment], headlines: dict[int, str], now: datetime
) -> None:
    """Write a batch of assignments and bring the stories they touch up to date, atomically.

    Args:
        assignments: one per newly clustered article.
        headlines: the current headline of every story the batch touched.
        now: when this happened (the stories' `updated_at`).

    Raises:
        StoreError: nothing of the batch was written.
    """
    if not assignments:
        return
    try:
        with store.engine.begin() as connection:
            _open_new_stories(connection, assignments, headlines, now)
            connection.execute(
                story_articles.insert(),
                [
                    {"article_id": a.article_id, "story_id": a.story_id,
                     "duplicate_of": a.duplicate_of, "seen_at": a.seen_at}
                    for a in assignments
                ],
            )  # fmt: skip
            _refresh_stories(connection, headlines, now)
            _keep_last_story_id(connection, max(a.story_id for a in assignments))
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"saving {len(assignments)} story assignments failed: {error}") from error


def forget_since(store: Store, since: datetime | None) -> int:
    """Unclusters every article seen at or after `since` (all when None), for a rebuild.

    Stories left without articles are deleted; the others keep their earlier articles.

    Returns:
        How many articles were unclustered.
    """
    condition = sa.true() if since is None else story_articles.c.seen_at >= since
    with store.engine.begin() as connection:
        touched = set(
            connection.execute(sa.select(story_articles.c.story_id).where(condition)).scalars()
        )
        removed = connection.execute(story_articles.delete().where(condition)).rowcount
        remaining = _spans(connection, touched)
        empty = touched - set(remaining)
        if empty:
            connection.execute(stories.delete().where(stories.c.id.in_(empty)))
        for story_id, (first, last, count) in remaining.items():
            connection.execute(
                stories.update()
                .where(stories.c.id == story_id)
                .values(first_seen=first, last_seen=last, article_count=count)
            )
    return int(removed)


def last_story_id(store: Store) -> int:
    """The highest story id ever given (-1 when none was): new stories count on from it.

    It is kept in `desk_state` as well as read from `stories`, so that a story dissolved by
    a rebuild never lends its id (and its links) to another story.
    """
    query = sa.select(desk_state.c.value).where(desk_state.c.key == _LAST_STORY_ID)
    with store.engine.connect() as connection:
        highest = connection.execute(sa.select(sa.func.max(stories.c.id))).scalar_one_or_none()
        kept = connection.execute(query).scalar_one_or_none()
    return max(-1 if highest is None else int(highest), -1 if kept is None else int(kept))


def get_story_record(store: Store, story_id: int) -> StoryRecord | None:
    """One story's row, or None."""
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(stories).where(stories.c.id == story_id)).mappings()
        found = row.first()
    return StoryRecord(**found) if found else None


def story_records(
    store: Store, since: datetime | None = None, until: datetime | None = None
) -> list[StoryRecord]:
    """Stories with an article seen in [since, until], most recently active first."""
    query = sa.select(stories).order_by(stories.c.last_seen.desc(), stories.c.id.desc())
    if since is not None:
        query = query.where(stories.c.last_seen >= since)
    if until is not None:
        query = query.where(stories.c.first_seen <= until)
    with store.engine.connect() as connection:
        return [StoryRecord(**row) for row in connection.execute(query).mappings()]


def latest_seen(store: Store) -> datetime | None:
    """When the most recent clustered article was seen (None with no stories)."""
    with store.engine.connect() as connection:
        value: datetime | None = connection.execute(
            sa.select(sa.func.max(stories.c.last_seen))
        ).scalar()
    return value


def story_ids_of(store: Store, article_ids: Iterable[int]) -> dict[int, int]:
    """The story of each of these articles that has one."""
    ids = list(article_ids)
    query = sa.select(story_articles.c.article_id, story_articles.c.story_id).where(
        story_articles.c.article_id.in_(ids)
    )
    with store.engine.connect() as connection:
        return {row.article_id: row.story_id for row in connection.execute(query)}


def _with_analysis(query: sa.Select[tuple[object, ...]]) -> sa.Select[tuple[object, ...]]:
    return query.select_from(articles).outerjoin(analyses, analyses.c.article_id == articles.c.id)


def _analysis(row: RowMapping) -> Analysis | None:
    return Analysis.from_dict(row["analysis"]) if row["analysis"] is not None else None


def _member_query() -> sa.Select[tuple[object, ...]]:
    membership = (
        story_articles.c.story_id,
        story_articles.c.duplicate_of,
        story_articles.c.seen_at,
    )
    query = sa.select(articles, analyses.c.data.label("analysis"), *membership)
    return _with_analysis(query).join(story_articles, story_articles.c.article_id == articles.c.id)


def _members(
    store: Store, condition: sa.ColumnElement[bool], after: tuple[datetime, int]
) -> list[StoryMember]:
    """One batch of members in clustering order, after the (seen_at, article id) given."""
    seen_at, article_id = after
    query = _member_query().where(condition)
    if article_id:
        query = query.where(
            sa.tuple_(story_articles.c.seen_at, story_articles.c.article_id) > (seen_at, article_id)
        )
    query = query.order_by(story_articles.c.seen_at, story_articles.c.article_id).limit(READ_BATCH)
    with store.engine.connect() as connection:
        return [_member(row) for row in connection.execute(query).mappings()]


def _iter_members(store: Store, condition: sa.ColumnElement[bool]) -> Iterator[StoryMember]:
    query = _member_query().where(condition).order_by(story_articles.c.seen_at, articles.c.id)
    with store.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return (_member(row) for row in rows)


def _member(row: RowMapping) -> StoryMember:
    return StoryMember(
        article=stored_from_row(row),
        analysis=_analysis(row),
        story_id=row["story_id"],
        duplicate_of=row["duplicate_of"],
        seen_at=row["seen_at"],
    )


def _spans(
    connection: Connection, story_ids: set[int]
) -> dict[int, tuple[datetime, datetime, int]]:
    """First and last seen and article count of each story that still has articles."""
    if not story_ids:
        return {}
    query = (
        sa.select(
            story_articles.c.story_id,
            sa.func.min(story_articles.c.seen_at),
            sa.func.max(story_articles.c.seen_at),
            sa.func.count(),
        )
        .where(story_articles.c.story_id.in_(story_ids))
        .group_by(story_articles.c.story_id)
    )
    return {row[0]: (row[1], row[2], row[3]) for row in connection.execute(query)}


def _keep_last_story_id(connection: Connection, story_id: int) -> None:
    """Raises the kept highest story id to `story_id` if it is higher."""
    key = desk_state.c.key == _LAST_STORY_ID
    kept = connection.execute(sa.select(desk_state.c.value).where(key)).scalar_one_or_none()
    if kept is None:
        connection.execute(desk_state.insert().values(key=_LAST_STORY_ID, value=str(story_id)))
    elif int(kept) < story_id:
        connection.execute(desk_state.update().where(key).values(value=str(story_id)))


def _open_new_stories(
    connection: Connection,
    assignments: Sequence[Assignment],
    headlines: dict[int, str],
    now: datetime,
) -> None:
    """Insert the rows of the stories this batch opens (their spans are set afterwards)."""
    touched = {a.story_id for a in assignments}
    existing = set(
        connection.execute(sa.select(stories.c.id).where(stories.c.id.in_(touched))).scalars()
    )
    for story_id in sorted(touched - existing):
        connection.execute(
            stories.insert().values(id=story_id, headline=headlines[story_id], first_seen=now,
                                    last_seen=now, article_count=0, updated_at=now)
        )  # fmt: skip


def _refresh_stories(connection: Connection, headlines: dict[int, str], now: datetime) -> None:
    """Bring each touched story's headline, span and article count up to date."""
    for story_id, (first, last, count) in _spans(connection, set(headlines)).items():
        connection.execute(
            stories.update()
            .where(stories.c.id == story_id)
            .values(headline=headlines[story_id], first_seen=first, last_seen=last,
                    article_count=count, updated_at=now)
        )  # fmt: skip
