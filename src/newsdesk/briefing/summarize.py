"""Extractive summaries: the central sentences of an article, or of the articles of a story.

Every sentence gets a score from a small logistic regression over what can be seen without
a parse: how central it is (TextRank's word overlap with every other sentence, each overlap
divided by the log lengths of the two sentences), where it stands, how long it is, how many
headline words it shares, whether it carries figures, quotation marks or names. The weights
were learnt on a documented split of the BBC News Summary set by `benchmarks/summaries.py
--learn` (`data/summary_model.json`); an article's summary is its best N sentences in
article order.

A story's summary pools the sentences of all its articles, so a sentence that several
outlets carry is central by its copies. It adds a bonus for each kind of fact a sentence
carries (a briefing reader wants the figures, the actors and what they said, which the BBC
references do not reward as much), opens with a sentence that stands on its own (not "He
said…", "It was…", "But…" or a bare quotation), keeps out a sentence whose words another
chosen sentence already has (wire copies, rewrites), and stops at about the word budget.
Key facts of a story come from the analyses: its largest counts, one direct quote with its
speaker, and its countries by name.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
import pycountry

from newsdesk.models import Analysis, Article, Count, Quote
from newsdesk.stories.story import largest_counts, outlet_of

MODEL_FILE = "summary_model.json"
DEFAULT_SENTENCES = 3
DEFAULT_WORDS = 60
# Story summaries: the log-odds added per kind of fact (figure, quotation, name) a sentence
# carries, and what share of a sentence's words, found in a chosen one, makes it redundant.
FACT_BONUS = 0.5
REDUNDANT_SHARE = 0.6
# Facts: how many counts, how long a quote may be, how many countries.
COUNTS_KEPT = 2
QUOTE_MAX_WORDS = 30
COUNTRIES_KEPT = 4

# A sentence ends at . ! or ? (with closing quotes or brackets) before a capital or a figure,
# unless the word before the stop is an initial or a title ("George W. Bush", "Mr. Smith").
_END = re.compile(r"""[.!?]["'”’)\]]*(?=\s+["'“‘(\[]{0,2}[A-Z0-9£$€])""")
_NOT_END = re.compile(
    r"(?<![\w.])(?:[A-Z]|Mr|Mrs|Ms|Dr|St|No|vs|Prof|Gen|Gov|Sen|Rep|Jr|Lt|Col|Capt|Sgt|Rev|Mt)\.$"
)
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_QUOTE_MARKS = ('"', "“", "”")
_DIGIT = re.compile(r"\d")
# The words that make a count's figure approximate, when they stand right before it.
_QUALIFIER = re.compile(
    r"\b(at least|more than|over|nearly|almost|about|around|some|up to|roughly|"
    r"approximately|as many as|an estimated)\s+(?=\d)",
    re.IGNORECASE,
)
# First words that lean on an earlier sentence: pronouns and connectives.
_PRONOUNS = "he she it they him her his its their them this that these those we our i"
_CONNECTIVES = "but however and also yet so"
_DEPENDENT_OPENERS = frozenset(_PRONOUNS.split() + _CONNECTIVES.split())


@dataclass(frozen=True)
class SentenceModel:
    """The learnt sentence scorer: a logistic regression over named features."""

    bias: float
    weights: dict[str, float]

    def score(self, features: dict[str, float]) -> float:
        """The log-odds that a sentence with these features belongs in a summary."""
        return self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, with where it stands and the words that carry its meaning.

    `article` is the index of its article in the story (0 for a single article), `position`
    its index among that article's `total` sentences, `title` the content words of the
    article's headline.
    """

    text: str
    article: int
    position: int
    total: int
    words: tuple[str, ...]
    title: frozenset[str]

    @property
    def size(self) -> int:
        """Its length in words, as a reader counts them."""
        return len(self.text.split())


@dataclass(frozen=True)
class StorySummary:
    """A story's summary and the outlets whose articles carry its sentences."""

    text: str
    outlets: list[str]


@cache
def sentence_model() -> SentenceModel:
    """The learnt sentence scorer (`data/summary_model.json`)."""
    text = (files("newsdesk.briefing") / "data" / MODEL_FILE).read_text(encoding="utf8")
    data = json.loads(text)
    return SentenceModel(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})


