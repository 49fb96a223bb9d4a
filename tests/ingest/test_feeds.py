"""Feeds: the real feeds of ../shared/data/feeds parse, hostile and broken ones are refused."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.hostile_xml import billion_laughs

from newsdesk.errors import SourceError
from newsdesk.ingest.feeds import (
    FeedEntry,
    discover_feeds,
    has_full_text,
    looks_like_feed,
    parse_feed,
    parse_feed_date,
)

FEEDS = Path("feeds")

# file, entries, feed title, first entry's (title, guid, published, categories), full texts
REAL_FEEDS = [
    (
        "guardian.rss",
        55,
        "The Guardian",
        (
            "Trump State of the Union address promised unity but emphasized discord",
            "https://www.theguardian.com/us-news/2018/jan/31/"
            "donald-trump-state-of-the-union-address-unity-discord",
            datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC),
            ("Donald Trump", "State of the Union address", "US news", "US politics"),
        ),
        0,
    ),
    (
        "heise.atom",
        15,
        "heise developer neueste Meldungen",
        (
            "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
            "http://heise.de/-3088438",
            datetime(2016, 2, 1, 16, 22, tzinfo=UTC),
            (),
        ),
        0,
    ),
    (
        "feedburner.atom",
        25,
        "Google Ads Developer Blog",
        (
            "AdWords and DFP Java client library will soon require Java 7+",
            "tag:blogger.com,1999:blog-7815614485808579332.post-8394866751819460570",
            datetime(2016, 6, 3, 14, 38, tzinfo=UTC),
            ("adwords_api", "client_libraries", "dfp_api"),
        ),
        13,
    ),
    (
        "uolNoticias.rss",
        15,
        "UOL Noticias",
        (
            "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
            None,  # no <guid> in this feed
            datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC),  # "Seg, 24 Set 2018 19:42:40 -0300"
            (),
        ),
        0,
    ),
    (
        "reddit.rss",
        24,
        "reddit: the front page of the internet",
        (
            "The water is too deep, so he improvises",
            "https://www.reddit.com/r/funny/comments/3skxqc/the_water_is_too_deep_so_he_improvises/",
            datetime(2015, 11, 12, 21, 16, 39, tzinfo=UTC),
            ("funny",),
        ),
        0,
    ),
    (
        "content-encoded.rss",
        7,
        "Food in Invironment on Medium",
        (
            "THE CREATIVE FORAGER",
            "https://medium.com/p/125af37d838f",
            datetime(2018, 4, 9, 18, 55, 38, tzinfo=UTC),
            ("plants", "environment", "nature", "foraging", "food"),
        ),
        4,
    ),
    (
        "npr.json",
        25,
        "Technology",
        (
            "Keller Rinaudo: How can delivery drones save lives?",
            "1050315385",
            datetime(2021, 10, 29, 14, 26, tzinfo=UTC),
            (),
        ),
        0,
    ),
]


@pytest.mark.parametrize(
    ("name", "count", "feed_title", "first", "full_texts"),
    REAL_FEEDS,
    ids=[case[0] for case in REAL_FEEDS],
)
def test_real_feeds_parse(
    shared_data: Path,
    name: str,
    count: int,
    feed_title: str,
    first: tuple[str, str | None, datetime, tuple[str, ...]],
    full_texts: int,
) -> None:
    content = (shared_data / FEEDS / name).read_bytes()
    assert looks_like_feed(content)
    feed = parse_feed(content, f"https://feeds.example/{name}")
    assert (feed.title, len(feed.entries), feed.truncated_from) == (feed_title, count, None)
    entry = feed.entries[0]
    title, guid, published, categories = first
    assert (entry.title, entry.guid, entry.published) == (title, guid, published)
    assert entry.categories[: len(categories)] == categories
    assert all(e.url and e.url.startswith("http") for e in feed.entries)
    assert all(e.title for e in feed.entries)
    assert all(e.published and e.published.utcoffset() == timedelta(0) for e in feed.entries)
    assert sum(map(has_full_text, feed.entries)) == full_texts


def test_full_text_from_content_encoded_and_summaries_are_not_articles(
    shared_data: Path,
) -> None:
    medium = parse_feed((shared_data / FEEDS / "content-encoded.rss").read_bytes(), "https://m/")
    forager = medium.entries[0]
    assert forager.content_html and "<p>" in forager.content_html
    assert forager.summary is None  # the feed has only content:encoded: no summary of its own
    assert has_full_text(forager)
    locked = medium.entries[1]  # Medium's teaser of a locked story: ~150 words, not the article
    assert "will be unlocked" in (locked.content_html or "") and not has_full_text(locked)
    guardian = parse_feed((shared_data / FEEDS / "guardian.rss").read_bytes(), "https://g/")
    summary = guardian.entries[0].summary or ""
    assert summary.startswith("The president’s ‘new American moment’ speech stirred")
    assert "<" not in summary  # the HTML of the description is flattened to text
    assert not has_full_text(guardian.entries[0])
    heise = parse_feed((shared_data / FEEDS / "heise.atom").read_bytes(), "https://h/")
    assert heise.entries[0].content_html and heise.entries[0].summary  # both, both short
    assert not any(map(has_full_text, heise.entries))


def test_full_text_needs_enough_words_and_more_than_the_summary() -> None:
    long_html = "<p>" + "word " * 250 + "</p>"
    entry = FeedEntry(None, None, None, None, (), None, long_html)
    assert has_full_text(entry)
    assert not has_full_text(FeedEntry(None, None, None, None, (), None, "<p>short</p>"))
    same_as_summary = FeedEntry(None, None, None, None, (), "word " * 300, long_html)
    assert not has_full_text(same_as_summary)


def _json_feed(items: list[dict[str, object]], version: str = "1.1") -> bytes:
    return json.dumps(
        {"version": f"https://jsonfeed.org/version/{version}", "title": "T", "items": items}
    ).encode()


def test_json_feed_fields_and_relative_urls() -> None:
    feed = parse_feed(
        _json_feed(
            [
                {
                    "id": 7,
                    "url": "/a/7",
                    "title": " Seven ",
                    "date_modified": "2024-05-01T10:00:00+02:00",
                    "tags": ["World", "World", ""],
                    "content_text": "First paragraph.\n\nSecond <one>.",
                    "summary": "<b>Short</b>",
                },
                {"id": "x", "external_url": "https://elsewhere.example/x", "content_html": "<p/>"},
            ],
            version="1",
        ),
        "https://site.example/feed.json",
    )
    seven, other = feed.entries
    assert seven == FeedEntry(
        guid="7",
        url="https://site.example/a/7",
        title="Seven",
        published=datetime(2024, 5, 1, 8, tzinfo=UTC),
        categories=("World",),
        summary="Short",
        content_html="<p>First paragraph.</p><p>Second &lt;one&gt;.</p>",
    )
    assert other.url == "https://elsewhere.example/x" and other.published is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"version": "1.0", "items": []}', "is JSON but not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', 'without an "items" list'),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "not valid XML/JSON"),
        (b'<rss version="2.0"><channel><item><title>cut off</ti', "not valid XML/JSON"),
        (b"<rss><channel><title>a</title></rss>", "not valid XML/JSON"),
        (b"plain text, no markup", "not valid XML/JSON"),
        (b"<html><body><p>A page</p></body></html>", "is not an RSS, Atom or JSON feed"),
    ],
    ids=["json-other", "json-no-items", "json-cut", "xml-cut", "xml-mismatch", "text", "html"],
)
def test_malformed_and_non_feeds_are_refused(content: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message) as caught:
        parse_feed(content, "https://bad.example/feed")
    assert "https://bad.example/feed" in str(caught.value)


def test_a_bare_ampersand_and_html_entities_are_repaired() -> None:
    content = (
        b'<rss version="2.0"><channel><title>AT&T &amp; Co&nbsp;News</title><item>'
        b"<title>Caf&eacute; &copy; &unknown; &#233;</title><link>https://a.example/1</link>"
        b"</item></channel></rss>"
    )
    feed = parse_feed(content, "https://a.example/rss")
    assert feed.title == "AT&T & Co\xa0News"
    assert feed.entries[0].title == "Café © &unknown; é"


BILLION_LAUGHS = billion_laughs(
    "rss",
    '<rss version="2.0"><channel><title>&lol9;</title>'
    "<item><title>&lol9;</title><link>https://a.example/1</link></item></channel></rss>",
)

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title>
<item><title>&secret;</title><link>https://a.example/1</link></item></channel></rss>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>"""

