"""Online single-pass story clustering: each article joins the best active story or opens one.

An article (a `StoryItem`) is compared only with the active stories that share one of its most
distinctive terms or one of its entities (an inverted index), so the cost per article stays flat
as the archive grows. The score of an item against a story is

    score = time_factor * (cosine + entity_weight * entity_overlap - penalties)

* cosine: TF-IDF cosine between the item's vector and the story centroid. Terms are the lower-
  cased words of the title (counted `title_weight` times: a headline names the event) and of the
  body, with sublinear term frequency; IDF is learnt incrementally from every item seen so far.
  The centroid is the running sum of its members' unit vectors.
* entity_overlap: the share of the item's people, organisations and places the story already
  holds (evidence the two report the same event).
* penalties: evidence against — `place_penalty` when the item and the story both name specific
  places but none in common, `country_penalty` when both name countries but none in common,
  `year_penalty` when both mention years but none in common. ECB+ shows why: each of its topics
  holds two events of the same kind (two earthquakes, in different places and years).
* time_factor: halves every `half_life_days` between the item's publication and the story's last
  article (1 when either has no date).

The item joins the best story scoring at least `threshold`; otherwise it opens a new story. A
story with no new article for `quiet_days` retires from the index.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_STOP_WORDS = frozenset(
    """a about after again against all also am an and any are as at be because been before
    being between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours out over own said same says she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours told
    according new one two last first year years people time""".split()  # noqa: SIM905
)
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class StoryItem:
    """What the clusterer needs of one article: its words, its actors, where and when.

    `places` holds country codes and place names; `dates` holds the ISO dates (days, months
    or years) the article mentions; `published` is timezone-aware or None.
    """

    title: str
    text: str
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    published: datetime | None = None


@dataclass(frozen=True)
class ClusterOptions:
    """Settings of the clusterer; the defaults were tuned on ECB+ (see benchmarks/stories.py)."""

    threshold: float = 0.22
    title_weight: float = 2.0
    entity_weight: float = 0.1
    place_penalty: float = 0.1
    country_penalty: float = 0.0
    year_penalty: float = 0.15
    half_life_days: float = 3.0
    quiet_days: float = 14.0
    candidate_terms: int = 15


@dataclass
class _Story:
    """An active story: centroid (sum of member unit vectors) and the evidence it holds."""

    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    entities: Counter[str] = field(default_factory=Counter)
    places: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    last_seen: datetime | None = None
    size: int = 0


@dataclass(frozen=True)
class _Features:
    """An item turned into what the score compares."""

    vector: dict[str, float]
    entities: frozenset[str]
    places: frozenset[str]
    countries: frozenset[str]
    years: frozenset[str]
    keys: frozenset[str]
    published: datetime | None


def _terms(item: StoryItem, title_weight: float) -> dict[str, float]:
    """Raw term counts of title (weighted up) and body, stop words left out."""
    counts: dict[str, float] = {}
    for text, weight in ((item.text, 1.0), (item.title, title_weight)):
        for word in _WORD.findall(text.lower()):
            if word not in _STOP_WORDS:
                counts[word] = counts.get(word, 0.0) + weight
    return counts


def _is_country(place: str) -> bool:
    """Country codes are two upper-case letters; everything else is a place name."""
    return len(place) == 2 and place.isupper()


class StoryClusterer:
    """Groups a stream of articles into stories, one pass, in arrival order."""

    def __init__(self, options: ClusterOptions | None = None, first_id: int = 0) -> None:
        """A clusterer whose new stories are numbered from `first_id` on."""
        self.options = options or ClusterOptions()
        self._stories: dict[int, _Story] = {}
        self._index: dict[str, set[int]] = {}
        self._df: Counter[str] = Counter()
        self._seen = 0
        self._next_id = first_id
        self._quiet: list[tuple[datetime, int]] = []

    @property
    def active_stories(self) -> list[int]:
        """Ids of the stories still in the index (not retired)."""
        return sorted(self._stories)

    def candidates(self, item: StoryItem) -> set[int]:
        """Active stories sharing a distinctive term or an entity with the item."""
        return self._candidates(self._features(item, learn=False).keys)

    def add(self, item: StoryItem) -> int:
        """Put the item into the best active story, or open a new one.

        Args:
            item: the next article of the stream.

        Returns:
            The id of the story the item joined or opened (ids count up from 0 as stories
            open).
        """
        if item.published is not None:
            self._retire(item.published)
        features = self._features(item, learn=True)
        best, best_score = None, self.options.threshold
        for story_id in self._candidates(features.keys):
            score = self._score(features, self._stories[story_id])
            if score >= best_score:
                best, best_score = story_id, score
        if best is None:
            best = self._next_id
            self._next_id += 1
            self._stories[best] = _Story()
        self._join(best, features)
        return best

    def join(self, item: StoryItem, story_id: int) -> None:
        """Put the item into a given story, opening it under that id if it is not active.

        This restores a clusterer from stored decisions (replaying each story's articles) and
        files a wire copy with its original; it learns from the item as `add` does.
        """
        if item.published is not None:
            self._retire(item.published)
        self._stories.setdefault(story_id, _Story())
        self._next_id = max(self._next_id, story_id + 1)
        self._join(story_id, self._features(item, learn=True))

    def _score(self, features: _Features, story: _Story) -> float:
        """The documented score of an item against a story (module docstring)."""
        options = self.options
        cosine = _dot(features.vector, story.centroid) / math.sqrt(story.norm2 or 1.0)
        overlap = _overlap(features.entities, story.entities)
        raw = cosine + options.entity_weight * overlap - self._penalties(features, story)
        return raw * self._time_factor(features.published, story.last_seen)

    def _penalties(self, features: _Features, story: _Story) -> float:
        """Evidence against: places, countries and years both name but do not share."""
        options = self.options
        return (
            options.place_penalty * _disagree(features.places, story.places)
            + options.country_penalty * _disagree(features.countries, story.countries)
            + options.year_penalty * _disagree(features.years, story.years)
        )

    def _time_factor(self, published: datetime | None, last_seen: datetime | None) -> float:
        """Halves every `half_life_days` between the item and the story's last article."""
        if published is None or last_seen is None:
            return 1.0
        days = abs((published - last_seen).total_seconds()) / _SECONDS_PER_DAY
        return float(0.5 ** (days / self.options.half_life_days))

    def _features(self, item: StoryItem, learn: bool) -> _Features:
        """Weights the item's terms by the IDF learnt so far (learning from it first)."""
        counts = _terms(item, self.options.title_weight)
        if learn:
            self._seen += 1
            self._df.update(counts.keys())
        vector = {term: (1.0 + math.log(count)) * self._idf(term) for term, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        vector = {term: w / norm for term, w in vector.items()}
        top = sorted(vector, key=vector.__getitem__, reverse=True)[: self.options.candidate_terms]
        entities = frozenset(
            name.lower() for name in (*item.people, *item.organizations, *item.places)
        )
        return _Features(
            vector=vector,
            entities=entities,
            places=frozenset(p.lower() for p in item.places if not _is_country(p)),
            countries=frozenset(p for p in item.places if _is_country(p)),
            years=frozenset(date[:4] for date in item.dates if date[:4].isdigit()),
            keys=frozenset([*("t:" + t for t in top), *("e:" + e for e in entities)]),
            published=item.published,
        )

    def _idf(self, term: str) -> float:
        """Smoothed inverse document frequency over the items seen so far."""
        return math.log((1 + self._seen) / (1 + self._df[term])) + 1.0

    def _candidates(self, keys: frozenset[str]) -> set[int]:
        """Union of the postings of the item's keys."""
        found: set[int] = set()
        for key in keys:
            found |= self._index.get(key, set())
        return found

    def _join(self, story_id: int, features: _Features) -> None:
        """Adds the item to the story: centroid, evidence, index postings."""
        story = self._stories[story_id]
        dot = _dot(features.vector, story.centroid)
        story.norm2 += 2.0 * dot + 1.0
        for term, weight in features.vector.items():
            story.centroid[term] = story.centroid.get(term, 0.0) + weight
        story.entities.update(features.entities)
        story.places |= features.places
        story.countries |= features.countries
        story.years |= features.years
        story.size += 1
        if features.published is not None:
            story.last_seen = max(filter(None, (story.last_seen, features.published)))
            heapq.heappush(self._quiet, (story.last_seen, story_id))
        for key in features.keys - story.keys:
            self._index.setdefault(key, set()).add(story_id)
        story.keys |= features.keys

    def _retire(self, now: datetime) -> None:
        """Drops the stories quiet for longer than `quiet_days` (a heap: no scan of all)."""
        limit = self.options.quiet_days * _SECONDS_PER_DAY
        while self._quiet and (now - self._quiet[0][0]).total_seconds() > limit:
            seen, story_id = heapq.heappop(self._quiet)
            story = self._stories.get(story_id)
            if story is not None and story.last_seen == seen:
                self._drop(story_id, story)

    def _drop(self, story_id: int, story: _Story) -> None:
        """Removes a story and its postings from the index."""
        for key in story.keys:
            postings = self._index[key]
            postings.discard(story_id)
            if not postings:
                del self._index[key]
        del self._stories[story_id]


def _dot(vector: dict[str, float], centroid: dict[str, float]) -> float:
    """Dot product of a sparse item vector with a sparse centroid."""
    return sum(w * centroid.get(term, 0.0) for term, w in vector.items())


def _overlap(entities: frozenset[str], story_entities: Counter[str]) -> float:
    """Share of the item's entities the story already holds (0 when the item has none)."""
    if not entities:
        return 0.0
    return sum(1 for e in entities if e in story_entities) / len(entities)


def _disagree(mine: frozenset[str], theirs: set[str]) -> bool:
    """Both sides say something and share nothing."""
    return bool(mine and theirs and not mine & theirs)
