"""The read queries behind the web desk (`store.browse`), on the desk of real news."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from newsdesk.store import Store
from newsdesk.store.browse import (
    SearchFilters,
    editions,
    facet_article_count,
    facet_values,
    outlets,
    quotes_by,
    recent_stories,
    search_articles,
    search_stories,
)
from newsdesk.store.stories import story_ids_of


def test_relevance_puts_the_phrase_in_the_title_first(desk_store: Store):
    hits = search_articles(desk_store, SearchFilters(query='"Ricochet killed"')).items
    assert hits[0].title == "Ricochet killed Greek teenager"
    assert all(hit.score is not None for hit in hits)
    assert hits == sorted(hits, key=lambda hit: -(hit.score or 0))


@pytest.mark.parametrize("query", ['"', "( )", "---", "\x00", "-"])
def test_unsearchable_words_find_nothing_without_error(desk_store: Store, query: str):
    assert search_articles(desk_store, SearchFilters(query=query)).items == []
    assert search_stories(desk_store, SearchFilters(query=query)).items == []


def test_filters_combine_with_words(desk_store: Store):
    hits = search_articles(desk_store, SearchFilters(query="police", country="gr")).items
    greek = search_articles(desk_store, SearchFilters(country="GR"), per_page=100).items
    police = search_articles(desk_store, SearchFilters(query="police"), per_page=100).items
    assert hits
    assert {hit.id for hit in hits} == {h.id for h in greek} & {h.id for h in police}
    assert search_articles(desk_store, SearchFilters(query="police", country="IS")).items == []


def test_story_hits_count_their_matching_articles(desk_store: Store):
    page = search_stories(desk_store, SearchFilters(country="GR"))
    greek_ids = [hit.id for hit in search_articles(desk_store, SearchFilters(country="GR")).items]
    stories = story_ids_of(desk_store, greek_ids)
    assert sum(hit.matches for hit in page.items) == len(stories)
    assert {hit.id for hit in page.items} == set(stories.values())


def test_pages_do_not_overlap_and_end(desk_store: Store):
    seen: list[int] = []
    page_number = 1
    while True:
        page = recent_stories(desk_store, page_number, per_page=3)
        seen += [hit.id for hit in page.items]
        if not page.has_next:
            break
        page_number += 1
    assert len(seen) == len(set(seen)) > 3
    assert recent_stories(desk_store, page_number + 1, per_page=3).items == []


def test_facets_and_outlets_are_counted(desk_store: Store):
    countries = dict(facet_values(desk_store, "country"))
    assert countries["GR"] == facet_article_count(desk_store, "country", "GR") >= 4
    assert dict(outlets(desk_store))["in.reuters.com"] == 2


def test_quotes_by_a_person_are_theirs(desk_store: Store):
    quotes = quotes_by(desk_store, "Ingrid Solberg")
    assert [quote.text[:30] for quote in quotes] == ["We will not give up the harbou"]
    assert quotes_by(desk_store, "Nobody Anyone") == []


def test_editions_count_the_articles_of_each_briefing_window(desk_store: Store):
    days = editions(desk_store, time(7, 0))
    assert days and sum(day.articles for day in days) >= 15
    now = datetime.now(UTC)
    expected = now.date() if now.time() <= time(7, 0) else None
    if expected:
        assert days[0].date == expected
