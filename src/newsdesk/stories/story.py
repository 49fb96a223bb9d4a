"""A story as readers see it, built from its stored articles and their analyses.

Everything but the headline and span is derived here, on demand, from the articles, so it is
never stale: outlets and agencies in order of how many articles they gave; countries, people
and organisations weighted by how many *reports* name them (a wire copy run by twenty outlets
is one report: copies are folded into their original); for each kind of event the largest
count reported; quotes with named speakers first; and a timeline of the reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

from newsdesk.models import (
    Analysis,
    Article,
    Count,
    Place,
    Story,
    StoryArticle,
    StoryQuote,
    TimelineEntry,
)
from newsdesk.names import name_words, person_joins
from newsdesk.store import Store
from newsdesk.store.stories import (
    StoryMember,
    StoryRecord,
    get_story_record,
    members_of,
    story_members,
    story_records,
)
from newsdesk.stories.prominence import prominent_actors
from newsdesk.stories.rank import DISPLACED_EVENTS, INJURED_EVENTS, KILLED_EVENTS

QUOTES_KEPT = 5
PLACES_KEPT = 25
NAMES_KEPT = 10


def build_story(record: StoryRecord, members: Sequence[StoryMember]) -> Story:
    """The full story from its row and its articles.

    Args:
        record: the story's stored row (id, headline, span).
        members: its articles, oldest first, with analyses.

    Returns:
        The story with its articles, coverage, actors, places, counts, quotes and timeline.
    """
    reports = [m for m in members if m.duplicate_of is None] or list(members)
    analysed = [(m, m.analysis) for m in reports if m.analysis is not None]
    analyses = [analysis for _, analysis in analysed]
    return Story(
        id=record.id,
        headline=record.headline,
        first_seen=record.first_seen,
        last_seen=record.last_seen,
        articles=[_story_article(m) for m in members],
        outlets=_ranked(outlet_of(m.article.article) for m in members),
        agencies=_ranked(m.article.article.agency for m in members),
        countries=_ranked(code for a in analyses for code in a.focus_countries),
        people=_people(analyses),
        organizations=_ranked((e.name for a in analyses for e in a.organizations), NAMES_KEPT),
        prominent=sorted(
            {n for m, a in analysed for n in prominent_actors(m.article.article.body, a)}
        ),
        themes=_ranked((t.name for a in analyses for t in a.themes), NAMES_KEPT),
        places=_places(analyses),
        counts=largest_counts(analyses),
        quotes=_quotes(analysed),
        timeline=_timeline(members),
    )


def outlet_of(article: Article) -> str | None:
    """The outlet that ran an article: its name, else its web site's host."""
    if article.outlet:
        return article.outlet
    host = urlsplit(article.url).hostname if article.url else None
    return host.removeprefix("www.") if host else None


def _story_article(member: StoryMember) -> StoryArticle:
    article = member.article.article
    return StoryArticle(
        id=member.article.id,
        title=article.title,
        outlet=outlet_of(article),
        url=article.url,
        agency=article.agency,
        seen_at=member.seen_at,
        duplicate_of=member.duplicate_of,
    )


def _ranked(values: Iterable[str | None], limit: int | None = None) -> list[str]:
    """Distinct values, most frequent first (first seen first among equals)."""
    counts = Counter(value for value in values if value)
    return [value for value, _ in counts.most_common(limit)]


def _people(analyses: Sequence[Analysis]) -> list[str]:
    """The story's people, named in the most articles first. A short name that another
    article gives in full ("Netanyahu" beside "Benjamin Netanyahu") counts towards the full
    name, unless several full names fit it ("Bush": George W. or George H.W.)."""
    named = Counter(entity.name for analysis in analyses for entity in analysis.people)
    words = {name: name_words(name) for name in named}
    by_word: dict[str, list[str]] = {}
    for name, its_words in words.items():
        for word in set(its_words):
            by_word.setdefault(word, []).append(name)
    merged: Counter[str] = Counter()
    for name, articles in named.items():
        # a fuller name holds every word of this one, so its last word is enough to look up
        sharing = by_word.get(words[name][-1], []) if words[name] else []
        fuller = [other for other in sharing if person_joins(words[name], words[other])]
        fullest = [f for f in fuller if not any(person_joins(words[f], words[g]) for g in fuller)]
        merged[fullest[0] if len(fullest) == 1 else name] += articles
    return [name for name, _ in merged.most_common(NAMES_KEPT)]


