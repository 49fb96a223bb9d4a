"""Quotes with speakers: direct quotations, quoted fragments and reported speech.

Two readings of the one parsed `Doc` meet here. The quotation marks give the quoted
passages (`quotation_spans`: straight and curly marks, a quotation continued into the next
paragraph, apostrophes left alone). The dependency parse gives attributions
(`_attributions`): a cue reading that the learnt cue model (`cues.py`) takes, with its
content (the cue's complement) and its source (the cue's subject, or the subject of the
clause it hangs from, or X in "according to X" and "As X reported, …", or the poll in "In a
poll, 31% said"). What a paragraph reports stays in it: the parser runs sentences on across
paragraphs, so a content is cut at the cue's paragraph unless a colon announces the next
one. A quotation that makes up the content of a cue is a direct quote; a quoted fragment
inside such content is a partial quote; content without marks is indirect speech; a
quotation no cue reaches borrows the nearest speech verb in its sentence, continues the
previous quotation, is signed on the line below ("- Sanders."), or is introduced by the
sentence or colon before it. A line opened by a name and a colon ("TAPPER: Do you think…")
is that name's statement. Speakers are resolved to the article's people by
`speakers.SpeakerResolver`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from newsdesk.analyze.cues import (
    PARATAXIS,
    Candidate,
    content_tokens,
    cue_candidates,
    cue_key,
    cue_lexicon,
    cue_model,
    joined_speech_verb,
    participle_aside,
    reading_features,
    speech_lemmas,
    trimmed,
)
from newsdesk.analyze.nlp import lemma, text_of
from newsdesk.analyze.speakers import SpeakerResolver
from newsdesk.models import Entity, Quote

_MARK = re.compile(r'["\u201c\u201d]|\'\'')
_OPENING, _CLOSING = "\u201c", "\u201d"
_BLANK = " \t\n\r\u00a0"
# Trimmed off the end of reported speech: punctuation, and the opening mark of a
# quotation that follows it (the parser hangs it on the last word).
_CONTENT_TAIL = ',;:. "\u201c\u00a0'
_SENTENCE_END = (".", ",", "?", "!")
# A quotation of fewer words, with no cue, is a title or a scare quote rather than speech.
_MIN_WORDS_WITHOUT_CUE = 4
_SUBJECTS = ("nsubj", "nsubjpass")
_WHEN = frozenset({"DATE", "TIME"})
# A share of people ("31%", "most", "a majority") answering in a poll, and what polls are.
_SHARES = frozenset({"PERCENT", "CARDINAL"})
_SHARE_WORDS = frozenset({"majority", "most", "half", "third", "quarter", "percent", "%"})
_POLLS = frozenset({"poll", "survey"})
_WORD = re.compile(r"[^\W\d_]+")
_MAX_TITLE_WORDS = 8
# Short words a title leaves in lower case ("Guardians of the Galaxy").
_MINOR = frozenset({"the", "and", "for", "nor", "but", "yet", "off", "out", "via"})
# Characters (a space and a mark) that may stand between a content and a quotation it opens.
_MARK_GAP = 3
_RELATIVES = frozenset({"who", "that", "which", "whom"})
_WITHIN = frozenset({"in", "inside", "at"})
_DASHES = frozenset({"-", "\u2013", "\u2014"})
# What may stand before a name heading a statement ("… - Frank Newport and Jim Harter: …"),
# and the words that join names.
_HEADING_BREAKS = _DASHES | {".", "?", "!", '"', "\u201d", "''"}
_JOINERS = frozenset({"and", ",", "."})
# What may follow a quotation's words on its line: its closing mark and punctuation.
_QUOTATION_END = "\"\u201d'.,"
# Links a cue without its own subject climbs to find one: a clause ("saying", "to win"),
# or a noun or adjective cue ("showed enthusiasm", "in a statement", "was aware").
_CLIMB = frozenset(
    {"xcomp", "advcl", "conj", "pcomp", "prep", "acl", "ccomp", "parataxis"}
    | {"dobj", "pobj", "acomp", "attr", "oprd"}
)
_MAX_CLIMB = 6
# Dependents by which a verb reports something of its own ("as he urged [voters]…").
_OWN_CONTENT = frozenset({"ccomp", "xcomp", "dobj", "dative", "csubj", "oprd", "attr", "nsubjpass"})
_ABOUT = frozenset({"about", "of", "at"})


@dataclass(frozen=True)
class _Quotation:
    """A passage in quotation marks: the offsets of its content, without the marks."""

    start: int
    end: int


@dataclass(frozen=True)
class _Attribution:
    """A cue with its content range and its source token."""

    cue: Token
    start: int
    end: int
    source: Token | None
    reach: int = 0  # where the content's words end before punctuation is trimmed


def find_quotes(doc: Doc, people: Sequence[Entity]) -> list[Quote]:
    """Find what the article reports people said, thought or intended, and who.

    Args:
        doc: the parsed article body (offsets are character offsets into it).
        people: the article's people (`find_entities`), used to name the speakers.

    Returns:
        The quotes in text order: `direct` quotations, `partial` quoted fragments inside
        reported speech, and `indirect` reported speech, each with its speech verb (`cue`)
        and its speaker resolved to a person's name where the article allows.
    """
    text = text_of(doc)
    quotations = quotation_spans(text)
    quoted = [(q.start, q.end) for q in quotations]
    resolver = SpeakerResolver(doc, people, quoted)
    found = _attributions(doc, text, quoted)
    attributions = _outermost(_through_quotations(found, quotations), quotations)
    quotes, claimed = _quoted(doc, text, quotations, attributions, resolver)
    for attribution in attributions:
        if attribution.cue.i not in claimed:
            quotes.append(_quote(text, attribution, resolver, "indirect"))
    return sorted(quotes, key=lambda quote: (quote.start, quote.end))


def quotation_spans(text: str) -> list[_Quotation]:
    """The passages in double quotation marks, paragraph by paragraph."""
    found: list[_Quotation] = []
    offset = 0
    for paragraph in text.split("\n"):
        found.extend(_paragraph_quotations(paragraph, offset))
        offset += len(paragraph) + 1
    return found


def _paragraph_quotations(paragraph: str, offset: int) -> Iterable[_Quotation]:
    """Quotations of one paragraph; one still open at its end runs to that end (the next
    paragraph, opening with a mark of its own, continues it as a quotation of its own)."""
    opened: int | None = None
    for match in _MARK.finditer(paragraph):
        role = _role(paragraph, match.start(), match.end())
        if opened is None:
            if role != _CLOSING:
                opened = match.end()
            continue
        if role == _OPENING:  # a missing closing mark: the old quotation ends here
            yield from _trimmed(paragraph, opened, match.start(), offset)
            opened = match.end()
            continue
        yield from _trimmed(paragraph, opened, match.start(), offset)
        opened = None
    if opened is not None:
        yield from _trimmed(paragraph, opened, len(paragraph), offset)


def _role(paragraph: str, start: int, end: int) -> str:
    """Whether a mark opens or closes a quotation; a straight mark is judged by its sides."""
    mark = paragraph[start:end]
    if mark in (_OPENING, _CLOSING):
        return mark
    before = paragraph[start - 1] if start else " "
    after = paragraph[end] if end < len(paragraph) else " "
    if (before.isspace() or before in "([-\u2014") and not after.isspace():
        return _OPENING
    if not before.isspace() and (after.isspace() or after in ".,;:!?)-\u2014"):
        return _CLOSING
    return mark


def _trimmed(paragraph: str, start: int, end: int, offset: int) -> Iterable[_Quotation]:
    """The quotation without surrounding blanks, unless it holds no words (a date, a tweet's
    number or handle, markup that leaked from a page)."""
    inner = paragraph[start:end]
    left = len(inner) - len(inner.lstrip(_BLANK))
    right = len(inner.rstrip(_BLANK))
    words = inner[left:right]
    if any(char.isalpha() for char in words) and not words.startswith(("@", "<", ">")):
        yield _Quotation(offset + start + left, offset + start + right)


def _attributions(doc: Doc, text: str, quoted: Sequence[tuple[int, int]]) -> list[_Attribution]:
    """Each cue with its best-scoring content and its source, when the cue model takes it;
    and the statements "according to" or "as X reported" frames or a name heading a line
    opens."""
    model = cue_model()
    best: dict[int, tuple[tuple[bool, float], Reading]] = {}
    found = []
    for token in doc:
        if token.lower_ == "according":
            framed = _according(token)
        elif token.lower_ == "as":
            framed = _as_reported(token)
        elif token.text == ":" and token.i > 0:
            framed = _line_of(doc[token.i - 1], text)
        else:
            continue
        if framed:
            found.append(framed)
    for reading in cue_readings(doc, text, quoted):
        if _that_said(reading.candidate.cue):
            continue
        score = model.probability(reading.features)
        if score < model.threshold or not _in_reach(reading, text):
            continue
        rank = _rank(reading, score)
        cue = reading.candidate.cue.i
        if cue not in best or rank > best[cue][0]:
            best[cue] = (rank, reading)
    for _ranking, reading in best.values():
        attribution = _attribution(reading.candidate, reading.source)
        if attribution:
            found.append(attribution)
    return sorted(found, key=lambda attribution: attribution.cue.i)


def _that_said(cue: Token) -> bool:
    """Whether the cue is the "That said," opening a sentence: a turn of phrase meaning
    "even so", which reports nothing ("That said, voters say they…")."""
    doc, i = cue.doc, cue.i
    if cue.lower_ != "said" or i < 1 or i + 1 >= len(doc) or doc[i + 1].text != ",":
        return False
    that = doc[i - 1]
    return that.lower_ == "that" and (_opens_line(that) or doc[that.i - 1].text in _SENTENCE_END)


def _opens_line(token: Token) -> bool:
    """Whether a token opens its sentence or a paragraph (the parser runs sentences on
    across paragraphs)."""
    return token.i == token.sent.start or "\n" in token.doc[token.i - 1].text


def _rank(reading: Reading, score: float) -> tuple[bool, float]:
    """How the readings of one cue are ranked: a content that is not the speaker's next act
    first (in "…, a Chinese official said, adding that…" "adding" is a cue of its own and
    what was said comes before), then the model's score."""
    content = reading.candidate.content
    return not (participle_aside(content) or joined_speech_verb(content)), score


