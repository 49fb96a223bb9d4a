"""Composing the briefing: the window, ranking, updates, preferences, regions, a quiet day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from tests.news_texts import DAY, FLOOD, FLOOD_FOLLOW_UP, QUAKE, QUAKE_FOLLOW_UP, article, save

from newsdesk.briefing.compose import briefing_window, compose_briefing
from newsdesk.models import Subscriber
from newsdesk.store import Store
from newsdesk.stories import StoryTracker

READER = Subscriber(email="reader@example.org", id=1, status="active")
FIRST = DAY.date() + timedelta(days=1)  # the morning after the quake
SECOND = FIRST + timedelta(days=1)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """Two stories: an Italian quake from 06:00 on DAY (a copy at 08:00, a new report at
    02:00 next day) and Bangladesh floods from 09:00 (a new report at 12:00 next day)."""
    with Store.open(db_url, upgrade=True) as opened:
        save(
            opened,
            article("Quake kills 150 in Italy", QUAKE, "Reuters", 0),
            article("Italy earthquake: 150 dead", "By Staff\n\n" + QUAKE, "Daily Planet", 2),
            article("Bangladesh floods kill 40", FLOOD, "BBC", 3),
            article("L'Aquila toll rises to 207", QUAKE_FOLLOW_UP, "ANSA English", 20),
            article("Floods spread in Bangladesh", FLOOD_FOLLOW_UP, "Al Jazeera", 30),
        )
        StoryTracker(opened).cluster_new()
        yield opened


def test_the_window_is_the_24_hours_before_the_local_send_time() -> None:
    kolkata = replace(READER, timezone="Asia/Kolkata", send_time="06:30")
    start, end = briefing_window(FIRST, kolkata)
    assert end == datetime.combine(FIRST, time(1, 0), tzinfo=UTC)
    assert (end - start).total_seconds() == 24 * 3600


def test_a_continuing_story_comes_back_as_an_update_only_when_it_developed(store: Store) -> None:
    sunday = compose_briefing(store, FIRST)
    by_headline = {item.headline: item for item in sunday.top}
    quake = next(item for item in sunday.top if "207" in item.summary or "Quake" in item.headline)
    assert quake.update is True and "207" in quake.summary  # summarised from the new report
    flood = next(item for item in by_headline.values() if item is not quake)
    assert flood.update is False and flood.countries == ["BD"]
    assert {source.outlet for source in quake.sources} >= {"ANSA English", "Daily Planet"}

    monday = compose_briefing(store, SECOND)
    assert [item.update for item in monday.top] == [True]  # the quake did not develop
    assert "500,000" in monday.top[0].summary


def test_preferences_shape_the_briefing(store: Store) -> None:
    asia_only = replace(READER, regions=["Asia-Pacific"])
    briefing = compose_briefing(store, FIRST, asia_only)
    assert [item.countries for item in briefing.top] == [["BD"]]

    one_story = replace(READER, stories=1)
    briefing = compose_briefing(store, FIRST, one_story)
    assert len(briefing.top) == 1
    assert [section.region for section in briefing.sections] in (["Europe"], ["Asia-Pacific"])


def test_the_subscribers_own_morning_decides_what_is_news(store: Store) -> None:
    kolkata = replace(READER, timezone="Asia/Kolkata", send_time="06:30")
    briefing = compose_briefing(store, FIRST, kolkata)
    assert all(not item.update for item in briefing.top)  # both stories began in the window
    assert not any("207" in item.summary for item in briefing.top)  # not yet reported


def test_a_quiet_day_gives_an_empty_briefing(store: Store) -> None:
    briefing = compose_briefing(store, SECOND + timedelta(days=5))
    assert briefing.top == [] and briefing.sections == []
    assert briefing.to_dict()["date"] == (SECOND + timedelta(days=5)).isoformat()


def test_an_article_with_nothing_to_point_to_is_not_a_source(store: Store) -> None:
    """A local file with no title, outlet or link adds no empty line under the story."""
    unnamed = replace(article("x", QUAKE_FOLLOW_UP, "x", 21), title="", outlet=None, url=None)
    save(store, unnamed)
    StoryTracker(store).cluster_new()
    quake = next(item for item in compose_briefing(store, FIRST).top if "207" in item.summary)
    assert all(source.outlet or source.title for source in quake.sources)
    assert {source.outlet for source in quake.sources} >= {"ANSA English", "Daily Planet"}
