"""Places: every country, region, admin area and city an article mentions, and its focus.

Names are matched against the gazetteer over token n-grams, longest first, not only over
spaCy's entities: the small model splits "Trinidad and Tobago" into two GPEs, and the
country must win over a town called Trinidad. Qualifiers fall away by themselves ("southern
Mexico" matches "Mexico"); demonyms tagged NORP count towards their country or region
("Mexican government" → Mexico, "Latin American" → Latin America).

How much evidence a match needs depends on what it could be. A country, region or
abbreviation counts wherever it is capitalised, except inside a person's name. A city or
admin area is a common word or surname too often ("Reading", "Split", "Obama" is a Japanese
city), so it counts only inside a GPE or LOC entity and never as a word that the article
also uses in a person's name. Ambiguous names are settled by the countries the rest of the
article names, then by size ("Paris" is in France unless the article is about Texas).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.gazetteer import (
    ADMIN,
    CITY,
    COUNTRY,
    REGION,
    Entry,
    Gazetteer,
    first_word,
    name_key,
)
from newsdesk.analyze.gazetteer import gazetteer as load_gazetteer
from newsdesk.analyze.nlp import lemma, text_of
from newsdesk.models import Place

_LOCATION_TAGS = frozenset({"GPE", "LOC"})
_DEMONYM_TAGS = frozenset({"NORP", "GPE"})
_SPEECH = frozenset({"language", "word", "speaker", "text", "version", "translation", "name"})
_QUALIFIER_GLUE = frozenset({",", "in", "the"})
_MAX_DEMONYM_TOKENS = 3
_CONTEXT_BONUS = 1.5  # in log10 population: a town the article's countries hold beats
_CAPITAL_BONUS = 1.0  # a 30 times bigger city elsewhere, but not Paris or London
_ADMIN_SIZE = 6.5  # admin areas count as a 3-million city when weighed against cities
_MIN_UNACCENTED_POPULATION = 100_000
_EARLY_CHARS = 500.0  # a mention this far into the body weighs 1.5, the first one 2
_FOCUS_SHARE = 0.1  # focus countries score at least this share of the top one


@dataclass
class _Mention:
    """A matched name: token span, character span, candidates, any ", Texas" qualifier."""

    start: int
    end: int
    chars: tuple[int, int]
    key: str
    candidates: tuple[Entry, ...]
    qualifier: tuple[Entry, ...] = field(default_factory=tuple)


def find_places(doc: Doc) -> list[Place]:
    """Every place the article body mentions, resolved against the gazetteer.

    Args:
        doc: the parsed article body (offsets are character offsets into it).

    Returns:
        One `Place` per place, with every mention's offsets, sorted by number of mentions
        (most first), then by first mention.
    """
    mentions = _mentions(doc, load_gazetteer())
    _attach_qualifiers(doc, mentions)
    grouped: defaultdict[Entry, list[tuple[int, int]]] = defaultdict(list)
    for mention, entry in zip(mentions, _resolve(mentions), strict=True):
        if entry is not None:
            grouped[entry].append(mention.chars)
    places = [
        Place(entry.name, entry.kind, entry.country_code, entry.lat, entry.lon, len(spans), spans)
        for entry, spans in grouped.items()
    ]
    return sorted(places, key=lambda place: (-place.mentions, place.offsets[0][0]))


def focus_countries(places: Sequence[Place]) -> list[str]:
    """The countries the article is about, most central first.

    Every mention of a country, of one of its admin areas or cities, or of its people
    (demonyms are mentions of the country) scores for it, an early mention up to twice as
    much as a late one. Countries scoring under a tenth of the leader are passing mentions.

    Args:
        places: the article's places, as `find_places` returns them.

    Returns:
        ISO 3166-1 alpha-2 codes, highest score first.
    """
    scores: defaultdict[str, float] = defaultdict(float)
    for place in places:
        if place.country_code is None:
            continue
        for start, _ in place.offsets:
            scores[place.country_code] += 1.0 + 1.0 / (1.0 + start / _EARLY_CHARS)
    if not scores:
        return []
    ranked = sorted(scores, key=lambda code: (-scores[code], code))
    threshold = _FOCUS_SHARE * scores[ranked[0]]
    return [code for code in ranked if scores[code] >= threshold]


def _mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    """Scan the tokens once, taking the longest name or demonym that starts at each one."""
    person_words = {
        token.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for token in ent
    }
    mentions: list[_Mention] = []
    text = text_of(doc)
    index = 0
    while index < len(doc):
        token = doc[index]
        if not token.text[:1].isupper():
            index += 1
            continue
        found = _longest_name(doc, text, index, gaz)
        demonym = _demonym(doc, index, gaz)
        if demonym and (found is None or demonym.end > found.end):
            found = demonym
        if found and _credible(doc[found.start : found.end], found.candidates, person_words):
            mentions.append(found)
            index = found.end
            continue
        mentions.extend(_hyphenated_parts(token, gaz))
        index += 1
    return mentions


def _longest_name(doc: Doc, text: str, start: int, gaz: Gazetteer) -> _Mention | None:
    """The longest name (or exact-case abbreviation) starting at token `start` of `text`."""
    first = doc[start].text
    if first in gaz.abbreviations:
        return _span_mention(doc[start : start + 1], first, (gaz.abbreviations[first],))
    most = gaz.first_words.get(first_word(name_key(first)))
    if most is None:
        return None
    begin = doc[start].idx
    for end in range(min(len(doc), start + most), start, -1):
        last = doc[end - 1]
        if not last.text[:1].isupper():
            continue
        written = text[begin : last.idx + len(last.text)]
        key = name_key(written)
        candidates = _as_written(gaz.names.get(key, ()), written)
        if candidates:
            return _span_mention(doc[start:end], key, candidates)
    return None


def _as_written(candidates: tuple[Entry, ...], written: str) -> tuple[Entry, ...]:
    """Drop small towns whose name only matches once accents are stripped ("Palin" is not
    Palín in Guatemala); a big city's name is often written without its accents."""
    folded = written.casefold()
    return tuple(
        entry
        for entry in candidates
        if entry.kind != CITY
        or entry.population >= _MIN_UNACCENTED_POPULATION
        or entry.name.casefold() == folded
    )


