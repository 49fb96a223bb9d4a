"""Themes of an article, from the documented taxonomy in `data/themes.toml` (docs/themes.md).

GDELT tags articles with themes by counting cue words from a taxonomy; we do the same, with
weighted cues matched on lemmas so that "cartels" and "killed" count as "cartel" and "kill".
One pass over the tokens finds, at each position, the longest cue phrase starting there (a
dict from first word to phrases, so the cost is a few dict lookups per token), credits every
theme that lists it and skips past it, so "drug war" counts for drug trafficking and not also
"war" for armed conflict.

Score of a theme, in [0, 1]: each distinct cue contributes `weight × (1 + ln(hits))`, so a
word repeated ten times weighs about three times one mention, not ten. The body's points per
100 words (at least `_MIN_WORDS` words, so a short text is not inflated) plus
`_TITLE_WEIGHT` times the title's points give a density `d`, squashed as
`1 − exp(−d / _SCALE)`. Themes scoring at least `THRESHOLD` are returned, best first, at most
`MAX_THEMES`.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc

from newsdesk.analyze.nlp import lemma
from newsdesk.models import Theme

THRESHOLD = 0.2
MAX_THEMES = 6
_MIN_WORDS = 150
_TITLE_WEIGHT = 1.0
_SCALE = 4.0
_WEIGHTS = {"strong": 3.0, "cues": 2.0, "weak": 1.0}
_CUE_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")
_TITLE_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""))

Keys = tuple[str, ...]
Phrase = tuple[str, ...]


@dataclass(frozen=True)
class ThemeInfo:
    """One theme of the taxonomy: slug, label, what it covers and its cues with weights."""

    name: str
    label: str
    covers: str
    cues: dict[str, float]


@dataclass(frozen=True)
class _Cue:
    """A cue phrase as key words, and the themes (by index) it signals with their weights."""

    phrase: Phrase
    themes: tuple[tuple[int, float], ...]


@cache
def taxonomy() -> tuple[ThemeInfo, ...]:
    """The themes of `data/themes.toml`, in file order."""
    text = resources.files("newsdesk.analyze").joinpath("data/themes.toml").read_text("utf-8")
    themes = []
    for name, table in tomllib.loads(text).items():
        cues: dict[str, float] = {}
        for group, weight in _WEIGHTS.items():
            for cue in table.get(group, []):
                cues[cue] = max(weight, cues.get(cue, 0.0))
        themes.append(ThemeInfo(name, table["label"], table["covers"], cues))
    return tuple(themes)


def _cue_phrase(cue: str) -> Phrase:
    """Key words of a cue: lowercase, or `=Word` for a capitalised word matched exactly."""
    words = [w for w in _CUE_WORD.findall(cue) if w.lower() != "s"]
    return tuple(f"={w}" if any(c.isupper() for c in w) else w for w in words)


@cache
def _cue_index() -> dict[str, list[_Cue]]:
    """First key word → cues starting with it, longest first."""
    by_phrase: dict[Phrase, dict[int, float]] = defaultdict(dict)
    for index, theme in enumerate(taxonomy()):
        for cue, weight in theme.cues.items():
            by_phrase[_cue_phrase(cue)][index] = weight
    index_: dict[str, list[_Cue]] = defaultdict(list)
    for phrase, themes in by_phrase.items():
        if phrase:
            index_[phrase[0]].append(_Cue(phrase, tuple(themes.items())))
    for cues in index_.values():
        cues.sort(key=lambda cue: -len(cue.phrase))
    return dict(index_)


def _token_keys(text: str, lower: str, base: str) -> Keys:
    """The keys a word can match: its lowercase form, its lemma, its exact capitalised form."""
    keys = (lower,) if base == lower else (lower, base)
    return (*keys, f"={text}") if text[:1].isupper() else keys


def _doc_keys(doc: Doc) -> list[Keys]:
    """Keys of each word of the doc, leaving out punctuation and the possessive 's."""
    return [
        _token_keys(token.text, token.lower_, lemma(token))
        for token in doc
        if not (token.is_punct or token.is_space or token.tag_ == "POS")
    ]


def _title_keys(title: str) -> list[Keys]:
    """Keys of each title word; no parse here, so naive suffix stripping stands in for lemmas."""
    keys = []
    for word in _TITLE_WORD.findall(title):
        lower = word.lower()
        if lower == "s":
            continue
        stems = [lower[: -len(end)] + new for end, new in _SUFFIXES if lower.endswith(end)]
        stems = [stem for stem in stems if len(stem) > 2]
        keys.append(tuple(dict.fromkeys(_token_keys(word, lower, lower) + tuple(stems))))
    return keys


def _matches_at(words: Sequence[Keys], start: int) -> list[_Cue]:
    """The longest cues starting at `start` (several when the word's keys tie), if any."""
    best: list[_Cue] = []
    for key in words[start]:
        for cue in _cue_index().get(key, ()):
            size = len(cue.phrase)
            if best and size < len(best[0].phrase):
                break
            if start + size <= len(words) and all(
                cue.phrase[i] in words[start + i] for i in range(1, size)
            ):
                best = [cue, *best] if best and size == len(best[0].phrase) else [cue]
                break
    return best


def _cue_points(words: Sequence[Keys]) -> dict[int, float]:
    """Points per theme index: each distinct cue weighs `weight × (1 + ln(hits))`."""
    hits: dict[Phrase, int] = defaultdict(int)
    found: dict[Phrase, _Cue] = {}
    position = 0
    while position < len(words):
        cues = _matches_at(words, position)
        for cue in cues:
            hits[cue.phrase] += 1
            found[cue.phrase] = cue
        position += len(cues[0].phrase) if cues else 1
    points: dict[int, float] = defaultdict(float)
    for phrase, count in hits.items():
        for index, weight in found[phrase].themes:
            points[index] += weight * (1.0 + math.log(count))
    return points


def _scores(body: dict[int, float], title: dict[int, float], words: int) -> Iterable[Theme]:
    """Squash each theme's density of cue points into a score in [0, 1]."""
    themes = taxonomy()
    per_100 = 100.0 / max(words, _MIN_WORDS)
    for index in body.keys() | title.keys():
        density = body.get(index, 0.0) * per_100 + _TITLE_WEIGHT * title.get(index, 0.0)
        yield Theme(themes[index].name, round(1.0 - math.exp(-density / _SCALE), 3))


def classify_themes(doc: Doc, title: str = "") -> list[Theme]:
    """Themes of an article, best first.

    Args:
        doc: the parsed article body.
        title: the headline, whose cue words weigh more than the body's.

    Returns:
        At most `MAX_THEMES` themes scoring at least `THRESHOLD`, highest score first.
    """
    words = _doc_keys(doc)
    scored = _scores(_cue_points(words), _cue_points(_title_keys(title)), len(words))
    kept = [theme for theme in scored if theme.score >= THRESHOLD]
    kept.sort(key=lambda theme: (-theme.score, theme.name))
    return kept[:MAX_THEMES]
