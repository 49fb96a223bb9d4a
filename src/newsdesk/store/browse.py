"""Read queries for browsing the desk: filtered search, story lists, entities, editions.

The web desk and its API read through these. Each takes a `Store` and returns plain
dataclasses. Full-text matching reuses `search.search_statement` (FTS5 on SQLite, tsvector on
PostgreSQL) and narrows it with filters on the article's outlet, its facets (country, theme,
person, organisation, place: the indexed `article_facets` rows) and its date (publication,
else first sighting). Pages are fetched one row past their size, so a page knows whether
another follows without counting every match.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from newsdesk.models import Analysis
from newsdesk.store.schema import analyses, article_facets, articles, stories, story_articles
from newsdesk.store.search import search_statement
from newsdesk.store.store import Store
from newsdesk.store.stories import story_ids_of

FACETS = ("person", "organization", "country", "place", "theme")
"""The kinds of facet an article is indexed under (see `records.facet_rows`)."""

SNIPPET_CHARS = 240
"""How much of an article's opening a listing shows when no search words pick a passage."""

QUOTE_SCAN = 200
"""Articles naming a person that are read, newest first, to find what the person said."""


@dataclass(frozen=True)
class SearchFilters:
    """What to look for: search words and narrowing filters, all optional.

    `query` is web-search syntax ("quoted phrases", `OR`, `-word`); `country` an ISO
    3166-1 alpha-2 code; `since` and `until` are inclusive days (UTC). `newest_first`
    orders by date instead of by relevance.
    """

    query: str = ""
    outlet: str | None = None
    country: str | None = None
    theme: str | None = None
    person: str | None = None
    organization: str | None = None
    place: str | None = None
    since: date | None = None
    until: date | None = None
    newest_first: bool = False


@dataclass(frozen=True)
class ArticleHit:
    """An article in a listing: where it ran, when, a passage, and its story."""

    id: int
    title: str
    url: str | None
    outlet: str | None
    published: datetime | None
    snippet: str
    story: int | None
    score: float | None


@dataclass(frozen=True)
class StoryHit:
    """A story in a listing; `matches` counts its articles that matched."""

    id: int
    headline: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    matches: int


@dataclass(frozen=True)
class ArticlePage:
    """One page of article hits; `has_next` says whether another page follows."""

    items: list[ArticleHit]
    page: int
    per_page: int
    has_next: bool


@dataclass(frozen=True)
class StoryPage:
    """One page of story hits; `has_next` says whether another page follows."""

    items: list[StoryHit]
    page: int
    per_page: int
    has_next: bool


@dataclass(frozen=True)
class SpokenQuote:
    """Something a person said, with the article that reported it."""

    text: str
    kind: str
    article_id: int
    title: str
    outlet: str | None
    published: datetime | None


@dataclass(frozen=True)
class Edition:
    """A day with a briefing: the clustered articles seen in its 24-hour window."""

    date: date
    articles: int


def search_articles(
    store: Store, filters: SearchFilters, page: int = 1, per_page: int = 20
) -> ArticlePage:
    """Articles matching the search words and filters, best match (or newest) first.

    Args:
        store: the store.
        filters: search words and filters; with no words, every article passing the filters.
        page: which page, from 1.
        per_page: hits per page.

    Returns:
        The page of hits, each with its story (None while not clustered).
    """
    statement = _article_statement(store, filters)
    if statement is None:
        return ArticlePage([], page, per_page, has_next=False)
    rows = _page_rows(store, statement, page, per_page)
    story_of = story_ids_of(store, [row["id"] for row in rows])
    hits = [_article_hit(row, story_of.get(row["id"])) for row in rows[:per_page]]
    return ArticlePage(hits, page, per_page, has_next=len(rows) > per_page)


