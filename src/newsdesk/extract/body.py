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
from itertools import pairwise

from newsdesk.extract.boilerplate import (
    is_bare_date,
    is_boilerplate,
    is_trailer_label,
    strip_inline_credit,
)
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
# How many paragraphs of prose (so many words or more) must precede a "related stories" or
# comments label for it to end the story: near the top such a label is a box or a link beside
# the article, not the end of it.
_TRAILER_AFTER = 2
_PROSE_WORDS = 12


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
    kept = _drop_top_matter(_clean(_drop_trailer(blocks)), title, body)
    paragraphs = [block.text for block in kept if not block.heading]
    _take_dateline(paragraphs, body)
    body.paragraphs = paragraphs[len(body.lede) :]
    body.subheads = _subheads(kept)
    return body


def _drop_trailer(blocks: list[Block]) -> list[Block]:
    """Cut the blocks from the label of a related-links or comments section to the end."""
    paragraphs = 0
    for index, block in enumerate(blocks):
        text = normalise_space(block.text)
        if paragraphs >= _TRAILER_AFTER and is_trailer_label(text):
            return blocks[:index]
        paragraphs += not block.heading and len(text.split()) >= _PROSE_WORDS
    return blocks


def _clean(blocks: list[Block]) -> list[Block]:
    """Normalise each block's whitespace and drop the ones that are boilerplate."""
    texts = [strip_inline_credit(normalise_space(block.text)) for block in blocks]
    listed = _listed_dates(texts)
    return [
        Block(text, block.heading)
        for index, (block, text) in enumerate(zip(blocks, texts, strict=True))
        if text and (index in listed or not is_boilerplate(text))
    ]


def _listed_dates(texts: list[str]) -> set[int]:
    """Indices of bare dates next to another bare date: a list of dates is content."""
    lines = [index for index, text in enumerate(texts) if text]
    bare = {index for index in lines if is_bare_date(texts[index])}
    return {index for pair in pairwise(lines) if set(pair) <= bare for index in pair}


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
