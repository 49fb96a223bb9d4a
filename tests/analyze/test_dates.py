"""Date expressions resolved against the publication date: reference article, rules, real data."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.analyze.dates import find_dates, resolve_date_expression
from newsdesk.analyze.nlp import parse, parse_many
from newsdesk.extract import extract_text

THURSDAY = datetime(2009, 4, 16)
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_reference_article(reference_article: Path) -> None:
    body = extract_text(reference_article.read_text(encoding="utf-8")).body
    resolved = {(m.text, m.date) for m in find_dates(parse(body), THURSDAY)}
    assert resolved >= {
        ("Thursday", "2009-04-16"),
        ("Wednesday", "2009-04-15"),
        ("Friday", "2009-04-17"),
        ("last year", "2008"),
        ("earlier this month", "2009-04"),
    }


def test_relative_dates_need_a_publication_date(reference_article: Path) -> None:
    body = extract_text(reference_article.read_text(encoding="utf-8")).body
    assert find_dates(parse(body), None) == []


@pytest.mark.parametrize(
    ("text", "expression", "expected"),
    [
        ("The minister will travel to Paris on Monday.", "Monday", "2009-04-20"),
        ("Talks between the two sides ended on Monday.", "Monday", "2009-04-13"),
        ("The leaders are due to meet next Thursday.", "next Thursday", "2009-04-23"),
        ("The deal was signed on March 3, 2009, in Geneva.", "March 3, 2009", "2009-03-03"),
        ("Elections were held on 3 March.", "3 March", "2009-03-03"),
        ("The factory closed in June 2003.", "June 2003", "2003-06"),
        ("The company was founded in 1984.", "1984", "1984"),
        ("The plant closed six years ago.", "six years ago", "2003"),
        ("Prices fell last month.", "last month", "2009-03"),
        ("Police said the man was arrested yesterday.", "yesterday", "2009-04-15"),
        ("The firm reported losses last October.", "last October", "2008-10"),
    ],
)
def test_expressions(text: str, expression: str, expected: str) -> None:
    mentions = find_dates(parse(text), THURSDAY)
    assert (expression, expected) in {(m.text, m.date) for m in mentions}


@pytest.mark.parametrize(
    "text",
    [
        "He has worked there for three months.",
        "The 36-year-old was fined.",
        "It rained all summer.",
    ],
)
def test_durations_ages_and_seasons_are_no_dates(text: str) -> None:
    assert find_dates(parse(text), THURSDAY) == []


def test_absolute_dates_resolve_without_publication_date() -> None:
    doc = parse("The agreement signed on 7 March 2003 expired in May 2004.")
    spans = [ent for ent in doc.ents if ent.label_ == "DATE"]
    assert [resolve_date_expression(span, None) for span in spans] == ["2003-03-07", "2004-05"]


def test_real_articles_give_valid_dates(shared_data: Path) -> None:
    """Every date found in real BBC articles is a valid ISO day, month or year near 2005."""
    folder = shared_data / "summaries" / "bbc" / "articles" / "business"
    texts = [
        p.read_bytes().decode("utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))[:20]
    ]
    published = datetime(2005, 3, 16)
    found = 0
    for doc in parse_many(texts):
        for mention in find_dates(doc, published):
            found += 1
            assert ISO.match(mention.date), mention
            datetime.fromisoformat(mention.date + "-01" * (2 - mention.date.count("-")))
            assert mention.text in doc.text
            if not any(c.isdigit() for c in mention.text) and "ago" not in mention.text:
                assert abs(int(mention.date[:4]) - 2005) <= 1, mention
    assert found >= 20