def _in_reach(reading: Reading, text: str) -> bool:
    """Whether a reading's content stands in its cue's paragraph, or after a colon that
    ends it ("…, and Breitbart News responded:" and the quotation below): the parser runs
    a sentence on into the next paragraph and hangs what is there on a word of this one."""
    tokens, cue = reading.tokens, reading.candidate.cue
    if tokens[0].i < cue.i:
        return "\n" not in text[tokens[-1].idx : cue.idx]
    between = text[cue.idx : tokens[0].idx]
    return "\n" not in between or between.split("\n")[0].rstrip().endswith(":")


@dataclass(frozen=True)
class Reading:
    """A cue reading the lexicon knows, with its content's tokens, source and features."""

    candidate: Candidate
    tokens: list[Token]
    source: Token | None
    features: dict[str, float]


def cue_readings(doc: Doc, text: str, quoted: Sequence[tuple[int, int]]) -> Iterator[Reading]:
    """Every reading of the lexicon with words in its content ("according to" aside): what
    the cue model scores, and what `benchmarks/quotes.py --learn-cues` learns it from. A cue
    is a word: a dash the tagger takes for a verb ("WASHINGTON ― The administration
    announced…") is punctuation."""
    lexicon = cue_lexicon()
    for token in doc:
        if token.lower_ == "according" or token.is_punct:
            continue
        source: Token | None = None
        sourced = False
        for candidate in cue_candidates(token):
            if cue_key(candidate) not in lexicon:
                continue
            tokens = content_tokens(candidate)
            if not tokens:
                continue
            if not sourced:
                source, sourced = _source(token), True
            features = reading_features(candidate, tokens, source, text, quoted)
            yield Reading(candidate, tokens, source, features)


