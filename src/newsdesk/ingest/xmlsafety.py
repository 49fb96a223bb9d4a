"""Hostile XML is refused before any parser can expand it.

Feeds, sitemaps and OPML files come from strangers. An XML document may declare entities in
its DOCTYPE, and a parser that expands them can be made to build gigabytes from a few
hundred bytes ("billion laughs") or to read local files and URLs into the document
(external entities). No feed, sitemap or OPML file needs its own entities, so any entity
declaration is refused outright, as defusedxml does by default. A DOCTYPE without entities
(RSS 0.91's Netscape DTD reference, say) is harmless and allowed: nothing here loads DTDs.

Two entry points: `parse_xml` for documents we read with ElementTree (defusedxml does the
refusing), and `refuse_hostile_xml` for feeds, which feedparser reads: it scans only the
prolog (everything before the root element, the only place a DOCTYPE can be), so a
100,000-item feed costs no more to check than a small one.
"""

from __future__ import annotations

import re
from typing import Any, cast
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import defusedxml  # type: ignore[import-untyped]
import defusedxml.ElementTree as safe_tree  # type: ignore[import-untyped]

from newsdesk.errors import SourceError

_ENTITY_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)


class _Hostile(Exception):
    """An entity declaration or reference was met in the prolog."""


class _RootReached(Exception):
    """The root element started: the prolog is over and was clean."""


def hostile_message(what: str) -> str:
    """The refusal for a document that declares entities, naming it and the danger."""
    return (
        f"{what} declares XML entities in a DOCTYPE, which newsdesk refuses: expanding them "
        "can exhaust memory (billion laughs) or read local files (external entities); "
        "ask the publisher for a plain feed"
    )


def refuse_hostile_xml(content: bytes, what: str) -> None:
    """Raise if the document's prolog declares entities; otherwise return at once.

    Args:
        content: the raw document.
        what: how to name it in the message, e.g. "feed https://example.org/rss".

    Raises:
        SourceError: the DOCTYPE declares entities (internal, external or parameter).
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _raise_hostile
    parser.UnparsedEntityDeclHandler = _raise_hostile
    parser.ExternalEntityRefHandler = _raise_hostile
    parser.StartElementHandler = _raise_root_reached
    try:
        parser.Parse(content, True)
    except _RootReached:
        return
    except _Hostile:
        raise SourceError(hostile_message(what)) from None
    except expat.ExpatError:
        # Broken before the root element: the parser cannot say what the prolog holds, so
        # look for a declaration anywhere. Whether the document is usable is the caller's call.
        if _ENTITY_DECLARATION.search(content):
            raise SourceError(hostile_message(what)) from None


def _raise_hostile(*_: Any) -> Any:
    raise _Hostile


def _raise_root_reached(*_: Any) -> Any:
    raise _RootReached


def parse_xml(content: bytes, what: str) -> Element:
    """Parse a whole document with defusedxml, refusing entities and external references.

    Args:
        content: the raw document.
        what: how to name it in messages, e.g. "sitemap https://example.org/sitemap.xml".

    Returns:
        The root element.

    Raises:
        SourceError: the document is not well-formed XML, or it declares entities.
    """
    try:
        return cast(Element, safe_tree.fromstring(content))
    except defusedxml.DefusedXmlException:
        raise SourceError(hostile_message(what)) from None
    except ParseError as error:
        raise SourceError(f"{what} is not valid XML: {error}") from None


def local_name(tag: object) -> str:
    """An element's name without its namespace: `{http://…}loc` → `loc`."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
