"""Attribution cues: which word, linked to which dependent, introduces what someone said.

A cue is a word (`said`, `told`, `believes`, `claim`, `called for`) whose dependent carries
the attributed content: "Obama said [he will push…]" links `say` to its clausal complement
(`ccomp`), "critics accused him [of lying]" links `accuse` through the preposition `of`.
Which (lemma, link) pairs really introduce attributions is learnt from the PolNeAR train
split (`benchmarks/quotes.py --learn-cues`) and stored in `data/quote_cues.tsv`, so the
lexicon covers thoughts and intentions ("believes", "wants", "expects") as well as speech,
with each pair kept only when it marked a real attribution often enough in that data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from spacy.tokens import Token

from newsdesk.analyze.nlp import lemma

LEXICON_FILE = "quote_cues.tsv"
# Dependents of a cue that can carry its content; a preposition link is written "prep:<word>".
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "advcl", "acl", "attr", "dative", "csubj"})
_PREP_OBJECTS = frozenset({"pobj", "pcomp"})
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
    (lemma, link) pair is in the learnt lexicon.
    """
    if token.dep_ == "parataxis" and token.head.pos_ in {"VERB", "AUX"}:
        yield Candidate(token, token.head, PARATAXIS)
    for child in token.children:
        if child.dep_ in _CONTENT_DEPS:
            yield Candidate(token, child, child.dep_)
        elif child.dep_ == "prep":
            for grandchild in child.children:
                if grandchild.dep_ in _PREP_OBJECTS:
                    yield Candidate(token, grandchild, f"prep:{child.lower_}")


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
        if _participle_aside(child) or joined_speech_verb(child):
            first = child.left_edge.i
            while first > head.i and child.doc[first - 1].dep_ in {"cc", "punct"}:
                first -= 1
            return [token for token in head.subtree if token.i < first]
    return list(head.subtree)


def _participle_aside(child: Token) -> bool:
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
    return text in {'"', "\u201c", "\u201d", "''"}


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
    start, end = 0, len(tokens)
    while start < end and (tokens[start].is_punct or tokens[start].is_space):
        start += 1
    while end > start and (tokens[end - 1].is_punct or tokens[end - 1].is_space):
        end -= 1
    return tokens[start:end]
