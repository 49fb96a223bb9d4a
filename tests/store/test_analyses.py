"""Analyses are stored with their article, queried by version, and dropped when stale."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from newsdesk.models import Analysis, Article, Entity, Place, Quote, Theme, Tone
from newsdesk.store import Store
from newsdesk.store.schema import article_facets


def _analysis(version: str = "v1") -> Analysis:
    return Analysis(
        language="en",
        people=[Entity("Barack Obama", 3, [(0, 5), (40, 52), (90, 95)])],
        organizations=[Entity("US Senate", 1, [(60, 73)])],
        places=[
            Place("Mexico", "country", "MX", 23.0, -102.0, 4, [(20, 26)]),
            Place("Mexico City", "city", "MX", 19.4, -99.1, 1, [(100, 111)]),
        ],
        focus_countries=["MX"],
        quotes=[Quote("a heroic job", "Barack Obama", "said", "partial", 10, 22)],
        themes=[Theme("drug_trafficking", 0.9)],
        tone=Tone(-2.5, 1.0, 3.5, 4.5),
        version=version,
    )


ArticleMaker = Callable[..., Article]


def test_an_analysis_round_trips_with_its_facets(store: Store, make_article: ArticleMaker) -> None:
    [outcome] = store.save_articles([(make_article("a"), None, "t")], [_analysis()])
    assert store.get_analysis(outcome.article_id) == _analysis()
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(article_facets.c.facet, article_facets.c.value, article_facets.c.weight)
        ).all()
    assert set(rows) == {
        ("person", "Barack Obama", 3.0),
        ("organization", "US Senate", 1.0),
        ("place", "Mexico", 4.0),
        ("place", "Mexico City", 1.0),
        ("country", "MX", 5.0),
        ("theme", "drug_trafficking", 0.9),
    }


def test_ids_to_analyze_follow_the_analyzer_version(
    store: Store, make_article: ArticleMaker
) -> None:
    outcomes = store.save_articles(
        [(make_article(slug), None, "t") for slug in ("a", "b", "c")],
        [_analysis("v1"), None, _analysis("v2")],
    )
    a, b, c = (outcome.article_id for outcome in outcomes)
    assert store.ids_to_analyze("v2") == [a, b]
    assert store.ids_to_analyze(None) == [a, b, c]
    store.save_analysis(a, _analysis("v2"))
    store.save_analysis(a, _analysis("v2"))  # replacing is idempotent
    assert store.ids_to_analyze("v2") == [b]


def test_a_revised_article_without_analysis_loses_its_stale_one(
    store: Store, make_article: ArticleMaker
) -> None:
    [outcome] = store.save_articles([(make_article("a"), None, "t")], [_analysis()])
    store.save_articles([(make_article("a"), None, "t")])  # unchanged: analysis kept
    assert store.get_analysis(outcome.article_id) is not None
    store.save_articles([(make_article("a", body="A corrected body."), None, "t")])
    assert store.get_analysis(outcome.article_id) is None
    assert store.ids_to_analyze("v1") == [outcome.article_id]