def search_stories(
    store: Store, filters: SearchFilters, page: int = 1, per_page: int = 20
) -> StoryPage:
    """Stories with articles matching the words and filters, best match (or newest) first.

    A story's relevance is that of its best-matching article; with no search words, or
    `newest_first`, stories come most recently active first.

    Returns:
        The page of stories, each with how many of its articles matched.
    """
    statement = _article_statement(store, filters)
    if statement is None:
        return StoryPage([], page, per_page, has_next=False)
    columns = statement.selected_columns
    matched = statement.with_only_columns(columns.id, columns.score)
    # materialized: SQLite cannot evaluate bm25 once the subquery is merged into a GROUP BY
    matching = matched.order_by(None).limit(None).cte("matching").prefix_with("MATERIALIZED")
    best = sa.func.max(matching.c.score)
    ranked = filters.query.strip() and not filters.newest_first
    order = [best.desc()] if ranked else []
    query = (
        sa.select(*_story_columns(), sa.func.count().label("matches"))
        .select_from(
            matching.join(story_articles, story_articles.c.article_id == matching.c.id).join(
                stories, stories.c.id == story_articles.c.story_id
            )
        )
        .group_by(*_story_columns())
        .order_by(*order, stories.c.last_seen.desc(), stories.c.id.desc())
    )
    rows = _page_rows(store, query, page, per_page)
    hits = [StoryHit(**_pick(StoryHit, row)) for row in rows[:per_page]]
    return StoryPage(hits, page, per_page, has_next=len(rows) > per_page)


def recent_stories(store: Store, page: int = 1, per_page: int = 20) -> StoryPage:
    """Every story, most recently active first, one page at a time."""
    query = sa.select(*_story_columns(), stories.c.article_count.label("matches")).order_by(
        stories.c.last_seen.desc(), stories.c.id.desc()
    )
    rows = _page_rows(store, query, page, per_page)
    hits = [StoryHit(**_pick(StoryHit, row)) for row in rows[:per_page]]
    return StoryPage(hits, page, per_page, has_next=len(rows) > per_page)


