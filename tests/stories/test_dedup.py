"""Near-duplicates: wire copies republished with other headlines, trims and boilerplate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.stories import NearDuplicateIndex, find_near_duplicates

WIRE = (
    "A magnitude 6.3 earthquake struck central Italy early on Monday, killing at least 150 "
    "people and leaving tens of thousands homeless in the mountain city of L'Aquila, officials "
    "said. Rescue teams worked through the night to free survivors trapped under collapsed "
    "buildings as aftershocks rattled the region. Prime Minister Silvio Berlusconi declared a "
    "state of emergency and cancelled a trip to Moscow. The quake was felt as far away as Rome, "
    "about 95 km to the southwest, where residents fled their homes in panic.\n\n"
    "Seismologists said the quake was the strongest to hit the area in decades."
)
OTHER_QUAKE = (
    "A powerful earthquake of magnitude 7.0 hit Haiti on Tuesday, flattening much of the "
    "capital Port-au-Prince and burying thousands under rubble, witnesses said. The presidential "
    "palace and the headquarters of the United Nations mission were badly damaged. Aid groups "
    "appealed for medical supplies as hospitals overflowed with the injured, and the United "
    "States said it was sending rescue teams and ships to the Caribbean nation."
)


OUTLETS = [
    (
        "Breaking: the latest on the story as it unfolds",
        "By Staff Reporter (Reuters)",
        "Follow us on Twitter for more news.",
    ),
    (
        "What we know so far",
        "From our correspondent, with agencies",
        "Daily newsletter Receive essential international news every morning",
    ),
    (
        "Officials respond as the story develops",
        "By Jane Doe, Associated Press",
        "Copyright The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.",
    ),
]
"""(headline, byline, boilerplate) of outlets that republish wire copy."""


def _paragraphs(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _republish(
    text: str, headline: str = "", byline: str = "", boilerplate: str = "", trim: bool = True
) -> str:
    """The text as another outlet runs it: its headline and byline on top, its boilerplate
    at the foot, the last paragraph trimmed."""
    paragraphs = _paragraphs(text)[:-1] if trim else _paragraphs(text)
    return "\n\n".join(part for part in (headline, byline, *paragraphs, boilerplate) if part)


def _trim_is_small(text: str) -> bool:
    """A story of 150 words or more whose last paragraph is at most a fifth of it: trimmed
    and wrapped in an outlet's headline, byline and boilerplate, it keeps containment 0.8."""
    words = len(text.split())
    return words >= 150 and len(_paragraphs(text)[-1].split()) <= words / 5


def test_wire_copies_point_to_the_original() -> None:
    headline, byline, boilerplate = OUTLETS[0]
    copies = [
        _republish(WIRE, headline=headline, trim=False),
        _republish(WIRE),
        _republish(WIRE, byline=byline, boilerplate=boilerplate),
    ]
    assert find_near_duplicates([WIRE, OTHER_QUAKE, *copies]) == [None, None, 0, 0, 0]


def test_different_stories_of_one_kind_are_not_duplicates() -> None:
    assert find_near_duplicates([WIRE, OTHER_QUAKE]) == [None, None]


def test_threshold_decides() -> None:
    half = " ".join(WIRE.split()[:40]) + " " + " ".join(OTHER_QUAKE.split()[:40])
    assert find_near_duplicates([WIRE, half], threshold=0.8) == [None, None]
    assert find_near_duplicates([WIRE, half], threshold=0.2) == [None, 0]


def _shared_articles(shared_data: Path) -> list[tuple[str, str]]:
    """(body, story) of the 157 newspaper reference texts and the 663 ECB+ articles: a
    newspaper text is its own story, an ECB+ article has its gold story (ECB+ holds the same
    wire copy from several outlets, under one story)."""
    newspaper = sorted((shared_data / "html" / "newspaper" / "text").glob("*.txt"))
    articles = [(path.read_text(encoding="utf8"), path.name) for path in newspaper]
    with (shared_data / "stories" / "ecbplus.jsonl").open(encoding="utf8") as f:
        articles += [(r["text"], r["story"]) for r in map(json.loads, f)]
    return articles


def test_copies_of_real_articles_are_found_without_false_pairs(shared_data: Path) -> None:
    """Each long-enough shared article is republished twice, with other headlines, bylines
    and boilerplate and its last paragraph trimmed (the second copy from the first): every
    copy points to the original, and the only pairs among the originals share a story."""
    articles = _shared_articles(shared_data)
    copied = [i for i, (text, _) in enumerate(articles) if _trim_is_small(text)]
    firsts = [_republish(articles[i][0], *OUTLETS[n % 3]) for n, i in enumerate(copied)]
    seconds = [
        _republish(_republish(articles[i][0]), *OUTLETS[(n + 1) % 3], trim=False)
        for n, i in enumerate(copied)
    ]
    found = find_near_duplicates([text for text, _ in articles] + firsts + seconds)
    originals = [i if found[i] is None else found[i] for i in copied]
    assert len(articles) == 820 and len(copied) > 500
    assert found[len(articles) :] == originals + originals
    pairs = [(i, j) for i, j in enumerate(found[: len(articles)]) if j is not None]
    assert len(pairs) > 10
    assert all(articles[i][1] == articles[j][1] for i, j in pairs)


def test_short_texts_are_never_matched() -> None:
    """Under 30 words a few shingles of stock lines would decide: no match, even verbatim."""
    follow = "Follow us on Twitter for more news and sign up for our daily newsletter."
    briefs = [f"Markets closed higher on {day}. {follow}" for day in ("Monday", "Tuesday")]
    index: NearDuplicateIndex[int] = NearDuplicateIndex()
    assert [index.add(n, text) for n, text in enumerate([*briefs, briefs[0]])] == [None] * 3
    assert len(index) == 3 and 2 in index


def test_stream_forgets_removed_texts() -> None:
    """A copy of a copy points at the first; once every copy is removed nothing is found."""
    index: NearDuplicateIndex[str] = NearDuplicateIndex()
    assert index.add("wire", WIRE) is None
    assert index.add("copy", _republish(WIRE, *OUTLETS[0], trim=False)) == "wire"
    index.remove("wire")
    assert index.add("copy of copy", _republish(WIRE, *OUTLETS[1], trim=False)) == "wire"
    for key in ("copy", "copy of copy", "never added"):
        index.remove(key)
    assert len(index) == 0
    assert index.add("late copy", WIRE) is None


def test_a_key_is_added_once() -> None:
    index: NearDuplicateIndex[int] = NearDuplicateIndex()
    index.add(1, WIRE)
    with pytest.raises(ValueError, match="already in the near-duplicate index"):
        index.add(1, OTHER_QUAKE)