@cache
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words (imported on first use: spaCy takes a second to load)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; a line break always ends one.

    Args:
        text: plain text, paragraphs on lines of their own.

    Returns:
        The sentences, stripped, in order.
    """
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        start = 0
        for match in _END.finditer(paragraph):
            if not _NOT_END.search(paragraph, max(0, match.start() - 5), match.start() + 1):
                sentences.append(paragraph[start : match.end()])
                start = match.end()
        sentences.append(paragraph[start:])
    return [s.strip() for s in sentences if s.strip()]


def content_words(text: str) -> tuple[str, ...]:
    """The lowercased words of a text that are not stop words, in order, repeats kept."""
    stop = _stop_words()
    return tuple(w for w in (m.lower() for m in _WORD.findall(text)) if w not in stop)


def article_sentences(article: Article, index: int = 0) -> list[Sentence]:
    """The sentences of an article's standfirst and body, as the summariser sees them.

    Args:
        article: the extracted article.
        index: the article's place in its story.

    Returns:
        Its sentences in order.
    """
    texts = split_sentences(f"{article.standfirst or ''}\n{article.body}")
    title = frozenset(content_words(article.title))
    return [
        Sentence(text, index, position, len(texts), content_words(text), title)
        for position, text in enumerate(texts)
    ]


def _centrality(sentences: Sequence[Sentence]) -> np.ndarray:
    """TextRank's weighted degree: shared words over the sum of the two log lengths."""
    vocabulary = {w: i for i, w in enumerate({w for s in sentences for w in s.words})}
    present = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)
    for row, sentence in enumerate(sentences):
        present[row, [vocabulary[w] for w in set(sentence.words)]] = 1.0
    shared = present @ present.T
    np.fill_diagonal(shared, 0.0)
    logs = np.log(np.maximum([len(s.words) for s in sentences], 1))
    scale = np.maximum(logs[:, None] + logs[None, :], 1e-9)
    degree: np.ndarray = (shared / scale).sum(axis=1)
    return degree / degree.max() if degree.max() > 0 else degree


def _share_below(values: np.ndarray) -> np.ndarray:
    """Each value's percentile among the others: the share below it, ties counting half
    (so that equally central copies get equal ranks, whatever their order)."""
    below = (values[None, :] < values[:, None]).sum(axis=1)
    ties = (values[None, :] == values[:, None]).sum(axis=1) - 1
    share: np.ndarray = (below + ties / 2) / max(len(values) - 1, 1)
    return share


def sentence_features(sentences: Sequence[Sentence]) -> list[dict[str, float]]:
    """What the scorer knows of each sentence, centrality taken over all of `sentences`.

    Args:
        sentences: an article's sentences, or those of all the articles of a story.

    Returns:
        One feature dict per sentence, in order.
    """
    if not sentences:
        return []
    centrality = _centrality(sentences)
    rank = _share_below(centrality)
    return [
        {
            "centrality": float(centrality[i]),
            "centrality_rank": float(rank[i]),
            "position": s.position / s.total,
            "lead": 1.0 / (s.position + 1),
            "first": float(s.position == 0),
            "length": math.log1p(s.size),
            "title": len(s.title.intersection(s.words)) / max(len(s.title), 1),
            **_fact_features(s.text),
        }
        for i, s in enumerate(sentences)
    ]


def _fact_features(text: str) -> dict[str, float]:
    """Whether a sentence carries a figure or a quotation, and its share of capitalised
    words after the first (names of people, places, organisations)."""
    words = text.split()
    names = sum(1 for w in words[1:] if w[:1].isupper())
    return {
        "figure": float(bool(_DIGIT.search(text))),
        "quote": float(any(mark in text for mark in _QUOTE_MARKS)),
        "names": names / max(len(words), 1),
    }


def _scores(sentences: Sequence[Sentence]) -> list[float]:
    """The model's log-odds for each sentence."""
    model = sentence_model()
    return [model.score(f) for f in sentence_features(sentences)]


def summarize_article(article: Article, sentences: int = DEFAULT_SENTENCES) -> str:
    """An extractive summary of one article: its best sentences, in article order.

    Args:
        article: the extracted article (its standfirst and body are summarised).
        sentences: how many sentences (all of them when the article has fewer).

    Returns:
        The chosen sentences joined by spaces; empty for an article without text.
    """
    pool = article_sentences(article)
    scores = _scores(pool)
    best = sorted(range(len(pool)), key=lambda i: -scores[i])[: max(sentences, 1)]
    return " ".join(pool[i].text for i in sorted(best))


def summarize_story(articles: Sequence[Article], words: int = DEFAULT_WORDS) -> StorySummary:
    """A multi-document summary: central, non-redundant, fact-bearing sentences of a story.

    Args:
        articles: the story's articles (reports; near-identical copies are harmless).
        words: the word budget; the summary ends within a fifth of it either side when
            the sentences allow.

    Returns:
        The summary, opening with a sentence that stands on its own, and the outlets that
        carry its sentences (or copies of them), in the order of `articles`.
    """
    pool = [s for index, a in enumerate(articles) for s in article_sentences(a, index)]
    if not pool:
        return StorySummary("", [])
    model = sentence_model()
    features = sentence_features(pool)
    scores = [model.score(f) + FACT_BONUS * _fact_kinds(f) for f in features]
    ranked = sorted(range(len(pool)), key=lambda i: -scores[i])
    chosen = _choose(pool, ranked, words)
    carriers = {s.article for s in pool if any(_redundant(s, pool[i]) for i in chosen)}
    return StorySummary(
        " ".join(pool[i].text for i in chosen),
        _outlets([articles[i] for i in sorted(carriers)]),
    )


