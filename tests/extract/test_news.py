"""The news rules on small texts: datelines, agencies, bylines, credits, subheads."""

from __future__ import annotations

import pytest

from newsdesk.extract.news import (
    agency_in_credits,
    clean_byline,
    is_byline,
    is_subhead,
    normalise_agency,
    split_dateline,
)


@pytest.mark.parametrize(
    ("paragraph", "place", "agency", "rest"),
    [
        ("MEXICO CITY (Reuters) - Drug gangs fought.", "Mexico City", "Reuters", "Drug gangs"),
        ("REUTERS - In his first trip abroad.", None, "Reuters", "In his first"),
        ("(AP) — The man was arrested.", None, "AP", "The man"),
        ("WASHINGTON, March 3 (Reuters) - The Fed held.", "Washington", "Reuters", "The Fed"),
        ("BEIJING, Sept. 12 (Xinhua) -- China said.", "Beijing", "Xinhua", "China said"),
        ("PARIS (AFP) - La France a dit.", "Paris", "AFP", "La France"),
        ("SAN JOSE, Calif. (AP) — A fire broke out.", "San Jose, Calif.", "AP", "A fire"),
        ("MUMBAI/NEW DELHI (Reuters) - Shares fell.", "Mumbai/New Delhi", "Reuters", "Shares"),
        ("LONDON — Britain's economy grew.", "London", None, "Britain's"),
        ("BERLIN (dpa) - Die Regierung hat.", "Berlin", "dpa", "Die Regierung"),
        ("WASHINGTON (CNN) -- The Senate voted.", "Washington", None, "The Senate"),
        ("New York (AFP) – Stocks rose.", "New York", "AFP", "Stocks rose"),
        ("NEW DELHI (PTI): The court ruled.", "New Delhi", "PTI", "The court"),
    ],
)
def test_split_dateline(paragraph: str, place: str | None, agency: str | None, rest: str) -> None:
    dateline = split_dateline(paragraph)
    assert dateline is not None
    assert (dateline.place, dateline.agency) == (place, agency)
    assert dateline.rest.startswith(rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Obama said - and meant it - that the war goes on.",
        "In 2014 - the year of the storm - prices rose.",
        "The president (a Democrat) - said nothing.",
        "US President Barack Obama on Thursday backed Mexico's fight against drug cartels.",
        # A list of analysts' picks: the author's name and the company, then a colon.
        "Jane Roe (Initech): Few chip makers had a year as bad as this one, and I expect more.",
        "Jane Roe (Initech) - Few chip makers had a year as bad as this one.",
        "JANE ROE (Initech): Shares of the company fell by half this year.",
        # Capitals opening a sentence, a hyphenated word spaced out: no place starts with "a".
        "A FIRE - BOMB attack on a bank killed two people on Monday.",
        "AN ARMED GANG - said to number six - robbed the station.",
    ],
)
def test_ordinary_paragraphs_have_no_dateline(paragraph: str) -> None:
    assert split_dateline(paragraph) is None


@pytest.mark.parametrize(
    ("written", "short"),
    [
        ("Associated Press", "AP"),
        ("The Associated Press", "AP"),
        ("Agence France-Presse", "AFP"),
        ("Thomson Reuters", "Reuters"),
        ("REUTERS", "Reuters"),
        ("Press Association", "PA"),
        ("Deutsche Presse-Agentur", "dpa"),
        ("Xinhua", "Xinhua"),
    ],
)
def test_normalise_agency(written: str, short: str) -> None:
    assert normalise_agency(written) == short


def test_normalise_agency_refuses_other_names() -> None:
    assert normalise_agency("Barack Obama") is None


@pytest.mark.parametrize(
    ("paragraphs", "agency"),
    [
        (["Text.", "(Reporting by Jane Roe; Editing by John Doe)"], "Reuters"),
        (["Text.", "© Thomson Reuters 2014 All rights reserved."], "Reuters"),
        (["Associated Press writer Jane Roe contributed from Rome."], "AP"),
        (["Copyright 2014 The Associated Press. All rights reserved."], "AP"),
        (["An ordinary closing sentence by our own correspondent."], None),
    ],
)
def test_agency_in_credits(paragraphs: list[str], agency: str | None) -> None:
    assert agency_in_credits(paragraphs) == agency


@pytest.mark.parametrize(
    ("byline", "names", "agency"),
    [
        ("By Jane Roe", ["Jane Roe"], None),
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"], None),
        ("Jane Roe, John Doe", ["Jane Roe", "John Doe"], None),
        ("By Jane Roe, Reuters", ["Jane Roe"], "Reuters"),
        ("By John Smith, Associated Press Writer", ["John Smith"], "AP"),
        ("By JOE HILDEBRAND", ["Joe Hildebrand"], None),
        ("Par Sébastien Farcis", ["Sébastien Farcis"], None),
        ("Martin Untersinger (avec Damien Leloup et Morgane Tual)",
         ["Martin Untersinger", "Damien Leloup", "Morgane Tual"], None),
        ("Dan Goodin - Apr 16, 2015 8:02 pm UTC", ["Dan Goodin"], None),
        ("Tech Industry by Steven Musil January 18, 2017 11:00 PM", ["Steven Musil"], None),
        ("Reuters Staff", [], "Reuters"),
        ("@someone", [], None),
    ],
)  # fmt: skip
def test_clean_byline(byline: str, names: list[str], agency: str | None) -> None:
    assert clean_byline(byline) == (names, agency)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Roe", True),
        ("Par Jean Dupont", True),
        ("By the end of the year the plan had failed.", False),
        ("by far the largest", False),
    ],
)
def test_is_byline(line: str, expected: bool) -> None:
    assert is_byline(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("More drug violence", True),
        ("What happens next", True),
        ("Obama said he would push the Senate to ratify a treaty.", False),
        ("a lower-case fragment", False),
        ("By Jane Roe", False),
    ],
)
def test_is_subhead(line: str, expected: bool) -> None:
    assert is_subhead(line) is expected


def test_marked_heading_may_end_with_a_question_but_not_be_prose() -> None:
    assert is_subhead("What happens next?", marked=True)
    long_prose = "This season designers updated a classic colour by way of modern silhouettes."
    assert not is_subhead(long_prose, marked=True)
