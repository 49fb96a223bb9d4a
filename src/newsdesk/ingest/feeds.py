"""Feeds → entries: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed read here.

A feed is a stranger's document, so it is checked before any parser sees it: entity
declarations are refused (see `xmlsafety`), a document that is not well-formed is refused
unless its one fault is the usual one (a bare `&` or an HTML entity such as `&nbsp;`, which
are repaired), and a feed with more than `max_items` entries keeps only the newest. A huge
feed is cut down with lxml before feedparser reads it: feedparser needs ten seconds for
100,000 items, lxml a fraction of one.

Entries keep what the feed says of them (GUID, link, title, date, categories, summary) and
the full text when the feed carries it; `has_full_text` tells whether that text is the
article or only a teaser, since feed summaries are not articles.
"""

from __future__ import annotations

import calendar
import html
import html.entities
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urljoin
from xml.sax import SAXParseException

import feedparser  # type: ignore[import-untyped]
import lxml.html
from lxml import etree

from newsdesk.errors import SourceError
from newsdesk.ingest.xmlsafety import local_name, refuse_hostile_xml

FULL_TEXT_MIN_WORDS = 200
"""Fewer words than this in a feed's content is a teaser, not the article: locked or
"continue reading" excerpts run to about 150 words; missing a short article costs only a
fetch of its page, taking a teaser for the article loses the article."""

_T = TypeVar("_T")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BOM = b"\xef\xbb\xbf"
_ITEM_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")
_AMPERSAND = re.compile(rb"&(?:([A-Za-z][A-Za-z0-9]*);|#[0-9]+;|#x[0-9A-Fa-f]+;)?")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_DATE_TAGS = frozenset({"pubDate", "date", "published", "updated", "issued", "modified"})
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as the feed describes it.

    `published` is timezone-aware (UTC). `summary` is plain text. `content_html` is the
    full text when the feed carries it (RSS content:encoded, Atom content, JSON Feed
    content_html or content_text), else None.
    """

    guid: str | None
    url: str | None
    title: str | None
    published: datetime | None
    categories: tuple[str, ...]
    summary: str | None
    content_html: str | None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's own title, link and language, and its entries in the feed's order.

    `truncated_from` is the feed's original number of entries when more than `max_items`
    were dropped, else None.
    """

    title: str | None
    link: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    truncated_from: int | None


def parse_feed(content: bytes, url: str, *, max_items: int = 500) -> ParsedFeed:
    """Parse an RSS, Atom or JSON feed, refusing hostile or broken documents.

    Args:
        content: the feed as fetched.
        url: where it came from: relative links resolve against it, and messages name it.
        max_items: keep at most this many entries, the newest ones.

    Returns:
        The feed with its entries, `truncated_from` set when some were dropped.

    Raises:
        SourceError: the document is not valid XML or JSON, is not a feed, or declares
            XML entities.
    """
    body = content.removeprefix(_BOM).lstrip()
    if body.startswith(b"{"):
        return _parse_json_feed(body, url, max_items)
    refuse_hostile_xml(body, f"feed {url}")
    body, pruned_from = _prune_items(body, max_items)
    result = _feedparser_result(body, url)
    entries = [_entry(item) for item in result.entries]
    return ParsedFeed(
        title=_text(result.feed.get("title")),
        link=_text(result.feed.get("link")),
        language=_text(result.feed.get("language")),
        entries=tuple(keep_newest(entries, max_items, _published)),
        truncated_from=pruned_from or (len(entries) if len(entries) > max_items else None),
    )


def _feedparser_result(body: bytes, url: str) -> Any:
    """feedparser's reading of the document, after one repair of the usual breakage."""
    result = _feedparser(body, url)
    if _not_well_formed(result):
        repaired = _AMPERSAND.sub(_repair_ampersand, body)
        result = _feedparser(repaired, url) if repaired != body else result
        if _not_well_formed(result):
            raise SourceError(
                f"feed {url} is not valid XML/JSON: {result.bozo_exception.getMessage()}; "
                "check that the URL serves a feed and tell its publisher it is broken"
            )
    if not result.get("version"):
        raise SourceError(
            f"feed {url} is not an RSS, Atom or JSON feed; if it is a web page, add the "
            "site instead so that its feeds are discovered"
        )
    return result


