"""A story's page in Chromium: reached from the story list, with its map drawn as inline SVG.

The story is the desk's one with the most places that have coordinates. The map must show a
point for each of them, inside the drawn map, and shade countries of the story only.
"""

from __future__ import annotations

from playwright.sync_api import FloatRect, expect
from tests.browser.conftest import LiveDesk, Tab
from tests.web.conftest import assert_inert

from newsdesk.models import Story
from newsdesk.store.browse import recent_stories
from newsdesk.stories import load_story
from newsdesk.web.worldmap import SHADES, country_shapes

SHADED = ", ".join(f"figure.map path.cov{shade}" for shade in range(1, SHADES + 1))


def test_a_story_page_maps_its_places_and_shades_its_countries(tab: Tab, live_desk: LiveDesk):
    story = _most_placed_story(live_desk)
    located = _located(story)
    page = tab.page
    page.goto("/stories")
    page.get_by_role("link", name=story.headline, exact=True).click()
    expect(page.locator("h1")).to_have_text(story.headline)
    svg = page.locator("figure.map svg")
    expect(svg).to_be_visible()
    tab.shot("story")
    tab.shot("map", page.locator("figure.map"))

    frame = svg.bounding_box()
    assert frame and frame["width"] > 300, frame  # a map, not a thumbnail
    circles = svg.locator("circle")
    assert circles.all_text_contents() == located  # each point titled with its place
    for circle in circles.all():
        expect(circle).to_be_visible()
        assert _inside(circle.bounding_box(), frame)

    names = {country_shapes()[code].name for code in story.countries if code in country_shapes()}
    shaded = page.locator(SHADED).all_text_contents()
    assert shaded and set(shaded) <= names, (shaded, names)
    expect(page.locator(f"figure.map path.cov{SHADES}").first).to_be_visible()  # the most covered
    assert page.locator("figure.map path.cov0").count() > 0  # neighbours, drawn unshaded
    assert_inert(page.content())
    assert tab.errors == []


def _most_placed_story(desk: LiveDesk) -> Story:
    """The story with the most located places (the desk has a handful of stories)."""
    stories = [load_story(desk.store, hit.id) for hit in recent_stories(desk.store, 1, 100).items]
    return max(filter(None, stories), key=lambda story: len(_located(story)))


def _located(story: Story) -> list[str]:
    """The names of the story's places that have coordinates, in the story's order."""
    return [place.name for place in story.places if place.lat is not None and place.lon is not None]


def _inside(box: FloatRect | None, frame: FloatRect) -> bool:
    """Whether a box's centre lies within the frame."""
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    inside_x = frame["x"] <= x <= frame["x"] + frame["width"]
    return inside_x and frame["y"] <= y <= frame["y"] + frame["height"]
