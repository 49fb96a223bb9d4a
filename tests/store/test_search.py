"""Search: words, stems and phrases are found, titles rank first, and no user input breaks it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsdesk.models import Article
from newsdesk.store import Store
from newsdesk.store.search import fts5_query

Maker = Callable[..., Article]


@pytest.fixture
def searchable(store: Store, make_article: Maker) -> Store:
    """A store with four articles whose words the searches below aim at."""
    store.save_articles(
        [
            (make_article("peru", title="Peru holds presidential elections",
                          body="Voters queued in Lima on Sunday."), None, "t"),
            (make_article("chile", title="Chile copper output",
                          body="Mines in the north. The prime minister visited.",
                          standfirst="Output rose after the election."), None, "t"),
            (make_article("india", title="Monsoon arrives",
                          body="The minister said prime farmland flooded."), None, "t"),
            (make_article("sport", title="Cup final", body="A draw."), None, "t"),
        ]
    )  # fmt: skip
    return store


def _keys(store: Store, query: str) -> list[str]:
    hits = store.search(query)
    articles = [store.get_article(hit.article_id) for hit in hits]
    return [a.key.rsplit("/", 1)[1] for a in articles if a is not None]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("copper", ["chile"]),  # title word
        ("lima", ["peru"]),  # body word, any case
        ("LIMA voters", ["peru"]),  # all words must match
        ("election", ["peru", "chile"]),  # stems: "elections"; title ranks over standfirst
        ('"prime minister"', ["chile"]),  # phrase, not the two words apart
        ("peru OR monsoon", ["peru", "india"]),
        ("minister -monsoon", ["chile"]),
        ("nothing-matches-this", []),
    ],
)
def test_search_finds_and_ranks(searchable: Store, query: str, expected: list[str]) -> None:
    assert sorted(_keys(searchable, query)) == sorted(expected)
    if len(expected) == 2 and "OR" not in query:
        assert _keys(searchable, query) == expected


def test_title_match_ranks_above_body_match(store: Store, make_article: Maker) -> None:
    store.save_articles(
        [
            (make_article("body", title="Markets", body="Talk of a ceasefire grew."), None, "t"),
            (make_article("title", title="Ceasefire agreed", body="Talks ended."), None, "t"),
        ]
    )
    hits = store.search("ceasefire")
    assert [h.title for h in hits] == ["Ceasefire agreed", "Markets"]
    assert hits[0].score > hits[1].score
    assert "ceasefire" in hits[1].snippet.lower()


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "AND OR (", "NEAR(", "*", "-", '"', "')", 'a"b', "\\", "%",
     "OR", "NOT", "title:x", "^peru", "peru AND", "(peru", "-peru", "'; DROP TABLE articles; --",
     "\x00", "   "],
)  # fmt: skip
def test_hostile_queries_do_not_raise(searchable: Store, query: str) -> None:
    assert isinstance(searchable.search(query), list)
    assert searchable.count_articles() == 4


def test_unbalanced_quote_still_searches(searchable: Store) -> None:
    assert _keys(searchable, '"presidential elections') == ["peru"]


def test_revision_updates_the_index(store: Store, make_article: Maker) -> None:
    store.save_articles([(make_article("a", body="Floods in Dhaka."), None, "t")])
    store.save_articles([(make_article("a", body="Drought in Nairobi."), None, "t")])
    assert store.search("dhaka") == []
    assert [h.title for h in store.search("nairobi")] == ["Title a"]


def test_limit(store: Store, make_article: Maker) -> None:
    store.save_articles([(make_article(f"n{i}", body="Common word."), None, "t") for i in range(5)])
    assert len(store.search("common", limit=3)) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("peru", '"peru"'),
        ("peru lima", '"peru" "lima"'),
        ('"prime minister"', '"prime minister"'),
        ('"unbalanced phrase', '"unbalanced phrase"'),
        ("a OR b", '("a") OR ("b")'),
        ("a -b", '"a" NOT "b"'),
        ("-b", ""),
        ("AND OR (", '"AND"'),
        ('say"what', '"say""what"'),
        ("( ) * -", ""),
    ],
)
def test_fts5_query_quotes_everything(query: str, expected: str) -> None:
    assert fts5_query(query) == expected
