"""Plain-text extraction on the reference article and on small texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.errors import SourceError
from newsdesk.extract import extract_text


def test_reference_article(reference_article: Path) -> None:
    article = extract_text(reference_article.read_text(encoding="utf-8"))
    assert article.title == "Obama backs crackdown on drug cartels"
    assert article.standfirst is not None
    assert article.standfirst.startswith("US President Barack Obama on Thursday backed Mexico")
    assert article.agency == "Reuters"
    assert article.dateline is None
    assert article.body.startswith("In his first trip to Latin America")
    assert article.body.endswith('"insatiable demand" for drugs.')
    assert article.subheads == ["More drug violence"]
    assert "More drug violence" not in article.body
    assert "Daily newsletter" not in article.body
    assert "every morning" not in article.body
    assert "REUTERS" not in article.body
    assert "  " not in article.body
    assert article.language == "en"


def test_datelined_text_with_byline_and_furniture() -> None:
    text = (
        "Quake hits coastal town\n\n"
        "By Jane Roe and John Doe\n\n"
        "LIMA, May 2 (AP) — A strong earthquake shook the coast on Tuesday.\n"
        "Rescue work\n"
        "Crews searched the rubble through the night.\n\n"
        "Follow us on Twitter\n"
        "Sign up for our newsletter"
    )
    article = extract_text(text, url="https://www.example.org/quake")
    assert article.authors == ["Jane Roe", "John Doe"]
    assert (article.dateline, article.agency) == ("Lima", "AP")
    assert article.standfirst is None
    assert article.subheads == ["Rescue work"]
    assert article.body == (
        "A strong earthquake shook the coast on Tuesday.\n\n"
        "Crews searched the rubble through the night."
    )
    assert article.outlet == "example.org"


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "Headline here\n\n"
        "The first paragraph was wrapped by an old mail program at a\n"
        "fixed width so that every line is shorter than the page and\n"
        "the sentence runs on over three lines.\n\n"
        "A second paragraph follows on its own line."
    )
    article = extract_text(text)
    assert article.body.split("\n\n")[0].endswith("over three lines.")
    assert len(article.body.split("\n\n")) == 2


@pytest.mark.parametrize("text", ["", "Only a headline", "Headline\n\nSign up for our newsletter"])
def test_no_article_raises(text: str) -> None:
    with pytest.raises(SourceError, match="no article text found"):
        extract_text(text)


def test_a_separate_headline_leaves_all_the_text_as_body() -> None:
    text = "A 6.1 magnitude earthquake struck Aceh on Tuesday.\n\nDozens were hurt."
    article = extract_text(text, title="Earthquake strikes Indonesia")
    assert article.title == "Earthquake strikes Indonesia"
    assert article.body.startswith("A 6.1 magnitude earthquake struck Aceh")
    assert article.body.endswith("Dozens were hurt.")


def test_a_headline_with_no_text_is_a_flash() -> None:
    flash = "French police say armed robbers cleaned out a jewelry store in Paris."
    article = extract_text("", title=flash)
    assert article.title == article.body == flash
