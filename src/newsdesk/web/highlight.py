"""An article's text with what the analysis found in it marked: people, places, quotes, counts.

The marks come from the analysis' character offsets into the body (a count has no offsets,
so its text is looked up in the body). Marks may nest (a name inside a quote) or overlap, so
the body is cut at every mark's start and end into *runs*, each carrying every mark that
covers it; then the runs are split into paragraphs at blank lines. The template writes each
run's text escaped (autoescape): the text itself never becomes markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from newsdesk.models import Analysis, Entity, Place

PARAGRAPH_BREAK = "\n\n"

LinkFor = Callable[[str, str], str]
"""Builds the URL of an entity page from its kind and name."""


@dataclass(frozen=True)
class Mark:
    """A span of the body and what it is: `kind` is person, organization, place, quote or
    count; `label` says who or what; `link` is an entity page or None."""

    start: int
    end: int
    kind: str
    label: str
    link: str | None = None


@dataclass(frozen=True)
class Run:
    """A stretch of text and the marks over it (innermost last)."""

    text: str
    marks: tuple[Mark, ...] = ()

    @property
    def classes(self) -> str:
        """CSS classes: `hl-` and each mark's kind."""
        return " ".join(dict.fromkeys(f"hl-{mark.kind}" for mark in self.marks))

    @property
    def title(self) -> str:
        """What the marks say, for the tooltip and screen readers."""
        return "; ".join(dict.fromkeys(f"{mark.kind}: {mark.label}" for mark in self.marks))

    @property
    def link(self) -> str | None:
        """The entity page of the innermost mark that has one."""
        return next((m.link for m in reversed(self.marks) if m.link), None)


def analysis_marks(body: str, analysis: Analysis, link_for: LinkFor) -> list[Mark]:
    """Every mark the analysis gives, clipped to the body; empty or invalid spans dropped.

    Args:
        body: the article body the offsets refer to.
        analysis: the stored analysis of that body.
        link_for: the entity page URL for (kind, name).

    Returns:
        The marks, in no particular order.
    """
    entities: list[tuple[str, Sequence[Entity | Place]]] = [
        ("person", analysis.people),
        ("organization", analysis.organizations),
        ("place", analysis.places),
    ]
    marks = [
        Mark(start, end, kind, entity.name, link_for(kind, entity.name))
        for kind, found in entities
        for entity in found
        for start, end in entity.offsets
    ]
    marks += [
        Mark(q.start, q.end, "quote", q.speaker or "speaker unknown", None) for q in analysis.quotes
    ]
    for count in analysis.counts:
        start = body.find(count.text) if count.text else -1
        if start >= 0:
            what = " ".join(str(part) for part in (count.number, count.unit, count.event) if part)
            marks.append(Mark(start, start + len(count.text), "count", what))
    return [m for m in marks if 0 <= m.start < m.end <= len(body)]


def highlight(body: str, marks: list[Mark]) -> list[list[Run]]:
    """The body as paragraphs of runs, each run carrying the marks that cover it.

    Args:
        body: the article body.
        marks: spans within it (see `analysis_marks`).

    Returns:
        One list of runs per paragraph (paragraphs are separated by blank lines).
    """
    cuts = sorted({0, len(body), *(m.start for m in marks), *(m.end for m in marks)})
    rank = {id(m): i for i, m in enumerate(sorted(marks, key=lambda m: -(m.end - m.start)))}
    opening: dict[int, list[Mark]] = {}
    for mark in marks:
        opening.setdefault(mark.start, []).append(mark)
    paragraphs: list[list[Run]] = [[]]
    open_marks: list[Mark] = []  # a sweep: the marks open over the run, outer marks first
    for start, end in pairwise(cuts):
        open_marks = [m for m in open_marks if m.end > start] + opening.get(start, [])
        open_marks.sort(key=lambda m: rank[id(m)])
        covering = tuple(open_marks)
        pieces = body[start:end].split(PARAGRAPH_BREAK)
        for index, piece in enumerate(pieces):
            if index:
                paragraphs.append([])
            if piece.strip("\n"):
                paragraphs[-1].append(Run(piece, covering))
    return [paragraph for paragraph in paragraphs if paragraph]
