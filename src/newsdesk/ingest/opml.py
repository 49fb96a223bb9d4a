"""OPML: the format feed readers import and export subscription lists in.

Reading takes every `<outline>` with an `xmlUrl`, however deeply nested, and files it under
the text of the outline that contains it (the folder, in feed-reader terms). Writing groups
the feeds by category, one folder each, so that `parse_opml(write_opml(x))` gives `x`
back (in `x`'s order when `x` lists each category's feeds together, as `parse_opml` does).
OPML files are shared between strangers, so hostile XML is refused (see `xmlsafety`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from newsdesk.errors import SourceError
from newsdesk.ingest.xmlsafety import local_name, parse_xml


@dataclass(frozen=True)
class OpmlOutline:
    """One feed of a subscription list: its URL, title, folder and language."""

    url: str
    title: str | None
    category: str | None
    language: str | None


def parse_opml(content: bytes, source: str) -> list[OpmlOutline]:
    """The feeds an OPML file lists, in document order, each URL once.

    Args:
        content: the OPML document.
        source: how to name it in messages (a path or URL).

    Returns:
        One outline per feed; `category` is the text of the enclosing outline, or the
        outline's own `category` attribute when it is not in a folder.

    Raises:
        SourceError: the document is not valid XML, not OPML, or declares XML entities.
    """
    what = f"OPML file {source}"
    root = parse_xml(content, what)
    if local_name(root.tag) != "opml":
        raise SourceError(
            f"{what} is not OPML (its root element is <{local_name(root.tag)}>, not <opml>)"
        )
    body = next((child for child in root if local_name(child.tag) == "body"), None)
    if body is None:
        raise SourceError(f"{what} has no <body>, so it lists no feeds")
    found: dict[str, OpmlOutline] = {}
    for outline in _feeds(body, None):
        found.setdefault(outline.url, outline)
    return list(found.values())


def _feeds(element: Element, folder: str | None) -> Iterator[OpmlOutline]:
    """Feed outlines below `element`, depth first; `folder` is the enclosing outline's text."""
    for outline in element:
        if local_name(outline.tag) != "outline":
            continue
        url = _attribute(outline, "xmlUrl")
        label = _attribute(outline, "title") or _attribute(outline, "text")
        if url:
            yield OpmlOutline(
                url=url,
                title=label if label != url else None,
                category=folder or _own_category(outline),
                language=_attribute(outline, "language"),
            )
        yield from _feeds(outline, label if not url else folder)


def _own_category(outline: Element) -> str | None:
    """OPML 2.0's `category` attribute ("/World/Europe,/Daily"): its first path's last step."""
    first = (_attribute(outline, "category") or "").split(",")[0]
    return first.strip().strip("/").rsplit("/", 1)[-1].strip() or None


def _attribute(element: Element, name: str) -> str | None:
    value = element.get(name)
    return value.strip() or None if value else None


def write_opml(outlines: Sequence[OpmlOutline], title: str = "newsdesk sources") -> str:
    """An OPML 2.0 document listing the feeds, one folder per category.

    Args:
        outlines: the feeds; those without a category go at the top level, the others in
            their category's folder, placed where the category first appears.
        title: the document's title.

    Returns:
        The document as text, with an XML declaration; every value is escaped.
    """
    root = Element("opml", version="2.0")
    SubElement(SubElement(root, "head"), "title").text = title
    body = SubElement(root, "body")
    folders: dict[str, Element] = {}
    for outline in outlines:
        parent = body
        if outline.category:
            parent = folders.get(outline.category) or SubElement(
                body, "outline", text=outline.category, title=outline.category
            )
            folders[outline.category] = parent
        SubElement(parent, "outline", _feed_attributes(outline))
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _feed_attributes(outline: OpmlOutline) -> dict[str, str]:
    attributes = {"type": "rss", "text": outline.title or outline.url, "xmlUrl": outline.url}
    if outline.title:
        attributes["title"] = outline.title
    if outline.language:
        attributes["language"] = outline.language
    return attributes
