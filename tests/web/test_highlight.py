"""Marking an article's text from its analysis: nested and overlapping marks, paragraphs."""

from __future__ import annotations

import random

from newsdesk.models import Analysis, Count, Entity, Place, Quote
from newsdesk.web.highlight import Mark, analysis_marks, highlight

BODY = (
    'Prime Minister Costas Karamanlis said "Athens will recover" on Monday.\n\n'
    "Police arrested 86 people in Athens."
)


def _link(kind: str, name: str) -> str:
    return f"/entities/{kind}/{name}"


def _analysis() -> Analysis:
    start = BODY.index("Athens will")
    return Analysis(
        language="en",
        people=[Entity("Costas Karamanlis", 1, [(15, 32)])],
        places=[Place("Athens", "city", "GR", 37.98, 23.73, 2,
                      [(start, start + 6), (BODY.rindex("Athens"), BODY.rindex("Athens") + 6)])],
        quotes=[Quote("Athens will recover", "Costas Karamanlis", "said", "direct", start,
                      start + len("Athens will recover"))],
        counts=[Count(86, False, "people", "arrested", None, None, "86 people")],
    )  # fmt: skip


def test_marks_come_from_offsets_and_count_text():
    marks = analysis_marks(BODY, _analysis(), _link)
    texts = {(m.kind, BODY[m.start : m.end]) for m in marks}
    assert texts == {
        ("person", "Costas Karamanlis"),
        ("place", "Athens"),
        ("quote", "Athens will recover"),
        ("count", "86 people"),
    }
    assert {m.link for m in marks if m.kind == "person"} == {"/entities/person/Costas Karamanlis"}


def test_nested_marks_split_into_runs_and_paragraphs_stay_apart():
    paragraphs = highlight(BODY, analysis_marks(BODY, _analysis(), _link))
    assert len(paragraphs) == 2
    assert "".join(run.text for run in paragraphs[0]) == BODY.split("\n\n")[0]
    assert "".join(run.text for run in paragraphs[1]) == BODY.split("\n\n")[1]
    athens_in_quote = next(run for run in paragraphs[0] if run.text == "Athens")
    assert athens_in_quote.classes == "hl-quote hl-place"
    assert athens_in_quote.link == "/entities/place/Athens"
    assert "quote: Costas Karamanlis" in athens_in_quote.title
    rest_of_quote = next(run for run in paragraphs[0] if run.text == " will recover")
    assert rest_of_quote.classes == "hl-quote" and rest_of_quote.link is None
    count = next(run for run in paragraphs[1] if run.text == "86 people")
    assert count.title == "count: 86 people arrested"


def test_marks_outside_the_body_are_dropped():
    analysis = Analysis(language="en", people=[Entity("Ghost", 1, [(5, 2), (-3, 4), (10, 999)])])
    assert analysis_marks(BODY, analysis, _link) == []


def test_text_without_marks_is_one_run_per_paragraph():
    assert highlight("One.\n\nTwo.", []) == [
        [highlight("One.", [])[0][0]],
        highlight("Two.", [])[0],
    ]
    assert highlight("", [Mark(0, 0, "person", "nobody")]) == []


def test_the_sweep_gives_each_run_exactly_the_marks_over_it() -> None:
    """Against the plain definition, on random nested and overlapping marks."""
    rng = random.Random(7)
    body = "word " * 60 + "\n\n" + "more " * 40
    for _ in range(50):
        marks = []
        for _ in range(rng.randint(1, 12)):
            start = rng.randrange(len(body) - 1)
            marks.append(Mark(start, rng.randint(start + 1, len(body)), "person", "x"))
        by_length = sorted(marks, key=lambda m: -(m.end - m.start))
        position = 0
        for paragraph in highlight(body, marks):
            for run in paragraph:
                position = body.index(run.text, position)
                end = position + len(run.text)
                expected = tuple(m for m in by_length if m.start <= position and end <= m.end)
                assert run.marks == expected
                position = end