def _outermost(
    attributions: Sequence[_Attribution], quotations: Sequence[_Quotation]
) -> list[_Attribution]:
    """The attributions whose cue is not inside a quotation or inside another's content.

    In "Obama said he will push the Senate to ratify a treaty" the statement is what Obama
    said; "push" and "ratify" are part of it, not statements of their own (PolNeAR, too,
    labels each word once).
    """
    quoted = [(q.start, q.end) for q in quotations]
    return [
        attribution
        for attribution in attributions
        if not any(start <= attribution.cue.idx < end for start, end in quoted)
        and not any(
            other.start <= attribution.cue.idx < other.end
            for other in attributions
            if other is not attribution
        )
    ]


def _attribution(candidate: Candidate, source: Token | None) -> _Attribution | None:
    """The attribution a candidate stands for, if its content has any words: those in the
    cue's paragraph, unless they all stand in the paragraphs below, announced by a colon
    (`_in_reach`). The parser runs a sentence on across paragraphs, but what a paragraph
    reports ends with it."""
    tokens = content_tokens(candidate)
    text = text_of(candidate.cue.doc)
    start, limit = _paragraph(text, candidate.cue.idx)
    if tokens and tokens[0].idx < limit:
        tokens = trimmed([token for token in tokens if start <= token.idx < limit])
    else:
        limit = len(text)
    if not tokens:
        return None
    end = tokens[-1].idx + len(tokens[-1])
    last = candidate.content.right_edge if candidate.link != PARATAXIS else tokens[-1]
    reach = max(end, min(last.idx + len(last), limit))
    return _Attribution(candidate.cue, tokens[0].idx, end, source, reach)