def _places(analyses: Sequence[Analysis]) -> list[Place]:
    """The story's places with coordinates, most mentioned first, one entry per place."""
    merged: dict[tuple[str, str | None], Place] = {}
    for analysis in analyses:
        for place in analysis.places:
            if place.lat is None or place.lon is None:
                continue
            key = (place.name, place.country_code)
            if key in merged:
                merged[key].mentions += place.mentions
            else:
                merged[key] = Place(place.name, place.kind, place.country_code, place.lat,
                                    place.lon, place.mentions)  # fmt: skip
    return sorted(merged.values(), key=lambda p: -p.mentions)[:PLACES_KEPT]


def largest_counts(analyses: Sequence[Analysis]) -> list[Count]:
    """For each (event, unit), the largest count any report gives: outlets reporting one toll
    differently give one figure, its top one. Deaths come first, then injuries, then people
    displaced, then everything else; the biggest first within each.

    Args:
        analyses: the analyses of a story's reports.

    Returns:
        One count per (event, unit), most serious first.
    """
    best: dict[tuple[str | None, str], Count] = {}
    for analysis in analyses:
        for count in analysis.counts:
            key = (count.event, count.unit)
            if count.event and (key not in best or count.number > best[key].number):
                best[key] = count
    return sorted(best.values(), key=lambda c: (_gravity(c), -c.number))


def _gravity(count: Count) -> int:
    """0 for deaths, 1 injuries, 2 people displaced, 3 anything else."""
    groups = (KILLED_EVENTS, INJURED_EVENTS, DISPLACED_EVENTS)
    return next((i for i, events in enumerate(groups) if count.event in events), len(groups))


def _quotes(analysed: Sequence[tuple[StoryMember, Analysis]]) -> list[StoryQuote]:
    """Distinct quotes, direct ones with a named speaker first, then in story order."""
    seen: set[str] = set()
    quotes: list[StoryQuote] = []
    for member, analysis in analysed:
        for quote in analysis.quotes:
            key = " ".join(quote.text.lower().split())
            if key not in seen:
                seen.add(key)
                quotes.append(StoryQuote(quote.text, quote.speaker, quote.kind, member.article.id))
    quotes.sort(key=lambda q: (q.speaker is None, q.kind != "direct"))
    return quotes[:QUOTES_KEPT]


def _timeline(members: Sequence[StoryMember]) -> list[TimelineEntry]:
    """One entry per report in time order; copies counted on their original's entry."""
    copies = Counter(m.duplicate_of for m in members if m.duplicate_of is not None)
    entries = [
        TimelineEntry(
            when=m.seen_at,
            title=m.article.article.title,
            outlet=outlet_of(m.article.article),
            article_id=m.article.id,
            copies=copies[m.article.id],
        )
        for m in members
        if m.duplicate_of is None
    ]
    return sorted(entries, key=lambda e: (e.when, e.article_id))


def load_story(store: Store, story_id: int) -> Story | None:
    """One story, built from the store, or None when there is no such story."""
    record = get_story_record(store, story_id)
    return build_story(record, story_members(store, story_id)) if record else None


def as_of(
    record: StoryRecord, members: Sequence[StoryMember], until: datetime | None
) -> tuple[StoryRecord, list[StoryMember]]:
    """The story as it stood at `until`: its articles seen by then, and the span they cover."""
    kept = [m for m in members if until is None or m.seen_at <= until]
    if not kept or len(kept) == len(members):
        return record, list(members)
    span = replace(record, first_seen=kept[0].seen_at, last_seen=max(m.seen_at for m in kept),
                   article_count=len(kept))  # fmt: skip
    return span, kept


def load_stories(
    store: Store, since: datetime | None = None, until: datetime | None = None
) -> list[Story]:
    """The stories active in [since, until], built from the store.

    Args:
        store: the store.
        since: only stories with an article seen at or after this (all when None).
        until: only stories that had begun by this, as they stood then: articles seen
            later are left out (all when None).

    Returns:
        The stories, most recently active first.
    """
    return [story for story, _ in stories_with_members(store, since, until)]


def stories_with_members(
    store: Store, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[Story, list[StoryMember]]]:
    """`load_stories`, each story with its articles and analyses (for summaries)."""
    records = story_records(store, since, until)
    members = members_of(store, [record.id for record in records])
    found = []
    for record in records:
        span, kept = as_of(record, members[record.id], until)
        if since is None or span.last_seen >= since:
            found.append((build_story(span, kept), kept))
    return found
