"""Online single-pass story clustering: each article joins the best active story or opens one.

An article (a `StoryItem`) is compared only with the active stories that share one of its most
distinctive terms or one of its entities (an inverted index), so the cost per article stays flat
as the archive grows. The score of an item against a story is

    score = time_factor * (cosine + evidence)

* cosine: TF-IDF cosine between the item's vector and the story centroid. Terms are the lower-
  cased words of the title (counted `title_weight` times: a headline names the event) and of the
  body, with sublinear term frequency; a capitalised word that does not open a sentence (a
  name: "Reagins", "Sukanya", "Surrey") counts `name_weight` times, as names tell one event
  from another of the same kind where the common words cannot. IDF is learnt incrementally
  from every item seen so far. The centroid is the running sum of its members' unit vectors.
* evidence: what an editor weighs for and against "same event", each kind of fact compared
  with the story's members that state one. With `share` the largest fraction of those members
  holding one of the item's facts, a kind adds `weight * share`, and subtracts `penalty` when
  no member holds any (a conflict). The kinds:
  - people (who), by surname so that "Reid" is "Tara Reid": `people_weight`, `people_penalty`;
  - the people its lead (the headline and the first sentence) names, whom the report is
    about: "Pierre Thomas placed on injured reserve" is not "Saints shut down Bush", though
    each body names the other player: `lead_weight`, `lead_penalty`;
  - places (where), by name: `place_weight`, `place_penalty`;
  - numbers in the lead other than years, dates and times (a toll, a magnitude, "23
    pirates"): `number_weight`, `number_penalty`, a conflict only within `cycle_hours`;
  - years the article mentions (when), and those its headline names (the analysis reads only
    the body): `year_weight`;
  - the days of the week it names ("on Saturday"): `weekday_weight`, `weekday_penalty`, a
    conflict only within `cycle_hours`;
  - the latest year it mentions, which dates the writing: a conflict when it is more than a
    year away from every member's (`era_penalty`): reports of one event are written together.
  ECB+ shows why: each of its topics holds two events of the same kind (two earthquakes, in
  different places and years), which share most of their words. Within its topics, a lead
  person, a lead number or a weekday that differs is three times likelier between reports of
  different events than between reports of one event.
* time_factor: halves every `half_life_days` between the item's publication and the story's last
  article (1 when either has no date).

The item joins the best story scoring at least `threshold` plus `growth` for each doubling of
that story's size (a broad story must show more to absorb one more report, or it drifts from an
event into a topic); otherwise it opens a new story. A story with no new article for
`quiet_days` retires from the index.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_OR_TIME = re.compile(
    r"\d{1,2}\s*:\s*\d{2}"  # 20:09, "8: 13"
    r"|\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}"  # 11/28/05, "04 / 02 / 07"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"  # Nov 11, September 18th
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}",  # 18 September
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_NEWS_CYCLE_KINDS = frozenset(["numbers", "weekdays"])
"""Kinds whose conflicts count only within `cycle_hours`: a later report moves on."""
_SENTENCE_OPENERS = frozenset([". ", "! ", "? ", '" ', "\u201c "])
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
COMMON_KEY_FLOOR = 50
"""Postings this short are always searched, however few stories are active."""


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
    """Settings of the clusterer (the score is in the module docstring).

    The defaults come from ECB+: evidence weighed on its odd topics, checked on the even ones
    and in shuffled orders (benchmarks/stories_tune.py). They are fixed, not tuned per run.
    """

    threshold: float = 0.23
    """Lowest score to join a story: below it, reports share too little to be one event."""
    growth: float = 0.02
    """Added to the threshold for each doubling of a story's size: a story grown broad must
    show more to absorb one more report, or it drifts into a topic (all of "UK politics")."""
    title_weight: float = 2.0
    """A headline word counts twice: the headline names the event."""
    name_weight: float = 2.0
    """A name counts twice: names tell two events of one kind apart, common words do not."""
    people_weight: float = 0.07
    """Bonus at full share of members naming one of the item's people (same who)."""
    people_penalty: float = 0.05
    """Both name people, none in common: mild, as reports quote different officials."""
    lead_weight: float = 0.05
    """Bonus at full share of members whose lead names one of the item's lead people."""
    lead_penalty: float = 0.1
    """Both leads name people, none in common: the reports are about different people."""
    place_weight: float = 0.05
    """Bonus at full share of members naming one of the item's places (same where)."""
    place_penalty: float = 0.05
    """Both name places, none in common."""
    number_weight: float = 0.15
    """Bonus at full share for a lead number in common (same toll, magnitude, count)."""
    number_penalty: float = 0.1
    """Lead numbers that all differ ("23 pirates", "26 pirates") within `cycle_hours`."""
    year_weight: float = 0.05
    """Bonus at full share for a year in common; no penalty: background years differ freely."""
    era_penalty: float = 0.1
    """Latest years mentioned more than a year apart: written in different years."""
    weekday_weight: float = 0.05
    """Bonus at full share for a day of the week in common (the day it happened)."""
    weekday_penalty: float = 0.1
    """Days of the week that all differ within `cycle_hours`: it happened on another day."""
    cycle_hours: float = 12.0
    """Reports filed within this many hours of a story's last one (or undated) tell of the
    same news cycle: they name the same day and figures, so differing ones are a conflict
    (`number_penalty`, `weekday_penalty`). A later report may carry a new day's events and a
    risen toll ("kills 150" on Monday, "toll rises to 207" on Tuesday)."""
    half_life_days: float = 3.0
    """Time decay of the score between an item and the story's last article."""
    quiet_days: float = 14.0
    """A story with no new article for this long retires from the index."""
    candidate_terms: int = 15
    """The item's most distinctive terms that are looked up in the index."""
    max_candidates: int = 20
    """Only the stories sharing the most keys with an item are scored: the cost per article
    then stays flat however many stories are active (on ECB+, scoring the 10 best gives the
    same stories as scoring 50, so 20 leaves room)."""
    common_key_share: float = 0.05
    """A key (term or entity) held by more than this share of the active stories (and by more
    than `COMMON_KEY_FLOOR`) finds no candidates: "US" would bring in half the desk, each to
    be scored, and the cost per article would grow with the archive."""