def _paragraph(text: str, offset: int) -> tuple[int, int]:
    """The start and end offsets of the paragraph (line) around an offset."""
    end = text.find("\n", offset)
    return text.rfind("\n", 0, offset) + 1, len(text) if end < 0 else end


def _through_quotations(
    attributions: Sequence[_Attribution], quotations: Sequence[_Quotation]
) -> list[_Attribution]:
    """The attributions, each running to the end of a quotation its content opens.

    The parser ends a sentence inside a quotation that goes on after it ('he is "weak on
    illegal immigration, you know that. Weak…"') and leaves the opening mark of a quotation
    right after the content on its last word ('calling him "'): the words quoted there are
    still the content, as PolNeAR annotates it.
    """
    out = []
    for attribution in attributions:
        for quotation in quotations:
            if (
                attribution.start < quotation.start
                and attribution.reach >= quotation.start - 1
                and attribution.end >= quotation.start - _MARK_GAP
                and attribution.end < quotation.end
            ):
                attribution = replace(attribution, end=quotation.end)
        out.append(attribution)
    return out


def _according(token: Token) -> _Attribution | None:
    """ "according to X": X is the source, the rest of the sentence is the content."""
    if token.lower_ != "according":
        return None
    for prep in token.children:
        if prep.lower_ == "to":
            for source in prep.children:
                if source.dep_ == "pobj":
                    candidate = Candidate(token, token.sent.root, PARATAXIS)
                    return _attribution(candidate, _author(source))
    return None


def _as_reported(mark: Token) -> _Attribution | None:
    """ "As Politico reported, [the deal was close]": a speech verb in an "as" clause, with
    nothing of its own to report, frames the clause it hangs from, as "according to" does;
    its subject is the source. "As he urged voters to…" reports its own object, and "as
    Cosby is attacked" speaks of its subject."""
    cue = mark.head
    if mark.dep_ != "mark" or cue.dep_ != "advcl" or lemma(cue) not in speech_lemmas():
        return None
    if any(_own_content(child) for child in cue.children):
        return None
    return _attribution(Candidate(cue, cue.head, PARATAXIS), _source(cue))


def _own_content(child: Token) -> bool:
    """Whether a verb's dependent is what the verb itself reports or speaks about: an
    object or clause, "about"/"of"/"at" something, or the subject of a passive verb."""
    return child.dep_ in _OWN_CONTENT or child.lower_ in _ABOUT


def _line_of(name: Token, text: str) -> _Attribution | None:
    """A line a name opens with a colon ("TAPPER: Do you think…", "Rubio: I Still
    Believe…"): the rest of the line is what the name says, with any cue in it."""
    if len(name) < 2 or not _headline_name(name):
        return None
    start, end = _paragraph(text, name.idx)
    if text[start : _name_start(name).idx].strip():
        return None
    colon = name.doc[name.i + 1]
    words = name.doc.char_span(colon.idx + 1, end, alignment_mode="contract")
    tokens = trimmed(list(words)) if words is not None else []
    if not tokens:
        return None
    last = tokens[-1].idx + len(tokens[-1])
    return _Attribution(name, tokens[0].idx, last, name, last)


def _author(source: Token) -> Token:
    """Who stands behind a source document: "according to [a tally] by the Associated
    Press", "[audio] provided by Wyoming Public Radio"; else the source itself."""
    agent = _agent(source)
    for child in source.children:
        if agent is None and child.dep_ == "acl" and child.tag_ == "VBN":
            agent = _agent(child)
    return agent if agent is not None else source


def _source(cue: Token) -> Token | None:
    """Who the cue is attributed to: its subject, or that of the clause it hangs from; a
    participle modifying a noun is the noun's act ("an outside group backing Rubio", and
    with no subject above it, "the nominee, Donald Trump, tweeted Sunday: …" parsed as a
    noun phrase), but an infinitive is not ("Clinton found ways to cast herself…"); an
    aside hung on a reported clause is the reporter's (`_reporter`); a name standing as
    the cue is its own source (`_headline_name`)."""
    if _headline_name(cue):
        return cue
    reporter = _reporter(cue)
    if reporter is not None:
        return _source(reporter)
    return _opening_participle_subject(cue) or _climbed_source(cue)


