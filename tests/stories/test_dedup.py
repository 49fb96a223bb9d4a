"""Near-duplicates: wire copies republished with other headlines, trims and boilerplate."""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.stories import find_near_duplicates

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


def _republished(text: str) -> list[str]:
    trimmed = text.rstrip().rsplit("\n", 1)[0]
    return [
        "Deadly quake hits Italy\n\n" + text,
        trimmed,
        "By Staff Reporter (Reuters)\n\n" + trimmed + "\n\nFollow us on Twitter for more news.",
    ]


def _trim_is_small(text: str) -> bool:
    """A story of 100 words or more whose last paragraph is at most a fifth of it."""
    words = len(text.split())
    return words >= 100 and len(text.rstrip().rsplit("\n", 1)[-1].split()) <= words / 5


def test_wire_copies_point_to_the_original() -> None:
    texts = [WIRE, OTHER_QUAKE, *_republished(WIRE)]
    assert find_near_duplicates(texts) == [None, None, 0, 0, 0]


def test_different_stories_of_one_kind_are_not_duplicates() -> None:
    assert find_near_duplicates([WIRE, OTHER_QUAKE]) == [None, None]


def test_threshold_decides() -> None:
    half = " ".join(WIRE.split()[:40]) + " " + " ".join(OTHER_QUAKE.split()[:40])
    assert find_near_duplicates([WIRE, half], threshold=0.8) == [None, None]
    assert find_near_duplicates([WIRE, half], threshold=0.2) == [None, 0]


def test_copies_of_real_articles_are_found_without_false_pairs(shared_data: Path) -> None:
    """Every republished copy points to its original; ECB+'s own duplicates (the same
    wire copy in several outlets) are real ones: same gold story."""
    with (shared_data / "stories" / "ecbplus.jsonl").open(encoding="utf8") as f:
        records = [json.loads(line) for line in f]
    originals = [r["text"] for r in records]
    copied = [i for i, text in enumerate(originals) if _trim_is_small(text)][::3]
    copies = [_republished(originals[i])[2] for i in copied]
    found = find_near_duplicates([*originals, *copies])
    assert len(copied) > 50
    assert found[len(originals) :] == [i if found[i] is None else found[i] for i in copied]
    pairs = [(i, j) for i, j in enumerate(found[: len(originals)]) if j is not None]
    assert pairs and all(records[i]["story"] == records[j]["story"] for i, j in pairs)
