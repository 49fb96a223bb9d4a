"""Ranking: each factor moves a story's score the way an editor would expect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.models import Count, Story, StoryArticle
from newsdesk.stories import rank_stories, score_story

NOW = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)


def _articles(hours_ago: list[float]) -> list[StoryArticle]:
    return [
        StoryArticle(i, f"Report {i}", "Outlet", None, None, NOW - timedelta(hours=h))
        for i, h in enumerate(hours_ago)
    ]


BASE = Story(
    id=1,
    headline="Flooding in the delta",
    first_seen=NOW - timedelta(hours=30),
    last_seen=NOW - timedelta(hours=2),
    articles=_articles([30, 20, 2]),
    outlets=["BBC", "Reuters"],
    agencies=["Reuters"],
    countries=["BD"],
    counts=[Count(12, False, "people", "killed", None, None, "12 people were killed")],
)

STRONGER: dict[str, Callable[[Story], Story]] = {
    "coverage": lambda s: replace(s, outlets=[*s.outlets, "Al Jazeera", "NHK"]),
    "agencies": lambda s: replace(s, agencies=[*s.agencies, "AFP", "AP"]),
    "breadth": lambda s: replace(s, countries=[*s.countries, "IN", "MM"]),
    "prominence": lambda s: replace(s, prominent=["United Nations", "Sheikh Hasina"]),
    "severity": lambda s: replace(
        s, counts=[Count(300, True, "people", "killed", None, None, "some 300 people died")]
    ),
    "momentum": lambda s: replace(s, articles=[*s.articles, *_articles([1, 3, 5, 8])]),
    "recency": lambda s: replace(s, last_seen=NOW - timedelta(minutes=10)),
}


@pytest.mark.parametrize("factor", sorted(STRONGER))
def test_each_factor_raises_the_score(factor: str) -> None:
    base, stronger = score_story(BASE, NOW), score_story(STRONGER[factor](BASE), NOW)
    assert getattr(stronger, factor) > getattr(base, factor)
    assert stronger.total > base.total


def test_an_old_story_sinks_and_a_fading_one_loses_momentum() -> None:
    stale = replace(BASE, last_seen=NOW - timedelta(days=3))
    assert score_story(stale, NOW).total < score_story(BASE, NOW).total / 4
    fading = replace(BASE, articles=_articles([30, 31, 40, 45, 50, 60]))
    assert score_story(fading, NOW).momentum < 0 < score_story(BASE, NOW).momentum


def test_one_toll_reported_many_times_counts_once() -> None:
    toll = Count(12, False, "people", "killed", None, None, "12 killed")
    repeated = replace(BASE, counts=[toll, toll, toll])
    assert score_story(repeated, NOW).severity == score_story(BASE, NOW).severity


def test_counts_of_things_are_not_casualties() -> None:
    homes = replace(BASE, counts=[Count(5000, False, "homes", "destroyed", None, None, "x")])
    assert score_story(homes, NOW).severity == 0


def test_rank_orders_best_first() -> None:
    big = STRONGER["coverage"](STRONGER["severity"](BASE))
    small = replace(BASE, id=2, outlets=["BBC"], agencies=[], counts=[])
    ranked = rank_stories([small, BASE, big], NOW)
    assert ranked[0][0] is big
    assert ranked[-1][0] is small
