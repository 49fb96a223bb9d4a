"""Tone: GDELT-style percentages of positive and negative words, on small and real texts."""

from __future__ import annotations

import json
from pathlib import Path
from statistics import mean

import pytest

from newsdesk.analyze.nlp import parse, parse_many
from newsdesk.analyze.tone import measure_tone
from newsdesk.models import Tone


def test_percentages_of_alphabetic_words() -> None:
    # 6 alphabetic words ("3" is not one), of which "won", "great" and "prize" are positive.
    tone = measure_tone(parse("The 3 teams won a great prize."))
    assert tone == Tone(tone=50.0, positive=50.0, negative=0.0, polarity=50.0)


def test_negative_text() -> None:
    tone = measure_tone(parse("Three people were killed in a violent attack."))
    assert tone.negative > 0 and tone.positive == 0
    assert tone.tone == -tone.negative
    assert tone.polarity == tone.negative


def test_neutral_text() -> None:
    assert measure_tone(parse("The meeting is on Tuesday in the town hall.")) == Tone(0, 0, 0, 0)


def test_empty_text() -> None:
    assert measure_tone(parse("")) == Tone(0.0, 0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("The result is not good.", -1),
        ("He didn't lose.", 1),
        ("She was never happy there.", -1),
        ("The result is good.", 1),
    ],
)
def test_negation_flips_the_word(text: str, sign: int) -> None:
    tone = measure_tone(parse(text)).tone
    assert tone * sign > 0


def test_negation_stops_at_punctuation() -> None:
    assert measure_tone(parse("No, the outcome was good.")).tone > 0


def test_proper_names_and_news_false_friends_are_neutral() -> None:
    assert (
        measure_tone(parse("Hope Smith met the United Nations about crude exports.")).polarity == 0
    )


def test_reference_article_is_negative(reference_article: Path) -> None:
    tone = measure_tone(parse(reference_article.read_text(encoding="utf-8")))
    assert tone.tone < 0
    assert tone.negative > 3
    assert tone.polarity == pytest.approx(tone.positive + tone.negative, abs=0.002)


def test_disasters_and_shootings_read_darker_than_award_shows(shared_data: Path) -> None:
    """ECB+: earthquakes (topic 20) and office shootings (18) against Oscar hosts (2)."""
    rows = [
        json.loads(line)
        for line in (shared_data / "stories" / "ecbplus.jsonl").read_text("utf-8").splitlines()
    ]

    def tones(topic: int) -> list[float]:
        texts = [r["text"] for r in rows if r["topic"] == topic][:8]
        return [measure_tone(doc).tone for doc in parse_many(texts)]

    dark = tones(20) + tones(18)
    bright = tones(2)
    assert mean(dark) < -1.0 < 1.0 < mean(bright)
    assert sum(t < 0 for t in dark) >= 0.8 * len(dark)
