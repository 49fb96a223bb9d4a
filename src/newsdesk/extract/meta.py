"""Page metadata read straight from the parsed HTML: title, site, authors, date, URL, language.

We read the `<head>` ourselves instead of asking trafilatura for its metadata because its
metadata pass (htmldate's page scan, category and licence searches) costs as much as the
body extraction, and the fields we need are almost always declared in `<meta>` tags,
`<link rel=canonical>` or JSON-LD. One pass over the `<meta>` elements collects them all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from newsdesk.extract.news import clean_byline

_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "title")
_SITE_KEYS = ("og:site_name", "application-name", "al:ios:app_name", "twitter:app:name:iphone")
_DESCRIPTION_KEYS = ("og:description", "description", "twitter:description", "dc.description")
_AUTHOR_KEYS = (
    "author", "article:author", "og:article:author", "byl", "sailthru.author", "parsely-author",
    "dc.creator", "citation_author",
)  # fmt: skip
_DATE_KEYS = (
    "article:published_time", "datepublished", "og:published_time", "published_time",
    "article.published", "pubdate", "publishdate", "publish-date", "publication_date",
    "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.created", "dc.date",
    "date", "originalpublicationdate", "article:modified_time", "datemodified",
)  # fmt: skip
_LANGUAGE_KEYS = ("content-language", "og:locale", "language", "dc.language")
# Byline elements, most specific first: a name inside an author, then any byline box. The
# plain "author" test first spares the four longer ones on nearly every element.
_BYLINE_XPATHS = (
    '//*[@itemprop="author"]//*[@itemprop="name"] | //*[@rel="author"]'
    ' | //*[contains(@class, "author")][contains(@class, "author-name")'
    ' or contains(@class, "authorname") or contains(@class, "author__name")'
    ' or contains(@class, "author_name")]',
    '//*[@itemprop="author" or contains(@class, "byline") or contains(@class, "author")]',
)
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|«|»|/)\s+")
_NOT_A_SITE = re.compile(r"^(?:www\.)?|\.(?:com|org|net|co\.uk|cz|de|fr|es|it)$|[\s.'’-]")
_MAX_BYLINE_CHARS = 120
# schema.org's types for a page that lists other pages: a section front, a tag archive, search
# results. A page that is an article declares an article type ("NewsArticle", "BlogPosting",
# "LiveBlogPosting"...), which outweighs a listing type in the same page.
_LISTING_TYPES = {"CollectionPage", "SearchResultsPage"}
_ARTICLE_TYPE = re.compile(r"Article|Posting")
# Pages wrap JSON-LD in CDATA markers, which are not JSON.
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass
class PageMetadata:
    """What the page says about itself, before the body is read."""

    title: str | None = None
    site: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    # The site's name when the page credits the outlet itself ("BBC News"), not a person.
    outlet_author: str | None = None
    agency: str | None = None
    published: datetime | None = None
    url: str | None = None
    language: str | None = None
    # The page declares itself a list of other pages (a section front), not an article.
    listing: bool = False


def read_metadata(tree: HtmlElement, url: str | None) -> PageMetadata:
    """Collect the page's own metadata from its `<meta>`, `<link>` and JSON-LD declarations.

    Args:
        tree: the parsed page.
        url: where the page came from, to resolve a relative canonical link.

    Returns:
        The metadata found; any field may be None when the page does not declare it.
    """
    metas = _meta_values(tree)
    linked = _json_ld(tree)
    site = _first(metas, _SITE_KEYS) or _publisher(linked)
    page_url = _page_url(tree, metas, url)
    authors, agency = _authors(tree, metas, linked, site)
    return PageMetadata(
        title=_title(tree, metas, linked, site, page_url),
        site=site,
        description=_first(metas, _DESCRIPTION_KEYS),
        authors=authors,
        outlet_author=_outlet_author(metas, linked, site),
        agency=agency,
        published=_published(metas, linked),
        url=page_url,
        language=_language(tree, metas),
        listing=_declares_listing(linked),
    )


def domain(url: str | None) -> str | None:
    """The host of a URL without "www.", used as the outlet when a page names no site."""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    """Every `<meta>` content keyed by its lower-cased property, name, itemprop or http-equiv."""
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or meta.get("datetime") or "").strip()
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                values.setdefault(key.strip().lower(), []).append(content)
    for time in tree.xpath('//*[@itemprop="datePublished"][@datetime or @content]'):
        values.setdefault("datepublished", []).append(time.get("datetime") or time.get("content"))
    return values


def _first(metas: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    """The first value declared under any of the keys, in the keys' order."""
    for key in keys:
        for value in metas.get(key, ()):
            if value.strip():
                return _squash(value)
    return None