def _feedparser(body: bytes, url: str) -> Any:
    return feedparser.parse(body, response_headers={"content-location": url})


def _not_well_formed(result: Any) -> bool:
    return isinstance(result.get("bozo_exception"), SAXParseException)


def _repair_ampersand(match: re.Match[bytes]) -> bytes:
    """A bare `&` becomes `&amp;`, an HTML-only entity its character reference."""
    name = match.group(1)
    if match.group(0) == b"&":
        return b"&amp;"
    if name is None or name in _XML_ENTITIES:
        return match.group(0)
    codepoint = html.entities.name2codepoint.get(name.decode("ascii"))
    return b"&#%d;" % codepoint if codepoint else b"&amp;" + match.group(0)[1:]


def _entry(item: Any) -> FeedEntry:
    """A feedparser entry as a FeedEntry."""
    return FeedEntry(
        guid=_text(item.get("id")),
        url=_text(item.get("link")),
        title=_text(item.get("title")),
        published=_entry_date(item),
        categories=_unique(tag.get("term") for tag in item.get("tags", [])),
        summary=_summary(item),
        content_html=_content_html(item.get("content", [])),
    )


def _entry_date(item: Any) -> datetime | None:
    """When the entry was published, else updated. Read from the plain dict: feedparser's
    own lookup warns when it falls back from one to the other."""
    for key in ("published", "updated"):
        parsed = dict.get(item, f"{key}_parsed")
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        if when := parse_feed_date(dict.get(item, key)):
            return when
    return None


def _summary(item: Any) -> str | None:
    """The feed's own summary as text; feedparser copies the content there when there is
    none, and a copy of the article is not a summary."""
    detail = item.get("summary_detail")
    if not detail:
        return None
    value = _text(detail.get("value"))
    if value and detail.get("type") in _HTML_TYPES:
        return _text(_html_to_text(value))
    return value


def _content_html(contents: Sequence[Any]) -> str | None:
    """The first HTML content of an entry, else its plain-text content as paragraphs."""
    for content in contents:
        if content.get("type") in _HTML_TYPES and _text(content.get("value")):
            return str(content["value"])
    for content in contents:
        if _text(content.get("value")):
            return _paragraphs_html(str(content["value"]))
    return None


def _published(entry: FeedEntry) -> datetime | None:
    return entry.published


