"""Counts in GDELT's sense: the reference article, ECB+ disaster stories, one rule each."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.analyze.counts import find_counts
from newsdesk.analyze.nlp import parse, parse_many
from newsdesk.analyze.places import find_places
from newsdesk.extract import extract_text
from newsdesk.models import Count, Place

THURSDAY = datetime(2009, 4, 16)


def _ecb_texts(shared_data: Path) -> dict[str, str]:
    with (shared_data / "stories" / "ecbplus.jsonl").open(encoding="utf-8") as lines:
        return {row["id"]: row["text"] for row in map(json.loads, lines)}


def _facts(counts: list[Count]) -> set[tuple[int, bool, str, str | None]]:
    return {(c.number, c.approximate, c.unit, c.event) for c in counts}


def test_reference_article(reference_article: Path) -> None:
    doc = parse(extract_text(reference_article.read_text(encoding="utf-8")).body)
    counts = {c.number: c for c in find_counts(doc, find_places(doc), THURSDAY)}
    killed = counts[6300]
    assert (killed.approximate, killed.unit, killed.event) == (True, "people", "killed")
    assert (killed.where, killed.when, killed.text) == (
        "Mexico",
        "2008",
        "killed some 6,300 people",
    )
    died = counts[16]
    assert (died.approximate, died.unit, died.event) == (False, "people", "died")
    assert (died.where, died.when) == ("Mexico", "2009-04-15")
    troops = counts[10000]
    assert (troops.approximate, troops.unit, troops.event) == (True, "troops", "sent")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At least 30 people were killed in the attack.", (30, True, "people", "killed")),
        ("Hundreds of protesters were arrested.", (100, True, "protesters", "arrested")),
        ("Two dozen soldiers were wounded.", (24, False, "soldiers", "wounded")),
        ("Sixteen miners are missing after the blast.", (16, False, "miners", "missing")),
        ("The storm destroyed 40 homes.", (40, False, "homes", "destroyed")),
        ("The death toll rose to 52.", (52, False, "people", "died")),
        ("Tens of thousands of people fled the fighting.", (10000, True, "people", "fled")),
        ("About 300 people attended the meeting.", (300, True, "people", None)),
    ],
)
def test_counts(text: str, expected: tuple[int, bool, str, str | None]) -> None:
    assert expected in _facts(find_counts(parse(text), []))


@pytest.mark.parametrize(
    "text",
    [
        "The team scored three goals in 2004.",
        "The 45-year-old earned $5 million, up 12 percent.",
        "No one was injured.",
        "He finished third and won 13-10.",
    ],
)
def test_no_counts(text: str) -> None:
    assert find_counts(parse(text), []) == []


def test_where_prefers_the_place_after_in() -> None:
    """Places come from the places analyzer; here two are given by their offsets."""
    text = "Officials in Lima said 12 people died in Cusco on Tuesday."
    doc = parse(text)
    places = [
        Place("Lima", "city", "PE", None, None, 1, [(13, 17)]),
        Place(
            "Cusco", "city", "PE", None, None, 1, [(text.index("Cusco"), text.index("Cusco") + 5)]
        ),
    ]
    [count] = find_counts(doc, places, THURSDAY)
    assert (count.number, count.where, count.when) == (12, "Cusco", "2009-04-14")


def test_ecb_earthquake_death_tolls(shared_data: Path) -> None:
    """Hand-checked: the 2005 Qeshm earthquake reports (ECB+ topic 20)."""
    texts = _ecb_texts(shared_data)
    doc = parse(texts["20_6ecbplus"])
    facts = _facts(find_counts(doc, find_places(doc)))
    assert {(3, True, "people", "killed"), (4, False, "villages", "destroyed")} <= facts
    doc = parse(texts["20_4ecb"])
    facts = _facts(find_counts(doc, find_places(doc)))
    assert {(6, True, "people", "killed"), (2, False, "villagers", "injured")} <= facts


def test_sanity_over_real_articles(shared_data: Path) -> None:
    """On 40 ECB+ articles: no count is a year, every text is in the article and holds a number."""
    texts = list(_ecb_texts(shared_data).values())[::16]
    total = 0
    for doc in parse_many(texts):
        place_names = {p.name for p in find_places(doc)}
        for count in find_counts(doc, find_places(doc)):
            total += 1
            assert count.text in doc.text
            assert (count.number > 0 and not 1900 <= count.number <= 2100) or "," in count.text
            assert count.unit and count.unit == count.unit.lower()
            assert count.where is None or count.where in place_names
    assert total >= 20
