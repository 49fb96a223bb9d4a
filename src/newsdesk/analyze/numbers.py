"""Numbers written in digits or words: "6,300", "sixteen", "two dozen", "tens of thousands".

Counts, amounts and dates all read numbers the same way, so the reading lives here once.
A vague plural magnitude stands for the magnitude itself, marked approximate: "dozens" is
12, "hundreds" 100, "thousands" 1,000, "tens of thousands" 10,000, "hundreds of thousands"
100,000. That is the smallest round figure the phrase can mean (GDELT likewise keeps a lower
bound), so totals built from such counts never overstate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["Number", "is_number_word", "parse_number"]

_SMALL = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
_SCALES = {
    "dozen": 12.0,
    "score": 20.0,
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "k": 1e3,
}
_VAGUE = {
    "tens": 10.0,
    "dozens": 12.0,
    "scores": 20.0,
    "hundreds": 100.0,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
}
# Words that make a figure approximate wherever they stand in the number phrase.
_APPROXIMATE = frozenset(
    [
        "some",
        "about",
        "around",
        "approximately",
        "roughly",
        "nearly",
        "almost",
        "over",
        "more",
        "than",
        "at",
        "least",
        "up",
        "to",
        "estimated",
        "as",
        "many",
        "much",
        "close",
        "fewer",
        "less",
        "under",
        "some+",
        "odd",
        "plus",
        "several",
        "few",
    ]
)
_FILLERS = frozenset({"of", "and", "a", "an", "the", "-"})
# After a figure these open a range ("10 to 15", "two or three"): its lower end is kept.
_RANGE = frozenset({"to", "or", "-", "–"})
_KNOWN = _APPROXIMATE | _FILLERS | _VAGUE.keys() | _SCALES.keys()
_DIGITS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mn|bn|b|tn)$")


class Number(NamedTuple):
    """A number read from text, and whether the text gives it only roughly."""

    value: float
    approximate: bool


def parse_number(words: Sequence[str]) -> Number | None:
    """Read a number phrase such as ["some", "6,300"] or ["tens", "of", "thousands"].

    Args:
        words: the phrase's words in order (any case; hyphenated words are split).

    Returns:
        The number, or None when the phrase holds no number or a word that is no part of one.
    """
    total = current = 0.0
    seen = approximate = False
    article_one = False  # "a"/"an" stands for one until a figure comes: "a million"
    split = _split(words)
    for i, word in enumerate(split):
        if seen and word in _RANGE and not _joins_scale(split, i):
            return Number(total + current, True)
        if word in _APPROXIMATE:
            approximate = True
        elif word in _FILLERS:
            article_one = word in ("a", "an") and not current
            current = 1.0 if article_one else current
        elif (value := _plain_value(word)) is not None:
            # "an estimated two million" is two million: the figure replaces the article's one.
            current, seen, article_one = (value if article_one else current + value), True, False
        elif word in _VAGUE:
            current, seen, approximate = (current or 1.0) * _VAGUE[word], True, True
        elif word in _SCALES:
            current, seen = (current or 1.0) * _SCALES[word], True
            if _SCALES[word] >= 1e3:
                total, current = total + current, 0.0
        else:
            return None
    return Number(total + current, approximate) if seen else None


def _joins_scale(words: list[str], i: int) -> bool:
    """Whether the hyphen at `i` joins a figure to its scale ("$137-million"), not a range."""
    return words[i] == "-" and i + 1 < len(words) and words[i + 1] in _SCALES


def is_number_word(word: str) -> bool:
    """True when a word can be part of a number phrase ("6,300", "dozen", "about", "of").

    Args:
        word: one word, any case.

    Returns:
        Whether `parse_number` would read the word as part of a number.
    """
    lower = word.lower()
    return lower in _KNOWN or all(_plain_value(part) is not None for part in _split([lower]))


def _split(words: Sequence[str]) -> list[str]:
    """Lowercase words, hyphenated compounds split ("twenty-five" → twenty, five)."""
    split: list[str] = []
    for word in words:
        lower = word.lower()
        parts = [lower] if _DIGITS.match(lower) else re.split(r"(?<=[a-z])-(?=[a-z])", lower)
        split.extend(part for part in parts if part)
    return split


def _plain_value(word: str) -> float | None:
    """The value of one number word or figure ("sixteen", "6,300", "1.2", "5bn")."""
    if _DIGITS.match(word):
        return float(word.replace(",", ""))
    suffixed = _SUFFIXED.match(word)
    if suffixed:
        return float(suffixed.group(1)) * _SCALES[suffixed.group(2)]
    return _SMALL.get(word, _TENS.get(word))
