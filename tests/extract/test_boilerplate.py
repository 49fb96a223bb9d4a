"""Boilerplate rules: furniture lines go, reporting that mentions the same words stays."""

from __future__ import annotations

import pytest

from newsdesk.extract.boilerplate import (
    is_bare_date,
    is_boilerplate,
    is_trailer_label,
    strip_inline_credit,
)
from newsdesk.models import Article


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for our newsletter",
        "Sign up for our daily newsletter.",
        "Daily newsletter Receive essential international news every morning",
        "Daily newsletterReceive essential international news every morning",
        "Get our free email newsletter delivered to your inbox",
        "Subscribe to our weekly briefing",
        "Read more: Why the markets fell",
        "Related: Rich are paying more in taxes",
        "Also read: Five things to know",
        "READ MORE",
        "Follow us on Twitter",
        "Follow Jane Roe on Twitter @janeroe",
        "Share this article",
        "Share on Facebook",
        "Facebook Twitter Pinterest Email",
        "Photo: John Smith/Reuters",
        "Photograph: Jane Roe for the Guardian",
        "(Getty Images)",
        "AFP/Getty Images",
        "Image copyright Getty Images",
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "We use cookies to improve your experience on our site",
        "© 2014 Example Media. All rights reserved.",
        "Home | Video | World | U.S. | Africa | Asia",
        "Terms of Use Privacy Policy",
        "November 28, 2013 -- Updated 0203 GMT (1003 HKT)",
        "08.04.2015 12:46",
        "Topics: uber, libertarians, sharing economy",
        "Filed under: Politics, Europe",
        "(Image credits: Henry Chen; Carrie McBride; Ashley Anderson)",
        "Image credits: Kaycee - The Big Reveal",
        "Permalink",
        "Loading Photo Gallery",
    ],
)
def test_furniture_goes(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "The newsletter, which has two million readers, said the firm would close.",
        "She told subscribers in her newsletter that she was leaving the party.",
        "Reuters reported that the company would sign up 500 new customers.",
        "He said the photo was taken in May by a passer-by.",
        "Advertisement revenue fell by a third last year, the company said.",
        "Read the full statement, the minister told reporters, and judge for yourself.",
        "May 5, 2014 was the worst day.",
        "More drug violence",
        "Obama said he would follow the Senate on the treaty.",
        "Image credits were disputed by the agency, which sued the magazine.",
        "Loading the ferry took most of the night, the captain said.",
    ],
)
def test_reporting_stays(line: str) -> None:
    assert not is_boilerplate(line)


def test_long_paragraph_is_never_boilerplate() -> None:
    paragraph = "Sign up for our newsletter " + "and the story goes on " * 20
    assert not is_boilerplate(paragraph)


def test_strip_inline_credit() -> None:
    caption = "Rescuers carry a body from the sea (AFP/Getty)"
    assert strip_inline_credit(caption) == "Rescuers carry a body from the sea"
    assert strip_inline_credit("He said (in private) no.") == "He said (in private) no."


@pytest.mark.parametrize(
    "line",
    [
        "You Might Also Like",
        "Other Opinion Columns",
        "Trending On Reuters",
        "Today's five most popular stories",
        "Related Articles:",
        "More from Business",
        "Comments",
        "Comentarios (12)",
        "À lire aussi",
    ],
)
def test_trailer_labels(line: str) -> None:
    assert is_trailer_label(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related: Rich are paying more in taxes",
        "941 comments",
        "Comments from readers poured in after the vote, the mayor said.",
        "More drug violence",
        "Tags:",
    ],
)
def test_not_trailer_labels(line: str) -> None:
    assert not is_trailer_label(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Monday, November 25, 2013 at 3:00 PM", True),
        ("24 July 2015", True),
        ("Updated: 4/2/2014", False),
        ("Published on March 3, 2015", False),
        ("May 5, 2014 was the worst day.", False),
    ],
)
def test_is_bare_date(line: str, expected: bool) -> None:
    assert is_bare_date(line) is expected


def test_real_pages_lose_their_furniture_lines(
    newspaper_pages: dict[str, tuple[Article | None, str]],
) -> None:
    """Plural image credits, permalinks and gallery loaders that real pages carry are gone.

    A credit line longer than any furniture (one page lists thirty names) stays: a long
    paragraph is never judged boilerplate.
    """
    short = 40
    furniture = [
        paragraph
        for article, _ in newspaper_pages.values()
        if article
        for paragraph in article.body.split("\n\n")
        if paragraph in {"Permalink", "Loading Photo Gallery"}
        or (paragraph.startswith("(Image credits:") and len(paragraph.split()) <= short)
    ]
    assert furniture == []
