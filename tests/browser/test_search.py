"""Searching in Chromium: type words, then narrow by a country or an outlet from the form.

The filter value is taken from the desk's own data: the one carried by the most hits of the
words alone, but not by all of them, so that narrowing must drop some hits and keep others.
The narrowed hits must be exactly the earlier hits that carry the value (read from the store).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import LiveDesk, Tab
from tests.web.conftest import assert_inert

from newsdesk.store import Store

WORDS = "said"
"""A word nearly every news article carries: the search finds most of the desk."""


@dataclass(frozen=True)
class Filter:
    """A filter of the search form: its query parameter, how a reader sets it, and the
    values an article carries for it according to the store."""

    param: str
    choose: Callable[[Page, str], object]
    values_of: Callable[[Store, int], set[str]]


def _countries(store: Store, article_id: int) -> set[str]:
    analysis = store.get_analysis(article_id)
    places = analysis.places if analysis else []
    return {place.country_code for place in places if place.country_code}


def _outlet(store: Store, article_id: int) -> set[str]:
    stored = store.get_article(article_id)
    return {stored.article.outlet} if stored and stored.article.outlet else set()


COUNTRY = Filter(
    "country", lambda page, code: page.get_by_label("Country").select_option(code), _countries
)
OUTLET = Filter("outlet", lambda page, name: page.get_by_label("Outlet").fill(name), _outlet)


@pytest.mark.parametrize("narrowing", [COUNTRY, OUTLET], ids=lambda f: f.param)
def test_a_filter_narrows_the_hits_of_a_search(tab: Tab, live_desk: LiveDesk, narrowing: Filter):
    page = tab.page
    page.goto("/search")
    page.get_by_label("Words").fill(WORDS)
    _submit(page, rf"[?&]q={WORDS}")
    tab.shot("words")
    everything = _hit_ids(page)
    assert len(everything) > 2
    expect(page.locator("a[rel=next]")).to_have_count(0)  # every hit is on this page

    carried = {hit: narrowing.values_of(live_desk.store, hit) for hit in everything}
    counts = Counter(value for values in carried.values() for value in values)
    value = next((value for value, n in counts.most_common() if n < len(everything)), None)
    assert value is not None, f"every hit carries the same {narrowing.param}s: {counts}"
    narrowing.choose(page, value)
    _submit(page, rf"[?&]{narrowing.param}=[^&]")
    tab.shot(f"narrowed-by-{narrowing.param}")
    narrowed = _hit_ids(page)
    assert set(narrowed) == {hit for hit in everything if value in carried[hit]}
    assert 0 < len(narrowed) < len(everything)
    assert_inert(page.content())
    assert tab.errors == []


def _submit(page: Page, expected_url: str) -> None:
    """Press the search form's button and wait for the results page it leads to."""
    page.locator("form.search-form").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(expected_url))
    expect(page.locator("section.results")).to_be_visible()


def _hit_ids(page: Page) -> list[int]:
    """The article ids of the hits listed, in order."""
    hrefs = [link.get_attribute("href") or "" for link in page.locator("ol.listing h3 a").all()]
    return [int(href.rsplit("/", 1)[1]) for href in hrefs]
