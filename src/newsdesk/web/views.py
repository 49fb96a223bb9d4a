"""What pages and API answers are made of: stories, articles, entities and search filters.

Pages and the JSON API read the same views, so both say the same thing; the dataclasses here
are also the API's response models (their fields are its OpenAPI schema). A missing story,
article or entity is a 404 here, once, for both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from fastapi import HTTPException, Query
from pydantic import BeforeValidator

from newsdesk.models import Analysis, Article, Story, StoryArticle
from newsdesk.store import Store
from newsdesk.store.browse import (
    SearchFilters,
    SpokenQuote,
    StoryPage,
    facet_article_count,
    quotes_by,
    search_stories,
)
from newsdesk.store.stories import get_story_record, story_ids_of
from newsdesk.stories import load_story
from newsdesk.web.rendering import country_name

MAX_PAGE = 1000
"""The deepest page a listing serves (deeper ones are a crawler's, not a reader's)."""
STORIES_KEPT = 256
"""Built stories kept in memory (each is rebuilt when it changes)."""


class EntityKind(StrEnum):
    """What an entity page is about; a country is named by its ISO alpha-2 code."""

    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    COUNTRY = "country"


class SearchKind(StrEnum):
    """What a search lists."""

    ARTICLES = "articles"
    STORIES = "stories"


class SortOrder(StrEnum):
    """How a search orders what it finds."""

    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass(frozen=True)
class ArticleView:
    """A stored article with its analysis and story (the API's article)."""

    id: int
    story: int | None
    first_seen: datetime
    revision: int
    article: Article
    analysis: Analysis | None


@dataclass(frozen=True)
class EntityView:
    """A person, organisation, place or country: its stories, newest first, and quotes."""

    kind: EntityKind
    name: str
    label: str
    articles: int
    stories: StoryPage
    quotes: list[SpokenQuote]


@dataclass(frozen=True)
class Report:
    """An article of a story that is not a copy, with the wire copies folded under it."""

    article: StoryArticle
    copies: list[StoryArticle]


def find_story(store: Store, story_id: int) -> Story:
    """The story, or a 404."""
    record = get_story_record(store, story_id)
    if record is None:
        raise HTTPException(404, f"no story {story_id}; search for it at /search")
    return _built_story(store, story_id, record.updated_at)


@lru_cache(maxsize=STORIES_KEPT)
def _built_story(store: Store, story_id: int, updated_at: datetime) -> Story:
    """A story built from its articles' analyses once per change of its row (`updated_at`
    moves whenever an article joins it): building is most of a story page's time."""
    story = load_story(store, story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id}; search for it at /search")
    return story


def find_article(store: Store, article_id: int) -> ArticleView:
    """The article with its analysis and story, or a 404."""
    stored = store.get_article(article_id)
    if stored is None:
        raise HTTPException(404, f"no article {article_id}; search for it at /search")
    return ArticleView(
        id=stored.id,
        story=story_ids_of(store, [stored.id]).get(stored.id),
        first_seen=stored.first_seen,
        revision=stored.revision,
        article=stored.article,
        analysis=store.get_analysis(stored.id),
    )


def find_entity(store: Store, kind: EntityKind, name: str, page: int = 1) -> EntityView:
    """An entity's stories (newest first) and, for a person, what they said; or a 404.

    Args:
        store: the store.
        kind: person, organization, place or country.
        name: the name as the analysis gives it, or the country's ISO code (the view's
            label is then the country's name).
        page: which page of its stories.
    """
    label = country_name(name) if kind is EntityKind.COUNTRY else name
    value = name.strip().upper() if kind is EntityKind.COUNTRY else name.strip()
    count = facet_article_count(store, kind.value, value)
    if count == 0:
        raise HTTPException(404, f"no article mentions the {kind.value} {name!r}")
    facet: dict[str, Any] = {kind.value: value}
    filters = replace(SearchFilters(newest_first=True), **facet)
    quotes = quotes_by(store, value) if kind is EntityKind.PERSON else []
    return EntityView(kind, value, label, count, search_stories(store, filters, page), quotes)


def story_reports(story: Story) -> list[Report]:
    """The story's reports in time order, each with its copies (a copy whose original is in
    another story counts as a report here)."""
    ids = {article.id for article in story.articles}
    copies: dict[int, list[StoryArticle]] = {}
    reports = []
    for article in sorted(story.articles, key=lambda a: (a.seen_at, a.id)):
        if article.duplicate_of is not None and article.duplicate_of in ids:
            copies.setdefault(article.duplicate_of, []).append(article)
        else:
            reports.append(article)
    return [Report(article, copies.get(article.id, [])) for article in reports]


def story_coverage(story: Story) -> dict[str, float]:
    """How much of the story is about each of its countries: place mentions, at least 1."""
    mentions: Counter[str] = Counter()
    for place in story.places:
        if place.country_code:
            mentions[place.country_code] += place.mentions
    return {code: float(max(mentions[code], 1)) for code in story.countries}


def _blank_is_none(value: object) -> object:
    """An empty form field means "not given"."""
    return None if value == "" else value


OptionalDay = Annotated[date | None, BeforeValidator(_blank_is_none)]
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"
"""Query text may not hold control characters (PostgreSQL refuses NUL in text)."""
Text = Annotated[str, Query(max_length=200, pattern=NO_CONTROL_CHARACTERS)]


def search_filters(
    q: Annotated[
        str,
        Query(
            max_length=500, pattern=NO_CONTROL_CHARACTERS, description='Words, "phrases", OR, -word'
        ),
    ] = "",
    outlet: Text = "",
    country: Annotated[
        str, Query(pattern="^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2 code")
    ] = "",
    theme: Text = "",
    person: Text = "",
    organization: Text = "",
    place: Text = "",
    since: Annotated[OptionalDay, Query(description="From this day (UTC)")] = None,
    until: Annotated[OptionalDay, Query(description="Up to this day (UTC)")] = None,
    sort: SortOrder = SortOrder.RELEVANCE,
) -> SearchFilters:
    """The search filters of a request's query (a FastAPI dependency).

    Raises:
        HTTPException: 422 when `since` is after `until`.
    """
    if since and until and since > until:
        raise HTTPException(422, f"since ({since}) is after until ({until})")
    return SearchFilters(
        query=q.strip(), outlet=outlet.strip() or None, country=country.upper() or None,
        theme=theme.strip() or None, person=person.strip() or None,
        organization=organization.strip() or None, place=place.strip() or None,
        since=since, until=until, newest_first=sort is SortOrder.NEWEST,
    )  # fmt: skip


PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page, from 1")]
PerPage = Annotated[int, Query(ge=1, le=100, description="Items per page")]


def filter_params(filters: SearchFilters) -> dict[str, str]:
    """The filters as query parameters again (for links to other pages of a search)."""
    values = {
        "q": filters.query, "outlet": filters.outlet, "country": filters.country,
        "theme": filters.theme, "person": filters.person,
        "organization": filters.organization, "place": filters.place,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "sort": SortOrder.NEWEST.value if filters.newest_first else None,
    }  # fmt: skip
    return {key: value for key, value in values.items() if value}