def _json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """The JSON-LD objects of the page, flattened out of lists and `@graph`."""
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(_CDATA.sub("", script))
        except ValueError:
            continue
        objects.extend(_flatten(data))
    return objects


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Walk a JSON-LD value down to its objects."""
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        yield from _flatten(data.get("@graph", []))


def _declares_listing(linked: list[dict[str, Any]]) -> bool:
    """Whether the page's JSON-LD calls it a listing page and nothing in it an article.

    Section fronts such as The New York Times's carry an "article" og:type like their
    articles, so their own JSON-LD type is the surest word on what they are.
    """
    # A type may be written in full ("https://schema.org/CollectionPage").
    types = {str(kind).rsplit("/", 1)[-1] for obj in linked for kind in _as_list(obj.get("@type"))}
    return bool(types & _LISTING_TYPES) and not any(_ARTICLE_TYPE.search(t) for t in types)


def _as_list(value: Any) -> list[Any]:
    """A JSON-LD value that may be one item or a list of them, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _linked_value(linked: list[dict[str, Any]], key: str) -> Any:
    """The first JSON-LD value under a key, articles first."""
    ranked = sorted(linked, key=lambda obj: "Article" not in str(obj.get("@type", "")))
    return next((obj[key] for obj in ranked if obj.get(key)), None)


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD author or publisher: a string, an object or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _publisher(linked: list[dict[str, Any]]) -> str | None:
    """The publisher's name declared in JSON-LD."""
    names = _names(_linked_value(linked, "publisher"))
    return _squash(names[0]) if names else None


def _authors(
    tree: HtmlElement, metas: dict[str, list[str]], linked: list[dict[str, Any]], site: str | None
) -> tuple[list[str], str | None]:
    """Clean author names and any agency: JSON-LD, then `<meta>`, then byline elements.

    A declaration that yields no person (a site name, a Twitter handle) gives way to the
    next source; the agency a source names is kept even then.
    """
    agency = None
    for candidate in _byline_candidates(tree, metas, linked):
        names, named_agency = clean_byline(candidate)
        agency = agency or named_agency
        names = [name for name in names if not site or _site_key(name) != _site_key(site)]
        if names:
            return names, agency
    return [], agency


def _outlet_author(
    metas: dict[str, list[str]], linked: list[dict[str, Any]], site: str | None
) -> str | None:
    """The site's name when a declared author is the site itself, the credit of staff copy."""
    declared = _names(_linked_value(linked, "author"))
    declared += [value for key in _AUTHOR_KEYS for value in metas.get(key, ())]
    if site and any(_site_key(name) == _site_key(site) for name in declared):
        return site
    return None


def _byline_candidates(
    tree: HtmlElement, metas: dict[str, list[str]], linked: list[dict[str, Any]]
) -> Iterator[str]:
    """Author declarations in the order we trust them, each as one byline string."""
    yield ", ".join(_names(_linked_value(linked, "author")))
    yield ", ".join(v for key in _AUTHOR_KEYS for v in metas.get(key, ()) if "://" not in v)
    for xpath in _BYLINE_XPATHS:
        for element in tree.xpath(xpath):
            text = _squash(element.text_content())
            if 2 < len(text) <= _MAX_BYLINE_CHARS:
                yield text