BROKEN_PROLOG = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!BOGUS> <!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title></channel></rss>"""


@pytest.mark.parametrize(
    "content",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, BROKEN_PROLOG],
    ids=["billion-laughs", "external-entity", "parameter-entity", "broken-prolog"],
)
def test_hostile_xml_is_refused_before_expansion(content: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(SourceError, match="declares XML entities") as caught:
        parse_feed(content, "https://evil.example/rss")
    assert time.perf_counter() - started < 1
    message = str(caught.value)
    assert "https://evil.example/rss" in message and "billion laughs" in message
    assert "root:" not in message and "lollol" not in message  # nothing was expanded


def test_a_netscape_doctype_without_entities_is_fine() -> None:
    content = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS '
        b'0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b'<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link>'
        b"<item><title>One</title><link>https://old.example/1</link></item></channel></rss>"
    )
    feed = parse_feed(content, "https://old.example/rss")
    assert [entry.url for entry in feed.entries] == ["https://old.example/1"]


def _big_feed(count: int) -> bytes:
    """An RSS feed of `count` items, item i published i minutes after the epoch of the test."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    items = b"".join(
        b"<item><title>Item %d</title><link>https://big.example/%d</link>"
        b'<guid isPermaLink="false">%d</guid>'
        b"<pubDate>%s</pubDate></item>"
        % (i, i, i, (start + timedelta(minutes=i)).strftime("%a, %d %b %Y %H:%M:%S GMT").encode())
        for i in range(count)
    )
    return (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>%s</channel></rss>'
        % (items)
    )


