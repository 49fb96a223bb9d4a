"""Sitemaps: news sitemaps and indexes, plain and gzipped, a `since` window, hostile input."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest
from tests.hostile_xml import billion_laughs

from newsdesk.errors import SourceError
from newsdesk.ingest.sitemaps import (
    MAX_SITEMAP_BYTES,
    Sitemap,
    SitemapEntry,
    parse_sitemap,
)

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example/world/2024/03/01/quake</loc>
    <lastmod>2024-03-01T12:30:00+00:00</lastmod>
    <news:news>
      <news:publication><news:name>Example News</news:name><news:language>en</news:language>
      </news:publication>
      <news:publication_date>2024-03-01T09:00:00+01:00</news:publication_date>
      <news:title>Quake &amp; aftershocks hit the coast</news:title>
    </news:news>
    <image:image><image:loc>https://news.example/quake.jpg</image:loc></image:image>
  </url>
  <url>
    <loc> /world/2024/02/20/summit </loc>
    <news:news>
      <news:publication_date>2024-02-20</news:publication_date>
      <news:title>Summit ends</news:title>
    </news:news>
  </url>
  <url><loc>https://news.example/world/2024/01/05/old</loc><lastmod>2024-01-05</lastmod></url>
  <url><loc>https://news.example/about</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><lastmod>2024-03-01</lastmod></url>
</urlset>"""

QUAKE = SitemapEntry(
    url="https://news.example/world/2024/03/01/quake",
    lastmod=datetime(2024, 3, 1, 12, 30, tzinfo=UTC),
    title="Quake & aftershocks hit the coast",
    published=datetime(2024, 3, 1, 8, tzinfo=UTC),
)
SUMMIT = SitemapEntry(
    url="https://news.example/world/2024/02/20/summit",
    lastmod=None,
    title="Summit ends",
    published=datetime(2024, 2, 20, tzinfo=UTC),
)
OLD = SitemapEntry(
    "https://news.example/world/2024/01/05/old", datetime(2024, 1, 5, tzinfo=UTC), None, None
)
ABOUT = SitemapEntry("https://news.example/about", None, None, None)

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-news.xml</loc>
    <lastmod>2024-03-01</lastmod></sitemap>
  <sitemap><loc>sitemap-2024-02.xml.gz</loc></sitemap>
  <sitemap><loc>https://news.example/sitemap-news.xml</loc></sitemap>
  <sitemap><loc>file:///etc/passwd</loc></sitemap>
</sitemapindex>"""

CHILDREN = (
    "https://news.example/sitemap-news.xml",
    "https://news.example/sitemaps/sitemap-2024-02.xml.gz",
)


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_a_news_sitemap(compress: bool) -> None:
    content = gzip.compress(NEWS_SITEMAP) if compress else NEWS_SITEMAP
    sitemap = parse_sitemap(content, "https://news.example/sitemap-news.xml")
    assert sitemap == Sitemap(entries=(QUAKE, SUMMIT, OLD, ABOUT), children=())


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_a_sitemap_index_names_its_children(compress: bool) -> None:
    content = gzip.compress(INDEX) if compress else INDEX
    sitemap = parse_sitemap(content, "https://news.example/sitemaps/index.xml")
    assert sitemap == Sitemap(entries=(), children=CHILDREN)


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (datetime(2024, 2, 1, tzinfo=UTC), (QUAKE, SUMMIT, ABOUT)),
        (datetime(2024, 3, 1, 8, 0, 1, tzinfo=UTC), (ABOUT,)),  # published wins over lastmod
        (datetime(2024, 2, 20), (QUAKE, SUMMIT, ABOUT)),  # naive: taken as UTC
    ],
)
def test_the_since_window_drops_older_entries(
    since: datetime, expected: tuple[SitemapEntry, ...]
) -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP, "https://news.example/s.xml", since=since)
    assert sitemap.entries == expected


def test_max_entries_keeps_the_newest() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP, "https://news.example/s.xml", max_entries=2)
    assert sitemap.entries == (QUAKE, SUMMIT)


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (MAX_SITEMAP_BYTES + 1_000) + b"</urlset>")
    assert len(bomb) < 100_000
    with pytest.raises(SourceError, match="inflates to more than 50 MB"):
        parse_sitemap(bomb, "https://bomb.example/sitemap.xml.gz")


BILLION_LAUGHS = billion_laughs(
    "urlset", "<urlset><url><loc>https://x.example/&lol9;</loc></url></urlset>"
)

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>https://x.example/&x;</loc></url></urlset>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "declares XML entities"),
        (EXTERNAL, "declares XML entities"),
        (gzip.compress(EXTERNAL), "declares XML entities"),
        (b"<urlset><url><loc>https://x.example/</url></urlset>", "is not valid XML: mismatched"),
        (b"\x1f\x8b\x08\x00garbage", "is not valid gzip"),
        (b'<rss version="2.0"><channel/></rss>', r"not a sitemap \(its root element is <rss>"),
    ],
    ids=["billion-laughs", "external-entity", "gzipped-entity", "malformed", "bad-gzip", "rss"],
)
def test_bad_sitemaps_are_refused(content: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message) as caught:
        parse_sitemap(content, "https://x.example/sitemap.xml")
    assert "sitemap https://x.example/sitemap.xml" in str(caught.value)
