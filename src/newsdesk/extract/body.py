"""From extracted blocks to an article body: the steps the HTML and text extractors share.

Both extractors first cut their input into blocks (paragraphs and headings in reading
order); everything after that is the same for a web page and a text file, so it lives
here once: normalise whitespace, read credit lines, drop boilerplate, drop the repeated
headline and byline lines, take the dateline off the first paragraph and set the
headings aside as subheads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.extract.boilerplate import is_boilerplate, strip_inline_credit
from newsdesk.extract.news import (
    agency_in_credits,
    clean_byline,
    is_byline,
    split_dateline,
)

# Characters that are invisible or mere layout: dropped before spaces are collapsed.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_TOP_MATTER = 4  # how many leading blocks may hold the repeated headline or a byline
_DATELINE_WITHIN = 3  # how many leading paragraphs may carry the dateline
_WORD = re.compile(r"\w+")


@dataclass
class Block:
    """One paragraph or heading of extracted text, in reading order."""

    text: str
    heading: bool = False


@dataclass
class Body:
    """The article body with the news furniture taken out of it and read."""

    paragraphs: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)
    lede: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    agency: str | None = None

    @property
    def text(self) -> str:
        """The paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


def normalise_space(text: str) -> str:
    """Collapse whitespace of any kind (non-breaking, thin, tabs) to single spaces."""
    return " ".join(text.translate(_INVISIBLE).split())


def build_body(blocks: list[Block], title: str | None) -> Body:
    """Apply the shared news rules to the blocks of one article.

    Args:
        blocks: paragraphs and headings in reading order, as the extractor found them.
        title: the headline, so that a copy of it at the top is not taken for body text.

    Returns:
        The body paragraphs, subheads, the paragraphs set before the dateline (the lede),
        authors from byline lines, the dateline place and the agency behind the copy.
    """
    body = Body(agency=agency_in_credits([block.text for block in blocks]))
    kept = _drop_top_matter(_clean(blocks), title, body)
    paragraphs = [block.text for block in kept if not block.heading]
    _take_dateline(paragraphs, body)
    body.paragraphs = paragraphs[len(body.lede) :]
    body.subheads = _subheads(kept)
    return body


def _clean(blocks: list[Block]) -> list[Block]:
    """Normalise each block's whitespace and drop the ones that are boilerplate."""
    cleaned = []
    for block in blocks:
        text = strip_inline_credit(normalise_space(block.text))
        if text and not is_boilerplate(text):
            cleaned.append(Block(text, block.heading))
    return cleaned


def _drop_top_matter(blocks: list[Block], title: str | None, body: Body) -> list[Block]:
    """Drop a repeated headline and byline lines near the top, keeping the names they give."""
    title_words = _WORD.findall(title.casefold()) if title else []
    kept = []
    for index, block in enumerate(blocks):
        if index < _TOP_MATTER and _WORD.findall(block.text.casefold()) == title_words:
            continue
        if index < _TOP_MATTER and is_byline(block.text):
            names, agency = clean_byline(block.text)
            body.authors.extend(n for n in names if n not in body.authors)
            body.agency = body.agency or agency
            continue
        kept.append(block)
    return kept


def _take_dateline(paragraphs: list[str], body: Body) -> None:
    """Find the dateline in the first paragraphs, strip it and set aside what precedes it."""
    for index, paragraph in enumerate(paragraphs[:_DATELINE_WITHIN]):
        dateline = split_dateline(paragraph)
        if dateline is None:
            continue
        paragraphs[index] = dateline.rest
        body.dateline = dateline.place
        body.agency = dateline.agency or body.agency
        body.lede = paragraphs[:index]
        return


def _subheads(blocks: list[Block]) -> list[str]:
    """Headings that sit between paragraphs; those after the last paragraph are furniture."""
    last_paragraph = max((i for i, b in enumerate(blocks) if not b.heading), default=-1)
    return [b.text for b in blocks[:last_paragraph] if b.heading]