@dataclass
class _Story:
    """An active story: centroid (sum of member unit vectors) and the evidence it holds."""

    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    facts: dict[str, Counter[str]] = field(default_factory=dict)
    stating: Counter[str] = field(default_factory=Counter)
    keys: set[str] = field(default_factory=set)
    last_seen: datetime | None = None
    size: int = 0


@dataclass(frozen=True)
class _Features:
    """An item turned into what the score compares.

    `facts` are what the item states, by kind (module docstring); `matches` are the facts a
    later item may hold to agree with it (for the era: its latest year, give or take one).
    """

    vector: dict[str, float]
    facts: dict[str, frozenset[str]]
    matches: dict[str, frozenset[str]]
    keys: frozenset[str]
    published: datetime | None


def _terms(item: StoryItem, options: ClusterOptions) -> dict[str, float]:
    """Raw term counts of title (weighted up) and body, names weighted up, stop words left out."""
    counts: dict[str, float] = {}
    for text, weight in ((item.text, 1.0), (item.title, options.title_weight)):
        for match in _WORD.finditer(text):
            word = match.group().lower()
            if word not in _STOP_WORDS:
                name = match.group()[0].isupper() and not _opens_sentence(text, match.start())
                counts[word] = counts.get(word, 0.0) + weight * (
                    options.name_weight if name else 1.0
                )
    return counts


def _opens_sentence(text: str, start: int) -> bool:
    """The word at `start` begins the text, a line or a sentence (capitalised for that)."""
    return (
        start == 0
        or text[start - 1] == "\n"
        or text[max(0, start - 2) : start] in _SENTENCE_OPENERS
    )


def _facts(item: StoryItem) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The item's facts by kind, and the facts that agree with them (module docstring)."""
    years = frozenset(date[:4] for date in item.dates if date[:4].isdigit())
    years |= frozenset(_YEAR.findall(item.title))
    latest = max((int(year) for year in years), default=None)
    lead = f"{item.title}\n{_FIRST_SENTENCE.split(item.text.strip(), maxsplit=1)[0]}"
    lead_words = {word.lower() for word in _WORD.findall(lead)}
    surnames = frozenset(_surname(name) for name in item.people)
    facts = {
        "people": surnames,
        "lead": surnames & lead_words,
        "places": frozenset(p.lower() for p in item.places if not _is_country(p)),
        "numbers": _counted_numbers(lead),
        "years": years,
        "weekdays": frozenset(
            day.lower() for day in _WEEKDAY.findall(f"{item.title}\n{item.text}")
        ),
        "era": frozenset() if latest is None else frozenset([str(latest)]),
    }
    near = frozenset() if latest is None else frozenset(str(latest + d) for d in (-1, 0, 1))
    return facts, {**facts, "era": near}


def _counted_numbers(text: str) -> frozenset[str]:
    """The numbers of a text that count something: not years, dates or times of day, which
    tell when a report was filed rather than what happened ("Updated Nov 11, 20:09")."""
    text = _DATE_OR_TIME.sub(" ", text)
    return frozenset(n for n in _NUMBER.findall(text) if not _YEAR.fullmatch(n))


def _is_country(place: str) -> bool:
    """Country codes are two upper-case letters; everything else is a place name."""
    return len(place) == 2 and place.isupper()


def _surname(name: str) -> str:
    """The last word of a name, lower-cased: "Tara Reid" and "Reid" are one person."""
    words = name.lower().split()
    return words[-1] if words else ""


