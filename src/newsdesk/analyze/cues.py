"""Attribution cues: which word, linked to which dependent, introduces what someone said.

A cue is a word (`said`, `told`, `believes`, `claim`, `called for`) whose dependent carries
the attributed content: "Obama said [he will push…]" links `say` to its clausal complement
(`ccomp`), "critics accused him [of lying]" links `accuse` through the preposition `of`.
Which (lemma, link) pairs really introduce attributions is learnt from the PolNeAR train
split (`benchmarks/quotes.py --learn-cues`) and stored in `data/quote_cues.tsv`, so the
lexicon covers thoughts and intentions ("believes", "wants", "expects") as well as speech,
with each pair kept when it marked a real attribution at least now and then in that data.
Whether one reading in a text is an attribution is decided by `CueModel`, a logistic
regression learnt there too (`data/quote_cue_model.json`) over the reading's words, its
source's kind, quotation marks, tense and place, with the pair's precision as one feature.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from spacy.tokens import Token

from newsdesk.analyze.nlp import lemma

LEXICON_FILE = "quote_cues.tsv"
MODEL_FILE = "quote_cue_model.json"
_MARKS = ('"', "\u201c", "\u201d", "''")
_MODALS = frozenset(
    {"will", "would", "could", "can", "may", "might", "should", "must", "not", "n't"}
)
# Content sizes above this many tokens share one feature.
_MAX_SIZE = 6
# Dependents of a cue that can carry its content; a preposition link is written "prep:<word>".
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "advcl", "acl", "attr", "dative", "csubj"})
_PREP_OBJECTS = frozenset({"pobj", "pcomp"})
# "it's", "they're", "I'm": contracted forms of "be".
_CONTRACTED_BE = frozenset({"'s", "'re", "'m"})
# A cue standing in parenthesis ("…, he said, …") hangs off the content's main verb.
PARATAXIS = "^parataxis"
# A clause-taking cue this reliable may also introduce a quotation standing beside it.
SPEECH_PRECISION = 0.5


@dataclass(frozen=True)
class Candidate:
    """A possible attribution: the cue word, the head of its content and the link between."""

    cue: Token
    content: Token
    link: str


def cue_candidates(token: Token) -> Iterator[Candidate]:
    """Every (cue, content head, link) reading in which `token` would be the cue.

    The learner counts these over the train split; `find_quotes` keeps those whose
    (lemma, link) pair is in the learnt lexicon. A copula is no cue: "it was [premature to
    back…]", "the question is [whether…]" wrap what the writer states or what a cue around
    them reports; only a copula whose subject is someone's ("Rubio's response was [that…]")
    attributes its complement to that someone.
    """
    candidates = list(_linked_contents(token))
    if candidates and not (_copula(token) and not _possessed_subject(token)):
        yield from candidates


def _linked_contents(token: Token) -> Iterator[Candidate]:
    """Every reading by the links alone (whether the word may be a cue is checked after:
    most words have no content link, and looking up their lemmas would be wasted)."""
    if token.dep_ == "parataxis" and token.head.pos_ in {"VERB", "AUX"}:
        yield Candidate(token, token.head, PARATAXIS)
    for child in token.children:
        if child.dep_ in _CONTENT_DEPS:
            yield Candidate(token, child, child.dep_)
        elif child.dep_ == "prep":
            for grandchild in child.children:
                if grandchild.dep_ in _PREP_OBJECTS:
                    yield Candidate(token, grandchild, f"prep:{child.lower_}")


def _copula(token: Token) -> bool:
    """Whether a token is a form of "be" (the lemmatizer leaves "it’s", "they’re" with a
    curly apostrophe unresolved)."""
    return lemma(token) == "be" or token.lower_.replace("\u2019", "'") in _CONTRACTED_BE


def _possessed_subject(token: Token) -> bool:
    """Whether a copula's subject belongs to someone ("Sanders's argument was that…",
    "Rubio's response was that…"): then it states what that someone said."""
    return any(
        child.dep_ == "nsubj" and any(grand.dep_ == "poss" for grand in child.children)
        for child in token.children
    )


def cue_key(candidate: Candidate) -> tuple[str, str]:
    """The lexicon key of a candidate: the cue's lowercased lemma and the link."""
    return lemma(candidate.cue), candidate.link


