"""What is essential: a story's score, from six factors an editor weighs.

    score = recency * (coverage + agencies + breadth + prominence + severity + momentum)

each factor weighted by `RankWeights`:

* coverage: log2(1 + distinct outlets). A wire copy run by another outlet is more coverage
  (one more editor chose it); more copies from one outlet are not.
* agencies: log2(1 + distinct wire agencies): several agencies sending staff to a story is a
  sign of its weight.
* breadth: log2(1 + countries the story's reports centre on).
* prominence: log2(1 + heads of state or government and international bodies involved).
* severity: log10(1 + killed + injured / 2 + displaced / 10), with the largest count each
  kind of event is given (several outlets reporting one toll is one toll). These events are
  about people: the counts analysis gives "destroyed" or "damaged" to homes and vehicles.
* momentum: log2((1 + articles in the last 24 h) / (1 + articles per day in the 48 h before)),
  kept within [-2, 2]: a story gathering pace rises, one winding down sinks.
* recency: halves every `recency_half_life_hours` since the story's last article.

Logarithms give diminishing returns: the fortieth outlet adds less than the second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsdesk.models import Count, Story

KILLED_EVENTS = frozenset(["killed", "died", "dead", "casualties", "executed", "massacred"])
INJURED_EVENTS = frozenset(["injured", "wounded", "hurt", "hospitalised"])
DISPLACED_EVENTS = frozenset(["displaced", "evacuated", "homeless", "fled", "stranded", "missing"])


@dataclass(frozen=True)
class RankWeights:
    """How much each factor counts; documented defaults, the same for every desk."""

    coverage: float = 1.0
    agencies: float = 0.5
    breadth: float = 0.5
    prominence: float = 0.75
    severity: float = 1.0
    momentum: float = 0.5
    recency_half_life_hours: float = 24.0


@dataclass(frozen=True)
class StoryScore:
    """A story's score and the weighted factors that make it up (before recency)."""

    total: float
    coverage: float
    agencies: float
    breadth: float
    prominence: float
    severity: float
    momentum: float
    recency: float


def score_story(story: Story, now: datetime, weights: RankWeights | None = None) -> StoryScore:
    """The documented score of a story at a moment (module docstring).

    Args:
        story: the story with its articles, agencies, countries, actors and counts.
        now: the moment of ranking (the end of the briefing's window).
        weights: the factor weights; the defaults when None.

    Returns:
        The score and each weighted factor.
    """
    w = weights or RankWeights()
    factors = {
        "coverage": w.coverage * math.log2(1 + len(story.outlets)),
        "agencies": w.agencies * math.log2(1 + len(story.agencies)),
        "breadth": w.breadth * math.log2(1 + len(story.countries)),
        "prominence": w.prominence * math.log2(1 + len(story.prominent)),
        "severity": w.severity * severity(story.counts),
        "momentum": w.momentum * momentum([a.seen_at for a in story.articles], now),
    }
    hours = max(0.0, (now - story.last_seen).total_seconds() / 3600)
    recency = 0.5 ** (hours / w.recency_half_life_hours)
    return StoryScore(total=recency * sum(factors.values()), recency=recency, **factors)


def rank_stories(
    stories: Iterable[Story], now: datetime, weights: RankWeights | None = None
) -> list[tuple[Story, StoryScore]]:
    """Stories with their scores, most essential first (ties: the most recent first)."""
    scored = [(story, score_story(story, now, weights)) for story in stories]
    return sorted(scored, key=lambda pair: (-pair[1].total, -pair[0].last_seen.timestamp()))


def severity(counts: Sequence[Count]) -> float:
    """log10(1 + killed + injured / 2 + displaced / 10) from the largest count of each kind."""

    def largest(events: frozenset[str]) -> int:
        return max((c.number for c in counts if c.event in events), default=0)

    toll = largest(KILLED_EVENTS) + largest(INJURED_EVENTS) / 2 + largest(DISPLACED_EVENTS) / 10
    return math.log10(1 + toll)


def momentum(seen: Sequence[datetime], now: datetime) -> float:
    """log2 of last day's articles against the daily rate of the two days before, in [-2, 2]."""
    day = timedelta(hours=24)
    recent = sum(1 for t in seen if now - day < t <= now)
    before = sum(1 for t in seen if now - 3 * day < t <= now - day) / 2
    return max(-2.0, min(2.0, math.log2((1 + recent) / (1 + before))))
