"""The plain data every stage passes along: the one currency of the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Article:
    """One news article as extraction leaves it: the fields of the `extract --json` contract.

    `body` is the article text with paragraphs separated by blank lines and no boilerplate;
    `published` is timezone-aware or None when nothing says when it was published.
    """

    title: str
    body: str
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    agency: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    language: str | None = None
    url: str | None = None
    subheads: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The article as JSON-ready data, `published` in ISO 8601."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


@dataclass
class SourceDocument:
    """One input before extraction: a page, a text file or a JSONL line.

    `source` names it for messages (a path, `path:line` or a URL). Exactly one of `html`
    and `text` is set. The other fields are what the input says about itself and win over
    what extraction finds (a JSONL line's own `title` or `published`, say).
    """

    source: str
    html: str | None = None
    text: str | None = None
    url: str | None = None
    external_id: str | None = None
    title: str | None = None
    published: datetime | None = None
    outlet: str | None = None