def _climbed_source(cue: Token) -> Token | None:
    """The subject of the cue or of the clauses it hangs from, climbing the parse."""
    token, modified = cue, None
    for _ in range(_MAX_CLIMB):
        source = _own_source(token, token.i == cue.i)
        if source is not None and _made_it(token, source):
            token = token.head  # "X made it clear that…": X makes it so
            continue
        if source is not None:
            if source.lower_ in _RELATIVES and source.head.dep_ == "relcl":
                return source.head.head
            return _surveyed(token, source) or source
        if token.dep_ in {"relcl", "acl"} and _infinitive(token):
            token = token.head  # "Clinton found ways to cast herself…": Clinton casts
            continue
        if token.dep_ == "relcl" or token.dep_ not in _CLIMB or token.head.i == token.i:
            return token.head if token.dep_ in {"relcl", "acl"} else modified
        if token.dep_ == "acl" and token.head.pos_ in {"NOUN", "PROPN"}:
            if token.tag_ == "VBG":
                return token.head
            modified = modified or token.head
        if joined_speech_verb(token) and token.head.dep_ == "ccomp":
            token = token.head  # "X said it was early but added…": X added, not "it"
        token = token.head
    return modified


def _made_it(token: Token, subject: Token) -> bool:
    """Whether a subject is the "it" of an adjective a verb sets after its object ("made
    [it] clear that…", "considers [it] likely that…"): the parser makes "it" the
    adjective's subject, but the statement is that of the verb's subject."""
    small = token.pos_ == "ADJ" and token.dep_ in {"ccomp", "oprd", "xcomp"}
    return small and subject.lower_ == "it" and token.head.pos_ in {"VERB", "AUX"}


def _opening_participle_subject(cue: Token) -> Token | None:
    """The subject of the main clause after a participle opening the sentence ("Noting
    that…, Trump reminded Americans…"): the participle is that subject's act, though the
    parser may make it the sentence's root and leave it no subject, or hang it on the
    paragraph before. The subject is the first one standing right after a comma (which
    may sit inside a quotation's closing mark: 'Bemoaning the "phony system," Trump…')."""
    doc = cue.doc
    if cue.tag_ != "VBG" or not _opens_line(cue):
        return None
    for token in doc[cue.i + 1 : cue.sent.end]:
        before = token.left_edge.i - 1
        while before > cue.i and doc[before].is_quote:
            before -= 1
        if token.dep_ in _SUBJECTS and before > cue.i and doc[before].text == ",":
            return token
    return None


def _infinitive(token: Token) -> bool:
    """Whether a verb is a bare infinitive ("to cast"), which says what someone may do,
    not what the noun it hangs on does."""
    return token.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _reporter(cue: Token) -> Token | None:
    """The speech verb whose reported clause a participle aside hangs in: in "Khalif said
    the rhetoric has been patronizing, noting her comments…" the parser hangs "noting" on
    the reported clause, but it says what the speaker did (the content leaves it out too).
    A speech verb after the participle is not its reporter: in 'Weaver didn't seem
    impressed, telling reporters, "A lot of people said…"' the parser hangs the sentence on
    the quotation's verb."""
    if not participle_aside(cue):
        return None
    token = cue.head
    for _ in range(_MAX_CLIMB):
        if token.dep_ == "ccomp" and lemma(token.head) in speech_lemmas():
            return token.head if token.head.i < cue.i else None
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _headline_name(cue: Token) -> bool:
    """Whether the cue is a name before a colon, the headline's way of saying "says"
    ("Marco Rubio: ‘You Don’t Win The Nomination…’"): the parser heads the statement there."""
    after = cue.i + 1
    if after >= len(cue.doc) or cue.doc[after].text != ":" or not _titled(cue):
        return False
    first = _name_start(cue).i
    before = cue.doc[first - 1] if first > 0 else None
    return before is None or "\n" in before.text or before.text in _HEADING_BREAKS


def _name_start(name: Token) -> Token:
    """The first word of the names a word ends ("Frank Newport and Jim [Harter]")."""
    first = name.i
    while first > 0 and (_titled(name.doc[first - 1]) or _joins(name.doc[first - 1])):
        first -= 1
    return name.doc[first]


def _joins(token: Token) -> bool:
    """Whether a token joins names ("and", a comma, an initial's stop) or the parts of one
    (the hyphen in "Seitz-Wald", with no blank around it, unlike a dash)."""
    glued = token.i > 0 and not token.whitespace_ and not token.nbor(-1).whitespace_
    hyphen = token.text == "-" and glued
    return token.lower_ in _JOINERS or hyphen


def _titled(token: Token) -> bool:
    """Whether a word may be part of a name: a proper noun, or a noun in title case (the
    tagger takes a name heading a line for a noun: "Trump: 'We are going to win'")."""
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.is_title)


def _surveyed(verb: Token, subject: Token) -> Token | None:
    """The poll that a share of respondents answered in ("In a CNN/ORC poll, 31% said…"):
    PolNeAR attributes such a statement to the poll, not to the share."""
    if subject.ent_type_ not in _SHARES and lemma(subject) not in _SHARE_WORDS:
        return None
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "in":
            for poll in prep.children:
                if poll.dep_ == "pobj" and lemma(poll) in _POLLS:
                    return poll
    return None


