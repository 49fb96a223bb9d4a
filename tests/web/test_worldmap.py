"""The server-side SVG world map: shapes from countryinfo, projection, shading, framing."""

from __future__ import annotations

import pytest

from newsdesk.models import Place
from newsdesk.web.worldmap import country_shapes, world_map


def test_country_shapes_cover_the_world():
    shapes = country_shapes()
    assert len(shapes) > 150
    assert {"GR", "IN", "US", "BR", "NG", "AU"} <= set(shapes)
    west, south, east, north = shapes["GR"].bounds
    assert 19 < west < east < 30 and 34 < south < north < 42  # Greece, in lon/lat
    assert shapes["GR"].path.startswith("M") and shapes["GR"].path.endswith("Z")


def test_places_are_projected_equirectangularly():
    athens = Place("Athens", "city", "GR", 37.98, 23.73, 3)
    shown = world_map([athens, Place("Nowhere", "city", None, None, None, 1)], {}, {})
    [point] = shown.points
    assert (point.x, point.y, point.label) == (
        pytest.approx(203.73),
        pytest.approx(52.02),
        "Athens",
    )


def test_countries_are_shaded_by_coverage():
    shown = world_map([], {"GR": 8.0, "TR": 4.0, "CY": 0.5}, {"GR": "Greece"})
    shades = {c.shape.code: c.shade for c in shown.countries}
    assert (shades["GR"], shades["TR"], shades["CY"]) == (4, 2, 1)
    assert shades.get("BG", 0) == 0
    assert shown.description.startswith("Countries covered: Greece, TR, CY")


def test_the_view_frames_what_the_map_shows():
    world = world_map([], {}, {})
    assert world.view_box == "0.0 0.0 360.0 180.0"
    aden = world_map([Place("Aden", "city", "YE", 12.8, 45.0, 1)], {}, {})
    x, y, width, height = (float(v) for v in aden.view_box.split())
    assert width == 2 * height < 180
    assert x < 225 < x + width and y < 77.2 < y + height  # Aden is inside
    assert len(aden.countries) < len(world.countries)  # only what shows is drawn
