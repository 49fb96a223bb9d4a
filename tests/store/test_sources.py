"""The source registry: add, list, remove, due times, health and the items already seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import SourceError
from newsdesk.store import Store
from newsdesk.store.sources import (
    FetchOutcome,
    add_source,
    claim_once,
    due_sources,
    get_source,
    list_sources,
    recent_item_times,
    record_fetch,
    remove_source,
    unseen_items,
)

NOW = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
FEED = "https://news.example/world/rss"


def test_add_list_remove(store: Store) -> None:
    added = add_source(store, FEED, "feed", now=NOW, name="World", region="Europe")
    assert (added.name, added.region, added.next_poll_at, added.failures) == (
        "World",
        "Europe",
        NOW,
        0,
    )
    with pytest.raises(SourceError, match="registered already"):
        add_source(store, FEED, "feed", now=NOW)
    with pytest.raises(SourceError, match="not one of"):
        add_source(store, "https://news.example/x", "podcast", now=NOW)
    assert [s.url for s in list_sources(store)] == [FEED]
    assert remove_source(store, added.id).url == FEED
    assert list_sources(store) == []
    with pytest.raises(SourceError, match="no source"):
        get_source(store, FEED)


def test_a_fetch_records_health_items_and_the_next_poll(store: Store) -> None:
    source = add_source(store, FEED, "feed", now=NOW)
    assert due_sources(store, NOW) == [source]
    items = [("guid-1", NOW - timedelta(hours=2)), ("guid-2", NOW - timedelta(hours=1))]
    outcome = FetchOutcome(NOW, NOW + timedelta(minutes=30), etag='"v1"', new_items=items)
    record_fetch(store, source, outcome)
    source = get_source(store, FEED)
    assert (source.items_seen, source.etag, source.last_success_at) == (2, '"v1"', NOW)
    assert due_sources(store, NOW) == []
    assert unseen_items(store, source.id, ["guid-2", "guid-3", "guid-3"]) == ["guid-3"]
    assert recent_item_times(store, source.id) == [t for _, t in reversed(items)]

    later = NOW + timedelta(hours=1)
    record_fetch(store, source, FetchOutcome(later, later + timedelta(hours=2), error="HTTP 500"))
    failed = get_source(store, FEED)
    assert (failed.failures, failed.last_error, failed.last_success_at) == (1, "HTTP 500", NOW)
    assert failed.etag == '"v1"'  # a failure keeps the validators of the last success


def test_a_key_is_claimed_once(store: Store) -> None:
    assert claim_once(store, "defaults", NOW)
    assert not claim_once(store, "defaults", NOW)
    assert claim_once(store, "other", NOW)
