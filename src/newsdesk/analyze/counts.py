"""Counts in GDELT's sense: how many people (or homes, vehicles…) an event touched.

"whose turf battles killed some 6,300 people in Mexico last year" is 6300, approximate,
people, killed, where Mexico, when 2008. A number counts when the parse ties it to a noun
("6,300 people", "tens of thousands of troops", "three of the victims") or stands for people
itself as the subject or object of an event verb ("16 died"). Its event is the verb or
adjective the noun hangs on ("killed", "were injured", "dead", "people missing"), or an
event noun it belongs to ("the deaths of 16 people", "the death toll rose to 50"). Counts
with no event are kept only for nouns that name people, so "three goals" or "four albums"
never count; years, ages, money, percentages and ordinals are other entities and are never
counts. Numbers in words are read by `newsdesk.analyze.numbers` ("hundreds" → 100 and
"tens of thousands" → 10,000, both approximate: see there).

`where` is a place from the places analyzer mentioned in the same sentence, preferring one
that follows a locative preposition ("in southern Mexico"); `when` is a DATE expression of
the same sentence resolved against the publication date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.dates import resolve_date_expression
from newsdesk.analyze.nlp import lemma
from newsdesk.analyze.numbers import Number, parse_number
from newsdesk.models import Count, Place

__all__ = ["find_counts"]

_NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
_VAGUE_NOUNS = frozenset({"dozens", "scores", "hundreds", "thousands", "millions", "tens"})
_APPROXIMATORS = frozenset({"some", "about", "around", "nearly", "almost", "roughly", "over"})
_EVENT_VERBS = {
    "kill": "killed",
    "murder": "killed",
    "slay": "killed",
    "massacre": "killed",
    "execute": "executed",
    "die": "died",
    "perish": "died",
    "drown": "died",
    "miss": "missing",
    "injure": "injured",
    "wound": "wounded",
    "hurt": "hurt",
    "shoot": "shot",
    "arrest": "arrested",
    "detain": "detained",
    "jail": "jailed",
    "capture": "captured",
    "displace": "displaced",
    "evacuate": "evacuated",
    "flee": "fled",
    "kidnap": "kidnapped",
    "abduct": "abducted",
    "rescue": "rescued",
    "free": "freed",
    "release": "released",
    "trap": "trapped",
    "strand": "stranded",
    "hospitalize": "hospitalised",
    "hospitalise": "hospitalised",
    "infect": "infected",
    "sicken": "sickened",
    "send": "sent",
    "deploy": "deployed",
    "protest": "protested",
    "march": "protested",
    "rally": "protested",
    "demonstrate": "protested",
    "strike": "struck",
    "destroy": "destroyed",
    "damage": "damaged",
}
_EVENT_ADJECTIVES = {
    word: word for word in ("dead", "injured", "wounded", "missing", "homeless", "hurt")
} | {"displaced": "displaced", "unaccounted": "missing"}
_EVENT_NOUNS = {
    "death": "died",
    "killing": "killed",
    "murder": "killed",
    "injury": "injured",
    "arrest": "arrested",
    "evacuation": "evacuated",
    "kidnapping": "kidnapped",
    "abduction": "abducted",
    "rescue": "rescued",
    "deployment": "deployed",
    "protest": "protested",
    "toll": "died",
}
# Nouns that are themselves the event: "50 deaths" counts people who died.
_EVENT_UNITS = {
    "deaths": "died",
    "fatalities": "died",
    "injuries": "injured",
    "arrests": "arrested",
    "casualties": "casualties",
}
_PEOPLE = frozenset(
    [
        "people",
        "persons",
        "person",
        "men",
        "women",
        "children",
        "kids",
        "babies",
        "boys",
        "girls",
        "adults",
        "troops",
        "soldiers",
        "police",
        "policemen",
        "officers",
        "civilians",
        "residents",
        "villagers",
        "citizens",
        "protesters",
        "demonstrators",
        "refugees",
        "migrants",
        "immigrants",
        "asylum-seekers",
        "workers",
        "miners",
        "students",
        "pupils",
        "teachers",
        "victims",
        "passengers",
        "crew",
        "sailors",
        "fishermen",
        "tourists",
        "pilgrims",
        "patients",
        "doctors",
        "nurses",
        "militants",
        "rebels",
        "fighters",
        "insurgents",
        "gunmen",
        "guerrillas",
        "terrorists",
        "suspects",
        "hostages",
        "prisoners",
        "inmates",
        "detainees",
        "staff",
        "employees",
        "families",
        "households",
        "homes",
        "houses",
        "buildings",
        "voters",
        "supporters",
        "members",
        "fans",
        "spectators",
        "journalists",
        "reporters",
        "bodies",
        "survivors",
        "peacekeepers",
        "marines",
        "personnel",
        "firefighters",
        "inhabitants",
        "casualties",
    ]
)
_NOT_UNITS = frozenset(
    [
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
        "second",
        "seconds",
        "decade",
        "decades",
        "century",
        "centuries",
        "percent",
        "per",
        "cent",
        "points",
        "point",
        "goals",
        "goal",
        "times",
        "time",
        "km",
        "kilometres",
        "kilometers",
        "miles",
        "mile",
        "metres",
        "meters",
        "feet",
        "foot",
        "inches",
        "kg",
        "kilograms",
        "tonnes",
        "tons",
        "pounds",
        "dollars",
        "euros",
        "yen",
        "pence",
        "cents",
        "block",
    ]
)
# Events that befall things as well as people: "three cables damaged", "sent 40 tanks".
_THING_EVENTS = frozenset({"destroyed", "damaged", "struck", "sent", "deployed", "evacuated"})
_NEGATIONS = frozenset({"no", "not", "none", "nor"})
_DASHES = frozenset({"-", "–", ":"})
# How a counted word hangs on its event verb: as its subject, object or complement.
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "appos"})
_LOCATIVES = frozenset({"in", "near", "at", "across", "throughout", "inside", "outside", "around"})
_MAX_EVENT_GAP = 6  # tokens between the number phrase and its event word for `text`
_PERSON_UNIT = "people"


def find_counts(
    doc: Doc, places: Sequence[Place], published: datetime | None = None
) -> list[Count]:
    """The counts of people and things affected by events that the article reports.

    Args:
        doc: the parsed article body.
        places: the article's places (from `newsdesk.analyze.places.find_places`), for `where`.
        published: the publication date, to resolve `when` ("last year" → the year before).

    Returns:
        One count per number phrase that counts something, in text order.
    """
    counts = []
    place_mentions = _place_mentions(doc, places)
    for span in _number_spans(doc):
        number = _read(span)
        if number is None:
            continue
        found = _counted(span)
        if found is None:
            continue
        unit, event, anchor = found
        counts.append(
            Count(
                number=round(number.value),
                approximate=number.approximate,
                unit=unit,
                event=event,
                where=_where(span, place_mentions),
                when=_when(span, published),
                text=_phrase(span, anchor),
            )
        )
    return counts


def _number_spans(doc: Doc) -> list[Span]:
    """CARDINAL entities, plus figures and "hundreds"-like words the recogniser left out."""
    spans = [ent for ent in doc.ents if ent.label_ == "CARDINAL"]
    run: list[Token] = []
    for token in doc:
        if not token.ent_type_ and (token.like_num or token.lower_ in _VAGUE_NOUNS):
            run.append(token)
            continue
        if run:
            spans.append(doc[run[0].i : run[-1].i + 1])
            run = []
    if run:
        spans.append(doc[run[0].i : run[-1].i + 1])
    return sorted(spans, key=lambda span: span.start)


def _read(span: Span) -> Number | None:
    """The whole number a phrase gives, approximate when a word before it says so."""
    number = parse_number([t.text for t in span])
    if number is None or number.value < 1 or number.value != int(number.value):
        return None
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start else ""
    after = doc[span.end : span.end + 2]
    if before in _NEGATIONS or (len(after) == 2 and after[0].text in _DASHES and after[1].like_num):
        return None
    return Number(number.value, number.approximate or before in _APPROXIMATORS)


def _counted(span: Span) -> tuple[str, str | None, list[Token]] | None:
    """The unit counted, the event and the tokens that say so; None when nothing is counted."""
    noun = _counted_noun(span)
    if noun is None:
        event, event_token = _event_of(span.root)
        alone = span.root.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr")
        if event is None or event_token is None or not alone:
            return None
        return _PERSON_UNIT, event, [event_token]
    unit = noun.lower_
    if unit in _NOT_UNITS or (noun.pos_ != "NOUN" and unit not in _PEOPLE):
        return None
    if unit in _EVENT_UNITS:
        return _PERSON_UNIT, _EVENT_UNITS[unit], [noun]
    event, event_token = _event_of(noun)
    if unit not in _PEOPLE and event not in _THING_EVENTS:
        return None
    return unit, event, [noun] if event_token is None else [noun, event_token]


def _counted_noun(span: Span) -> Token | None:
    """The noun a number phrase counts: "6,300 people", "thousands of troops"."""
    root = span.root
    if root.dep_ in ("nummod", "quantmod", "amod") and root.head.pos_ in ("NOUN", "PROPN"):
        return root.head if root.head.i >= span.end else None
    token = root
    for _ in range(3):
        pobj = _of_object(token)
        if pobj is None:
            return None
        if pobj.i >= span.end:
            return pobj if pobj.pos_ in ("NOUN", "PROPN") else None
        token = pobj
    return None


def _of_object(token: Token) -> Token | None:
    """The object of an "of" after a token ("thousands of troops" → troops), if any."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _event_of(token: Token) -> tuple[str | None, Token | None]:
    """The event a counted word takes part in, and the word that names it."""
    for child in token.children:
        if child.dep_ in ("amod", "acomp") and child.lower_ in _EVENT_ADJECTIVES:
            return _EVENT_ADJECTIVES[child.lower_], child
        if child.dep_ in ("acl", "relcl") and lemma(child) in _EVENT_VERBS:
            return _EVENT_VERBS[lemma(child)], child
    current = token
    for _ in range(4):
        head = current.head
        if current.dep_ in _ARGUMENTS and head.pos_ in ("VERB", "AUX"):
            return _verb_event(head)
        if current.dep_ == "conj":
            current = head
        elif current.dep_ == "pobj" and head.lower_ == "to":
            return _verb_event(head.head)
        elif current.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
            current = head.head
            if lemma(current) in _EVENT_NOUNS:
                return _EVENT_NOUNS[lemma(current)], current
        else:
            break
    return None, None


