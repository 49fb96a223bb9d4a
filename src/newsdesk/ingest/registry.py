"""Registering sources: what a URL is (feed, sitemap, site), OPML in and out, the defaults.

`register_source` fetches the URL once to learn what it is: a feed or a news sitemap is
registered as it is; a site's page is searched for its feeds (`<link rel="alternate">`,
then the usual paths) and the first that really is a feed is registered. A URL that is
none of these is refused with a message saying what to do.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from newsdesk.errors import SourceError
from newsdesk.ingest.documents import decode_bytes
from newsdesk.ingest.feeds import discover_feeds, looks_like_feed, parse_feed
from newsdesk.ingest.fetch import Fetcher, FetchError
from newsdesk.ingest.opml import OpmlOutline, parse_opml, write_opml
from newsdesk.ingest.sitemaps import looks_like_sitemap, parse_sitemap
from newsdesk.store import Store
from newsdesk.store.sources import Source, add_source, claim_once, list_sources

DEFAULTS_FILE = "default_sources.toml"


@dataclass(frozen=True)
class SourceDetails:
    """What a user may say about a source when adding it."""

    name: str | None = None
    region: str | None = None
    language: str | None = None
    interval_seconds: int | None = None


def register_source(
    store: Store,
    fetcher: Fetcher,
    url: str,
    details: SourceDetails | None = None,
    *,
    as_page: bool = False,
) -> Source:
    """Add a feed, a news sitemap, or the feed a site's page points to.

    Args:
        store: an open store.
        fetcher: used to look at the URL (and the candidate feeds of a site).
        url: a feed, sitemap, site or page URL.
        details: name, region, language and polling interval to record.
        as_page: register this one page as it is, without looking for feeds.

    Raises:
        SourceError: the URL cannot be fetched, or holds no feed or sitemap.
    """
    details = details or SourceDetails()
    now = datetime.now(UTC)
    fetched = fetcher.fetch(url)
    if as_page:
        return _add(store, fetched.url, "page", details, now)
    if looks_like_feed(fetched.content):
        title = parse_feed(fetched.content, fetched.url).title
        return _add(store, fetched.url, "feed", _named(details, title), now)
    if looks_like_sitemap(fetched.content):
        parse_sitemap(fetched.content, fetched.url)  # refuses a broken one now, not later
        return _add(store, fetched.url, "sitemap", details, now)
    feed_url, title = _discover(fetcher, decode_bytes(fetched.content), fetched.url)
    return _add(store, feed_url, "feed", _named(details, title), now)


def _discover(fetcher: Fetcher, html: str, page_url: str) -> tuple[str, str | None]:
    """The first candidate feed of a page that really is a feed, with its title."""
    for candidate in discover_feeds(html, page_url):
        try:
            fetched = fetcher.fetch(candidate)
        except FetchError:
            continue
        if looks_like_feed(fetched.content):
            return fetched.url, parse_feed(fetched.content, fetched.url).title
    raise SourceError(
        f"no feed found at {page_url}; give the feed's URL, or add the page itself with --page"
    )


def _named(details: SourceDetails, title: str | None) -> SourceDetails:
    """The details, named after the feed's own title unless the user gave a name."""
    return replace(details, name=details.name or title)


def _add(store: Store, url: str, kind: str, details: SourceDetails, now: datetime) -> Source:
    return add_source(
        store, url, kind, now=now, name=details.name, region=details.region,
        language=details.language, interval_seconds=details.interval_seconds,
    )  # fmt: skip


def import_opml(store: Store, path: Path) -> tuple[list[Source], list[str]]:
    """Register every feed of an OPML file; returns the added sources and the skipped URLs.

    Raises:
        SourceError: the file cannot be read or is not OPML.
    """
    try:
        outlines = parse_opml(path.read_bytes(), str(path))
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror}") from error
    known = {source.url for source in list_sources(store)}
    added, skipped = [], []
    now = datetime.now(UTC)
    for outline in outlines:
        if outline.url in known:
            skipped.append(outline.url)
            continue
        details = SourceDetails(outline.title, outline.category, outline.language)
        added.append(_add(store, outline.url, "feed", details, now))
        known.add(outline.url)
    return added, skipped


def export_opml(store: Store) -> str:
    """Every feed and sitemap as an OPML 2.0 document, grouped by region."""
    return write_opml(
        [
            OpmlOutline(source.url, source.name, source.region, source.language)
            for source in list_sources(store)
            if source.kind != "page"
        ]
    )


def install_defaults(store: Store) -> list[Source]:
    """Register the default international feeds, once in a desk's life.

    Returns:
        The sources added (none after the first call, even if the user removed them).
    """
    now = datetime.now(UTC)
    if not claim_once(store, "default sources installed", now):
        return []
    known = {source.url for source in list_sources(store)}
    added = []
    for entry in default_sources():
        if entry["url"] not in known:
            details = SourceDetails(entry.get("name"), entry.get("region"), entry.get("language"))
            added.append(_add(store, entry["url"], "feed", details, now))
    return added


def default_sources() -> list[dict[str, str]]:
    """The default feeds as listed in `ingest/data/default_sources.toml`."""
    text = (files("newsdesk.ingest") / "data" / DEFAULTS_FILE).read_text(encoding="utf-8")
    sources: list[dict[str, str]] = tomllib.loads(text)["source"]
    return sources
