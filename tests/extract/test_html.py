"""HTML extraction on small pages written for one field each, and on a real page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml.html import HtmlElement

import newsdesk.extract
from newsdesk.errors import SourceError
from newsdesk.extract import extract_html
from newsdesk.extract.html import load_html

_PARAGRAPH = (
    "<p>Government forces and rebels clashed again on Tuesday in the north of the country, "
    "officials said, as talks on a ceasefire stalled for a third week in a row.</p>"
)


def _page(head: str, body: str) -> str:
    return f"<html lang='en-GB'><head>{head}</head><body><article>{body}</article></body></html>"


WIRE_PAGE = _page(
    "<title>Rebels clash with army | Example News</title>"
    "<meta property='og:site_name' content='Example News'>"
    "<meta name='description' content='Fighting resumed as talks stalled.'>"
    "<meta name='author' content='By Jane Roe and John Doe, Reuters'>"
    "<meta property='article:published_time' content='2024-03-05T10:00:00'>"
    "<link rel='canonical' href='https://example.org/world/rebels'>",
    "<h1>Rebels clash with army</h1>"
    "<p>NAIROBI, March 5 (Reuters) - Fighting resumed at dawn near the border town, "
    "witnesses said, after a week of relative calm in the region.</p>"
    + _PARAGRAPH * 2
    + "<h2>Talks stalled</h2>"
    + _PARAGRAPH * 2
    + "<p>Sign up for our newsletter</p><p>Advertisement</p>",
)


def test_wire_page_fields() -> None:
    article = extract_html(WIRE_PAGE, url="https://example.org/amp/rebels")
    assert article.title == "Rebels clash with army"
    assert article.standfirst == "Fighting resumed as talks stalled."
    assert article.authors == ["Jane Roe", "John Doe"]
    assert article.agency == "Reuters"
    assert article.dateline == "Nairobi"
    assert article.published == datetime(2024, 3, 5, 10, tzinfo=UTC)
    assert article.outlet == "Example News"
    assert article.language == "en"
    assert article.url == "https://example.org/world/rebels"
    assert article.subheads == ["Talks stalled"]
    assert article.body.startswith("Fighting resumed at dawn")
    for furniture in ("Talks stalled", "newsletter", "Advertisement", "(Reuters)"):
        assert furniture not in article.body


def test_outlet_and_url_fall_back_to_the_given_url() -> None:
    article = extract_html(_page("<title>Plain</title>", _PARAGRAPH * 4), "https://www.ex.net/a")
    assert article.outlet == "ex.net"
    assert article.url == "https://www.ex.net/a"
    assert article.published is None


def test_og_url_is_used_without_canonical() -> None:
    head = "<meta property='og:url' content='https://ex.org/story'>"
    assert extract_html(_page(head, _PARAGRAPH * 4)).url == "https://ex.org/story"


@pytest.mark.parametrize("html", ["", "<html><body><nav><a href='/'>Home</a></nav></body></html>"])
def test_page_without_article_raises(html: str) -> None:
    with pytest.raises(SourceError):
        extract_html(html)


def test_real_page_bbc(shared_data: Path) -> None:
    html = (shared_data / "html" / "readability" / "bbc-1" / "source.html").read_text()
    article = extract_html(html)
    assert article.title == "Obama admits US gun laws are his 'biggest frustration'"
    assert article.outlet == "BBC News"
    assert article.url == "http://www.bbc.com/news/world-us-canada-33646704"
    assert "Analysis: Jon Sopel, BBC News, Washington" in article.subheads
    assert "President Barack Obama has admitted" in article.body.split("\n\n")[1]
    assert "941 comments" not in article.body
    assert article.authors == ["BBC News"]


def test_section_front_is_refused(shared_data: Path) -> None:
    html = (shared_data / "html" / "readability" / "nytimes-5" / "source.html").read_text()
    with pytest.raises(SourceError, match="section front"):
        extract_html(html)


def _linked(*types: str) -> str:
    objects = ",".join(f'{{"@context": "https://schema.org", "@type": "{t}"}}' for t in types)
    return f'<script type="application/ld+json">[{objects}]</script>'


@pytest.mark.parametrize(
    "listing", ["CollectionPage", "SearchResultsPage", "https://schema.org/CollectionPage"]
)
def test_a_page_that_declares_itself_a_listing_is_refused(listing: str) -> None:
    with pytest.raises(SourceError, match="lists other articles"):
        extract_html(_page(_linked("WebSite", listing), _PARAGRAPH * 4))


@pytest.mark.parametrize("article", ["NewsArticle", "LiveBlogPosting"])
def test_an_article_type_outweighs_a_listing_type(article: str) -> None:
    page = _page(_linked("CollectionPage", article), _story(4))
    assert "Government forces" in extract_html(page).body


def test_recall_that_finds_little_is_rescued(shared_data: Path) -> None:
    # Recall mode alone finds 295 characters of this travel story; its paragraphs hold more.
    html = (shared_data / "html" / "newspaper" / "html" / "cntraveler.com2.html").read_text()
    assert len(extract_html(html).body) > 1000


def _story(paragraphs: int) -> str:
    """Distinct paragraphs (trafilatura drops repeated ones), numbered in their first word."""
    return "".join(_PARAGRAPH.replace("Government", f"{n}. Government") for n in range(paragraphs))


def test_related_stories_after_the_story_are_cut() -> None:
    teaser = "<p>A teaser for another story that has nothing to do with this one at all.</p>"
    page = _page("<title>Plain</title>", _story(3) + "<h3>You Might Also Like</h3>" + teaser)
    body = extract_html(page).body
    assert body.count("Government forces") == 3
    assert "teaser" not in body


def test_comments_link_above_the_story_cuts_nothing() -> None:
    page = _page("<title>Plain</title>", "<p>Comments</p>" + _story(3))
    assert extract_html(page).body.count("Government forces") == 3


def test_a_list_of_dates_is_content_but_the_page_date_is_not() -> None:
    dates = "<p>Monday, November 25, 2013 at 3:00 PM</p><p>Tuesday, April 22, 2014 at 1:00 PM</p>"
    page = _page("<title>Plain</title>", "<p>March 3, 2015</p>" + _story(3) + dates)
    body = extract_html(page).body
    assert "November 25, 2013" in body and "April 22, 2014" in body
    assert "March 3, 2015" not in body


@pytest.mark.parametrize(
    ("author", "expected"), [("Example News", ["Example News"]), ("Jane Roe", ["Jane Roe"])]
)
def test_outlet_is_the_author_only_when_no_person_is(author: str, expected: list[str]) -> None:
    site = "<meta property='og:site_name' content='Example News'>"
    head = f"{site}<meta name='author' content='{author}'>"
    assert extract_html(_page(head, _PARAGRAPH * 4)).authors == expected


def test_exports_match_all() -> None:
    public = {name for name in dir(newsdesk.extract) if not name.startswith("_")}
    modules = {"body", "boilerplate", "html", "layout", "meta", "news", "text"}
    assert public - modules == set(newsdesk.extract.__all__)


def test_the_parser_hands_out_plain_elements() -> None:
    # Extraction speed: no per-element class lookup (see the parser set-up in html.py).
    tree = load_html("<html><body><form><input name='q'><select></select></form></body></html>")
    assert tree is not None
    assert {type(element) for element in tree.iter()} == {HtmlElement}
