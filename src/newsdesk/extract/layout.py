"""Rules that read where extracted text sat in the page's markup.

trafilatura hands back text without saying where on the page it found it, but HTML's
sectioning elements say what a block of text is, on any site that uses them:

- a `<figcaption>` captions a figure. trafilatura removes every `<figure>`, so the caption
  of a photograph set in the story never reaches the body, although the newsroom wrote it
  about the event and the people in it (article-extraction references keep it). Captions
  are put back when they sit inside the element that holds the extracted paragraphs and
  above the last of them; a sidebar's teasers or a gallery under the story stay out, and
  so do two kinds of figure that illustrate nothing in the text: a video player, whose
  caption titles a clip, and an image that links to another page, which is a teaser. The
  credit that the markup sets apart inside a caption is left out: the body has no credits.
- a `<header>` holds what introduces the page or the article: the site's navigation, the
  kicker, the headline, the dek, the byline. Text that trafilatura took from there at the
  top of the body is not the story. Bylines stay, for the body rules to read the names.

The blocks are matched to the page's elements by their words, whatever the spacing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy

from lxml.html import HtmlElement

from newsdesk.extract.body import Block, normalise_space
from newsdesk.extract.boilerplate import is_boilerplate, strip_inline_credit
from newsdesk.extract.news import is_byline

_WORD = re.compile(r"\w+")
_PLAYER = ("video", "audio", "iframe", "object", "embed")
# A credit inside a caption: schema.org's credit properties, or a class that names one.
_CREDIT = (
    ".//*[@itemprop='copyrightHolder' or @itemprop='creator' or @itemprop='author'"
    " or contains(@class, 'credit') or contains(@class, 'copyright')"
    " or contains(@class, 'attribution') or contains(@class, 'source')]"
)
# A link to another page, not to a place in this one or to a script.
_OTHER_PAGE = re.compile(r"^\s*(?!#|javascript:)\S", re.IGNORECASE)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)", re.IGNORECASE)


def place_captions(tree: HtmlElement, paragraphs: list[str]) -> list[str]:
    """Set the captions of the article's photographs among its body paragraphs.

    Args:
        tree: the parsed page the paragraphs were extracted from.
        paragraphs: the article's body paragraphs in reading order, furniture removed.

    Returns:
        The paragraphs with each caption after the paragraph that precedes its figure on
        the page; a caption above the lead follows it, so that the body still opens with
        the lead. Captions that are furniture (a bare credit) stay out.
    """
    if tree.find(".//figcaption") is None or not paragraphs:
        return paragraphs
    index = {_key(text): i for i, text in reversed(list(enumerate(paragraphs)))}
    seen = set(index)
    placed: dict[int, list[str]] = {}
    for after, caption in _captions(tree.xpath("//p | //figcaption"), index):
        if caption and not is_boilerplate(caption) and _key(caption) not in seen:
            seen.add(_key(caption))
            placed.setdefault(max(after, 0), []).append(caption)
    return [out for i, text in enumerate(paragraphs) for out in (text, *placed.get(i, []))]


def drop_header_lead(tree: HtmlElement, blocks: list[Block]) -> list[Block]:
    """Drop the blocks at the top of the body that the page sets in a `<header>`.

    Args:
        tree: the parsed page the blocks were extracted from.
        blocks: the article's paragraphs and headings in reading order.

    Returns:
        The blocks from the first one found outside every `<header>`, with the bylines
        above it kept. All of them when the header's blocks hold as many words as the rest:
        an article's header is shorter than its story, so the page misuses the element.
    """
    headers = [_key(" ".join(header.itertext())) for header in tree.iter("header")]
    lead = 0
    while lead < len(blocks) and _inside(_key(blocks[lead].text), headers):
        lead += 1
    if _words(blocks[:lead]) >= _words(blocks[lead:]):
        return blocks
    return [block for block in blocks[:lead] if is_byline(block.text)] + blocks[lead:]


def _words(blocks: list[Block]) -> int:
    """How many words the blocks hold."""
    return sum(len(block.text.split()) for block in blocks)


def _inside(key: str, headers: list[str]) -> bool:
    """Whether a block's words run, whole words, within the words of one of the headers."""
    return bool(key) and any(f" {key} " in f" {header} " for header in headers)


def _captions(elements: list[HtmlElement], index: dict[str, int]) -> Iterator[tuple[int, str]]:
    """Each article caption with the index of the paragraph it follows (-1: above them all)."""
    anchors = {n: index[key] for n, e in enumerate(elements) if (key := _anchor_key(e, index))}
    if not anchors:
        return
    container = _common_ancestor([elements[n] for n in anchors])
    after = -1
    for n, element in enumerate(elements[: max(anchors)]):
        if n in anchors:
            after = anchors[n]
        elif element.tag == "figcaption" and _illustrates(element, container):
            yield after, _caption_text(element)


def _anchor_key(element: HtmlElement, index: dict[str, int]) -> str | None:
    """The key of a `<p>` that trafilatura extracted as one of the blocks, else None."""
    if element.tag != "p":
        return None
    key = _key(element.text_content())
    return key if key in index else None


def _illustrates(caption: HtmlElement, container: HtmlElement) -> bool:
    """Whether a caption belongs to a still picture set in the article's own text."""
    figure = next(caption.iterancestors("figure"), caption.getparent())
    if figure is None or not any(a is container for a in caption.iterancestors()):
        return False
    if next(figure.iter(*_PLAYER), None) is not None:
        return False
    links = (a.get("href", "") for a in figure.iter("a") if a.find(".//img") is not None)
    return not any(_OTHER_PAGE.match(href) and not _IMAGE_FILE.search(href) for href in links)


def _caption_text(caption: HtmlElement) -> str:
    """The caption's words without the photo credit that the markup sets apart in it."""
    caption = deepcopy(caption)
    for credit in caption.xpath(_CREDIT):
        credit.drop_tree()
    return strip_inline_credit(normalise_space(caption.text_content()))


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    """The innermost element that holds all of the given ones."""
    shared = list(elements[0].iterancestors())[::-1]
    for element in elements[1:]:
        path = list(element.iterancestors())[::-1]
        depth = 0
        while depth < min(len(shared), len(path)) and shared[depth] is path[depth]:
            depth += 1
        shared = shared[:depth]
    return shared[-1]


def _key(text: str) -> str:
    """A text's words in lower case, to recognise it whatever its spacing and punctuation."""
    return " ".join(_WORD.findall(text.casefold()))
