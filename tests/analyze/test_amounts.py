"""Money, percentages and quantities: one rule per case, then real BBC business articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.analyze.amounts import find_amounts
from newsdesk.analyze.nlp import parse, parse_many
from newsdesk.analyze.numbers import is_number_word, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The deal is worth $1.2 billion.", ("$1.2 billion", 1.2e9, "USD", "money")),
        ("The club paid £5m for him.", ("£5m", 5e6, "GBP", "money")),
        ("The fund holds 5 million euros.", ("5 million euros", 5e6, "EUR", "money")),
        ("Each ticket costs 2,000 pesos.", ("2,000 pesos", 2000.0, "MXN", "money")),
        ("A stamp costs 40 cents.", ("40 cents", 0.4, "USD", "money")),
        ("Sales rose 5% last year.", ("5%", 5.0, "%", "percent")),
        ("Inflation hit 3.5 per cent.", ("3.5 per cent", 3.5, "%", "percent")),
        ("The convoy drove 300 km north.", ("300 km", 300.0, "km", "quantity")),
        ("The ship carried 5 tonnes of rice.", ("5 tonnes", 5.0, "tonnes", "quantity")),
        ("A 6.1-magnitude quake hit the island.", ("6.1-magnitude", 6.1, "magnitude", "quantity")),
        ("The quake measured magnitude 6.1.", ("magnitude 6.1", 6.1, "magnitude", "quantity")),
        ("They made off with $137-million of diamonds.", ("$137-million", 137e6, "USD", "money")),
        (
            "Thieves took an estimated two million euros.",
            ("an estimated two million euros", 2e6, "EUR", "money"),
        ),
    ],
)
def test_amounts(text: str, expected: tuple[str, float, str, str]) -> None:
    found = {(a.text, a.value, a.unit, a.kind) for a in find_amounts(parse(text))}
    assert expected in found


def test_plain_numbers_are_no_amounts() -> None:
    assert find_amounts(parse("Sixteen people died and 300 were hurt in 2009.")) == []


@pytest.mark.parametrize(
    ("words", "value", "approximate"),
    [
        ("some 6,300", 6300, True),
        ("sixteen", 16, False),
        ("two dozen", 24, False),
        ("a dozen", 12, False),
        ("hundreds", 100, True),
        ("tens of thousands", 10000, True),
        ("hundreds of thousands", 100000, True),
        ("twenty-five", 25, False),
        ("one hundred and five", 105, False),
        ("1.2 million", 1.2e6, False),
        ("more than 300", 300, True),
        ("10 to 15", 10, True),
        ("10 - 15", 10, True),
        ("a million", 1e6, False),
        ("an estimated two million", 2e6, True),
        ("137 - million", 137e6, False),
    ],
)
def test_number_words(words: str, value: float, approximate: bool) -> None:
    assert parse_number(words.split()) == (value, approximate)
    assert all(is_number_word(word) for word in words.split())


@pytest.mark.parametrize("words", ["people", "the year", "several", ""])
def test_not_numbers(words: str) -> None:
    assert parse_number(words.split()) is None


def test_real_business_articles(shared_data: Path) -> None:
    """Hand-checked figures, and sanity over 30 BBC business articles."""
    folder = shared_data / "summaries" / "bbc" / "articles" / "business"
    paths = sorted(folder.glob("*.txt"))[:30]
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in paths]
    kinds = set()
    for doc in parse_many(texts):
        for amount in find_amounts(doc):
            kinds.add(amount.kind)
            assert amount.text in doc.text and amount.value >= 0
            assert amount.kind in ("money", "percent", "quantity")
            assert amount.kind != "percent" or amount.unit == "%"
            assert amount.kind != "money" or amount.unit is None or len(amount.unit) == 3
    assert kinds >= {"money", "percent"}
    checked = folder / "008.txt"
    figures = {(a.text, a.value) for a in find_amounts(parse(checked.read_text(errors="replace")))}
    assert ("8.5%", 8.5) in figures


def test_ecb_quake_magnitude(shared_data: Path) -> None:
    """Hand-checked: an ECB+ report of the 2005 Qeshm earthquake gives its magnitude."""
    with (shared_data / "stories" / "ecbplus.jsonl").open(encoding="utf-8") as lines:
        text = next(row["text"] for row in map(json.loads, lines) if row["id"] == "20_4ecb")
    amounts = find_amounts(parse(text))
    assert any(a.unit == "magnitude" and a.value == 5.6 for a in amounts)
