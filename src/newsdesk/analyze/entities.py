"""People and organisations: spaCy's PERSON and ORG mentions, cleaned and merged per entity.

The small English model finds most names but slips in ways that repeat across articles, so
each mention goes through context rules that hold in general rather than per article:

- titles ("President", "Secretary of State", "Mr"), a leading "the", a possessive 's and
  trailing dashes are not part of a name;
- a wire dateline at the start of a line (`REUTERS -`, `MEXICO CITY (Reuters) -`) is not a
  mention of anyone;
- a single lowercase word, or a word the article also uses as a lowercase common noun
  ("marijuana"), is not a person;
- a surface form the article more often tags as a place is not a person or organisation
  (places belong to `newsdesk.analyze.places`), nor is an "organisation" made only of place
  names ("U.S.-Mexico");
- "State" in "Secretary of State" is part of a title, not an organisation;
- a name already seen as a person is a person even where the model says ORG ("Calderon").

Mentions are then merged per entity: a person mention whose words all occur in a fuller name
("Obama" in "Barack Obama") joins it, and an organisation mention that ends a longer name
("Senate" in "US Senate") or is its acronym ("UN") joins that. When two fuller names share
the words, the nearest one before the mention wins. Each entity is named by its fullest form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.nlp import text_of
from newsdesk.models import Entity
from newsdesk.names import name_words, person_joins

__all__ = ["find_entities"]

_PERSON, _ORG = "PERSON", "ORG"
_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})

_TITLES = """mr mrs ms miss mx dr prof professor sir dame lord president vice prime minister
    secretary general gen senator sen rep representative congressman congresswoman governor gov
    mayor king queen prince princess pope chancellor judge justice chief executive ceo chairman
    chairwoman chair director ambassador commissioner colonel col captain capt lt lieutenant
    sergeant sgt major maj admiral adm officer inspector detective det father rev reverend
    bishop archbishop cardinal sheikh former late state foreign defence defense interior home
    deputy acting attorney clerk first spokesman spokeswoman leader premier president-elect
    coach striker midfielder defender goalkeeper manager
