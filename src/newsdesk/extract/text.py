"""Articles from plain text: the first line is the headline, then paragraphs one per line.

Text files and feed items carry no markup, so what HTML says with tags is read from layout:
a heading is a short line with no final punctuation between paragraphs, a summary set
before the datelined first paragraph is the standfirst, and text hard-wrapped at a fixed
width is joined back into paragraphs.
"""

from __future__ import annotations

import py3langid

from newsdesk.errors import SourceError
from newsdesk.extract.body import Block, build_body, normalise_space
from newsdesk.extract.meta import domain
from newsdesk.extract.news import is_subhead
from newsdesk.models import Article

_WRAPPED_WIDTH = 100  # hard-wrapped text never has longer lines than this
_WRAPPED_MIN_LINES = 3
_WRAPPED_EVENNESS = 0.6  # a wrapped line is at least this share of the widest one


def extract_text(text: str, url: str | None = None, title: str | None = None) -> Article:
    """Extract the news article from plain text whose first line is the headline.

    Args:
        text: the article as text; paragraphs on lines of their own.
        url: where the text came from, if known; the outlet is its domain.
        title: the headline when it comes apart from the text (a JSONL record's `title`):
            then all of the text is body, and a headline with no text at all is a flash,
            an article that is its own one-sentence body.

    Returns:
        The article with its standfirst, body, subheads, dateline and agency.

    Raises:
        SourceError: the text holds no headline or no body.
    """
    if title and title.strip():
        if not text.strip():
            return _flash(title.strip(), url)
        text = f"{title.strip()}\n\n{text}"
    paragraphs = _paragraphs(text)
    if len(paragraphs) < 2:
        raise SourceError("no article text found: expected a headline line and a body")
    title, rest = paragraphs[0], paragraphs[1:]
    body = build_body(_blocks(rest), title)
    if not body.paragraphs:
        raise SourceError("no article text found after the headline")
    return Article(
        title=title,
        body=body.text,
        standfirst=" ".join(body.lede) or None,
        authors=body.authors,
        agency=body.agency,
        dateline=body.dateline,
        outlet=domain(url),
        language=py3langid.classify(body.text)[0],
        url=url,
        subheads=body.subheads,
    )


def _paragraphs(text: str) -> list[str]:
    """Non-empty lines as paragraphs, hard-wrapped blocks joined back together."""
    paragraphs: list[str] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [normalise_space(line) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if _is_hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Whether a block is one paragraph wrapped at a fixed width rather than several lines.

    Wrapped lines are all short and, but for the last, of about the same length; a short
    line in the middle is a heading or a paragraph of its own.
    """
    if len(lines) < _WRAPPED_MIN_LINES:
        return False
    widest = max(len(line) for line in lines)
    return widest <= _WRAPPED_WIDTH and all(
        len(line) >= _WRAPPED_EVENNESS * widest for line in lines[:-1]
    )


def _blocks(paragraphs: list[str]) -> list[Block]:
    """Mark the short unpunctuated lines that sit between paragraphs as headings."""
    return [
        Block(line, heading=0 < i < len(paragraphs) - 1 and is_subhead(line))
        for i, line in enumerate(paragraphs)
    ]


def _flash(headline: str, url: str | None) -> Article:
    """A headline with no text (a wire flash): the headline is the whole article."""
    return Article(
        title=headline,
        body=headline,
        outlet=domain(url),
        language=py3langid.classify(headline)[0],
        url=url,
    )