@cache
def cue_lexicon() -> dict[tuple[str, str], float]:
    """The learnt (lemma, link) pairs with the share of train occurrences that were cues."""
    text = (files("newsdesk.analyze") / "data" / LEXICON_FILE).read_text(encoding="utf8")
    lexicon: dict[tuple[str, str], float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, link, precision, _count = line.split("\t")
            lexicon[word, link] = float(precision)
    return lexicon


@cache
def speech_lemmas() -> frozenset[str]:
    """Lemmas that introduce a clause of reported speech or thought (`say`, `tell`, `add`).

    These are the cues that may also introduce a quotation standing beside them.
    """
    return frozenset(
        word
        for (word, link), precision in cue_lexicon().items()
        if link in {"ccomp", PARATAXIS} and precision >= SPEECH_PRECISION
    )


def _predicate(candidate: Candidate) -> list[Token]:
    """What the cue says of its object: "called him [a liar]", "described it [as peaceful]"."""
    words: list[Token] = []
    for child in candidate.cue.rights:
        if child.i > candidate.content.i and (
            child.dep_ == "oprd" or (child.dep_ == "prep" and child.lower_ == "as")
        ):
            words += child.subtree
    return words


def _without_asides(head: Token) -> list[Token]:
    """The head's subtree up to a trailing aside about the speaker's own act: a participle
    after a comma (", citing…", ", claiming…") or a speech verb joined without a subject of
    its own ("…, but conceded that…", "and added, …"). The parser hangs both on the
    content, but they say what the speaker did, not what was said (and the joined verb is
    a cue of its own)."""
    for child in head.rights:
        if participle_aside(child) or joined_speech_verb(child):
            first = child.left_edge.i
            while first > head.i and child.doc[first - 1].dep_ in {"cc", "punct"}:
                first -= 1
            return [token for token in head.subtree if token.i < first]
    return list(head.subtree)


def participle_aside(child: Token) -> bool:
    """Whether a dependent is ", citing…" (the comma may sit inside a quotation's marks)."""
    if child.dep_ != "advcl" or child.tag_ != "VBG" or child.left_edge.i != child.i:
        return False
    before = [token.text for token in child.doc[max(child.i - 2, 0) : child.i]]
    return bool(before) and (before[-1] == "," or (before[0] == "," and _is_mark(before[-1])))


def joined_speech_verb(child: Token) -> bool:
    """Whether a dependent is a joined speech verb without its own subject ("but added"):
    the speaker's next act, though the parser joins it to the content's verb."""
    if child.dep_ != "conj" or child.pos_ != "VERB":
        return False
    if any(grandchild.dep_ in {"nsubj", "nsubjpass"} for grandchild in child.children):
        return False
    lexicon = cue_lexicon()
    return any(
        lexicon.get(cue_key(reading), 0.0) >= SPEECH_PRECISION
        for reading in cue_candidates(child)
        if reading.link in {"ccomp", PARATAXIS}
    )


def _is_mark(text: str) -> bool:
    """Whether a token is a quotation mark."""
    return text in _MARKS


def content_tokens(candidate: Candidate) -> list[Token]:
    """The content's tokens: the dependent's subtree, minus a parenthetical cue's own words.

    Leading and trailing punctuation and whitespace are dropped; a complementizer ("that")
    stays, as PolNeAR annotates it.
    """
    if candidate.link == PARATAXIS:
        own = {token.i for token in candidate.cue.subtree}
        tokens = [token for token in candidate.content.subtree if token.i not in own]
    else:
        tokens = _without_asides(candidate.content)
        if candidate.link == "dobj":
            tokens += _predicate(candidate)
    return trimmed(tokens)


def trimmed(tokens: list[Token]) -> list[Token]:
    """The tokens without punctuation and blanks at either end."""
    first, last = 0, len(tokens)
    while first < last and (tokens[first].is_punct or tokens[first].is_space):
        first += 1
    while last > first and (tokens[last - 1].is_punct or tokens[last - 1].is_space):
        last -= 1
    return tokens[first:last]


@dataclass(frozen=True)
class CueModel:
    """A logistic regression over reading features, learnt on PolNeAR train: whether a
    reading is an attribution depends on more than its (lemma, link) pair (who the subject
    is, whether the content is quoted, the cue's tense), so the lexicon's precision is one
    feature among others."""

    bias: float
    threshold: float
    weights: dict[str, float]

    def probability(self, features: dict[str, float]) -> float:
        """The model's probability that a reading with these features is an attribution."""
        weights = self.weights
        total = self.bias + sum(weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(total, 30.0), -30.0)))