class StoryClusterer:
    """Groups a stream of articles into stories, one pass, in arrival order."""

    def __init__(self, options: ClusterOptions | None = None, first_id: int = 0) -> None:
        """A clusterer whose new stories are numbered from `first_id` on."""
        self.options = options or ClusterOptions()
        options = self.options
        self._weights = (
            ("people", options.people_weight, options.people_penalty),
            ("lead", options.lead_weight, options.lead_penalty),
            ("places", options.place_weight, options.place_penalty),
            ("numbers", options.number_weight, options.number_penalty),
            ("years", options.year_weight, 0.0),
            ("weekdays", options.weekday_weight, options.weekday_penalty),
            ("era", 0.0, options.era_penalty),
        )
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

    def score(self, item: StoryItem, story_id: int) -> float:
        """The score of an item against an active story, as `add` would weigh it.

        Args:
            item: an article (the clusterer does not learn from it).
            story_id: an active story.

        Returns:
            The documented score (module docstring); `add` joins the best one at or above
            `threshold`.
        """
        return self._score(self._features(item, learn=False), self._stories[story_id])

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
            story = self._stories[story_id]
            score = self._score(features, story)
            if score >= best_score and score >= self._threshold(story):
                best, best_score = story_id, score
        if best is None:
            best = self._next_id
            self._next_id += 1
            self._stories[best] = _Story()
        self._join(best, features)
        return best

    def _threshold(self, story: _Story) -> float:
        """The score a story asks of a newcomer: more as it grows (`growth`)."""
        return self.options.threshold + self.options.growth * math.log2(max(1, story.size))

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
        cosine = _dot(features.vector, story.centroid) / math.sqrt(story.norm2 or 1.0)
        raw = cosine + self._evidence(features, story)
        return raw * self._time_factor(features.published, story.last_seen)

    def _evidence(self, features: _Features, story: _Story) -> float:
        """Evidence for and against, kind by kind (module docstring)."""
        same_cycle = self._same_cycle(features.published, story.last_seen)
        total = 0.0
        for kind, weight, penalty in self._weights:
            mine, stating = features.facts[kind], story.stating[kind]
            if mine and stating:
                held = story.facts[kind]
                share = max(held[fact] for fact in mine) / stating
                conflict = share == 0 and (same_cycle or kind not in _NEWS_CYCLE_KINDS)
                total += weight * share - (penalty if conflict else 0.0)
        return total

    def _same_cycle(self, published: datetime | None, last_seen: datetime | None) -> bool:
        """Filed within `cycle_hours` of the story's last article (or either undated)."""
        if published is None or last_seen is None:
            return True
        return abs((published - last_seen).total_seconds()) <= self.options.cycle_hours * 3600

    def _time_factor(self, published: datetime | None, last_seen: datetime | None) -> float:
        """Halves every `half_life_days` between the item and the story's last article."""
        if published is None or last_seen is None:
            return 1.0
        days = abs((published - last_seen).total_seconds()) / _SECONDS_PER_DAY
        return float(0.5 ** (days / self.options.half_life_days))

    def _features(self, item: StoryItem, learn: bool) -> _Features:
        """Weights the item's terms by the IDF learnt so far (learning from it first)."""
        counts = _terms(item, self.options)
        if learn:
            self._seen += 1
            self._df.update(counts.keys())
        vector = {term: (1.0 + math.log(count)) * self._idf(term) for term, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        vector = {term: w / norm for term, w in vector.items()}
        top = sorted(vector, key=vector.__getitem__, reverse=True)[: self.options.candidate_terms]
        entities = {name.lower() for name in (*item.people, *item.organizations, *item.places)}
        facts, matches = _facts(item)
        return _Features(
            vector=vector,
            facts=facts,
            matches=matches,
            keys=frozenset([*("t:" + t for t in top), *("e:" + e for e in entities)]),
            published=item.published,
        )

    def _idf(self, term: str) -> float:
        """Smoothed inverse document frequency over the items seen so far."""
        return math.log((1 + self._seen) / (1 + self._df[term])) + 1.0

    def _candidates(self, keys: frozenset[str]) -> set[int]:
        """The `max_candidates` stories sharing the most of the item's keys, leaving out keys
        too common to tell. A tie at the cut goes to the newer story: not to the order in which
        string hashing happens to list the keys, which changes from one process to the next."""
        common = max(COMMON_KEY_FLOOR, self.options.common_key_share * len(self._stories))
        shared: Counter[int] = Counter()
        for key in keys:
            postings = self._index.get(key, ())
            if len(postings) <= common:
                shared.update(postings)
        ranked = heapq.nlargest(self.options.max_candidates, shared, key=lambda s: (shared[s], s))
        return set(ranked)

    def _join(self, story_id: int, features: _Features) -> None:
        """Adds the item to the story: centroid, evidence, index postings."""
        story = self._stories[story_id]
        dot = _dot(features.vector, story.centroid)
        story.norm2 += 2.0 * dot + 1.0
        story.size += 1
        for term, weight in features.vector.items():
            story.centroid[term] = story.centroid.get(term, 0.0) + weight
        for kind, matches in features.matches.items():
            if matches:
                story.facts.setdefault(kind, Counter()).update(matches)
                story.stating[kind] += 1
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