def _fact_kinds(features: dict[str, float]) -> int:
    """How many kinds of fact a sentence carries: a figure, a quotation, a name."""
    return int(features["figure"]) + int(features["quote"]) + int(features["names"] > 0)


def _choose(pool: Sequence[Sentence], ranked: Sequence[int], words: int) -> list[int]:
    """The best sentence that stands alone and fits the budget (the best that stands alone
    when none fits), then the best that fit the budget and repeat none chosen, those in
    story order (relative place in their article)."""
    slack = words // 5
    alone = [i for i in ranked if _stands_alone(pool[i].text)] or list(ranked)
    opener = next((i for i in alone if pool[i].size <= words + slack), alone[0])
    chosen, total = [opener], pool[opener].size
    for i in ranked:
        if total >= words - slack:
            break
        fits = total + pool[i].size <= words + slack
        if fits and not any(_redundant(pool[i], pool[j]) for j in chosen):
            chosen.append(i)
            total += pool[i].size
    rest = sorted(chosen[1:], key=lambda i: (pool[i].position / pool[i].total, pool[i].article))
    return [opener, *rest]


def _stands_alone(text: str) -> bool:
    """Whether a sentence can open a summary: no leading pronoun, connective or quotation."""
    if text.startswith((*_QUOTE_MARKS, "'", "‘")):
        return False
    first = _WORD.search(text)
    return first is not None and first.group().lower() not in _DEPENDENT_OPENERS


def _redundant(candidate: Sentence, chosen: Sentence) -> bool:
    """Whether most of the candidate's words are in a chosen sentence (a copy, a rewrite)."""
    words = set(candidate.words)
    return bool(words) and len(words.intersection(chosen.words)) >= REDUNDANT_SHARE * len(words)


def _outlets(articles: Sequence[Article]) -> list[str]:
    """Distinct outlet names of articles, in order (stories.story decides what an outlet is;
    imported here because the stories package loads the clustering stack)."""
    return list(dict.fromkeys(o for o in map(outlet_of, articles) if o))


def story_facts(analyses: Sequence[Analysis]) -> list[str]:
    """A story's key facts as readable lines: its largest counts, one quote, its countries.

    Args:
        analyses: the analyses of the story's articles.

    Returns:
        Lines such as "At least 150 people killed in L'Aquila", 'Barack Obama: “…”' and
        "Countries: Italy, Greece"; a kind of fact the analyses lack is left out.
    """
    facts = [count_line(c) for c in largest_counts(analyses)[:COUNTS_KEPT]]
    quote = _best_quote(analyses)
    if quote is not None:
        facts.append(f"{quote.speaker}: “{_trimmed(quote.text)}”")
    countries = _countries(analyses)
    if countries:
        facts.append("Countries: " + ", ".join(countries))
    return facts


def count_line(count: Count) -> str:
    """ "At least 150 people killed in L'Aquila": an approximate figure keeps the count's own
    qualifier ("nearly", "up to"), or reads "About" when its words give none."""
    qualifier = _QUALIFIER.search(count.text) if count.approximate else None
    prefix = ""
    if count.approximate:
        prefix = qualifier.group(1).capitalize() + " " if qualifier else "About "
    line = f"{prefix}{count.number:,} {count.unit} {count.event}"
    return f"{line} in {count.where}" if count.where else line


def _best_quote(analyses: Sequence[Analysis]) -> Quote | None:
    """A direct quote by the story's most quoted named speaker, the longest that fits."""
    quotes = [q for a in analyses for q in a.quotes if q.speaker and q.kind == "direct"]
    if not quotes:
        return None
    speaker = Counter(q.speaker for q in quotes).most_common(1)[0][0]
    theirs = [q for q in quotes if q.speaker == speaker]
    fitting = [q for q in theirs if len(q.text.split()) <= QUOTE_MAX_WORDS]
    return max(fitting, key=lambda q: len(q.text)) if fitting else theirs[0]


def _trimmed(text: str) -> str:
    """A quotation cut to the fact line's length at a word, marked with an ellipsis."""
    words = text.split()
    return text if len(words) <= QUOTE_MAX_WORDS else " ".join(words[:QUOTE_MAX_WORDS]) + "…"


def _countries(analyses: Sequence[Analysis]) -> list[str]:
    """The countries the story's articles focus on, by name, most reported first."""
    codes = Counter(code for a in analyses for code in a.focus_countries)
    return [_country_name(code) for code, _ in codes.most_common(COUNTRIES_KEPT)]


def _country_name(code: str) -> str:
    """A country's usual name ("Iran", not "Iran, Islamic Republic of"); the code when
    pycountry does not know it."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name: str = getattr(country, "common_name", None) or country.name
    return name.split(",")[0]