"""
_TITLE_WORDS = frozenset(_TITLES.split())
_TITLE_LINKS = frozenset({"of", "the", "for"})
_LEADING_DROP = frozenset({"the", "a", "an"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_NAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "da", "di", "dos", "du", "la", "le"}
    | {"bin", "bint", "ibn", "al", "el", "ben", "y", "e", "ter", "ten", "zu", "af"}
)
_STREET_WORDS = frozenset(
    {"ave", "avenue", "street", "st", "road", "rd", "boulevard", "blvd", "lane", "highway"}
)

# A dateline opens a line: capitals (a place or an agency), perhaps a date, perhaps an
# agency in brackets, then a dash. "WASHINGTON, April 16 (Reuters) -", "REUTERS -".
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z .,'/]{1,40}(?:,[^()\n\-–—]{1,25})?(?:\s*\([^)\n]{1,40}\))?\s*[-–—]",
    re.MULTILINE,
)
_PLACE_SPLIT = re.compile(r"\s*[-/–]\s*")

_JoinRule = Callable[[tuple[str, ...], tuple[str, ...]], bool]


@dataclass
class _Mention:
    """One cleaned mention: its name words, label and character range."""

    label: str
    words: tuple[str, ...]
    text: str
    start: int
    end: int


@dataclass
class _Cluster:
    """The mentions of one entity and the fullest name seen for it."""

    name: str
    words: tuple[str, ...]
    anchors: list[int] = field(default_factory=list)
    offsets: list[tuple[int, int]] = field(default_factory=list)


def find_entities(doc: Doc) -> tuple[list[Entity], list[Entity]]:
    """Find the people and organisations an article mentions, one entry per entity.

    Args:
        doc: the parsed article body.

    Returns:
        (people, organisations), each sorted by number of mentions (most first), then by
        first mention; every offset is a [start, end) range of a mention in `doc.text`.
    """
    mentions = _relabelled(_clean_mentions(doc))
    people = _merge([m for m in mentions if m.label == _PERSON], person_joins)
    orgs = _merge([m for m in mentions if m.label == _ORG], _org_joins)
    return _as_entities(people), _as_entities(orgs)


def _relabelled(mentions: list[_Mention]) -> list[_Mention]:
    """Settle PERSON against ORG by the rest of the article.

    Words of a full personal name make a person ("Calderon" tagged ORG after "Felipe
    Calderon"); a lone word that starts an organisation's name and no personal name
    ("Virgin" beside "Virgin Radio") or a lone acronym ("ODPM") is an organisation.
    """
    full_names = {w for m in mentions if m.label == _PERSON and len(m.words) > 1 for w in m.words}
    org_heads = {m.words[0] for m in mentions if m.label == _ORG and len(m.words) > 1}
    for mention in mentions:
        if mention.label == _ORG and set(mention.words) <= full_names:
            mention.label = _PERSON
        elif mention.label == _PERSON and len(mention.words) == 1:
            lone = mention.words[0] not in full_names
            acronym = mention.text.isupper() and len(mention.text) > 1
            if lone and (mention.words[0] in org_heads or acronym):
                mention.label = _ORG
    return mentions


def _clean_mentions(doc: Doc) -> list[_Mention]:
    """PERSON and ORG mentions after the context rules, in text order."""
    datelines = [match.span() for match in _DATELINE.finditer(text_of(doc))]
    place_votes = _place_votes(doc)
    common_nouns = {t.lower_ for t in doc if t.pos_ == "NOUN" and t.is_lower}
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in (_PERSON, _ORG) or _inside(ent, datelines):
            continue
        mention = _clean(ent)
        if mention is None or place_votes[mention.text] > 0:
            continue
        if mention.label == _PERSON and _is_common_noun(mention, common_nouns):
            continue
        if mention.label == _ORG and (
            _is_place_compound(mention.text, place_votes) or _ends_title(ent)
        ):
            continue
        mentions.append(mention)
    return mentions


def _place_votes(doc: Doc) -> Counter[str]:
    """Per surface form: how many more times it is tagged a place than a person or org."""
    votes: Counter[str] = Counter()
    for ent in doc.ents:
        text = _strip_the(ent.text)
        if ent.label_ in _PLACE_LABELS:
            votes[text] += 1
        elif ent.label_ in (_PERSON, _ORG):
            votes[text] -= 1
    return votes


def _strip_the(text: str) -> str:
    """The text without a leading article "the"."""
    return text[4:] if text[:4].lower() == "the " else text


def _inside(ent: Span, ranges: list[tuple[int, int]]) -> bool:
    """True when the span lies within one of the character ranges."""
    return any(start <= ent.start_char and ent.end_char <= end for start, end in ranges)


def _clean(ent: Span) -> _Mention | None:
    """The mention without titles, articles, possessive and punctuation; None if nothing left."""
    tokens = _cut(list(ent))
    while tokens and tokens[0].lower_ in _LEADING_DROP:
        tokens.pop(0)
    person = ent.label_ == _PERSON
    tokens = _name_words(_without_title(tokens)) if person else _after_owner(tokens)
    tokens = _trimmed(tokens)
    if not tokens or not any(c.isalpha() for t in tokens for c in t.text):
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = ent.doc[tokens[0].i : tokens[-1].i + 1].text  # not doc.text: rebuilt on each read
    if ent.label_ == _ORG and text == text.lower():
        return None
    if text.split()[-1].lower().rstrip(".") in _STREET_WORDS:
        return None
    return _Mention(ent.label_, name_words(text), text, start, end)


def _cut(tokens: list[Token]) -> list[Token]:
    """The tokens before a line break, an opening bracket or a comma (the model runs on)."""
    for i, token in enumerate(tokens):
        if token.is_space or token.text in ("(", ",", "["):
            return tokens[:i]
    return tokens


def _trimmed(tokens: list[Token]) -> list[Token]:
    """Tokens without leading or trailing punctuation, nor a trailing possessive 's."""
    kept = list(tokens)
    while kept and not kept[0].text[0].isalnum():
        kept.pop(0)
    while kept and (
        kept[-1].text in _POSSESSIVE
        or not any(c.isalnum() for c in kept[-1].text)
        or (kept[-1].text == "s" and len(kept) > 1 and kept[-2].text in _POSSESSIVE)
    ):
        kept.pop()
    return kept


def _without_title(tokens: list[Token]) -> list[Token]:
    """Drop leading title words ("Secretary of State", "Mr"), keeping at least the last word."""
    kept = list(tokens)
    while len(kept) > 1 and (
        kept[0].lower_.rstrip(".") in _TITLE_WORDS or kept[0].lower_ in _TITLE_LINKS
    ):
        kept.pop(0)
    return kept


def _name_words(tokens: list[Token]) -> list[Token]:
    """A person's name ends before a lowercase word that is no particle ("Ivory on ...")."""
    for i, token in enumerate(tokens):
        if i and token.is_lower and token.lower_ not in _NAME_PARTICLES:
            return tokens[:i]
    return tokens


def _after_owner(tokens: list[Token]) -> list[Token]:
    """ "Mr Brown's International Finance Facility" names the facility, not Mr Brown."""
    if not tokens or tokens[0].lower_.rstrip(".") not in _TITLE_WORDS:
        return tokens
    owner = [i for i, t in enumerate(tokens) if t.text in _POSSESSIVE]
    return tokens[owner[0] + 1 :] if owner else tokens


def _is_common_noun(mention: _Mention, common_nouns: set[str]) -> bool:
    """A one-word "person" that is lowercase, or used elsewhere as a lowercase noun."""
    if len(mention.words) != 1:
        return False
    return mention.text.islower() or mention.words[0] in common_nouns


def _ends_title(ent: Span) -> bool:
    """An "organisation" that ends a title, like "State" in "Secretary of State"."""
    before = ent.doc[max(ent.start - 2, 0) : ent.start]
    return (
        len(before) == 2
        and before[1].lower_ == "of"
        and before[0].lower_.rstrip(".") in _TITLE_WORDS
    )


def _is_place_compound(text: str, place_votes: Counter[str]) -> bool:
    """An "organisation" made only of place names the article uses, like "U.S.-Mexico"."""
    parts = _PLACE_SPLIT.split(text)
    return len(parts) > 1 and all(place_votes[_strip_the(part)] > 0 for part in parts)


def _org_joins(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """An organisation mention joins a longer name it ends ("Senate") or abbreviates ("UN")."""
    if len(short) < len(full) and full[-len(short) :] == short:
        return True
    return len(short) == 1 and len(full) > 1 and short[0].replace(".", "") == _acronym(full)


def _acronym(words: tuple[str, ...]) -> str:
    """The initials of a name's words, skipping little words ("united nations" → "un")."""
    return "".join(w[0] for w in words if w not in _TITLE_LINKS and w != "and")


def _merge(mentions: list[_Mention], joins: _JoinRule) -> list[_Cluster]:
    """Group mentions per entity: one cluster per fullest name, shorter forms join one."""
    clusters: dict[tuple[str, ...], _Cluster] = {}
    for mention in sorted(mentions, key=lambda m: -len(m.words)):
        cluster = clusters.get(mention.words)
        if cluster is None and not any(joins(mention.words, words) for words in clusters):
            cluster = clusters[mention.words] = _Cluster(mention.text, mention.words)
        if cluster is not None:
            cluster.anchors.append(mention.start)
    for mention in mentions:
        _home(mention, clusters, joins).offsets.append((mention.start, mention.end))
    return list(clusters.values())


def _home(
    mention: _Mention, clusters: dict[tuple[str, ...], _Cluster], joins: _JoinRule
) -> _Cluster:
    """A mention's cluster: its own name, else the fuller name named nearest before it."""
    own = clusters.get(mention.words)
    if own is not None:
        return own
    fuller = [c for words, c in clusters.items() if joins(mention.words, words)]
    return max(fuller, key=lambda c: _last_before(c.anchors, mention.start))


def _last_before(anchors: list[int], position: int) -> tuple[int, int]:
    """Sort key: the latest full-name mention before `position`, else the earliest after it."""
    before = [a for a in anchors if a < position]
    return (1, max(before)) if before else (0, -min(anchors))


def _as_entities(clusters: list[_Cluster]) -> list[Entity]:
    """Entities sorted by mentions (most first), then by first mention."""
    entities = [Entity(c.name, len(c.offsets), sorted(c.offsets)) for c in clusters]
    return sorted(entities, key=lambda e: (-e.mentions, e.offsets[0]))
