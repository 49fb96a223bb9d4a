"""GDELT-style tone: the share of positive and of negative words in an article.

GDELT's GKG (V1.5) reports tone as percentages of an article's words found in a positive or a
negative dictionary: `tone` = positive − negative, `polarity` = positive + negative. We do the
same with the VADER lexicon (`vader_lexicon.txt`, shipped inside the installed vaderSentiment
package, MIT licensed, read through importlib.resources, never downloaded). VADER was chosen
over AFINN because its 7,500 entries, rated by ten people each, include inflected forms
("killed", "threatened") that news is full of, and because AFINN's word list is under the
share-alike ODbL while VADER's MIT licence sits well with ours.

Rules, all cheap, one pass over the tokens:
- words are the alphabetic tokens; they make the denominator of the percentages;
- a word is looked up by its lowercase form, then by its lemma; entries weaker than
  `_MIN_VALENCE` and a few news false friends (`_NEUTRAL_IN_NEWS`: "united", "crude oil") are
  ignored, as are function words and proper names ("Hope", "Justice Department");
- negation: a sentiment word within `_NEGATION_WINDOW` words after a negator ("not", "n't",
  "never", "without"…, VADER's own list), in the same clause, counts for the opposite side:
  "not good" is negative, "absolutely not losing" positive.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from spacy.tokens import Doc

from newsdesk.analyze.nlp import lemma
from newsdesk.models import Tone

_MIN_VALENCE = 1.0
_NEGATION_WINDOW = 3
_SKIPPED_POS = frozenset({"DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PART", "PROPN"})
# fmt: off
_NEUTRAL_IN_NEWS = frozenset({
    "united", "crude", "kind", "like", "pretty", "well", "please", "hand", "goods", "energy",
    "security", "play",
})
_NEGATORS = frozenset({
    "not", "n't", "no", "never", "nor", "neither", "none", "nothing", "nowhere", "nobody",
    "cannot", "without", "rarely", "seldom", "hardly", "despite",
})
# fmt: on


@cache
def _lexicon() -> dict[str, float]:
    """VADER's word → mean valence (−4 … +4), keeping only entries strong enough to count."""
    path = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    lexicon: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, rest = line.partition("\t")
        valence = float(rest.split("\t", 1)[0])
        if word.isalpha() and abs(valence) >= _MIN_VALENCE and word not in _NEUTRAL_IN_NEWS:
            lexicon[word.lower()] = valence
    return lexicon


def _percent(count: int, words: int) -> float:
    """`count` as a percentage of `words`, rounded for display (0 for an empty text)."""
    return round(100.0 * count / words, 3) if words else 0.0


def measure_tone(doc: Doc) -> Tone:
    """Measure the tone of an article as GDELT does: percentages of positive and negative words.

    Args:
        doc: the parsed article body.

    Returns:
        `Tone` with `positive` and `negative` as percentages of the alphabetic words,
        `tone` = positive − negative and `polarity` = positive + negative.
    """
    lexicon = _lexicon()
    words = positive = negative = 0
    negated_until = -1
    for token in doc:
        if token.is_punct:
            negated_until = -1
            continue
        lower = token.lower_
        if lower in _NEGATORS:
            words += token.is_alpha
            negated_until = words + _NEGATION_WINDOW
            continue
        if not token.is_alpha:
            continue
        words += 1
        if token.pos_ in _SKIPPED_POS:
            continue
        valence = lexicon.get(lower) or lexicon.get(lemma(token), 0.0)
        if words <= negated_until:
            valence = -valence
        positive += valence > 0
        negative += valence < 0
    pos, neg = _percent(positive, words), _percent(negative, words)
    return Tone(round(pos - neg, 3), pos, neg, round(pos + neg, 3))