def test_a_feed_of_100000_items_keeps_the_newest_500() -> None:
    feed = parse_feed(_big_feed(100_000), "https://big.example/rss")
    assert feed.truncated_from == 100_000
    assert len(feed.entries) == 500
    assert [e.guid for e in feed.entries] == [str(i) for i in range(99_500, 100_000)]


def test_the_cap_keeps_the_newest_in_feed_order_and_undated_last() -> None:
    items = [
        {"id": "old", "date_published": "2020-01-01T00:00:00Z"},
        {"id": "undated"},
        {"id": "new", "date_published": "2024-01-01T00:00:00Z"},
        {"id": "mid", "date_published": "2022-01-01T00:00:00Z"},
    ]
    feed = parse_feed(_json_feed(items), "https://j.example/feed.json", max_items=2)
    assert [e.guid for e in feed.entries] == ["new", "mid"]
    assert feed.truncated_from == 4
    small = parse_feed(_big_feed(30), "https://big.example/rss", max_items=10)
    assert (small.truncated_from, [e.guid for e in small.entries][:2]) == (30, ["20", "21"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seg, 24 Set 2018 19:42:40 -0300", datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)),
        ("mar., 05 févr. 2019 10:00:00 +0100", datetime(2019, 2, 5, 9, tzinfo=UTC)),
        ("Di, 12 Mär 2019 08:00:00 GMT", datetime(2019, 3, 12, 8, tzinfo=UTC)),
        ("Sat, 03 Mar 2018 05:00:00 GMT", datetime(2018, 3, 3, 5, tzinfo=UTC)),
        ("2021-10-29T10:26:00-04:00", datetime(2021, 10, 29, 14, 26, tzinfo=UTC)),
        ("2024-02-29", datetime(2024, 2, 29, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_feed_dates(text: str, expected: datetime | None) -> None:
    assert parse_feed_date(text) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- <html> --><rss version="2.0">', True),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', True),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">', True),
        (b'  {"version": "https:\\/\\/jsonfeed.org\\/version\\/1", "items": []}', True),
        ('<?xml version="1.0" encoding="utf-16"?><rss>'.encode("utf-16"), True),
        (b"<!DOCTYPE html><html><head><link type='application/rss+xml'></head>", False),
        (b'{"version": "2.0"}', False),
        (b"", False),
    ],
)
def test_looks_like_feed(content: bytes, expected: bool) -> None:
    assert looks_like_feed(content) is expected


USUAL = [
    "/feed",
    "/rss",
    "/rss.xml",
    "/atom.xml",
    "/feed.xml",
    "/index.xml",
    "/feeds/posts/default",
]


@pytest.mark.parametrize(
    ("page", "base", "declared"),
    [
        (
            "html/readability/seattletimes-1/source.html",
            "https://www.seattletimes.com/business/amazon/some-story/",
            [
                "https://www.seattletimes.com/feed/",
                # comment feeds last
                "https://www.seattletimes.com/comments/feed/",
                "https://www.seattletimes.com/business/amazon/alaskan-halibut-caught-by-a-century"
                "-old-seattle-boat-provides-a-glimpse-of-amazons-strategy-with-whole-foods/feed/",
            ],
        ),
        (
            "html/readability/heise/source.html",
            "https://www.heise.de/mac-and-i/meldung/x.html",
            [
                "http://www.heise.de/mac-and-i/news-atom.xml",
                "http://www.heise.de/mac-and-i/news.rdf",
            ],
        ),
        (
            "html/readability/engadget/source.html",
            "https://www.engadget.com/2018/01/01/story/",
            ["https://www.engadget.com/rss.xml"],  # protocol-relative
        ),
        (
            "html/readability/buzzfeed-1/source.html",
            "https://www.buzzfeed.com/markdistefano/story",
            ["https://www.buzzfeed.com/markdistefano.xml", "https://www.buzzfeed.com/tag/.xml"],
        ),
        (
            "html/newspaper/html/thai_article.html",  # declares its feed twice
            "https://prachatai.com/journal/2019/01/80642",
            ["https://feeds2.feedburner.com/prachatai"],
        ),
    ],
)
def test_discovery_on_real_pages(
    shared_data: Path, page: str, base: str, declared: list[str]
) -> None:
    html = (shared_data / page).read_text(encoding="utf-8", errors="replace")
    candidates = discover_feeds(html, base)
    assert candidates[: len(declared)] == declared
    origin = "/".join(base.split("/")[:3])
    usual = [origin + path for path in USUAL]
    assert candidates[len(declared) :] == [url for url in usual if url not in declared]


def test_discovery_on_a_small_page() -> None:
    page = """<html><head><base href="https://cdn.example/site/">
      <link rel="stylesheet" href="style.css">
      <link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">
      <link rel="Alternate Home" type="application/atom+xml; charset=utf-8" href="atom">
      <link rel="alternate" type="application/feed+json" href="https://news.example/feed.json">
      <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
      <link rel="alternate" type="application/rss+xml" href="">
    </head><body></body></html>"""
    assert discover_feeds(page, "https://news.example/world/story") == [
        "https://cdn.example/site/atom",
        "https://news.example/feed.json",
        "https://cdn.example/wp-json/wp/v2/posts/1",
        *("https://news.example" + path for path in USUAL),
    ]
    assert discover_feeds("", "https://news.example/a/b") == [
        "https://news.example" + path for path in USUAL
    ]
