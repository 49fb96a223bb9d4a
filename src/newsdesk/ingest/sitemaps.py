"""Sitemaps → article URLs: `urlset` and `sitemapindex`, with Google News' `news:` fields.

A news site lists its recent articles in a news sitemap (sitemaps.org protocol plus the
`news:` namespace, which adds each article's title and publication date). Only what is
new matters, so entries older than `since` are dropped here, by publication date when the
sitemap gives one and by `lastmod` otherwise; an undated entry is kept. A sitemap index
only names other sitemaps: the caller fetches those children in turn.

Sitemaps come from strangers: gzip is decompressed up to the protocol's 50 MB limit and no
further (a decompression bomb stops there), hostile XML is refused (see `xmlsafety`), and
only http(s) URLs are kept.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

from newsdesk.errors import SourceError
from newsdesk.ingest.feeds import keep_newest, parse_feed_date
from newsdesk.ingest.xmlsafety import local_name, parse_xml

MAX_SITEMAP_BYTES = 50_000_000
"""The sitemaps.org limit on an uncompressed sitemap; a gzip that inflates past it is refused."""

_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapEntry:
    """One page a sitemap lists; `title` and `published` come from its `news:news` block."""

    url: str
    lastmod: datetime | None
    title: str | None
    published: datetime | None


@dataclass(frozen=True)
class Sitemap:
    """A sitemap's pages (`urlset`), or the sitemaps a sitemap index names (`children`)."""

    entries: tuple[SitemapEntry, ...]
    children: tuple[str, ...]


def parse_sitemap(
    content: bytes,
    url: str,
    *,
    since: datetime | None = None,
    max_entries: int = 50_000,
) -> Sitemap:
    """Parse a sitemap or sitemap index, plain or gzipped.

    Args:
        content: the sitemap as fetched (gzip is recognised by its magic bytes).
        url: where it came from: relative locations resolve against it, messages name it.
        since: drop entries published (or, lacking that, modified) before this moment;
            a naive datetime is taken as UTC.
        max_entries: keep at most this many entries, the newest ones.

    Returns:
        The entries of a `urlset`, or the child sitemaps of a `sitemapindex`.

    Raises:
        SourceError: the document is not valid XML, not a sitemap, declares XML entities,
            or inflates past `MAX_SITEMAP_BYTES`.
    """
    what = f"sitemap {url}"
    if content.startswith(_GZIP_MAGIC):
        content = _gunzip(content, what)
    root = parse_xml(content, what)
    kind = local_name(root.tag)
    if kind == "sitemapindex":
        return Sitemap(entries=(), children=tuple(_locations(root, "sitemap", url)))
    if kind != "urlset":
        raise SourceError(
            f"{what} is not a sitemap (its root element is <{kind}>, not <urlset> or "
            "<sitemapindex>); check the URL"
        )
    cutoff = _aware(since)
    entries = [
        entry
        for element in root
        if local_name(element.tag) == "url" and (entry := _entry(element, url)) is not None
        if _is_recent(entry, cutoff)
    ]
    return Sitemap(entries=tuple(keep_newest(entries, max_entries, _date)), children=())


def _gunzip(content: bytes, what: str) -> bytes:
    """Inflate a gzip body, refusing one that inflates past the protocol's limit."""
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        inflated = inflater.decompress(content, MAX_SITEMAP_BYTES)
    except zlib.error as error:
        raise SourceError(f"{what} is not valid gzip: {error}") from None
    if inflater.unconsumed_tail:
        raise SourceError(
            f"{what} inflates to more than {MAX_SITEMAP_BYTES // 1_000_000} MB, the sitemap "
            "limit; refused (a decompression bomb, or a sitemap that should be split)"
        )
    if not inflater.eof:
        raise SourceError(f"{what} is not valid gzip: the stream ends early; fetch it again")
    return inflated


def _locations(root: Element, child: str, base: str) -> list[str]:
    """The http(s) `<loc>` of each `<child>` element, absolute, without duplicates."""
    found = (_location(element, base) for element in root if local_name(element.tag) == child)
    return list(dict.fromkeys(loc for loc in found if loc))


def _location(element: Element, base: str) -> str | None:
    loc = _child_text(element, "loc")
    absolute = urljoin(base, loc) if loc else None
    return absolute if absolute and urlsplit(absolute).scheme in {"http", "https"} else None


def _entry(element: Element, base: str) -> SitemapEntry | None:
    """One `<url>` element as an entry; None when it has no http(s) location."""
    loc = _location(element, base)
    if loc is None:
        return None
    news = next((child for child in element if local_name(child.tag) == "news"), None)
    return SitemapEntry(
        url=loc,
        lastmod=parse_feed_date(_child_text(element, "lastmod")),
        title=_child_text(news, "title") if news is not None else None,
        published=(
            parse_feed_date(_child_text(news, "publication_date")) if news is not None else None
        ),
    )


def _child_text(element: Element, name: str) -> str | None:
    """The stripped text of the first child called `name` (any namespace), if any."""
    for child in element:
        if local_name(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _date(entry: SitemapEntry) -> datetime | None:
    return entry.published or entry.lastmod


def _is_recent(entry: SitemapEntry, cutoff: datetime | None) -> bool:
    """Kept by the `since` window: undated entries are kept, they may be new."""
    when = _date(entry)
    return cutoff is None or when is None or when >= cutoff


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def looks_like_sitemap(content: bytes) -> bool:
    """A cheap sniff: does the start of the content open a urlset or a sitemap index?"""
    head = content[:2048]
    return b"<urlset" in head or b"<sitemapindex" in head