def _demonym(doc: Doc, start: int, gaz: Gazetteer) -> _Mention | None:
    """A demonym starting at `start` that is used as a nationality (see `_nationality`)."""
    for end in range(min(len(doc), start + _MAX_DEMONYM_TOKENS), start, -1):
        entry = gaz.demonyms.get(doc[start:end].text)
        if entry:
            span = doc[start:end]
            return _span_mention(span, entry.name, (entry,)) if _nationality(span) else None
    return None


def _nationality(span: Span) -> bool:
    """Whether a demonym names people or a country's things, not a language or a brand.

    NORP and GPE tags count; a LANGUAGE tag counts when the word describes a noun that is
    not about language ("English climber", not "Spanish words"); an ORG tag counts when the
    organisation is nothing but the demonym ("The New Zealander")."""
    first = span[0]
    if first.ent_type_ in _DEMONYM_TAGS:
        return True
    if first.ent_type_ == "LANGUAGE":
        head = first.head
        return first.dep_ == "amod" and head.pos_ == "NOUN" and lemma(head) not in _SPEECH
    if first.ent_type_ == "ORG":
        entity = next(ent for ent in span.doc.ents if ent.start <= first.i < ent.end)
        others = [t for t in entity if not span.start <= t.i < span.end]
        return all(token.pos_ == "DET" for token in others)
    return False


def _credible(span: Span, candidates: tuple[Entry, ...], person_words: set[str]) -> bool:
    """Whether a matched span is really a place, given what it could be (see module doc).

    A span inside a longer PERSON entity is part of a name; a PERSON entity that is just
    "Sahel" or "Chad" is the small model's slip, caught by `person_words` when the article
    also uses the word in a full name."""
    if any(token.ent_type_ == "PERSON" for token in span) and not _whole_entity(span):
        return False
    if len(span) == 1 and span.text in person_words:
        return False
    tagged = any(token.ent_type_ in _LOCATION_TAGS for token in span)
    if len(span) == 1 and span[0].is_sent_start and not (tagged or span[0].ent_type_ == "NORP"):
        return False
    return tagged or any(entry.kind in (COUNTRY, REGION) for entry in candidates)


def _whole_entity(span: Span) -> bool:
    """Whether `span` is exactly one entity, as "Sahel" tagged PERSON on its own."""
    return span[0].ent_iob_ == "B" and (
        span.end == len(span.doc) or span.doc[span.end].ent_iob_ != "I"
    )


