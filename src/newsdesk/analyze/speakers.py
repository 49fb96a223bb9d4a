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
"and" speak together ("Xi Jinping and other leaders"). Where the parser misplaces the
speaker, the word order says who it is: a speaker placed after a speech verb that has no
subject ('"…," added another New Hampshire Democrat') is taken from there, though the
parser reads it as the verb's object; a speaker set off by commas inside the sentence it
reports ("The source, union members say, is…"; "…, said Doyle and others, would…") is the
phrase between the commas; and the words before a cue that the parser takes for a second
reported clause ("Kasich offered the man a job, then says…") hold its subject. A sentence
is read within its paragraph: the parser runs sentences on across line breaks.
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
# The cue's own words between it and a subject before it ("has n't", "often", "also").
_VERB_PARTS = frozenset({"aux", "auxpass", "neg", "advmod"})
_SOURCE_POS = frozenset({"PROPN", "NOUN", "PRON"})
_WHEN = frozenset({"DATE", "TIME"})
_ARTICLES = frozenset({"a", "an", "the"})
_RELATIVES = frozenset({"who", "which", "that", "whom", "whose"})
# Prepositions that tie a description to its owner ("a spokesman for Ryan"), and the most
# words such a qualifier may have.
_OWNERS = frozenset({"of", "for", "at", "from", "with", "by"})
_MAX_QUALIFIER = 8
# A plural description ("RNC members", "the committee chairmen") is a group, not one person.
_PLURAL = frozenset({"NNS", "NNPS"})
_TITLE_SKIP = frozenset({"DET", "PUNCT", "ADP", "CCONJ", "SPACE", "PRON", "PART"})
# The words a speaker set off by commas beside a cue may have ("…, union members and
# leaders say, …"), and the most of them.
_ASIDE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PRON", "CCONJ", "NUM", "PART"})
_MAX_ASIDE = 8


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
        ("Mook said", "Mook has not said"), outside the quotations and within the cue's
        sentence and paragraph; not one the cue speaks to or about ("told AFP", "said in a
        statement", "said of their time") nor a word of the clause it reports ("said that
        [fact] speaks volumes"). Else the person named last before the cue in its sentence
        ("At the convention Sen. Elizabeth Warren said…", parsed as an apposition to
        "convention")."""
        sent = _line(cue)
        after = [cue.doc[i] for i in range(cue.i + 1, min(cue.i + 4, sent.end))]
        first = cue.i - 1
        while first > sent.start and cue.doc[first].dep_ in _VERB_PARTS:
            first -= 1  # "Sanders has n't said", "Clinton often says"
        before = [cue.doc[first]] if first >= sent.start else []
        for token in after:
            if token.pos_ == "ADP":
                break
            if self._nominal(token):
                token = _name_head(token)
                if token.dep_ in _ADDRESSEES or token.head.i != cue.i:
                    break
                return token
        if before and self._nominal(before[0]):
            return self._clause_owner(_name_head(before[0]), cue)
        return self._named_before(cue)

    def _clause_owner(self, token: Token, cue: Token) -> Token:
        """The noun whose relative clause a word before the cue ends: in "a White House
        official who spoke anonymously to discuss internal strategy said…" the official
        speaks, not the strategy. The parse is not followed into a quotation."""
        for ancestor in token.ancestors:
            if ancestor.i >= cue.i or not self._speaker_like(ancestor):
                break
            if ancestor.dep_ == "relcl" and ancestor.head.pos_ in {"NOUN", "PROPN"}:
                return ancestor.head if self._speaker_like(ancestor.head) else token
        return token

    def _nominal(self, token: Token) -> bool:
        """Whether a token outside the quotations is a noun, a pronoun or a person's name
        (the tagger takes "Skelly" in "said Skelly" for an adverb)."""
        named = token.pos_ in _SOURCE_POS or bool(self._between(token.idx, token.idx + 1))
        return named and self._speaker_like(token)

    def _named_before(self, cue: Token) -> Token | None:
        """The person named last before the cue in its sentence, passing over possessors
        ("William M. Daley, President Obama's former chief of staff, said") and names in
        quotations (a show's title), unless the first one named opens an aside ("Clinton,
        goaded by Sanders, came out against…")."""
        people = [
            token
            for token in cue.doc[_line(cue).start : cue.i]
            if (token.ent_type_ == "PERSON" or self._between(token.idx, token.idx + 1))
            and token.dep_ not in _HEAD_DEPS
            and self._speaker_like(token)
        ]
        if not people:
            return None
        first = people[0]
        aside = first.i + 1 < cue.i and cue.doc[first.i + 1].text == ","
        return first if aside else people[-1]

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
            if self._nominal(token) or (token.is_title and self._speaker_like(token)):
                head = _name_head(token, _HEAD_DEPS)
                attached = head.head.i == cue.i and head.dep_ in _INVERTED_DEPS
                later = head.dep_ in _SUBJECTS and _before_aside(head)
                return head if attached or later or head.pos_ == "PROPN" else None
        return None

    def _placed(self, cue: Token) -> Token | None:
        """The speaker the word order gives, whatever the parser made of it: set off by
        commas beside the cue, the subject of the words before a cue that the parser took
        for a reported clause, or standing after a cue without a subject."""
        return self._parenthetical(cue) or self._split_subject(cue) or self._inverted(cue)

    def _split_subject(self, cue: Token) -> Token | None:
        """The subject of the clause before a cue without a subject of its own, when the
        cue reports the clause after it: in "Kasich offered the man a job, then says
        he'll welcome advice" or "Mr. Slinker, whose start-up uses big data, said Mr. Trump
        was…" the parser takes the words before the cue for a second reported clause, but
        they are the speaker's. A quotation before the cue is reported; its words are not
        the speaker (`_speaker_like`)."""
        if any(child.dep_ in _SUBJECTS for child in cue.children):
            return None
        clauses = [child for child in cue.children if child.dep_ == "ccomp"]
        if not any(c.i > cue.i for c in clauses):
            return None
        for clause in (c for c in clauses if c.i < cue.i):
            if any(child.dep_ == "mark" for child in clause.children):
                continue  # "…, alleging that Obama wanted…, said": a reported clause
            subjects = [c for c in clause.children if c.dep_ in _SUBJECTS]
            first = min(subjects, key=lambda token: token.i, default=None)
            if first is not None and self._nearest_named(first, cue):
                return first
        return None

    def _nearest_named(self, subject: Token, cue: Token) -> bool:
        """Whether a subject stands in the cue's paragraph with no other person named
        between its phrase and the cue ("The issue had come up after Mr. Trump, asked…,
        had said": Mr. Trump is the speaker)."""
        if not self._speaker_like(subject) or _apart(subject, cue):
            return False
        own = {token.i for token in subject.subtree}
        between = cue.doc[subject.i + 1 : cue.i]
        return not any(
            token.i not in own
            and (token.ent_type_ == "PERSON" or self._between(token.idx, token.idx + 1))
            for token in between
        )

    def _parenthetical(self, cue: Token) -> Token | None:
        """The speaker of a speech verb set off by commas inside the sentence it reports:
        the noun phrase between the verb and its comma ("The source of it, union members
        say, is manifold"; "Hawaii, as one of his advisers pointed out, does not…"; "The
        contrast with Trump, said Doyle and others, would be clear"). The parser hangs such
        a verb on the words around it and takes one of them for its subject; the commas say
        whose words the sentence is."""
        if lemma(cue) not in speech_lemmas() or cue.i in {cue.sent.start, cue.sent.end - 1}:
            return None
        words = _aside_before(cue) or _aside_after(cue)
        roots = [word for word in words if word.head not in words]
        if len(roots) != 1 or roots[0].pos_ not in _SOURCE_POS | {"NUM"}:
            return None
        return roots[0] if self._speaker_like(roots[0]) else None

    def resolve(self, source: Token | None, cue: Token | None = None) -> str | None:
        """The person a source token stands for, else its phrase's words, else None.

        A speaker placed after a cue without a subject ('"…," said Skelly') is the source.
        A source the parser found inside a quotation, in a date or in another paragraph, or
        none at all, is looked for again beside the cue (`"…," said Jonathan Barnett, an RNC
        committeeman`): the parser often takes a word of the quotation for the subject of a
        cue placed after it, and runs sentences on across paragraphs.
        """
        if cue is not None:
            placed = self._placed(cue)
            if placed is None and source is None and cue.dep_ in _JOINED:
                placed = self._inverted(cue.head)  # '"…," said Skelly, explaining…'
            if placed is not None:
                source = placed
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
            words = [head] + [
                c for c in head.children if named and c.dep_ in _NAME_DEPS and not _apart(c, head)
            ]
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


def _line(token: Token) -> Span:
    """The token's sentence within its paragraph: the parser runs sentences on across line
    breaks, and a name in the paragraph before is no part of this one's statement."""
    sent = token.sent
    start, end = sent.start, sent.end
    for other in sent:
        if "\n" in other.text:
            if other.i < token.i:
                start = other.i + 1
            elif other.i > token.i:
                end = min(end, other.i)
    return token.doc[start:end]


def _apart(source: Token, cue: Token) -> bool:
    """Whether a source stands in another paragraph than its cue (the parser runs a
    sentence on across paragraphs and finds the cue a subject there)."""
    low, high = sorted((source.idx, cue.idx))
    return "\n" in text_of(cue.doc)[low:high]


def _timeless(token: Token) -> bool:
    """Whether a token is no date or time ("said Sunday"); an age with its article ("the
    46-year-old said") is a person, though the recogniser takes it for a date, and so is a
    name the recogniser runs into the date before it ("Last week [Stumpf] appeared…")."""
    if token.ent_type_ not in _WHEN:
        return True
    age = token.lower_ == "old" and any(c.lower_ in _ARTICLES for c in token.children)
    return age or _name_after_date(token)


def _name_after_date(token: Token) -> bool:
    """Whether a proper noun subject ends a date that opens with common words ("Last week
    Stumpf"): dates of proper nouns alone ("Monday") stay dates."""
    if token.pos_ != "PROPN" or token.dep_ not in _SUBJECTS or token.i == 0:
        return False
    before = token.doc[token.i - 1]
    return before.ent_type_ in _WHEN and before.pos_ != "PROPN"


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
    reports ('"…," added X'), not a verb joined to another ("…, but described his…"). A
    verb the parser hangs on a sentence in another paragraph heads its own."""
    if cue.i == cue.sent.start:
        return False
    if cue.dep_ == "parataxis":
        return True
    before = cue.doc[cue.i - 1]
    while before.is_space and before.i > cue.sent.start:
        before = cue.doc[before.i - 1]
    line = _line(cue)
    root = cue.dep_ == "ROOT" or not line.start <= cue.head.i < line.end
    if not root or not before.is_punct:
        return False
    return before.is_quote or any(c.dep_ == "ccomp" and c.i < cue.i for c in cue.children)


def _before_aside(token: Token) -> bool:
    """Whether a noun is followed by an aside ("the woman, who…"): set off so, it is no
    subject of the words after the aside, whatever the parser says ("…," said the
    woman, who like many in the town did not want to be quoted)."""
    after = token.i + 1
    return token.pos_ != "PRON" and after < len(token.doc) and token.doc[after].text == ","


def _aside_before(cue: Token) -> list[Token]:
    """The noun phrase between a comma (or ", as") and a cue followed by a comma ("…, union
    members say, is…"), when the sentence carries on after it; else none."""
    doc = cue.doc
    end = cue.i + 1 + (doc[cue.i + 1].dep_ == "prt")  # "pointed out,"
    if end + 1 >= len(doc) or doc[end].text != "," or not _resumes(doc[end + 1 :]):
        return []
    return _aside(doc, cue.i - 1, -1)


def _aside_after(cue: Token) -> list[Token]:
    """The noun phrase between a finite cue after a comma and the next comma, when the
    words before the cue are the reported sentence's subject and a verb follows the
    phrase ("The contrast with Trump, said Doyle and others, would be clear"); else none.
    Not the object of a verb ("…, criticized Clinton's email use, which…") or its hearer
    ("…, told reporters, …"), nor a phrase after an aside of the speaker's own ("aides to
    the governor, who had a long career in Congress, said their speeches…")."""
    doc = cue.doc
    if doc[cue.i - 1].text != "," or cue.tag_ not in _FINITE or lemma(cue) in _HEARER_OBJECT:
        return []
    if any(token.pos_ in {"VERB", "AUX"} for token in doc[cue.sent.start : cue.i]):
        return []
    words = _aside(doc, cue.i + 1, 1)
    after = cue.i + len(words) + 2
    return words if after < len(doc) and doc[after].pos_ in {"VERB", "AUX"} else []


def _resumes(words: Span) -> bool:
    """Whether the words after an aside's comma carry on the sentence it broke off ("The
    source, union members say, is manifold"; 'Clinton, a top aide said, "is very
    confident"'), rather than open a quoted sentence of what the words before the comma
    said ('Anthony Anton, president of the association, stated, "It's not…"')."""
    if not words[0].is_quote:
        return True
    inner = [token for token in words[:3] if not (token.is_quote or token.is_space)]
    return not inner or not inner[0].text[:1].isupper()


def _aside(doc: Doc, start: int, step: int) -> list[Token]:
    """The words from `start` (going by `step`) up to a comma, or back to ", as", if there
    is one within a few words and they may make a noun phrase; else none."""
    words: list[Token] = []
    index = start
    while 0 <= index < len(doc) and len(words) <= _MAX_ASIDE:
        token = doc[index]
        if token.text == "," or (step < 0 and token.lower_ == "as" and doc[index - 1].text == ","):
            return words
        nominal = token.pos_ in _ASIDE_POS or token.lower_ in _OWNERS
        if not nominal or token.lower_ in _RELATIVES:
            return []
        words.append(token)
        index += step
    return []


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
