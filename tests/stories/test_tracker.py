"""The stories stage over the store: arrival-order clustering that survives restarts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from tests.news_texts import DAY, FLOOD, FLOOD_FOLLOW_UP, QUAKE, QUAKE_FOLLOW_UP, article, save

from newsdesk.store import Store
from newsdesk.store.stories import count_unclustered, story_ids_of
from newsdesk.stories import StoryTracker, load_stories, load_story, rebuild_stories


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url, upgrade=True) as opened:
        yield opened


def test_reports_of_one_event_share_a_story_and_copies_point_to_the_original(
    store: Store,
) -> None:
    ids = save(
        store,
        article("Quake kills 150 in Italy", QUAKE, "Reuters", 0),
        article("Bangladesh floods kill 40", FLOOD, "BBC", 1),
        article("Italy earthquake: 150 dead", "By Staff\n\n" + QUAKE, "Daily Planet", 2),
        article("L'Aquila toll rises to 207", QUAKE_FOLLOW_UP, "ANSA English", 20),
    )
    assert StoryTracker(store).cluster_new() == 4
    stories = story_ids_of(store, ids)
    assert stories[ids[0]] == stories[ids[2]] == stories[ids[3]] != stories[ids[1]]

    quake = load_story(store, stories[ids[0]])
    assert quake is not None
    assert [a.duplicate_of for a in quake.articles] == [None, ids[0], None]
    assert [entry.copies for entry in quake.timeline] == [1, 0]
    assert set(quake.outlets) == {"Reuters", "Daily Planet", "ANSA English"}
    assert quake.first_seen == DAY and quake.last_seen == DAY + timedelta(hours=20)


def test_a_restarted_tracker_carries_on_the_same_stories(store: Store) -> None:
    first = save(store, article("Quake kills 150 in Italy", QUAKE, "Reuters", 0),
                  article("Bangladesh floods kill 40", FLOOD, "BBC", 1))  # fmt: skip
    StoryTracker(store).cluster_new()
    later = save(store, article("Floods spread", FLOOD_FOLLOW_UP, "Al Jazeera", 30))
    assert count_unclustered(store) == 1  # saved but not yet clustered: nothing is lost
    StoryTracker(store).cluster_new()
    stories = story_ids_of(store, first + later)
    assert stories[later[0]] == stories[first[1]] != stories[first[0]]
    assert len(load_stories(store)) == 2


def test_a_story_quiet_past_the_window_is_not_joined(store: Store) -> None:
    """Last year's floods are not this year's, however alike the words."""
    old = save(store, article("Bangladesh floods kill 40", FLOOD, "BBC", -24 * 365))
    StoryTracker(store).cluster_new()
    year_later = save(store, article("Floods spread", FLOOD_FOLLOW_UP, "BBC", 0))
    StoryTracker(store).cluster_new()
    stories = story_ids_of(store, old + year_later)
    assert stories[old[0]] != stories[year_later[0]]


def test_rebuild_reclusters_in_publication_order_with_the_same_grouping(store: Store) -> None:
    ids = save(
        store,
        article("Floods spread", FLOOD_FOLLOW_UP, "Al Jazeera", 30),  # backfilled late
        article("Quake kills 150 in Italy", QUAKE, "Reuters", 0),
        article("Bangladesh floods kill 40", FLOOD, "BBC", 1),
        article("L'Aquila toll rises to 207", QUAKE_FOLLOW_UP, "ANSA English", 20),
    )
    StoryTracker(store).cluster_new()
    before = story_ids_of(store, ids)
    assert rebuild_stories(store) == 4  # the backfilled follow-up now comes after its story
    after = story_ids_of(store, ids)
    assert after[ids[1]] == after[ids[3]] != after[ids[0]] == after[ids[2]]
    assert (before[ids[0]] == before[ids[2]]) and (before[ids[1]] == before[ids[3]])
    assert min(after.values()) > max(before.values())  # ids are never reused
    assert len(load_stories(store)) == 2