def _verb_event(verb: Token) -> tuple[str | None, Token | None]:
    """The event a verb names itself, through a complement ("were found dead") or a toll."""
    if lemma(verb) in _EVENT_VERBS:
        return _EVENT_VERBS[lemma(verb)], verb
    for child in verb.children:
        if child.dep_ in ("acomp", "oprd", "xcomp") and child.lower_ in _EVENT_ADJECTIVES:
            return _EVENT_ADJECTIVES[child.lower_], child
        if child.dep_ in ("xcomp", "oprd") and lemma(child) in _EVENT_VERBS:
            return _EVENT_VERBS[lemma(child)], child
        if child.dep_ == "nsubj" and lemma(child) == "toll":
            return "died", child
    return None, None


def _phrase(span: Span, tokens: list[Token]) -> str:
    """The count's words: the number phrase, its noun and a nearby event word."""
    near = [t for t in tokens if span.start - _MAX_EVENT_GAP <= t.i < span.end + _MAX_EVENT_GAP]
    start = min([span.start, *(t.i for t in near)])
    end = max([span.end - 1, *(t.i for t in near)])
    doc = span.doc
    return doc[start : end + 1].text  # not doc.text, which is rebuilt on every read


def _place_mentions(doc: Doc, places: Sequence[Place]) -> list[tuple[int, str, bool]]:
    """Every place mention: its start, the place's name, whether a locative governs it."""
    mentions = []
    for place in places:
        for start, end in place.offsets:
            span = doc.char_span(start, end, alignment_mode="expand")
            locative = span is not None and span.root.head.lower_ in _LOCATIVES
            mentions.append((start, place.name, locative))
    return mentions


def _where(span: Span, mentions: list[tuple[int, str, bool]]) -> str | None:
    """The place of the count's sentence: one after "in" first, then one after the number.

    "Officials in Lima said 12 people died in Cusco": the count's own clause follows the
    attribution, so its place is the one after the number.
    """
    sent = span.sent
    inside = [m for m in mentions if sent.start_char <= m[0] < sent.end_char]
    if not inside:
        return None
    start = span.start_char
    best = min(inside, key=lambda m: (not m[2], m[0] < start, abs(m[0] - start)))
    return best[1]


def _when(span: Span, published: datetime | None) -> str | None:
    """The resolved date of the count's sentence, the nearest expression first."""
    dates = sorted(
        (e for e in span.sent.ents if e.label_ == "DATE"),
        key=lambda e: abs(e.start_char - span.start_char),
    )
    for ent in dates:
        resolved = resolve_date_expression(ent, published)
        if resolved is not None:
            return resolved
    return None