def _parse_json_feed(body: bytes, url: str, max_items: int) -> ParsedFeed:
    """A JSON Feed (jsonfeed.org 1.0 or 1.1) as a ParsedFeed."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceError(f"feed {url} is not valid XML/JSON: {error}") from None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise SourceError(
            f"feed {url} is JSON but not a JSON Feed (its version does not name jsonfeed.org)"
        )
    items = data.get("items")
    if not isinstance(items, list):
        raise SourceError(f'feed {url} is a JSON Feed without an "items" list')
    entries = [_json_entry(item, url) for item in items if isinstance(item, dict)]
    return ParsedFeed(
        title=_text(data.get("title")),
        link=_text(data.get("home_page_url")),
        language=_text(data.get("language")),
        entries=tuple(keep_newest(entries, max_items, _published)),
        truncated_from=len(entries) if len(entries) > max_items else None,
    )


def _json_entry(item: dict[str, Any], base: str) -> FeedEntry:
    link = _text(item.get("url")) or _text(item.get("external_url"))
    guid = item.get("id")
    content_text = _text(item.get("content_text"))
    summary = _text(item.get("summary"))
    tags = item.get("tags")
    return FeedEntry(
        guid=str(guid) if isinstance(guid, str | int) and str(guid) else None,
        url=urljoin(base, link) if link else None,
        title=_text(item.get("title")),
        published=parse_feed_date(_text(item.get("date_published")))
        or parse_feed_date(_text(item.get("date_modified"))),
        categories=_unique(tags if isinstance(tags, list) else []),
        summary=_text(_html_to_text(summary)) if summary else None,
        content_html=_text(item.get("content_html"))
        or (_paragraphs_html(content_text) if content_text else None),
    )


def _prune_items(body: bytes, max_items: int) -> tuple[bytes, int | None]:
    """Cut a feed with more than `max_items` items down to its newest, before feedparser.

    Returns the document (unchanged when small enough or not well-formed, since feedparser
    then decides) and the original number of items when some were cut.
    """
    if sum(1 for _ in _ITEM_TAG.finditer(body)) <= max_items:
        return body, None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return body, None
    items = _item_elements(root)
    if len(items) <= max_items:
        return body, None
    kept = {id(item) for item in keep_newest(items, max_items, _element_date)}
    for item in items:
        if id(item) not in kept:
            parent = item.getparent()
            if parent is not None:
                parent.remove(item)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8"), len(items)


def _item_elements(root: etree._Element) -> list[etree._Element]:
    """The entry elements of an RSS 2.0 (`channel/item`), RSS 1.0 or Atom document."""
    containers = [root, *(child for child in root if local_name(child.tag) == "channel")]
    return [
        child
        for container in containers
        for child in container
        if local_name(child.tag) in {"item", "entry"}
    ]


def _element_date(item: etree._Element) -> datetime | None:
    for child in item:
        if local_name(child.tag) in _DATE_TAGS:
            return parse_feed_date(child.text)
    return None


def keep_newest(
    items: Sequence[_T], limit: int, date_of: Callable[[_T], datetime | None]
) -> list[_T]:
    """The `limit` newest items in their original order; undated items count as oldest,
    and among equals the earlier one wins (feeds list their newest first)."""
    if len(items) <= limit:
        return list(items)
    ranked = sorted(
        range(len(items)),
        key=lambda index: (date_of(items[index]) or _EPOCH, date_of(items[index]) is not None),
        reverse=True,
    )
    return [items[index] for index in sorted(ranked[:limit])]


def has_full_text(entry: FeedEntry) -> bool:
    """Whether the entry carries the article itself, so its page need not be fetched.

    Args:
        entry: a parsed feed entry.

    Returns:
        True when its content has at least `FULL_TEXT_MIN_WORDS` words and is longer than
        its summary: many feeds put the same teaser in both.
    """
    if not entry.content_html:
        return False
    text = _html_to_text(entry.content_html)
    return len(text.split()) >= FULL_TEXT_MIN_WORDS and len(text) > len(entry.summary or "")


def _html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(fragment.split())
    for block in root.iter(*_BLOCK_TAGS):  # "<p>One</p><p>Two</p>" is "One Two", not "OneTwo"
        block.tail = " " + (block.tail or "")
    return " ".join(root.text_content().split())


def _paragraphs_html(text: str) -> str:
    """Plain text as HTML paragraphs, one per blank-line-separated block."""
    blocks = (block.strip() for block in re.split(r"\n\s*\n", text))
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks if block)


def _text(value: Any) -> str | None:
    """A stripped non-empty string, else None."""
    return value.strip() or None if isinstance(value, str) else None


def _unique(values: Any) -> tuple[str, ...]:
    """The distinct non-empty strings among `values`, stripped, in order."""
    seen = dict.fromkeys(text for value in values if (text := _text(value)))
    return tuple(seen)


_LOCAL_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "jan janv ene gen",
            "feb fev fév févr",
            "mar mär mrz mrt",
            "apr abr avr",
            "may mai mag mei",
            "jun juin giu",
            "jul juil lug",
            "aug ago août",
            "sep set sept",
            "oct out okt ott",
            "nov",
            "dec dez dic déc",
        ],
        start=1,
    )
    for name in names.split()
}
_ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def parse_feed_date(value: str | None) -> datetime | None:
    """A feed's date as an aware UTC datetime: RFC 822 (also with month names in
    Portuguese, Spanish, French, German, Italian or Dutch) or ISO 8601; None if neither.

    Args:
        value: the date as the feed writes it, e.g. "Seg, 24 Set 2018 19:42:40 -0300".

    Returns:
        The moment in UTC (a date without a zone is taken as UTC), or None.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    parsed = _rfc822(text) or _rfc822(_english_months(text)) or _iso8601(text)
    if parsed is None:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _iso8601(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def _english_months(text: str) -> str:
    """An RFC 822 date with its weekday dropped and its month name put in English."""
    words = text.split(",", 1)[-1].split()
    return " ".join(_english_month(word) for word in words)


def _english_month(word: str) -> str:
    key = word.lower().rstrip(".")
    for candidate in (key, key[:4], key[:3]):
        if candidate in _LOCAL_MONTHS:
            return _ENGLISH_MONTHS[_LOCAL_MONTHS[candidate] - 1]
    return word


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_USUAL_PATHS = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/atom.xml",
    "/feed.xml",
    "/index.xml",
    "/feeds/posts/default",
)
_ROOT_ELEMENT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_JSON_FEED_VERSION = re.compile(rb'"version"\s*:\s*"[^"]*jsonfeed')
_SNIFF_BYTES = 4096


