"""Who a speaker is: a source phrase ("he", "the Mexican president") resolved to a person.

The article names its people once in full and then refers to them by surname, pronoun or
description. A phrase that overlaps a person's mention is that person; "he"/"she" is the
most recent person named as the subject of a sentence before it (outside quotations,
where "President Calderon and myself" is the speaker talking about others); a definite
description is the latest person one of whose titles it names, head noun and modifiers
("the Mexican president" after "Mexican President Felipe Calderon"; "the Sanders campaign"
is not its manager), while a bare "the president" or an indefinite "a strategist" may be
someone else and is left as it is, and a plural one ("RNC members") is a group; a name
modifying a noun ("a Trump supporter") is not the speaker. "They" is the nearest plural
subject before it ("Cruz's allies bristle…, they insist"). What stays unresolved keeps its
own words, with a short qualifier that says whose ("a spokesman for Ryan", "85% of
Democrats"), and a pronoun with no antecedent ("they", "it") gives None. Sources joined by
"and" speak together ("Xi Jinping and other leaders"). A speaker placed after a speech verb
that has no subject ('"…," added another New Hampshire Democrat') is taken from there,
though the parser reads it as the verb's object.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.cues import speech_lemmas
from newsdesk.analyze.nlp import lemma, text_of
from newsdesk.models import Entity

_PERSONAL = frozenset({"he", "she", "him", "her", "his"})
_INDEFINITE = frozenset({"a", "an", "another", "one", "some"})
# Pronouns that stand for no one we can name here ("some", "many" keep their own words).
_UNRESOLVED = frozenset(
    {"i", "me", "we", "us", "you", "they", "them", "it", "this", "that", "who", "which"}
    | {"my", "our", "your", "their", "its"}
)
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Plural pronouns, resolved to a group named as a subject just before them.
_GROUP = frozenset({"they", "them", "their"})
# The parts of a name or title around its head word ("President [Barack] Obama").
_NAME_DEPS = frozenset({"compound", "amod", "nmod", "flat"})
# Words kept when a source phrase is given as text: its head and the head's modifiers.
_PHRASE_DEPS = frozenset({"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod"})
# Links of a noun the cue speaks to or about, not a speaker ("told AFP", "said in a statement").
_ADDRESSEES = frozenset({"pobj", "dative", "dobj", "npadvmod"})
# Links of a name that is part of another's: a title, a possessor ("Obama's chief of staff").
_HEAD_DEPS = _NAME_DEPS | {"poss"}
# Finite verb tags: "said", "says", "say" (not "saying", which takes its subject from above).
_FINITE = frozenset({"VBD", "VBZ", "VBP"})
# Verbs whose object is the one spoken to, never the speaker.
_HEARER_OBJECT = frozenset({"tell", "inform", "remind", "assure", "warn", "urge", "advise"})
# Links of a cue without a subject to the speech verb whose speaker it shares.
_JOINED = frozenset({"advcl", "conj", "xcomp"})
# How the parser links a speaker placed after its verb.
_INVERTED_DEPS = frozenset({"dobj", "advmod", "npadvmod", "attr", "nsubj", "appos", "dep"})
_SOURCE_POS = frozenset({"PROPN", "NOUN", "PRON"})
_WHEN = frozenset({"DATE", "TIME"})
_ARTICLES = frozenset({"a", "an", "the"})
# Prepositions that tie a description to its owner ("a spokesman for Ryan"), and the most
# words such a qualifier may have.
_OWNERS = frozenset({"of", "for", "at", "from", "with", "by"})
_MAX_QUALIFIER = 8
# A plural description ("RNC members", "the committee chairmen") is a group, not one person.
_PLURAL = frozenset({"NNS", "NNPS"})
_TITLE_SKIP = frozenset({"DET", "PUNCT", "ADP", "CCONJ", "SPACE", "PRON", "PART"})


@dataclass(frozen=True)
class _Mention:
    """One mention of a person, with the words that describe them there and the heads of
    those descriptions ("manager" in "Sanders campaign manager Jeff Weaver")."""

    start: int
    end: int
    name: str
    subject: bool
    titles: frozenset[str]
    heads: frozenset[str]


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
        return _timeless(token) and not _inside(token.idx, self._quoted)

    def _beside(self, cue: Token) -> Token | None:
        """The head of a noun phrase right after the cue ("said Bolton") or right before it
        ("Mook said"), outside the quotations and within the cue's sentence; not one the cue
        speaks to or about ("told AFP", "said in a statement", "said of their time") nor a
        word of the clause it reports ("said that [fact] speaks volumes"). Else the person
        named last before the cue in its sentence ("At the convention Sen. Elizabeth Warren
        said…", parsed as an apposition to "convention")."""
        sent = cue.sent
        after = [cue.doc[i] for i in range(cue.i + 1, min(cue.i + 4, sent.end))]
        before = [cue.doc[cue.i - 1]] if cue.i > sent.start else []
        for token in after:
            if token.pos_ == "ADP":
                break
            if self._nominal(token):
                token = _name_head(token)
                if token.dep_ in _ADDRESSEES or token.head.i != cue.i:
                    break
                return token
        if before and self._nominal(before[0]):
            return _name_head(before[0])
        return self._named_before(cue)

    def _nominal(self, token: Token) -> bool:
        """Whether a token outside the quotations is a noun, a pronoun or a person's name
        (the tagger takes "Skelly" in "said Skelly" for an adverb)."""
        named = token.pos_ in _SOURCE_POS or bool(self._between(token.idx, token.idx + 1))
        return named and self._speaker_like(token)

    def _named_before(self, cue: Token) -> Token | None:
        """The person named last before the cue in its sentence, passing over possessors
        ("William M. Daley, President Obama's former chief of staff, said"), unless the
        first one named opens an aside ("Clinton, goaded by Sanders, came out against…")."""
        people = [
            token
            for token in cue.doc[cue.sent.start : cue.i]
            if (token.ent_type_ == "PERSON" or self._between(token.idx, token.idx + 1))
            and token.dep_ not in _HEAD_DEPS
        ]
        if not people:
            return None
        first = people[0]
        aside = first.i + 1 < cue.i and cue.doc[first.i + 1].text == ","
        token = first if aside else people[-1]
        return token if self._speaker_like(token) else None

    def _inverted(self, cue: Token) -> Token | None:
        """The speaker standing after a speech verb that has no subject of its own, right
        after the quotation or the clause it reports: '"…," added another New Hampshire
        Democrat', "The contrast, said Doyle and others, would be clear". The parser takes
        the speaker there for an object or an adverb, or a name there for the subject of
        the words after it ('"…," said Jim Bopp, a member…, told POLITICO'), and a word of
        the quotation for the verb's subject. A verb whose object is its hearer ("told
        AFP") is left alone, and so is a clause it introduces ("said that…")."""
        word = lemma(cue)
        if cue.tag_ not in _FINITE or word in _HEARER_OBJECT or word not in speech_lemmas():
            return None
        if any(c.dep_ in _SUBJECTS and self._speaker_like(c) for c in cue.children):
            return None
        if not _after_report(cue):
            return None
        for token in cue.doc[cue.i + 1 : min(cue.i + 4, cue.sent.end)]:
            if token.pos_ in {"ADP", "SCONJ"}:
                return None
            if self._nominal(token):
                head = _name_head(token, _HEAD_DEPS)
                attached = head.head.i == cue.i and head.dep_ in _INVERTED_DEPS
                return head if attached or head.pos_ == "PROPN" else None
        return None

    def resolve(self, source: Token | None, cue: Token | None = None) -> str | None:
        """The person a source token stands for, else its phrase's words, else None.

        A speaker placed after a cue without a subject ('"…," said Skelly') is the source.
        A source the parser found inside a quotation, in a date or in another paragraph, or
        none at all, is looked for again beside the cue (`"…," said Jonathan Barnett, an RNC
        committeeman`): the parser often takes a word of the quotation for the subject of a
        cue placed after it, and runs sentences on across paragraphs.
        """
        if cue is not None:
            inverted = self._inverted(cue)
            if inverted is None and source is None and cue.dep_ in _JOINED:
                inverted = self._inverted(cue.head)  # '"…," said Skelly, explaining…'
            if inverted is not None:
                source = inverted
            elif source is None or not self._speaker_like(source) or _apart(source, cue):
                source = self._beside(cue) or source
        if source is None or not _timeless(source):
            return None
        return self._joined(source)

    def _joined(self, source: Token) -> str | None:
        """The source and the words joined to it, each resolved."""
        conjuncts = _conjuncts(source)
        if len(conjuncts) == 1:
            return self._one(source)
        return " and ".join(self._one(token) or _phrase(token).text for token in conjuncts)

    def _one(self, source: Token) -> str | None:
        """The person one source word stands for, else its phrase's words, else None."""
        named = self._overlapping(source)
        if named:
            return named
        if source.lower_ in _PERSONAL:
            return self._antecedent(source)
        if source.lower_ in _GROUP:
            group = self._group(source)
            return self._joined(group) if group is not None else None
        if source.lower_ in _UNRESOLVED:
            return None
        if source.pos_ == "NOUN" and source.tag_ not in _PLURAL:
            described = self._described(source)
            if described:
                return described
        return _phrase(source).text

    def _overlapping(self, source: Token) -> str | None:
        """The person named by the source's own words or its appositive ("Mr. Obama", "the
        president, Barack Obama"), not by a possessor or a name modifying a noun ("Obama's
        spokesman", "a Trump supporter" are someone else)."""
        heads = [source] + [child for child in source.children if child.dep_ == "appos"]
        for head in heads:
            named = head.pos_ != "NOUN"
            words = [head] + [c for c in head.children if named and c.dep_ in _NAME_DEPS]
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

    def _group(self, pronoun: Token) -> Token | None:
        """The people a plural pronoun stands for: the nearest plural subject before it, outside
        the quotations, in its sentence or the one before ("Cruz's allies bristle at the
        suggestion…, they insist")."""
        sent = pronoun.sent
        first = pronoun.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        for token in reversed(pronoun.doc[first : pronoun.i]):
            plural = token.tag_ in _PLURAL or any(child.dep_ == "conj" for child in token.children)
            if token.dep_ in _SUBJECTS and token.pos_ in {"NOUN", "PROPN"} and plural:
                return token if self._speaker_like(token) else None
        return None

    def _described(self, noun: Token) -> str | None:
        """The latest person with a title headed by the noun and holding its modifiers (one
        at least): "the campaign manager" is Jeff Weaver after "Sanders campaign manager
        Jeff Weaver", "the Sanders campaign" is not."""
        modifiers = {child.lower_ for child in noun.children if child.dep_ in {"amod", "compound"}}
        indefinite = any(child.lower_ in _INDEFINITE for child in noun.children)
        if not modifiers or indefinite:  # "the president" alone, "a strategist": someone else
            return None
        head = lemma(noun)
        wanted = {head} | modifiers
        for mention in self._before(noun.idx):
            if wanted <= mention.titles and head in mention.heads:
                return mention.name
        return None


def _apart(source: Token, cue: Token) -> bool:
    """Whether a source stands in another paragraph than its cue (the parser runs a
    sentence on across paragraphs and finds the cue a subject there)."""
    low, high = sorted((source.idx, cue.idx))
    return "\n" in text_of(cue.doc)[low:high]


def _timeless(token: Token) -> bool:
    """Whether a token is no date or time ("said Sunday"); an age with its article ("the
    46-year-old said") is a person, though the recogniser takes it for a date."""
    age = token.lower_ == "old" and any(c.lower_ in _ARTICLES for c in token.children)
    return token.ent_type_ not in _WHEN or age


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
    return _Mention(start, end, name, subject, _titles(span, name), _title_heads(span))


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


def _title_heads(span: Span) -> frozenset[str]:
    """The head words of the titles around a mention: the noun right before the name
    ("campaign [manager] Jeff Weaver"), its appositive ("Weaver, the campaign's
    [manager]") or the noun it is the appositive of ("the [manager], Jeff Weaver")."""
    root = span.root
    heads = [child for child in root.children if child.dep_ == "appos"]
    if span.start > 0 and span.doc[span.start - 1].head.i == root.i:
        heads.append(span.doc[span.start - 1])
    if root.dep_ == "appos":
        heads.append(root.head)
    return frozenset(lemma(token) for token in heads if token.pos_ in {"NOUN", "PROPN"})


def _after_report(cue: Token) -> bool:
    """Whether a cue heads its sentence right after what it reports: a parenthetical cue
    ("The contrast, said Doyle, would…") or one right after a quotation or a clause it
    reports ('"…," added X'), not a verb joined to another ("…, but described his…")."""
    if cue.i == cue.sent.start:
        return False
    if cue.dep_ == "parataxis":
        return True
    before = cue.doc[cue.i - 1]
    if cue.dep_ != "ROOT" or not before.is_punct:
        return False
    return before.is_quote or any(c.dep_ == "ccomp" and c.i < cue.i for c in cue.children)


def _name_head(token: Token, links: frozenset[str] = _NAME_DEPS) -> Token:
    """The head of the name a word belongs to ("[President] Obama"), or with possessors
    among the links, of the noun phrase ("[their] time")."""
    while token.dep_ in links and abs(token.head.i - token.i) <= 3:
        token = token.head
    return token


def _conjuncts(token: Token) -> list[Token]:
    """The source and the words joined to it ("Doyle and others", "They and their
    supporters"): several people speaking together."""
    found = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in _SOURCE_POS:
            found.extend(_conjuncts(child))
    return found


def _qualifier(head: Token, child: Token) -> bool:
    """Whether a dependent after a source's head says whose or which the source is: "a
    spokesman [for Ryan]", "85% [of Democrats]", "a tally [by the Associated Press]"; for a
    head standing for people of its own, also "some [who advocate free speech]", "those
    [surveyed]", which would say nothing without it. A noun's qualifier is short: a long
    one is a statement of its own."""
    if head.pos_ not in {"NOUN", "PROPN"}:
        return child.dep_ in {"prep", "acl", "relcl"}
    short = len(list(child.subtree)) <= _MAX_QUALIFIER
    return short and child.dep_ == "prep" and child.lower_ in _OWNERS


def _phrase(token: Token) -> Span:
    """The token's noun phrase: the head with its determiners, compounds and modifiers and
    a short qualifier after it, not reaching back across a line break (the parser glues
    headings onto names)."""
    words = [token]
    pending = [token]
    for child in token.rights:
        if _qualifier(token, child):
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