def _own_source(token: Token, cue: bool = False) -> Token | None:
    """A subject, passive agent or (for a noun cue) possessor attached to the token itself.
    The cue's own agent comes first ("was asked by host John Dickerson"): the subject of a
    passive cue is spoken to or about. A clause the cue hangs from keeps its subject
    ("FBI officials were angered by the deal and predicted…"). Of two subjects the parser
    gives one verb, the nearer is its own: the other is a dateline ("DES MOINES, Iowa (AP) —
    Senator Lopez promised…") or a heading glued on."""
    agent = _agent(token) if cue else None
    if agent is not None:
        return agent
    subjects = [child for child in token.children if child.dep_ in _SUBJECTS]
    clausal = (_participle_subject(child) for child in token.children if child.dep_ == "csubj")
    subjects += [subject for subject in clausal if subject is not None]
    if subjects:
        return min(subjects, key=lambda child: abs(child.i - token.i))
    for child in token.children:
        if child.dep_ == "poss" and token.pos_ == "NOUN":
            return child
    return _mistagged_subject(token)


def _participle_subject(clause: Token) -> Token | None:
    """The noun a participle clause taken for a subject modifies: in "Majorities of voters
    going to the polls Tuesday said…" the parser reads "going" as the subject of "said",
    with "Majorities" as its own subject."""
    if clause.tag_ not in {"VBG", "VBN"}:
        return None
    return next((child for child in clause.lefts if child.dep_ in _SUBJECTS), None)


def _agent(token: Token) -> Token | None:
    """Who a passive verb or a noun is by: "asked [by X]", "a report [by X]", "a tally
    [from X]"; or the organisation a noun stands in ("a report in [The Wall Street
    Journal]", "a debate inside [the Department of Homeland Security]")."""
    for child in token.children:
        if child.dep_ == "agent" or (token.pos_ == "NOUN" and child.lower_ in {"by", "from"}):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj" and grandchild.ent_type_ not in _WHEN:
                    return grandchild
        if token.pos_ == "NOUN" and child.lower_ in _WITHIN:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj" and grandchild.ent_type_ == "ORG":
                    return grandchild
    return None


def _mistagged_subject(token: Token) -> Token | None:
    """The subject of a verb the tagger took for a noun: in "Trump predicts that…" or
    "Many fear Trump will…" the cue is a noun with a clause of its own and its subject
    hangs before it as a modifier."""
    if token.pos_ != "NOUN" or not any(child.dep_ == "ccomp" for child in token.children):
        return None
    first = next(token.lefts, None)
    if first is not None and first.dep_ in {"compound", "amod", "nmod"}:
        return first
    return None


def _quoted(
    doc: Doc,
    text: str,
    quotations: Sequence[_Quotation],
    attributions: Sequence[_Attribution],
    resolver: SpeakerResolver,
) -> tuple[list[Quote], set[int]]:
    """Direct and partial quotes, and the cues whose content a quotation took over."""
    quotes: list[Quote] = []
    claimed: set[int] = set()
    previous: Quote | None = None
    for quotation in quotations:
        quote: Quote | None
        if _title_case(text[quotation.start : quotation.end]):
            continue
        owner = _owner(quotation, attributions)
        kind = _kind(text, quotation)
        if owner is not None and _whole(quotation, owner):
            kind = "direct"
        if owner is not None and kind == "direct" and _mostly_quoted(quotation, owner):
            claimed.add(owner.cue.i)
            quote = _quote(text, owner, resolver, kind, quotation)
        elif owner is not None:
            quote = _quote(text, owner, resolver, "partial", quotation)
        else:
            quote = _uncued(doc, text, quotation, previous, resolver, quotations)
        if quote is not None:
            quotes.append(quote)
            previous = quote
    return quotes, claimed


def _kind(text: str, quotation: _Quotation) -> str:
    """Direct for a quoted sentence (capitalised, and long or punctuated), else partial."""
    quoted = text[quotation.start : quotation.end]
    long = len(quoted.split()) >= _MIN_WORDS_WITHOUT_CUE or quoted.endswith(_SENTENCE_END)
    return "direct" if quoted[:1].isupper() and long else "partial"


def _owner(quotation: _Quotation, attributions: Sequence[_Attribution]) -> _Attribution | None:
    """The attribution whose content overlaps the quotation most."""
    best, most = None, 0
    for attribution in attributions:
        shared = min(attribution.end, quotation.end) - max(attribution.start, quotation.start)
        if shared > most:
            best, most = attribution, shared
    return best


