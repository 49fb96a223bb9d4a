"""Who a speaker is: a source phrase ("he", "the Mexican president") resolved to a person.

The article names its people once in full and then refers to them by surname, pronoun or
description. A phrase that overlaps a person's mention is that person; "he"/"she" is the
most recent person named as the subject of a sentence before it (outside quotations,
where "President Calderon and myself" is the speaker talking about others); a definite
description is the latest person whose own titles include its head noun and modifiers
("the Mexican president" after "Mexican President Felipe Calderon"), while a bare "the
president" or an indefinite "a strategist" may be someone else and is left as it is. What
stays unresolved keeps its own words ("White House officials"), and a pronoun with no
antecedent ("they", "it") gives None.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.nlp import lemma
from newsdesk.models import Entity

_PERSONAL = frozenset({"he", "she", "him", "her", "his"})
_INDEFINITE = frozenset({"a", "an", "another", "one", "some"})
# Pronouns that stand for no one we can name here ("some", "many" keep their own words).
_UNRESOLVED = frozenset(
    {"i", "me", "we", "us", "you", "they", "them", "it", "this", "that", "who", "which"}
    | {"my", "our", "your", "their", "its"}
)
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# The parts of a name or title around its head word ("President [Barack] Obama").
_NAME_DEPS = frozenset({"compound", "amod", "nmod", "flat"})
# Words kept when a source phrase is given as text: its head and the head's modifiers.
_PHRASE_DEPS = frozenset({"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod"})
# Links of a noun the cue speaks to or about, not a speaker ("told AFP", "said in a statement").
_ADDRESSEES = frozenset({"pobj", "dative", "dobj", "npadvmod"})
_SOURCE_POS = frozenset({"PROPN", "NOUN", "PRON"})
_WHEN = frozenset({"DATE", "TIME"})
_TITLE_SKIP = frozenset({"DET", "PUNCT", "ADP", "CCONJ", "SPACE", "PRON", "PART"})


@dataclass(frozen=True)
class _Mention:
    """One mention of a person, with the words that describe them there."""

    start: int
    end: int
    name: str
    subject: bool
    titles: frozenset[str]


class SpeakerResolver:
    """Resolves source tokens of one article to its people (state: the mention index)."""

    def __init__(self, doc: Doc, people: Sequence[Entity], quoted: Sequence[tuple[int, int]]):
        """Index the people's mentions, leaving out those inside quotations."""
        mentions = [
            _mention(doc, person.name, start, end)
            for person in people
            for start, end in person.offsets
            if not _inside(start, quoted)
        ]
        self._mentions = sorted((m for m in mentions if m is not None), key=lambda m: m.start)
        self._starts = [mention.start for mention in self._mentions]
        self._quoted = quoted

    def _speaker_like(self, token: Token) -> bool:
        """Whether a token may name a speaker: not a word of a quotation, not a date or a
        time ("tweeted Sunday", "said Wednesday")."""
        return token.ent_type_ not in _WHEN and not _inside(token.idx, self._quoted)

    def _beside(self, cue: Token) -> Token | None:
        """The head of a noun phrase right after the cue ("said Bolton") or right before it
        ("Mook said"), outside the quotations and within the cue's sentence; not one the cue
        speaks to or about ("told AFP", "said in a statement"). Else the person named last
        before the cue in its sentence ("At the convention Sen. Elizabeth Warren said…",
        parsed as an apposition to "convention")."""
        sent = cue.sent
        after = [cue.doc[i] for i in range(cue.i + 1, min(cue.i + 4, sent.end))]
        before = [cue.doc[cue.i - 1]] if cue.i > sent.start else []
        for token in after + before:
            if token.pos_ in _SOURCE_POS and self._speaker_like(token):
                while token.dep_ in _NAME_DEPS and abs(token.head.i - token.i) <= 3:
                    token = token.head
                if token.dep_ in _ADDRESSEES:
                    break
                return token
        for token in reversed(cue.doc[sent.start : cue.i]):
            if token.ent_type_ == "PERSON" and token.dep_ not in _NAME_DEPS:
                return token if self._speaker_like(token) else None
        return None

    def resolve(self, source: Token | None, cue: Token | None = None) -> str | None:
        """The person a source token stands for, else its phrase's words, else None.

        A source the parser found inside a quotation or in a date, or none at all, is looked
        for again beside the cue (`"…," said Jonathan Barnett, an RNC committeeman`): the
        parser often takes a word of the quotation for the subject of a cue placed after it.
        """
        if cue is not None and (source is None or not self._speaker_like(source)):
            source = self._beside(cue) or source
        if source is None or source.ent_type_ in _WHEN:
            return None
        named = self._overlapping(source)
        if named:
            return named
        if source.lower_ in _PERSONAL:
            return self._antecedent(source)
        if source.lower_ in _UNRESOLVED:
            return None
        if source.pos_ == "NOUN":
            described = self._described(source)
            if described:
                return described
        return _phrase(source).text

    def _overlapping(self, source: Token) -> str | None:
        """The person named by the source's own words or its appositive ("Mr. Obama", "the
        president, Barack Obama"), not by a possessor ("Obama's spokesman" is someone else)."""
        heads = [source] + [child for child in source.children if child.dep_ == "appos"]
        for head in heads:
            words = [head] + [child for child in head.children if child.dep_ in _NAME_DEPS]
            start = min(word.idx for word in words)
            end = max(word.idx + len(word) for word in words)
            for mention in self._between(start, end):
                return mention.name
        return None

    def _between(self, start: int, end: int) -> list[_Mention]:
        """Mentions overlapping [start, end)."""
        low = bisect.bisect_left(self._starts, start - 200)
        return [m for m in self._mentions[low:] if m.start < end and m.end > start]

    def _before(self, offset: int) -> list[_Mention]:
        """Mentions ending before `offset`, latest first."""
        high = bisect.bisect_left(self._starts, offset)
        return [m for m in reversed(self._mentions[:high]) if m.end <= offset]

    def _antecedent(self, pronoun: Token) -> str | None:
        """The latest person named as a subject before the pronoun, else the latest named."""
        earlier = self._before(pronoun.idx)
        for mention in earlier:
            if mention.subject:
                return mention.name
        return earlier[0].name if earlier else None

    def _described(self, noun: Token) -> str | None:
        """The latest person whose titles include the noun and its modifiers (one at least)."""
        modifiers = {child.lower_ for child in noun.children if child.dep_ in {"amod", "compound"}}
        indefinite = any(child.lower_ in _INDEFINITE for child in noun.children)
        if not modifiers or indefinite:  # "the president" alone, "a strategist": someone else
            return None
        wanted = {lemma(noun)} | modifiers
        for mention in self._before(noun.idx):
            if wanted <= mention.titles:
                return mention.name
        return None


