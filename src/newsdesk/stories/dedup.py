"""Near-duplicates: the same wire copy republished with other headlines, trims and boilerplate.

Two texts are near-duplicates when the containment of their sets of 5-word shingles (shared
shingles over the size of the smaller set) reaches the threshold. Containment rather than
Jaccard because republished copies are trimmed: dropping the last paragraph of a 100-word wire
story brings the Jaccard down to about 0.6 while the containment stays above 0.85. Candidates
come from an inverted index from shingle hashes to the texts holding them, so a text is only
compared with texts sharing a shingle (no all-pairs); the measure is then exact. At the scale of
a news desk's day (thousands of articles) this is cheap and needs no MinHash LSH (datasketch),
which would trade exactness for speed at millions of texts.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence

_WORD = re.compile(r"\w+")
SHINGLE_WORDS = 5


def _shingles(text: str) -> frozenset[int]:
    """Hashes (CRC-32) of the text's overlapping 5-word shingles, lower-cased."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return frozenset([zlib.crc32(" ".join(words).encode())]) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode())
        for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def find_near_duplicates(texts: Sequence[str], threshold: float = 0.8) -> list[int | None]:
    """For each text, an earlier text it near-duplicates.

    Args:
        texts: article bodies, in arrival order.
        threshold: the least containment of 5-word shingle sets for a duplicate.

    Returns:
        One entry per text: the index of the earlier text it shares the most shingles with
        among those at or above the threshold (the first copy when that one is itself a
        copy), else None.
    """
    index: dict[int, list[int]] = {}
    sets: list[frozenset[int]] = []
    found: list[int | None] = []
    for position, text in enumerate(texts):
        shingles = _shingles(text)
        shared: Counter[int] = Counter()
        for shingle in shingles:
            shared.update(index.get(shingle, ()))
        found.append(_best_match(shingles, shared, sets, threshold))
        original = found[-1]
        if original is not None and found[original] is not None:
            found[-1] = found[original]
        sets.append(shingles)
        for shingle in shingles:
            index.setdefault(shingle, []).append(position)
    return found


def _best_match(
    shingles: frozenset[int],
    shared: Counter[int],
    sets: list[frozenset[int]],
    threshold: float,
) -> int | None:
    """The earlier text with the highest containment at or above the threshold, if any."""
    best, best_containment = None, threshold
    for other, common in shared.items():
        containment = common / min(len(shingles), len(sets[other]))
        if containment >= best_containment:
            best, best_containment = other, containment
    return best