def _whole(quotation: _Quotation, attribution: _Attribution) -> bool:
    """Whether the quotation is all of the attribution's content ('Elliott said “there is no
    great man…”'): a direct quote, though it opens in lower case."""
    return quotation.start <= attribution.start and attribution.end <= quotation.end


def _mostly_quoted(quotation: _Quotation, attribution: _Attribution) -> bool:
    """Whether the quotation is (at least half of) the attribution's content."""
    shared = min(attribution.end, quotation.end) - max(attribution.start, quotation.start)
    return shared * 2 >= attribution.end - attribution.start


def _uncued(
    doc: Doc,
    text: str,
    quotation: _Quotation,
    previous: Quote | None,
    resolver: SpeakerResolver,
    quoted: Sequence[_Quotation],
) -> Quote | None:
    """A quotation no cue's content reaches: resumed, cued by a speech verb nearby, or
    continuing the previous paragraph's quotation; a short one with no cue is a title."""
    if previous is not None and _resumes(text, previous, quotation):
        return _same_speaker(text, previous, quotation)
    cue = _nearby_cue(doc, quotation, quoted)
    kind = _kind(text, quotation)
    source = _source(cue) if cue is not None else None
    speech = kind == "direct" or (source is not None and _long_or_said(doc, text, quotation, cue))
    if cue is not None and not _title(text, quotation) and speech:
        attribution = _Attribution(cue, 0, 0, source)
        return _quote(text, attribution, resolver, kind, quotation)
    if kind == "partial":
        return None
    signer = _signer(doc, text, quotation)
    if signer is not None:
        return _quote(text, _Attribution(signer, 0, 0, signer), resolver, "direct", quotation)
    if previous is not None and previous.kind == "direct" and _continues(text, previous, quotation):
        return _same_speaker(text, previous, quotation)
    return _introduced(doc, text, quotation, resolver, quoted)


def _signer(doc: Doc, text: str, quotation: _Quotation) -> Token | None:
    """The name signing a quotation on the line below it, after a dash ('"…"' and then
    "- Sanders."), as transcripts and fact checks print it."""
    _start, closing = _paragraph(text, quotation.end)
    if text[quotation.end : closing].strip(_BLANK + _QUOTATION_END):
        return None
    start = len(text) - len(text[closing:].lstrip(_BLANK))
    line = doc.char_span(*_paragraph(text, start), alignment_mode="contract")
    words = [token for token in line or () if not (token.is_space or token.text == ".")]
    if len(words) < 2 or words[0].text not in _DASHES or not all(map(_titled, words[1:])):
        return None
    return words[-1]


def _introduced(
    doc: Doc,
    text: str,
    quotation: _Quotation,
    resolver: SpeakerResolver,
    quoted: Sequence[_Quotation],
) -> Quote | None:
    """A quoted sentence standing after a sentence about someone ("Trump issued the
    following statement:", "Bystrom agreed.") or after a colon ("he returned to his familiar
    lines: …"): that sentence's verb, or the verb the colon hangs from ("…, and Breitbart
    News responded:"), introduces it, and its subject is the speaker."""
    span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    if span is None or span.start < 2 or _title(text, quotation):
        return None
    before = doc[span.start - 1]
    while before.i > 0 and (before.is_quote or before.is_space):
        before = doc[before.i - 1]
    first = span[0].sent.start
    if _headline_name(doc[before.i - 1]):  # 'Carl Bialik: "One of the biggest lessons…"'
        verb = doc[before.i - 1]
    elif before.text == ":":
        verb = before.head if before.head.pos_ == "VERB" else before.sent.root
    elif first > 0 and doc[first].idx >= quotation.start - _MARK_GAP:
        verb = doc[first - 1].sent.root
    else:
        return None
    source = _source(verb) if verb.pos_ in {"VERB", "AUX"} or _headline_name(verb) else None
    if source is None or any(q.start - 1 <= verb.idx <= q.end for q in quoted):
        return None
    return _quote(text, _Attribution(verb, 0, 0, source), resolver, "direct", quotation)


def _same_speaker(text: str, previous: Quote, quotation: _Quotation) -> Quote:
    """A direct quote with the previous quote's speaker and cue."""
    return Quote(
        text=text[quotation.start : quotation.end],
        speaker=previous.speaker,
        cue=previous.cue,
        kind="direct",
        start=quotation.start,
        end=quotation.end,
    )


def _resumes(text: str, previous: Quote, quotation: _Quotation) -> bool:
    """Whether a quotation picks up after the previous one's cue ("A," he said, "B")."""
    between = text[previous.end : quotation.start]
    return "\n" not in between and previous.cue is not None and previous.cue in between