def _inside(offset: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether `offset` falls within one of the (sorted or not) ranges."""
    return any(start <= offset < end for start, end in ranges)


def _mention(doc: Doc, name: str, start: int, end: int) -> _Mention | None:
    """A mention with its role (subject or not) and the titles around it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    root = span.root
    subject = root.dep_ in _SUBJECTS or (root.dep_ == "appos" and root.head.dep_ in _SUBJECTS)
    return _Mention(start, end, name, subject, _titles(span, name))


def _titles(span: Span, name: str) -> frozenset[str]:
    """Words describing the person at this mention: titles before it, appositives after it."""
    names = {word.lower() for word in name.split()}
    root = span.root
    words = [token for token in root.subtree if token.i < span.start]
    words += [token for token in span if token.lower_ not in names]
    for child in root.children:
        if child.dep_ == "appos":
            words += list(child.subtree)
    if root.dep_ == "appos":
        words += [token for token in root.head.subtree if token.i < root.head.i + 1]
    return frozenset(
        form
        for token in words
        if token.pos_ not in _TITLE_SKIP and token.lower_ not in names
        for form in (token.lower_, lemma(token))
    )


def _phrase(token: Token) -> Span:
    """The token's noun phrase: the head with its determiners, compounds and modifiers,
    not reaching back across a line break (the parser glues headings onto names)."""
    words = [token]
    pending = [token]
    if token.pos_ not in {"NOUN", "PROPN"}:  # "some [of his admirers]", "those [surveyed]"
        for child in token.rights:
            if child.dep_ in {"prep", "acl"}:
                words.extend(child.subtree)
    while pending:
        for child in pending.pop().children:
            if child.dep_ in _PHRASE_DEPS:
                words.append(child)
                pending.append(child)
    first = min(word.i for word in words)
    last = max(word.i for word in words)
    breaks = [word.i for word in token.doc[first : token.i] if "\n" in word.text]
    return token.doc[(breaks[-1] + 1 if breaks else first) : last + 1]
