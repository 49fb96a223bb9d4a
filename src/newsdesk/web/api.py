"""The JSON API under `/api/`: briefings, stories, articles, entities, search and sources.

Responses are the pipeline's own dataclasses (`models.Briefing`, `models.Story`, …) or the
views built from them, declared as response models so that `/openapi.json` describes every
field. Reading is open; the sources (their health is the owner's business) and every write
need the owner's password as a Bearer token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel, Field, HttpUrl

from newsdesk.cli_common import make_fetcher
from newsdesk.ingest.registry import SourceDetails, register_source
from newsdesk.models import Briefing, Story
from newsdesk.store.browse import (
    ArticlePage,
    Edition,
    SearchFilters,
    StoryPage,
    recent_stories,
    search_articles,
    search_stories,
)
from newsdesk.store.sources import Source, list_sources, remove_source
from newsdesk.web.desk import DeskDep
from newsdesk.web.guards import OwnerApi
from newsdesk.web.views import (
    ArticleView,
    EntityKind,
    EntityView,
    PageNumber,
    PerPage,
    find_article,
    find_entity,
    find_story,
    search_filters,
)


class ErrorOut(BaseModel):
    """What a failed request answers: what went wrong and what to do."""

    detail: str


class SourceIn(BaseModel):
    """A source to register: a feed, news sitemap or site URL and what to call it."""

    url: HttpUrl
    name: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=100)
    language: str | None = Field(None, max_length=20)
    interval_minutes: int | None = Field(None, ge=1, le=10_080)


router = APIRouter(prefix="/api", tags=["api"])
Responses = dict[int | str, dict[str, Any]]
NotFound: Responses = {404: {"model": ErrorOut, "description": "No such item"}}
Owner: Responses = {401: {"model": ErrorOut, "description": "The owner's password is needed"}}
Filters = Annotated[SearchFilters, Depends(search_filters)]
Id = Annotated[int, Path(ge=0, le=2**31 - 1)]


@router.get("/briefings", response_model=list[Edition])
def api_briefings(desk: DeskDep) -> list[Edition]:
    """The days that have a briefing, newest first, with how many articles each covers."""
    return desk.editions.archive()


@router.get("/briefings/{day}", response_model=Briefing, responses=NotFound)
def api_briefing(desk: DeskDep, day: date) -> Briefing:
    """The briefing of a day (the `brief --json` contract, with its window)."""
    if day > desk.editions.current_day():
        raise HTTPException(404, f"there is no briefing for {day} yet")
    return desk.editions.briefing(day)


@router.get("/stories", response_model=StoryPage)
def api_stories(desk: DeskDep, page: PageNumber = 1, per_page: PerPage = 20) -> StoryPage:
    """Every story, most recently active first."""
    return recent_stories(desk.store, page, per_page)


@router.get("/stories/{story_id}", response_model=Story, responses=NotFound)
def api_story(desk: DeskDep, story_id: Id) -> Story:
    """A story with its articles, coverage, places, counts, quotes and timeline."""
    return find_story(desk.store, story_id)


@router.get("/articles/{article_id}", response_model=ArticleView, responses=NotFound)
def api_article(desk: DeskDep, article_id: Id) -> ArticleView:
    """An article with its analysis and the story it belongs to."""
    return find_article(desk.store, article_id)


@router.get("/entities/{kind}/{name:path}", response_model=EntityView, responses=NotFound)
def api_entity(
    desk: DeskDep,
    kind: EntityKind,
    name: Annotated[str, Path(min_length=1, max_length=200)],
    page: PageNumber = 1,
) -> EntityView:
    """A person, organisation, place or country (ISO code): its stories and quotes."""
    return find_entity(desk.store, kind, name, page)


@router.get("/search", response_model=ArticlePage)
def api_search(
    desk: DeskDep, filters: Filters, page: PageNumber = 1, per_page: PerPage = 20
) -> ArticlePage:
    """Articles matching the words and filters, best match (or newest) first."""
    return search_articles(desk.store, filters, page, per_page)


@router.get("/search/stories", response_model=StoryPage)
def api_search_stories(
    desk: DeskDep, filters: Filters, page: PageNumber = 1, per_page: PerPage = 20
) -> StoryPage:
    """Stories with articles matching the words and filters."""
    return search_stories(desk.store, filters, page, per_page)


@router.get("/sources", response_model=list[Source], responses=Owner, dependencies=[OwnerApi])
def api_sources(desk: DeskDep) -> list[Source]:
    """The sources with their health (owner only)."""
    return list_sources(desk.store)


@router.post(
    "/sources",
    response_model=Source,
    status_code=201,
    responses={**Owner, 400: {"model": ErrorOut, "description": "Not a feed, sitemap or site"}},
    dependencies=[OwnerApi],
)
def api_add_source(desk: DeskDep, source: SourceIn) -> Source:
    """Register a feed, news sitemap or site (fetched once to learn which it is)."""
    minutes = source.interval_minutes
    details = SourceDetails(source.name, source.region, source.language,
                            minutes * 60 if minutes else None)  # fmt: skip
    with make_fetcher(desk.settings) as fetcher:
        return register_source(desk.store, fetcher, str(source.url), details)


@router.delete(
    "/sources/{source_id}",
    response_model=Source,
    responses={**Owner, 400: {"model": ErrorOut, "description": "No such source"}},
    dependencies=[OwnerApi],
)
def api_remove_source(desk: DeskDep, source_id: Id) -> Source:
    """Stop reading a source (its articles stay); answers what was removed."""
    return remove_source(desk.store, source_id)
