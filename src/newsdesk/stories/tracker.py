"""The stories stage over the store: cluster each new article as it arrives, across runs.

`StoryTracker` holds the online clusterer and the near-duplicate index in memory. When it
starts it restores them from the store: it replays the articles of the stories still active
(seen within the clusterer's quiet window before the newest article) into their stored
stories, so a restart neither forgets a story nor renumbers one. Then `cluster_new` takes the
unclustered articles in arrival order, in batches, and writes each batch's decisions in one
transaction (`store.stories.save_assignments`).

A wire copy (a near-duplicate of an earlier article's body) is linked to its original and
joins the original's story while that story is active: the copy is the same report, whatever
its headline says.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from newsdesk.models import Analysis
from newsdesk.store import Store, StoredArticle
from newsdesk.store.stories import (
    Assignment,
    forget_since,
    last_story_id,
    latest_seen,
    members_since,
    save_assignments,
    unclustered_articles,
)
from newsdesk.stories.cluster import ClusterOptions, StoryClusterer
from newsdesk.stories.dedup import NearDuplicateIndex
from newsdesk.stories.headline import representative_title
from newsdesk.stories.items import story_item

TITLES_KEPT = 50
"""Titles remembered per active story to choose its headline from (the latest ones)."""


def seen_time(stored: StoredArticle) -> datetime:
    """The time the clusterer files an article under: its publication, else when first seen.

    A publication time later than the first sighting is a wrong clock or zone on the
    page, so the first sighting wins then.
    """
    published = stored.article.published
    return min(published, stored.first_seen) if published else stored.first_seen


class StoryTracker:
    """Assigns stored articles to stories in arrival order, and remembers across runs."""

    def __init__(self, store: Store, options: ClusterOptions | None = None) -> None:
        self.store = store
        self.options = options or ClusterOptions()
        self._clusterer = StoryClusterer(self.options, first_id=last_story_id(store) + 1)
        self._duplicates: NearDuplicateIndex[int] = NearDuplicateIndex()
        self._story_of: dict[int, int] = {}
        self._titles: dict[int, deque[str]] = {}
        self._window: deque[tuple[datetime, int]] = deque()
        self._restore()

    def cluster_new(
        self, on_batch: Callable[[int], None] | None = None, *, by_time: bool = False
    ) -> int:
        """Cluster every article that has no story yet, in arrival order.

        Args:
            on_batch: called with the number of articles each batch clustered.
            by_time: take them in publication order instead (a rebuild or backfill).

        Returns:
            How many articles were clustered.
        """
        total = 0
        while batch := unclustered_articles(self.store, by_time=by_time):
            assignments = [self._assign(stored, analysis) for stored, analysis in batch]
            touched = {a.story_id for a in assignments}
            headlines = {story_id: self._headline(story_id) for story_id in touched}
            save_assignments(self.store, assignments, headlines, datetime.now(UTC))
            self._forget_retired()
            total += len(batch)
            if on_batch:
                on_batch(len(batch))
        return total

    def _restore(self) -> None:
        """Replays the articles of the stories that are still active into their stories."""
        latest = latest_seen(self.store)
        if latest is None:
            return
        since = latest - timedelta(days=self.options.quiet_days)
        for member in members_since(self.store, since):
            item = story_item(replace(member.article.article, published=member.seen_at),
                              member.analysis)  # fmt: skip
            self._clusterer.join(item, member.story_id)
            self._duplicates.add(member.article.id, member.article.article.body)
            self._remember(member.article, member.story_id, member.seen_at)

    def _assign(self, stored: StoredArticle, analysis: Analysis | None) -> Assignment:
        """Links a copy to its original, then files the article under a story."""
        seen_at = seen_time(stored)
        item = story_item(replace(stored.article, published=seen_at), analysis)
        original = self._duplicates.add(stored.id, stored.article.body)
        story_id = self._story_of.get(original) if original is not None else None
        if story_id is not None and story_id in self._titles:
            self._clusterer.join(item, story_id)
        else:
            story_id = self._clusterer.add(item)
        self._remember(stored, story_id, seen_at)
        return Assignment(stored.id, story_id, original, seen_at)

    def _remember(self, stored: StoredArticle, story_id: int, seen_at: datetime) -> None:
        """Keeps what later articles need: the article's story and its title."""
        self._story_of[stored.id] = story_id
        self._titles.setdefault(story_id, deque(maxlen=TITLES_KEPT)).append(stored.article.title)
        self._window.append((seen_at, stored.id))

    def _headline(self, story_id: int) -> str:
        return representative_title(list(self._titles[story_id]))

    def _forget_retired(self) -> None:
        """Drops what belongs to stories the clusterer has retired (bounded memory)."""
        active = set(self._clusterer.active_stories)
        for story_id in set(self._titles) - active:
            del self._titles[story_id]
        while self._window and self._story_of.get(self._window[0][1]) not in active:
            _, article_id = self._window.popleft()
            self._duplicates.remove(article_id)
            self._story_of.pop(article_id, None)


def rebuild_stories(
    store: Store,
    since: datetime | None = None,
    options: ClusterOptions | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Recluster every article seen from `since` on (all when None), from scratch.

    Stories before `since` keep their articles and stay active for the newcomers to join;
    stories entirely within the period are dissolved and formed again.

    Returns:
        How many articles were clustered.
    """
    forget_since(store, since)
    return StoryTracker(store, options).cluster_new(on_batch, by_time=True)