@cache
def cue_model() -> CueModel:
    """The learnt cue model (`data/quote_cue_model.json`)."""
    text = (files("newsdesk.analyze") / "data" / MODEL_FILE).read_text(encoding="utf8")
    data = json.loads(text)
    return CueModel(float(data["bias"]), float(data["threshold"]), dict(data["weights"]))


def reading_features(
    candidate: Candidate,
    tokens: Sequence[Token],
    source: Token | None,
    text: str,
    quoted: Sequence[tuple[int, int]],
) -> dict[str, float]:
    """What the cue model knows of a reading: its cue word and link, its source's kind,
    quotation marks in or beside its content, the cue's form and place, the lexicon's
    precision for its (lemma, link) pair."""
    cue = candidate.cue
    word, link = cue_key(candidate)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    marked = any(mark in text[start:end] for mark in _MARKS)
    beside = text[max(start - 2, 0) : start] + text[end : end + 2]
    features = {
        f"lemma={word}": 1.0,
        f"link={link}": 1.0,
        f"reading={word}|{link}": 1.0,
        f"source={_source_kind(source)}": 1.0,
        f"source|link={_source_kind(source)}|{link}": 1.0,
        f"tag={cue.tag_}": 1.0,
        f"dep={cue.dep_}": 1.0,
        f"size={min(len(tokens), _MAX_SIZE)}": 1.0,
        f"quoted={marked}|{any(mark in beside for mark in _MARKS)}": 1.0,
        f"inside={any(low <= cue.idx < high for low, high in quoted)}": 1.0,
        f"first={cue.i == cue.sent.start or cue.i - cue.sent.start < 3}": 1.0,
        f"after={candidate.content.i > cue.i}": 1.0,
        "precision": cue_lexicon().get((word, link), 0.0),
    }
    for child in cue.children:
        if child.dep_ in {"aux", "neg"} and child.lower_ in _MODALS:
            features[f"aux={child.lower_}"] = 1.0
    content = candidate.content
    features[f"head={content.tag_}"] = 1.0
    features[f"opens={tokens[0].lower_ if tokens[0].dep_ in {'mark', 'aux'} else '-'}"] = 1.0
    features[f"lemma|source={word}|{_source_kind(source)}"] = 1.0
    features[f"under={_under_speech(cue)}"] = 1.0
    return features


def _under_speech(cue: Token) -> bool:
    """Whether the cue stands in the clause a speech verb above it introduces ("Obama said
    he will [push]…"): then it is part of what was said, not an attribution of its own."""
    lemmas = speech_lemmas()
    token = cue
    while token.head is not token and token.dep_ != "ROOT":
        child, token = token, token.head
        if child.dep_ in {"ccomp", "xcomp"} and token.pos_ == "VERB" and lemma(token) in lemmas:
            return True
    return False


def _source_kind(source: Token | None) -> str:
    """What kind of source a reading has: a named person, a pronoun, an organisation, a noun."""
    if source is None:
        return "none"
    if source.pos_ == "PRON":
        return "pronoun"
    if source.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}:
        return source.ent_type_.lower()
    return source.pos_.lower()
