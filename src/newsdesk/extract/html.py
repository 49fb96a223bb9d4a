"""Articles from web pages: trafilatura finds the text, our rules make it a news article.

The page is parsed once with lxml; we read its metadata from that tree and hand the same
tree to trafilatura, whose body comes back as XML with headings, lists and paragraphs
marked, so subheads need no guessing. trafilatura runs with its fallback extractors on
(``fast=False``: +0.03 body F1 on the shared newspaper set) in recall mode, which skips the
readability comparison when its own extraction is already long and is twice as fast.
Recall mode has no rescue of its own for a page where it finds almost nothing (a section
front, a list of teasers). When it finds little on a page whose paragraphs hold far more,
the balanced mode, which retries with justext, runs too and the longer text wins; a short
page that is simply short costs no second run. Where the text sat in the page is then read
back from the tree (`layout`): the dek and kicker taken from the page's `<header>` go, and
the captions of the story's photographs, which trafilatura drops with their figures, return.
"""

from __future__ import annotations

from collections.abc import Iterator

import py3langid
from lxml.etree import ElementDefaultClassLookup, _Element
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from trafilatura import bare_extraction
from trafilatura.external import jt_stoplist_init
from trafilatura.settings import Document
from trafilatura.utils import HTML_PARSER, load_html

from newsdesk.errors import SourceError
from newsdesk.extract.body import Block, Body, build_body, normalise_space
from newsdesk.extract.layout import drop_header_lead, place_captions
from newsdesk.extract.meta import PageMetadata, domain, read_metadata
from newsdesk.extract.news import is_subhead
from newsdesk.models import Article

_CONTAINERS = {"quote", "div", "section"}
_SKIPPED = {"graphic", "ref"}
# Recall found too little when its text is under this many characters (two short paragraphs:
# a news story runs to several, a miss to a teaser or two) and the page's paragraphs hold at
# least _MISSED_SHARE times as much.
_SHORT_EXTRACTION = 600
_MISSED_SHARE = 2
# The opening of the text names its language as surely as the whole, at a fraction of the cost.
_LANGUAGE_SAMPLE = 2000

# lxml.html asks a Python method for the class of every element it hands out, so that a
# <form> becomes a FormElement. trafilatura walks the whole tree several times and that
# lookup cost 7% of extraction; nothing here uses the form classes, so the parser that
# trafilatura's `load_html` uses makes every element a plain HtmlElement.
HTML_PARSER.set_element_class_lookup(
    ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


def extract_html(html: str, url: str | None = None) -> Article:
    """Extract the news article from a web page.

    Args:
        html: the page's HTML.
        url: where the page came from; used when the page declares no URL of its own.

    Returns:
        The article with its metadata, body, subheads, dateline and agency.

    Raises:
        SourceError: the page cannot be parsed, declares itself a list of other pages (a
            section front), or holds no article text.
    """
    tree = load_html(html)
    if tree is None:
        raise SourceError("the page is not HTML that can be parsed")
    meta = read_metadata(tree, url)
    if meta.listing:
        raise SourceError("the page lists other articles (a section front or index), not one")
    body = _read_body(_extract_xml(tree, url), tree, meta.title)
    if not body.paragraphs:
        raise SourceError("no article text found in the page")
    return _article(meta, body, url)


def warm_up() -> None:
    """Load now what extraction otherwise loads on first use: the language identifier's
    model and the stoplists of trafilatura's justext fallback (about 100 MB together).

    Worker processes forked afterwards share this one copy instead of each loading its own.
    """
    py3langid.classify("warm up")
    jt_stoplist_init()


def _extract_xml(tree: HtmlElement, url: str | None) -> _Element | None:
    """trafilatura's XML body in recall mode, or the longer of both modes when recall missed."""
    recall = _trafilatura(tree, url, favor_recall=True)
    found = len(recall.text or "") if recall is not None else 0
    if recall is not None and not _missed_article(tree, found):
        return recall.body
    balanced = _trafilatura(tree, url, favor_recall=False)
    documents = [document for document in (recall, balanced) if document is not None]
    if not documents:
        return None
    return max(documents, key=lambda document: len(document.text or "")).body


def _missed_article(tree: HtmlElement, found: int) -> bool:
    """Whether recall found little text on a page whose paragraphs hold far more."""
    return found < _SHORT_EXTRACTION and _paragraph_text(tree) >= _MISSED_SHARE * found


def _paragraph_text(tree: HtmlElement) -> int:
    """How many characters the page's `<p>` elements hold: a cheap measure of its prose."""
    return sum(len(paragraph.text_content()) for paragraph in tree.iter("p"))


def _trafilatura(tree: HtmlElement, url: str | None, favor_recall: bool) -> Document | None:
    """One trafilatura run over the page (it works on a copy of the tree)."""
    document = bare_extraction(
        tree,
        url=url,
        fast=False,
        favor_recall=favor_recall,
        include_comments=False,
        include_tables=True,
    )
    return document if isinstance(document, Document) else None


def _read_body(xml: _Element | None, tree: HtmlElement, title: str | None) -> Body:
    """The news body of trafilatura's XML output (an empty body when there is none)."""
    blocks = list(_blocks(xml)) if xml is not None else []
    body = build_body(drop_header_lead(tree, blocks), title)
    body.paragraphs = place_captions(tree, body.paragraphs)
    return body


def _blocks(container: _Element) -> Iterator[Block]:
    """Paragraphs and headings of trafilatura's XML body, in reading order."""
    for element in container:
        tag = element.tag
        if tag in _SKIPPED or not isinstance(tag, str):
            continue
        if tag == "head":
            text = normalise_space(_text(element))
            yield Block(text, heading=is_subhead(text, marked=True))
        elif tag in ("list", "table") or (tag in _CONTAINERS and len(element)):
            yield from _blocks(element) if tag in _CONTAINERS else _rows(element)
        else:
            yield from (Block(line) for line in _text(element).split("\n"))


def _rows(element: _Element) -> Iterator[Block]:
    """One block per list item or table row."""
    for row in element:
        if row.tag in ("item", "row"):
            yield Block(" ".join(_text(cell) for cell in row) if row.tag == "row" else _text(row))


def _text(element: _Element) -> str:
    """The element's text with line breaks (`<lb/>`) kept as newlines."""
    for line_break in element.iter("lb"):
        line_break.tail = "\n" + (line_break.tail or "")
    return "".join(text for text in element.itertext() if isinstance(text, str))


def _article(meta: PageMetadata, body: Body, url: str | None) -> Article:
    """Combine what the page declares with what its body says."""
    # On a page the paragraphs before a dateline are part of the article as published.
    text = "\n\n".join(body.lede + body.paragraphs)
    # A page that credits no person but the outlet itself is staff copy: the outlet is the author.
    outlet = [meta.outlet_author] if meta.outlet_author else []
    authors = meta.authors or body.authors or outlet
    lede = normalise_space(" ".join(body.lede)) or None
    return Article(
        title=meta.title or "",
        body=text,
        standfirst=meta.description or lede,
        authors=authors,
        published=meta.published,
        agency=body.agency or meta.agency,
        dateline=body.dateline,
        outlet=meta.site or domain(meta.url or url),
        language=meta.language or py3langid.classify(text[:_LANGUAGE_SAMPLE])[0],
        url=meta.url or url,
        subheads=body.subheads,
    )