def facet_values(store: Store, facet: str, limit: int = 200) -> list[tuple[str, int]]:
    """The values of one facet with how many articles carry each, most common first.

    Args:
        store: the store.
        facet: one of `FACETS`.
        limit: the most values to return.
    """
    count = sa.func.count()
    query = (
        sa.select(article_facets.c.value, count)
        .where(article_facets.c.facet == facet)
        .group_by(article_facets.c.value)
        .order_by(count.desc(), article_facets.c.value)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        return [(row[0], int(row[1])) for row in connection.execute(query)]


def outlets(store: Store, limit: int = 200) -> list[tuple[str, int]]:
    """The outlets articles came from, with their article counts, most common first."""
    count = sa.func.count()
    query = (
        sa.select(articles.c.outlet, count)
        .where(articles.c.outlet.is_not(None))
        .group_by(articles.c.outlet)
        .order_by(count.desc(), articles.c.outlet)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        return [(row[0], int(row[1])) for row in connection.execute(query)]


def facet_article_count(store: Store, facet: str, value: str) -> int:
    """How many articles carry this facet value (0: the desk has never seen it)."""
    query = sa.select(sa.func.count()).where(
        article_facets.c.facet == facet, article_facets.c.value == value
    )
    with store.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def quotes_by(store: Store, person: str, limit: int = 20) -> list[SpokenQuote]:
    """What a person said, newest reports first, from the articles that name them.

    Args:
        store: the store.
        person: the person's name as the analysis resolved it (the `person` facet value).
        limit: the most quotes to return.

    Returns:
        Distinct quotes whose resolved speaker is this person.
    """
    query = (
        sa.select(articles.c.id, articles.c.title, articles.c.outlet, articles.c.published,
                  analyses.c.data)
        .join(analyses, analyses.c.article_id == articles.c.id)
        .where(articles.c.id.in_(_facet_ids("person", person)))
        .order_by(_when().desc(), articles.c.id.desc())
        .limit(QUOTE_SCAN)
    )  # fmt: skip
    with store.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    found: dict[str, SpokenQuote] = {}
    for row in rows:
        for quote in Analysis.from_dict(row["data"]).quotes:
            key = " ".join(quote.text.lower().split())
            if quote.speaker == person and key not in found:
                found[key] = SpokenQuote(quote.text, quote.kind, row["id"], row["title"],
                                         row["outlet"], row["published"])  # fmt: skip
    return list(found.values())[:limit]


def editions(store: Store, edition_end: time, limit: int = 60) -> list[Edition]:
    """The days that have a briefing, newest first, with how many articles each covers.

    Args:
        store: the store.
        edition_end: the UTC time of day at which each day's 24-hour window ends (the
            briefing for D covers the day before until then).
        limit: the most days to return.
    """
    shift = timedelta(days=1) - timedelta(hours=edition_end.hour, minutes=edition_end.minute)
    day = _shifted_day(store.engine.dialect.name, story_articles.c.seen_at, shift).label("day")
    query = sa.select(day, sa.func.count()).group_by(day).order_by(day.desc()).limit(limit)
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [Edition(date.fromisoformat(str(row[0])), int(row[1])) for row in rows]


def _article_statement(store: Store, filters: SearchFilters) -> sa.Select[tuple[Any, ...]] | None:
    """The filtered article query, relevance- or date-ordered; None when words are unsearchable."""
    conditions = _conditions(filters)
    if not filters.query.strip():
        opening = sa.func.substr(sa.func.coalesce(articles.c.standfirst, articles.c.body), 1,
                                 SNIPPET_CHARS)  # fmt: skip
        statement = sa.select(
            *_article_columns(), sa.null().label("score"), opening.label("snippet")
        ).order_by(_when().desc(), articles.c.id.desc())
        return statement.where(*conditions)
    found = search_statement(store.engine.dialect.name, filters.query, 1)
    if found is None:
        return None
    statement = found.add_columns(articles.c.outlet).where(*conditions).limit(None)
    if filters.newest_first:
        statement = statement.order_by(None).order_by(_when().desc(), articles.c.id.desc())
    return statement


def _conditions(filters: SearchFilters) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of the filters that are set."""
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.outlet:
        conditions.append(sa.func.lower(articles.c.outlet) == filters.outlet.strip().lower())
    for facet in FACETS:
        value = getattr(filters, facet)
        if value:
            conditions.append(articles.c.id.in_(_facet_ids(facet, value)))
    if filters.since:
        conditions.append(_when() >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        conditions.append(_when() < datetime.combine(filters.until + timedelta(1), time(), UTC))
    return conditions


def _facet_ids(facet: str, value: str) -> sa.Select[tuple[int]]:
    """Ids of the articles carrying one facet value (an indexed lookup)."""
    value = value.strip().upper() if facet == "country" else value.strip()
    return sa.select(article_facets.c.article_id).where(
        article_facets.c.facet == facet, article_facets.c.value == value
    )


def _when() -> sa.ColumnElement[datetime]:
    """An article's date: its publication, else when the desk first saw it."""
    return sa.func.coalesce(articles.c.published, articles.c.first_seen)


def _article_columns() -> tuple[sa.ColumnElement[Any], ...]:
    return (articles.c.id, articles.c.title, articles.c.url, articles.c.published,
            articles.c.outlet)  # fmt: skip


def _story_columns() -> tuple[sa.ColumnElement[Any], ...]:
    return (stories.c.id, stories.c.headline, stories.c.first_seen, stories.c.last_seen,
            stories.c.article_count)  # fmt: skip


def _page_rows(
    store: Store, query: sa.Select[tuple[Any, ...]], page: int, per_page: int
) -> list[RowMapping]:
    """One page of rows plus one more (which says whether a next page exists)."""
    bounded = query.limit(per_page + 1).offset((max(page, 1) - 1) * per_page)
    with store.engine.connect() as connection:
        return list(connection.execute(bounded).mappings().all())


def _article_hit(row: RowMapping, story: int | None) -> ArticleHit:
    snippet = " ".join((row["snippet"] or "").split())
    if row["score"] is None and len(snippet) >= SNIPPET_CHARS - 1:
        snippet = snippet.rsplit(" ", 1)[0] + " …"
    score = None if row["score"] is None else float(row["score"])
    return ArticleHit(row["id"], row["title"], row["url"], row["outlet"], row["published"],
                      snippet, story, score)  # fmt: skip


def _pick(kind: type, row: RowMapping) -> dict[str, Any]:
    """The row's values for the fields of a dataclass."""
    return {field.name: row[field.name] for field in fields(kind)}


def _shifted_day(dialect: str, column: Any, shift: timedelta) -> sa.ColumnElement[str]:
    """The UTC calendar day of `column + shift` as YYYY-MM-DD, in the dialect's own words."""
    if dialect == "sqlite":
        return sa.func.date(column, f"+{int(shift.total_seconds())} seconds")
    utc = sa.func.timezone("UTC", column) + sa.literal(shift, sa.Interval())
    return sa.func.to_char(utc, "YYYY-MM-DD")