def _hyphenated_parts(token: Token, gaz: Gazetteer) -> list[_Mention]:
    """Countries inside one hyphenated token, as in "U.S.-Mexico border"."""
    if "-" not in token.text:
        return []
    found = []
    offset = 0
    for part in token.text.split("-"):
        entries: tuple[Entry, ...] = ()
        if part in gaz.abbreviations:
            entries = (gaz.abbreviations[part],)
        elif part[:1].isupper():
            entries = gaz.names.get(name_key(part), ())
        strong = tuple(entry for entry in entries if entry.kind in (COUNTRY, REGION))
        if strong:
            chars = (token.idx + offset, token.idx + offset + len(part))
            found.append(_Mention(token.i, token.i + 1, chars, name_key(part), strong))
        offset += len(part) + 1
    return found


def _span_mention(span: Span, key: str, candidates: tuple[Entry, ...]) -> _Mention:
    """A mention covering whole tokens."""
    return _Mention(span.start, span.end, (span.start_char, span.end_char), key, candidates)


def _attach_qualifiers(doc: Doc, mentions: list[_Mention]) -> None:
    """Let "Paris, Texas" or "Essex in the UK" restrict the candidates of the first name."""
    for mention, following in itertools.pairwise(mentions):
        between = doc[mention.end : following.start]
        if 0 < len(between) <= 2 and all(token.lower_ in _QUALIFIER_GLUE for token in between):
            qualifying = (ADMIN, COUNTRY)
            mention.qualifier = tuple(e for e in following.candidates if e.kind in qualifying)


def _resolve(mentions: list[_Mention]) -> list[Entry | None]:
    """The entry each mention means, settled by the article's other places when ambiguous."""
    evidence: defaultdict[str, set[str]] = defaultdict(set)
    local: defaultdict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        guess = _choose(mention, {}, {})
        if guess and guess.country_code and _confident(mention, guess):
            evidence[guess.country_code].add(mention.key)
            if guess.kind in (ADMIN, CITY):
                local[guess.country_code].add(mention.key)
    return [_choose(mention, evidence, local) for mention in mentions]


def _confident(mention: _Mention, guess: Entry) -> bool:
    """Whether a context-free guess can serve as context: a country, or a unique name."""
    codes = {entry.country_code for entry in mention.candidates}
    return guess.kind in (COUNTRY, REGION) or len(codes) == 1


def _choose(
    mention: _Mention, evidence: dict[str, set[str]], local: dict[str, set[str]]
) -> Entry | None:
    """Pick one candidate: countries and regions first, unless a same-named admin area lies
    in a country whose other towns the article names ("Atlanta ... Georgia")."""
    candidates = _qualified(mention)
    if not candidates:
        return None
    broad = [entry for entry in candidates if entry.kind in (REGION, COUNTRY)]
    narrow = [entry for entry in candidates if entry.kind in (ADMIN, CITY)]
    if broad:
        country = broad[0].country_code
        if not (country and _named_elsewhere(country, mention.key, evidence)):
            local_admins = [
                entry for entry in narrow
                if entry.kind == ADMIN and _named_elsewhere(entry.country_code, mention.key, local)
            ]  # fmt: skip
            if local_admins:
                return local_admins[0]
        return broad[0]
    return max(narrow, key=lambda entry: _weight(entry, mention.key, evidence))


def _qualified(mention: _Mention) -> tuple[Entry, ...]:
    """The candidates that agree with the mention's qualifier: none when "Gstaad,
    Switzerland" names a town too small for the gazetteer but a namesake exists elsewhere."""
    if not mention.qualifier:
        return mention.candidates
    admins = {(entry.country_code, entry.admin_code) for entry in mention.qualifier}
    codes = {entry.country_code for entry in mention.qualifier if entry.kind == COUNTRY}
    kept = tuple(
        entry
        for entry in mention.candidates
        if entry.country_code in codes or (entry.country_code, entry.admin_code) in admins
    )
    return kept


def _named_elsewhere(code: str | None, key: str, evidence: dict[str, set[str]]) -> bool:
    """Whether some other name in the article points to country `code`."""
    return code is not None and bool(evidence.get(code, set()) - {key})


def _weight(entry: Entry, key: str, evidence: dict[str, set[str]]) -> float:
    """How likely an admin area or city is meant: its size, capital status and context."""
    size = _ADMIN_SIZE if entry.kind == ADMIN else math.log10(entry.population + 1)
    bonus = _CAPITAL_BONUS if entry.capital else 0.0
    if _named_elsewhere(entry.country_code, key, evidence):
        bonus += _CONTEXT_BONUS
    return size + bonus
