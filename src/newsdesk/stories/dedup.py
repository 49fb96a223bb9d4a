"""Near-duplicates: the same wire copy republished with other headlines, trims and boilerplate.

An article is the set of its overlapping 5-word shingles (lower-cased words, each shingle
hashed with CRC-32). Two articles are near-duplicates when the *containment* of their sets,
the shared shingles over the size of the smaller set, reaches the threshold (0.8). Containment
rather than Jaccard because outlets trim wire copy: a copy that keeps the first 60 % of a story
has Jaccard 0.6 with it but containment 1.

`NearDuplicateIndex` works on a stream, in two steps per article:

1. Candidates from MinHash LSH (datasketch `MinHashLSH`, 64 permutations). LSH finds pairs by
   Jaccard, so the bands are set from the containment threshold `c` and the least size ratio
   `rho` of the two sets we promise to catch (0.6: the shorter keeps at least 60 % as many
   shingles as the longer): such a pair has Jaccard at least `c * rho / (1 + rho - c * rho)`
   (0.43 for the defaults), and the bands are the most rows per band (fewest chance pairs)
   that still make a pair at that floor a candidate with probability 0.99: 32 bands of 2 rows.
   A copy with its last paragraph dropped and a headline, byline and boilerplate added has
   Jaccard above 0.7 and is a candidate with probability 1 - 1e-9; pairs further apart than
   the promise are still found with falling probability (0.95 at Jaccard 0.3).
   datasketch's `MinHashLSHEnsemble` answers containment queries directly but does not fit a
   stream: its `index()` may be called once, on an empty index, because it partitions the sets
   by size up front, and it has no `remove`; it also measures containment of the query in an
   indexed set only, while the copy can arrive before or after the longer original.
2. Each candidate is verified with the exact containment of the two shingle sets, so LSH's
   chance pairs never reach the caller. The best candidate wins, and its original is the answer:
   a copy of a copy points at the first copy seen.

Memory per indexed article: its sorted shingle hashes (4 bytes per distinct shingle, about one
per word, plus about 110 bytes of array header) and its 32 LSH band keys in datasketch's
in-memory dict-of-sets storage (about 9 KB, measured). `remove` frees both, so an index of the
articles of the last few weeks stays bounded.

A text under 30 words is never matched: a handful of shingles shared with another short text
(a stock line like "Follow us on Twitter for more news") would reach any containment.

datasketch is imported when the first index is built: it imports scipy, a third of a second
that commands which never compare texts should not wait for.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"\w+")
SHINGLE_WORDS = 5
MIN_WORDS = 30
"""Texts with fewer words are remembered but never matched (too few shingles to judge)."""
_CANDIDATE_RECALL = 0.99

K = TypeVar("K", bound=Hashable)
_Shingles = npt.NDArray[np.uint32]


def _shingles(text: str) -> _Shingles:
    """Sorted distinct CRC-32 hashes of the 5-word shingles; empty under MIN_WORDS words."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return np.empty(0, dtype=np.uint32)
    count = len(words) - SHINGLE_WORDS + 1
    hashes = (zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode()) for i in range(count))
    ordered = np.sort(np.fromiter(hashes, dtype=np.uint32, count=count))
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]  # np.unique, 4x faster


def _containment(mine: _Shingles, theirs: _Shingles) -> float:
    """Shared shingles over the size of the smaller set (binary search of sorted hashes)."""
    positions = np.minimum(np.searchsorted(theirs, mine), len(theirs) - 1)
    shared = np.count_nonzero(theirs[positions] == mine)
    return shared / min(len(mine), len(theirs))


def _jaccard_floor(containment: float, size_ratio: float) -> float:
    """The least Jaccard of two sets with this containment and this ratio of sizes."""
    return containment * size_ratio / (1.0 + size_ratio - containment * size_ratio)


def _bands(num_perm: int, jaccard: float) -> tuple[int, int]:
    """(bands, rows): the most rows per band that still catch `jaccard` at the set recall."""
    for rows in range(num_perm // 2, 1, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - jaccard**rows) ** bands >= _CANDIDATE_RECALL:
            return bands, rows
    return num_perm, 1


@dataclass(frozen=True, slots=True)
class _Entry(Generic[K]):
    """What verification needs of an indexed text, and the original it copies."""

    shingles: _Shingles
    original: K
    order: int


class NearDuplicateIndex(Generic[K]):
    """A streaming index that links each new text to the earlier text it copies.

    Args:
        threshold: the least containment of 5-word shingle sets for a copy.
        min_size_ratio: the least ratio of the smaller set's size to the larger's at which a
            copy is still promised (99 %) to be an LSH candidate; lower costs more candidates.
        num_perm: MinHash permutations (the LSH bands are derived from the three settings).
    """

    def __init__(
        self, threshold: float = 0.8, min_size_ratio: float = 0.6, num_perm: int = 64
    ) -> None:
        from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

        self.threshold = threshold
        bands, rows = _bands(num_perm, _jaccard_floor(threshold, min_size_ratio))
        self._lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows))
        # A blank MinHash holding the permutations, copied per text. CRC-32 hashes are already
        # 32-bit integers, so `int` is the hash function (datasketch pre-mixes them).
        self._blank = MinHash(num_perm=num_perm, hashfunc=int)
        self._entries: dict[K, _Entry[K]] = {}
        self._added = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def add(self, key: K, text: str) -> K | None:
        """Index a new text and say which earlier text it copies.

        Args:
            key: the text's unique key (e.g. the article id).
            text: the article body.

        Returns:
            The key of the original (the first text of its copies) when the text copies an
            indexed one, else None. The original may have been removed since.

        Raises:
            ValueError: when the key is already in the index.
        """
        if key in self._entries:
            raise ValueError(f"key {key!r} is already in the near-duplicate index")
        shingles = _shingles(text)
        original = None
        if len(shingles):
            minhash = self._blank.copy()
            minhash.update_batch(shingles.tolist())
            original = self._best_original(shingles, self._lsh.query(minhash))
            self._lsh.insert(key, minhash, check_duplication=False)
        self._entries[key] = _Entry(shingles, key if original is None else original, self._added)
        self._added += 1
        return original

    def remove(self, key: K) -> None:
        """Forget a text (a key not in the index is ignored), to keep memory bounded.

        Args:
            key: the key the text was added under.
        """
        entry = self._entries.pop(key, None)
        if entry is not None and len(entry.shingles):
            self._lsh.remove(key)

    def _best_original(self, shingles: _Shingles, candidates: Iterable[K]) -> K | None:
        """The original of the verified candidate with the highest containment (the earlier
        on a tie, whatever the keys' hashes), or None when none reaches the threshold."""
        verified = [
            (containment, -entry.order, entry.original)
            for entry in (self._entries[key] for key in candidates)
            if (containment := _containment(shingles, entry.shingles)) >= self.threshold
        ]
        return max(verified, key=lambda found: found[:2])[2] if verified else None


def find_near_duplicates(texts: Sequence[str], threshold: float = 0.8) -> list[int | None]:
    """For each text, the earlier text it near-duplicates (a batch over `NearDuplicateIndex`).

    Args:
        texts: article bodies, in arrival order.
        threshold: the least containment of 5-word shingle sets for a duplicate.

    Returns:
        One entry per text: the index of the first text of the copies it belongs to, among
        earlier texts it shares at least `threshold` of the smaller shingle set with, else None.
    """
    index: NearDuplicateIndex[int] = NearDuplicateIndex(threshold)
    return [index.add(position, text) for position, text in enumerate(texts)]
