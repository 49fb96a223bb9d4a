"""A world map drawn on the server as inline SVG: no tile service, no script.

Country shapes come from the countryinfo package, which ships each country's outline as
GeoJSON (Natural Earth, low resolution). They are projected once, equirectangularly (x is
longitude + 180, y is 90 − latitude, one unit per degree), thinned to points at least
`MIN_STEP` degrees apart and cached as SVG path data. A map shades countries by how much
coverage they get (four steps) and marks places as points; its view box frames what it
shows, so a story in the Gulf of Aden is not a dot on a world map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from countryinfo import all_countries

from newsdesk.models import Place

MIN_STEP = 0.5
"""Degrees between two kept points of an outline (finer detail is invisible at page size)."""
SHADES = 4
"""How many steps of coverage shading there are (classes `cov1` … `cov4`)."""

_WORLD = (-180.0, -60.0, 180.0, 84.0)  # lon/lat box shown when nothing narrows it
_MIN_SPAN = 40.0  # degrees of longitude the narrowest view shows
_MARGIN = 0.25  # of the framed span, added on each side


@dataclass(frozen=True)
class Shape:
    """A country's outline as SVG path data, its name and its lon/lat bounding box."""

    code: str
    name: str
    path: str
    bounds: tuple[float, float, float, float]


@dataclass(frozen=True)
class MapPoint:
    """A place on the map, in map units, with its label."""

    x: float
    y: float
    label: str


@dataclass(frozen=True)
class MapCountry:
    """A country on the map: its shape and coverage step (0: none)."""

    shape: Shape
    shade: int


@dataclass(frozen=True)
class WorldMap:
    """What the map template draws: view box, countries, points and a text description."""

    view_box: str
    countries: list[MapCountry]
    points: list[MapPoint]
    radius: float
    description: str


def world_map(
    places: Sequence[Place], coverage: Mapping[str, float], names: Mapping[str, str]
) -> WorldMap:
    """A map of places and of countries shaded by coverage, framed on what it shows.

    Args:
        places: places to mark (those without coordinates are left out).
        coverage: how much coverage each country (ISO alpha-2) gets, any positive scale.
        names: display names of the countries, for the description.

    Returns:
        The map to render with the `_map.html` template.
    """
    shapes = country_shapes()
    located = [(p.name, p.lon, p.lat) for p in places if p.lon is not None and p.lat is not None]
    boxes = [(lon, lat, lon, lat) for _, lon, lat in located]
    if not boxes:
        boxes = [shapes[code].bounds for code in coverage if code in shapes]
    view = _frame(boxes)
    top = max(coverage.values(), default=0.0)
    countries = [
        MapCountry(shape, _shade(coverage.get(code, 0.0), top))
        for code, shape in shapes.items()
        if _overlaps(shape.bounds, view)
    ]
    points = [MapPoint(*_project(lon, lat), name) for name, lon, lat in located]
    shaded = [names.get(code, code) for code in sorted(coverage, key=lambda c: -coverage[c])]
    description = "; ".join(
        part
        for part in (
            "Countries covered: " + ", ".join(shaded) if shaded else "",
            "Places: " + ", ".join(name for name, _, _ in located) if located else "",
        )
        if part
    )
    x, y, width, height = view
    view_box = f"{x:.1f} {y:.1f} {width:.1f} {height:.1f}"
    return WorldMap(view_box, countries, points, round(max(width / 120, 0.5), 2), description)


@cache
def country_shapes() -> dict[str, Shape]:
    """Every country countryinfo has an outline for, by ISO alpha-2 code."""
    shapes = {}
    for info in all_countries():
        geometry = info.geo_json()
        code = info.iso(2)
        if not geometry or not code:
            continue
        rings = list(_rings(geometry))
        if rings:
            shapes[code.upper()] = Shape(code.upper(), info.name(), _path(rings), _bounds(rings))
    return shapes


def _rings(geo_json: Mapping[str, Any]) -> Iterable[list[tuple[float, float]]]:
    """Every outer and inner ring of a GeoJSON feature collection's (multi)polygons."""
    for feature in geo_json.get("features", []):
        geometry = feature.get("geometry") or {}
        polygons = geometry.get("coordinates", [])
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        elif geometry.get("type") != "MultiPolygon":
            continue
        for polygon in polygons:
            for ring in polygon:
                yield [(float(lon), float(lat)) for lon, lat, *_ in ring]


def _path(rings: Iterable[list[tuple[float, float]]]) -> str:
    """SVG path data for the rings, projected and thinned."""
    parts = []
    for ring in rings:
        kept = _thin(ring)
        if len(kept) >= 3:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_project(*p) for p in kept))
            parts.append(f"M{points}Z")
    return "".join(parts)


def _thin(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring's points, dropping each that lies within MIN_STEP of the last kept."""
    kept = ring[:1]
    for lon, lat in ring[1:]:
        if abs(lon - kept[-1][0]) + abs(lat - kept[-1][1]) >= MIN_STEP:
            kept.append((lon, lat))
    return kept


def _bounds(rings: Iterable[list[tuple[float, float]]]) -> tuple[float, float, float, float]:
    points = [point for ring in rings for point in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def _project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular: one map unit per degree, north up, the antimeridian at the edges."""
    return round(lon + 180.0, 2), round(90.0 - lat, 2)


def _shade(value: float, top: float) -> int:
    """The coverage step, 1 to SHADES, of a value against the largest (0 for none)."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(SHADES, round(SHADES * value / top)))


def _frame(boxes: Sequence[tuple[float, float, float, float]]) -> tuple[float, ...]:
    """The view (x, y, width, height; 2:1) around lon/lat boxes with a margin; the world
    for none."""
    west, south, east, north = _WORLD
    if boxes:
        west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
        east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    span = max(east - west, 2 * (north - south), _MIN_SPAN) * (1 + 2 * _MARGIN)
    span = min(span, 360.0)
    center_x, center_y = _project((west + east) / 2, (south + north) / 2)
    x = min(max(center_x - span / 2, 0.0), 360.0 - span)
    y = min(max(center_y - span / 4, 0.0), 180.0 - span / 2)
    return x, y, span, span / 2


def _overlaps(bounds: tuple[float, float, float, float], view: tuple[float, ...]) -> bool:
    """Whether a lon/lat box shows in the view (in map units)."""
    west, south, east, north = bounds
    (left, top), (right, bottom) = _project(west, north), _project(east, south)
    x, y, width, height = view
    return left <= x + width and right >= x and top <= y + height and bottom >= y