def _continues(text: str, previous: Quote, quotation: _Quotation) -> bool:
    """Whether a quotation opens the paragraph right after the previous direct quote."""
    between = text[previous.end : quotation.start]
    return between.count("\n\n") <= 1 and between.rstrip(" \"\u201c'").endswith("\n")


def _long_or_said(doc: Doc, text: str, quotation: _Quotation, cue: Token | None) -> bool:
    """Whether a quotation is speech: words enough, or a fragment after the speech verb that
    introduces it ("acknowledging the violence stemmed from Americans' "insatiable demand""); a
    short fragment before its sentence's speech verb ("rebels", "a psychopath") is a scare
    quote or a name."""
    if len(text[quotation.start : quotation.end].split()) >= _MIN_WORDS_WITHOUT_CUE:
        return True
    span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    return cue is not None and span is not None and cue.i < span.start


def _title(text: str, quotation: _Quotation) -> bool:
    """Whether a short quotation is a title ("Today", "Meet the Press"): capitalised words,
    not an exclamation or a question ('"Mexico!" the audience screamed')."""
    quoted = text[quotation.start : quotation.end]
    words = quoted.split()
    capitalised = [word for word in words if word[:1].isupper()]
    short = len(words) < _MIN_WORDS_WITHOUT_CUE and not quoted.endswith(("!", "?"))
    return short and len(capitalised) * 2 > len(words)


def _title_case(quoted: str) -> bool:
    """Whether a quotation is a name in title case ("Guardians of the Galaxy", "So, That
    Happened."): at most eight words, every word of four letters or more capitalised (two at
    least) and no other lowercase word of three letters ("I'm a big fan of Elizabeth Warren"
    is said), not shouted in capitals. Such names are cited, not said."""
    words = _WORD.findall(quoted)
    long = [word for word in words if len(word) > 3]
    if any(len(word) == 3 and word.islower() and word not in _MINOR for word in words):
        return False
    return (
        len(words) <= _MAX_TITLE_WORDS
        and len(long) >= 2
        and all(word[0].isupper() for word in long)
        and not quoted.isupper()
    )


def _nearby_cue(doc: Doc, quotation: _Quotation, quoted: Sequence[_Quotation]) -> Token | None:
    """The speech verb outside every quotation nearest to this one, in a sentence it touches
    or in the sentence right after it on the same line (`"Why?" he asked.` is split after
    the question mark), and in its paragraph (the parser runs sentences on across them);
    else a verb with its subject right after the closing mark (`"…?" Hannity pressed.`), a
    speech verb the lexicon has not learnt."""
    span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    lemmas = speech_lemmas()
    start, end = span[0].sent.start, span[-1].sent.end
    near = end < len(doc) and doc[end].idx - quotation.end <= 3
    if near and "\n" not in doc[span.end - 1 : end + 1].text:
        end = doc[end].sent.end
    first, last = _paragraph(text_of(doc), quotation.start)
    cues = [
        token
        for token in doc[start:end]
        if token.pos_ == "VERB"
        and lemma(token) in lemmas
        and first <= token.idx < last
        and not any(q.start - 1 <= token.idx <= q.end for q in quoted)
    ]
    nearest = min(cues, key=lambda token: _distance(token, quotation), default=None)
    return nearest if nearest is not None else _adjacent_verb(doc, span.end)


def _adjacent_verb(doc: Doc, after: int) -> Token | None:
    """A verb among the words right after a closing mark, on the same line, with a subject
    of its own there too ("Hannity pressed", "asked Clinton")."""
    words = [token for token in doc[after : after + 6] if not token.is_punct]
    if not words or "\n" in doc[after : words[0].i + 1].text:
        return None
    for token in words[:3]:
        if token.pos_ == "VERB" and any(c.dep_ in _SUBJECTS for c in token.children):
            return token
    return None


def _distance(token: Token, quotation: _Quotation) -> int:
    """Characters between a token and a quotation."""
    return max(quotation.start - token.idx, token.idx - quotation.end, 0)


def _quote(
    text: str,
    attribution: _Attribution,
    resolver: SpeakerResolver,
    kind: str,
    quotation: _Quotation | None = None,
) -> Quote:
    """A quote over the quotation (if given) or the attribution's content."""
    start = quotation.start if quotation else attribution.start
    end = quotation.end if quotation else attribution.end
    end = start + len(text[start:end].rstrip(",;:" if kind == "direct" else _CONTENT_TAIL))
    return Quote(
        text=text[start:end],
        speaker=resolver.resolve(attribution.source, attribution.cue),
        cue=attribution.cue.text,
        kind=kind,
        start=start,
        end=end,
    )