def discover_feeds(html_text: str, base_url: str) -> list[str]:
    """Candidate feed URLs for a site, best first: the caller fetches them in turn.

    Args:
        html_text: the site's page (usually its home page).
        base_url: the page's URL, against which relative links resolve.

    Returns:
        Absolute URLs: first the page's `<link rel="alternate">` feeds (RSS, Atom, JSON
        Feed; comment feeds last, plain `application/json` links after them, since those are
        often APIs), then the usual feed paths of the site, without duplicates.
    """
    declared: list[tuple[int, str]] = []
    base = base_url
    if html_text.strip():
        try:
            page = lxml.html.document_fromstring(html_text)
        except (etree.ParserError, ValueError):
            page = None
        if page is not None:
            base_element = page.find(".//base")
            base_href = base_element.get("href") if base_element is not None else None
            base = urljoin(base_url, (base_href or "").strip())
            declared = _declared_feeds(page, base)
    ranked = [href for _, href in sorted(declared, key=lambda pair: pair[0])]
    usual = (urljoin(base_url, path) for path in _USUAL_PATHS)  # the site's, not a CDN's
    return list(dict.fromkeys([*ranked, *usual]))


def _declared_feeds(page: Any, base: str) -> list[tuple[int, str]]:
    """(rank, absolute URL) for each feed link: 0 feeds, 1 comment feeds, 2 JSON links."""
    found = []
    for link in page.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rels or not href or kind not in {*_FEED_TYPES, "application/json"}:
            continue
        comments = "comment" in (link.get("title") or "").lower() or "/comments/" in href
        rank = 2 if kind == "application/json" else int(comments)
        found.append((rank, urljoin(base, href)))
    return found


def looks_like_feed(content: bytes) -> bool:
    """A cheap sniff of the first bytes: is this an RSS, Atom, RSS 1.0 or JSON feed?

    Args:
        content: a response body (only its first few kilobytes are looked at).

    Returns:
        True when the root element is `rss`, `feed` or `rdf:RDF`, or the JSON object's
        "version" names jsonfeed.org (as it does first thing in practice).
    """
    head = content[:_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    head = head.removeprefix(_BOM).lstrip()
    if head.startswith(b"{"):
        return bool(_JSON_FEED_VERSION.search(head))
    root = _ROOT_ELEMENT.search(re.sub(rb"<!--.*?-->", b"", head, flags=re.DOTALL))
    if root is None:
        return False
    prefix, name = root.group(1), root.group(2)
    return name in {b"rss", b"feed"} or (name == b"RDF" and prefix == b"rdf:")
