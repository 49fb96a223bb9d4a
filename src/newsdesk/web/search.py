"""Search pages: articles or stories matching words and filters, and an Atom feed of any search.

The filter choices (countries, themes, outlets) are counted over the whole store, so they are
kept for `CHOICES_TTL` seconds rather than counted again for every search.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse, Response

from newsdesk.store.browse import (
    SearchFilters,
    facet_values,
    outlets,
    search_articles,
    search_stories,
)
from newsdesk.web.desk import Choices, Desk, DeskDep
from newsdesk.web.rendering import country_name, feed_html, render, templates
from newsdesk.web.views import PageNumber, PerPage, SearchKind, filter_params, search_filters

FEED_ENTRIES = 20
FEED_PARAGRAPHS = 3
"""Paragraphs of each article a search feed entry carries."""

router = APIRouter(include_in_schema=False)
Filters = Annotated[SearchFilters, Depends(search_filters)]


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    desk: DeskDep,
    filters: Filters,
    kind: SearchKind = SearchKind.ARTICLES,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Response:
    """Articles (or stories) matching the words and filters, a page at a time."""
    if kind is SearchKind.ARTICLES:
        results: Any = search_articles(desk.store, filters, page, per_page)
    else:
        results = search_stories(desk.store, filters, page, per_page)
    params = filter_params(filters) | ({"per_page": str(per_page)} if per_page != 20 else {})
    context = {
        "filters": filters,
        "params": params,
        "kind": kind.value,
        "results": results,
        "choices": _choices(desk),
        "searched": bool(filter_params(filters)),
    }
    return render(request, "search.html", context)


@router.get("/search.atom")
def search_atom(request: Request, desk: DeskDep, filters: Filters) -> Response:
    """An Atom feed of the newest articles matching a search."""
    hits = search_articles(desk.store, replace(filters, newest_first=True), 1, FEED_ENTRIES)
    entries, times = [], []
    for hit in hits.items:
        stored = desk.store.get_article(hit.id)
        body = stored.article.body if stored else hit.snippet
        updated = hit.published or (stored.first_seen if stored else datetime.now(UTC))
        paragraphs = body.split("\n\n")[:FEED_PARAGRAPHS]
        entries.append({"hit": hit, "updated": updated, "html": feed_html(paragraphs)})
        times.append(updated)
    base = desk.settings.base_url.rstrip("/")
    query = str(request.url.query)
    context = {
        "entries": entries,
        "base": base,
        "self_url": f"{base}/search.atom" + (f"?{query}" if query else ""),
        "page_url": f"{base}/search" + (f"?{query}" if query else ""),
        "title": f"newsdesk search: {filters.query}" if filters.query else "newsdesk search",
        "updated": max(times, default=datetime.now(UTC)),
    }
    xml = templates().get_template("search.atom.xml").render(context)
    return Response(xml, media_type="application/atom+xml")


def _choices(desk: Desk) -> Choices:
    """(value, label) choices for the filter menus, counted at most once a minute."""

    def count() -> Choices:
        countries = [(code, country_name(code)) for code, _ in facet_values(desk.store, "country")]
        return {
            "countries": sorted(countries, key=lambda choice: choice[1]),
            "themes": sorted(
                (v, v.replace("_", " ")) for v, _ in facet_values(desk.store, "theme")
            ),
            "outlets": [(name, name) for name, _ in outlets(desk.store)],
        }

    return desk.choices.get("choices", count)
