"""A story's headline: the title most like the others, as an editor would pick it.

Outlets retitle the same report ("Quake kills 150 in Italy", "Italy earthquake: 150 dead",
"BREAKING: ..."); the most representative title is the medoid, the one sharing the most words
with all the others (Jaccard over lower-cased content words). Ties go to the earliest title,
so a story's headline is stable while it grows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"\w+")
_MINOR_WORDS = frozenset("a an and as at by for from in into of on or the to with".split())  # noqa: SIM905


def _words(title: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(title.lower()) if w not in _MINOR_WORDS)


def representative_title(titles: Sequence[str]) -> str:
    """The medoid of the titles by shared words; the first title wins ties.

    Args:
        titles: the story's article titles, oldest first.

    Returns:
        The chosen title ("" for no titles).
    """
    if not titles:
        return ""
    sets = [_words(title) for title in titles]

    def closeness(index: int) -> float:
        mine = sets[index]
        return sum(len(mine & other) / len(mine | other) for other in sets if mine | other)

    best = max(range(len(titles)), key=lambda i: (closeness(i), -i))
    return titles[best]
