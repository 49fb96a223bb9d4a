"""The reader's pages: the briefing and its archive, stories, articles, people and places.

Each route reads one view (`views.py`, `store.browse`, the briefing editions) and renders
one template. HTML pages are left out of the OpenAPI schema; the same data is under `/api/`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from starlette.responses import HTMLResponse, Response

from newsdesk.briefing.render import BriefingLinks, render_atom
from newsdesk.store.browse import recent_stories
from newsdesk.web.desk import Desk, DeskDep
from newsdesk.web.highlight import analysis_marks, highlight
from newsdesk.web.rendering import country_name, entity_url, render
from newsdesk.web.views import (
    EntityKind,
    PageNumber,
    find_article,
    find_entity,
    find_story,
    story_coverage,
    story_reports,
)
from newsdesk.web.worldmap import world_map

ATOM_ENTRIES = 10
"""How many past briefings the Atom feed carries."""
HOME_ARCHIVE = 14
"""How many past briefings the home page lists."""

router = APIRouter(include_in_schema=False)
StoryId = Annotated[int, Path(ge=0, le=2**31 - 1)]
ArticleId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, desk: DeskDep) -> Response:
    """Today's briefing (the newest edition with stories) and the archive."""
    return _briefing_page(request, desk, desk.editions.latest_day(), HOME_ARCHIVE)


@router.get("/briefings", response_class=HTMLResponse)
def archive(request: Request, desk: DeskDep) -> Response:
    """Every past briefing, newest first."""
    return render(request, "archive.html", {"editions": desk.editions.archive()})


@router.get("/briefings.atom")
def briefings_atom(desk: DeskDep) -> Response:
    """An Atom feed of the latest briefings."""
    days = [edition.date for edition in desk.editions.archive()[:ATOM_ENTRIES]]
    links = _briefing_links(desk)
    atom = render_atom([desk.editions.briefing(day) for day in days], links)
    return Response(atom, media_type="application/atom+xml")


@router.get("/briefings/{day}", response_class=HTMLResponse)
def briefing(request: Request, desk: DeskDep, day: date) -> Response:
    """The briefing of one day; a day still to come is a 404."""
    if day > desk.editions.current_day():
        raise HTTPException(404, f"there is no briefing for {day} yet; today's is at /")
    return _briefing_page(request, desk, day, 0)


def _briefing_page(request: Request, desk: Desk, day: date, archive_size: int) -> Response:
    """A day's briefing inside the site's layout, with the start of the archive."""
    composed = desk.editions.briefing(day)
    context = {
        "briefing": composed,
        "in_progress": composed.window_end > datetime.now(UTC),
        "editions": desk.editions.archive()[:archive_size] if archive_size else [],
        "atom_url": "/briefings.atom",
    }
    return render(request, "briefing.html", context)


def _briefing_links(desk: Desk) -> BriefingLinks:
    base = desk.settings.base_url.rstrip("/")
    return BriefingLinks(base_url=base, web=f"{base}/", atom=f"{base}/briefings.atom")


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, desk: DeskDep, page: PageNumber = 1) -> Response:
    """Every story, most recently active first."""
    return render(request, "stories.html", {"stories": recent_stories(desk.store, page)})


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, desk: DeskDep, story_id: StoryId) -> Response:
    """A story: its reports by time and outlet with copies folded, timeline, quotes, counts
    and a map of its places."""
    found = find_story(desk.store, story_id)
    names = {code: country_name(code) for code in found.countries}
    context = {
        "story": found,
        "reports": story_reports(found),
        "map": world_map(found.places, story_coverage(found), names),
    }
    return render(request, "story.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, desk: DeskDep, article_id: ArticleId) -> Response:
    """An article's text with its people, places, quotes and counts marked, and its analysis."""
    view = find_article(desk.store, article_id)
    body = view.article.body
    marks = analysis_marks(body, view.analysis, entity_url) if view.analysis else []
    context = {"view": view, "paragraphs": highlight(body, marks)}
    return render(request, "article.html", context)


@router.get("/entities/{kind}/{name:path}", response_class=HTMLResponse)
def entity(
    request: Request,
    desk: DeskDep,
    kind: EntityKind,
    name: Annotated[str, Path(min_length=1, max_length=200)],
    page: PageNumber = 1,
) -> Response:
    """A person, organisation, place or country: stories over time and what they said."""
    view = find_entity(desk.store, kind, name, page)
    shown = None
    if kind is EntityKind.COUNTRY:
        shown = world_map([], {view.name: 1.0}, {view.name: view.label})
    return render(request, "entity.html", {"view": view, "map": shown})
