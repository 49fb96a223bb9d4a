"""OPML: nested folders read, written back grouped by category, hostile files refused."""

from __future__ import annotations

import pytest
from tests.hostile_xml import billion_laughs

from newsdesk.errors import SourceError
from newsdesk.ingest.opml import OpmlOutline, parse_opml, write_opml

READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="World" title="World">
      <outline type="rss" text="BBC News - World" title="BBC News - World"
               xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"
               htmlUrl="https://www.bbc.co.uk/news/world" language="en-gb"/>
      <outline text="Africa">
        <outline type="rss" text="AllAfrica" xmlUrl="https://allafrica.com/tools/headlines/rdf/latest/headlines.rdf"/>
      </outline>
    </outline>
    <outline text="Al Jazeera" xmlUrl="https://www.aljazeera.com/xml/rss/all.xml"/>
    <outline text="Tagged" xmlUrl="https://tagged.example/rss" category="/Europe/Daily,/Other"/>
    <outline text="Not a feed" htmlUrl="https://example.org/"/>
    <outline text="BBC again" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
  </body>
</opml>"""


def test_nested_outlines_with_their_folders() -> None:
    assert parse_opml(READER_EXPORT, "feeds.opml") == [
        OpmlOutline(
            url="https://feeds.bbci.co.uk/news/world/rss.xml",
            title="BBC News - World",
            category="World",
            language="en-gb",
        ),
        OpmlOutline(
            url="https://allafrica.com/tools/headlines/rdf/latest/headlines.rdf",
            title="AllAfrica",
            category="Africa",  # the nearest folder
            language=None,
        ),
        OpmlOutline("https://www.aljazeera.com/xml/rss/all.xml", "Al Jazeera", None, None),
        OpmlOutline("https://tagged.example/rss", "Tagged", "Daily", None),
    ]


SOURCES = [
    OpmlOutline("https://a.example/rss", "A & B <News>", "World", "en"),
    OpmlOutline("https://b.example/feed?x=1&y=2", 'Quote "this"', "World", None),
    OpmlOutline("https://c.example/atom.xml", None, "Europe / Balkans", "sr"),
    OpmlOutline("https://d.example/rss", "No folder\nat all", None, None),
]


def test_round_trip_gives_the_same_outlines() -> None:
    written = write_opml(SOURCES, title="Desk & friends")
    assert written.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<title>Desk &amp; friends</title>" in written
    assert parse_opml(written.encode("utf-8"), "written.opml") == SOURCES


def test_writing_groups_feeds_by_category() -> None:
    mixed = [SOURCES[0], SOURCES[2], SOURCES[3], SOURCES[1]]
    written = write_opml(mixed)
    assert written.count('text="World"') == 1
    assert parse_opml(written.encode(), "w.opml") == [
        SOURCES[0],
        SOURCES[1],  # filed beside the other World feed
        SOURCES[2],
        SOURCES[3],
    ]
    assert parse_opml(write_opml([]).encode(), "empty.opml") == []


BILLION_LAUGHS = billion_laughs(
    "opml",
    '<opml version="2.0"><head><title>&lol9;</title></head>'
    '<body><outline text="&lol9;" xmlUrl="https://x.example/rss"/></body></opml>',
)

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://x.example/rss"/></body></opml>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "declares XML entities"),
        (EXTERNAL, "declares XML entities"),
        (b'<opml><body><outline text="a"></body></opml>', "is not valid XML: mismatched tag"),
        (b"", "is not valid XML"),
        (b"<rss/>", r"is not OPML \(its root element is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "has no <body>"),
    ],
    ids=["billion-laughs", "external-entity", "malformed", "empty", "rss", "no-body"],
)
def test_bad_opml_is_refused(content: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message) as caught:
        parse_opml(content, "subscriptions.opml")
    assert "OPML file subscriptions.opml" in str(caught.value)
    assert "lollol" not in str(caught.value) and "root:" not in str(caught.value)