def _title(
    tree: HtmlElement,
    metas: dict[str, list[str]],
    linked: list[dict[str, Any]],
    site: str | None,
    url: str | None,
) -> str | None:
    """The headline, without the site name that pages append to it."""
    title = _squash(str(_linked_value(linked, "headline") or "")) or _first(metas, _TITLE_KEYS)
    if not title:
        title = _squash(tree.findtext(".//title") or "") or _squash(_h1(tree))
    return strip_site_name(title, site, domain(url)) if title else None


def _h1(tree: HtmlElement) -> str:
    """The text of the page's first `<h1>`, or ""."""
    heading = next(tree.iter("h1"), None)
    return heading.text_content() if heading is not None else ""


def strip_site_name(title: str, site: str | None, host: str | None) -> str:
    """Remove a site-name prefix or suffix (" | Aktuálně.cz", "BBC News - ") from a title.

    Args:
        title: the title as the page declares it.
        site: the site name the page declares, if any.
        host: the page's domain, if known.

    Returns:
        The title without the part that names the site.
    """
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {_site_key(name) for name in (site, host) if name}
    names.update(_site_key(host.split(".")[0]) for host in (host,) if host)
    if _site_key(parts[-1]) in names or _contains_site(parts[-1], names):
        return _rejoin(title, parts[:-1])
    if _site_key(parts[0]) in names:
        return _rejoin(title, parts[1:])
    return title


def _rejoin(title: str, parts: list[str]) -> str:
    """The span of the title from the first to the last kept part, separators included."""
    start = title.index(parts[0])
    end = title.rindex(parts[-1]) + len(parts[-1])
    return title[start:end].strip()


def _site_key(name: str) -> str:
    """A site name reduced for comparison: "The Guardian" and "theguardian.com" agree."""
    key = _NOT_A_SITE.sub("", name.casefold())
    return key.removeprefix("the") if len(key) > 6 else key


def _contains_site(part: str, names: set[str]) -> bool:
    """Whether a short title part names the site, give or take a section or slogan."""
    key = _site_key(part)
    return (
        len(part.split()) <= 4
        and len(key) > 2
        and any(name and (key.startswith(name) or name.startswith(key)) for name in names)
    )


def _published(metas: dict[str, list[str]], linked: list[dict[str, Any]]) -> datetime | None:
    """The publication time, timezone-aware (UTC when the page gives none)."""
    candidates = [str(_linked_value(linked, "datePublished") or "")]
    candidates += [value for key in _DATE_KEYS for value in metas.get(key, ())]
    for candidate in candidates:
        parsed = parse_datetime(candidate)
        if parsed is not None:
            return parsed
    return None


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 date or date-time as an aware datetime, assuming UTC when no zone is given."""
    text = value.strip().replace(" ", "T", 1)
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _page_url(tree: HtmlElement, metas: dict[str, list[str]], url: str | None) -> str | None:
    """The canonical URL, else og:url, else the URL the page was fetched from."""
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    og_url = _first(metas, ("og:url",))
    chosen = (canonical[0].strip() if canonical else None) or og_url
    if not chosen:
        return url
    base = url or og_url or "https://"
    return urljoin(base, chosen) if chosen.startswith(("/", ".")) else chosen


def _language(tree: HtmlElement, metas: dict[str, list[str]]) -> str | None:
    """The page's declared language as a lower-case ISO 639 code ("en-US" → "en")."""
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    declared = declared or _first(metas, _LANGUAGE_KEYS)
    if not declared:
        return None
    code = re.split(r"[-_,;\s]", declared.strip())[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _squash(text: str) -> str:
    """Collapse runs of whitespace (non-breaking spaces included) to single spaces."""
    return " ".join(text.split())
