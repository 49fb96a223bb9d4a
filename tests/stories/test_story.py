"""The story built from its articles: actors merged across the articles that name them."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.models import Analysis, Article, Entity
from newsdesk.store.records import StoredArticle
from newsdesk.store.stories import StoryMember, StoryRecord
from newsdesk.stories import build_story

SEEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _member(number: int, *people: str) -> StoryMember:
    article = Article(title=f"Report {number}", body="…", outlet=f"Outlet {number}")
    stored = StoredArticle(article, number, f"key-{number}", None, "test", 1, "hash", SEEN, SEEN)
    analysis = Analysis("en", people=[Entity(name, 1, [(0, 1)]) for name in people])
    return StoryMember(stored, analysis, 1, None, SEEN)


def _people(*members: StoryMember) -> list[str]:
    record = StoryRecord(1, "Israel votes", SEEN, SEEN, len(members), SEEN)
    return build_story(record, list(members)).people


def test_a_short_name_counts_towards_the_full_name_another_article_gives() -> None:
    people = _people(
        _member(1, "Netanyahu", "Obama"),
        _member(2, "Benjamin Netanyahu", "Martin Indyk"),
        _member(3, "Benjamin Netanyahu", "Barack Obama", "Obama"),
    )
    assert people == ["Benjamin Netanyahu", "Barack Obama", "Martin Indyk"]


def test_a_short_name_that_fits_two_people_stays_as_it_is() -> None:
    people = _people(
        _member(1, "George W. Bush", "Bush"),
        _member(2, "George H.W. Bush"),
        _member(3, "Bush"),
    )
    assert people == ["Bush", "George W. Bush", "George H.W. Bush"]


def test_a_name_within_a_longer_one_joins_the_longest() -> None:
    people = _people(
        _member(1, "Obama"), _member(2, "Barack Obama"), _member(3, "Barack Hussein Obama")
    )
    assert people == ["Barack Hussein Obama"]  # all three articles name him
