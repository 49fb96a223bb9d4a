"""Saving: new articles stored, repeats no-ops, changes revisions, batches all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.errors import StoreError
from newsdesk.models import Article
from newsdesk.store import Store, article_key

Maker = Callable[..., Article]


def test_save_then_unchanged_then_revised(store: Store, make_article: Maker) -> None:
    original = make_article("a", standfirst="Short version.", subheads=["First"])
    [stored] = store.save_articles([(original, "ext-1", "feed.xml")])
    assert (stored.status, stored.revision, stored.key) == ("stored", 1, "https://news.example/a")

    [again] = store.save_articles([(original, "ext-1", "feed.xml")])
    assert (again.status, again.article_id, again.revision) == ("unchanged", stored.article_id, 1)
    assert store.revisions(stored.article_id) == []

    corrected = make_article("a", standfirst="Short version.", body="Corrected body.")
    [revised] = store.save_articles([(corrected, None, "page.html")])
    assert (revised.status, revised.article_id, revised.revision) == (
        "revised",
        stored.article_id,
        2,
    )

    current = store.get_article(stored.article_id)
    assert current is not None
    assert current.article == corrected
    assert (current.revision, current.source, current.external_id) == (2, "page.html", "ext-1")
    assert current.updated_at >= current.first_seen
    [old] = store.revisions(stored.article_id)
    assert (old.revision, old.article) == (1, original)
    assert store.count_articles() == 1


def test_round_trip_keeps_every_field(store: Store, make_article: Maker) -> None:
    article = make_article(
        "full",
        standfirst="Standfirst.",
        authors=["Jane Doe", "John Roe"],
        agency="Reuters",
        dateline="LIMA",
        subheads=["One", "Two"],
        title="Pérou : élections — «résultats»",
    )
    [outcome] = store.save_articles([(article, None, "test")])
    stored = store.get_article(outcome.article_id)
    assert stored is not None
    assert stored.article == article
    assert stored.first_seen.tzinfo is not None


def test_published_offset_is_kept_as_the_same_instant(store: Store, make_article: Maker) -> None:
    lima = timezone(timedelta(hours=-5))
    article = make_article("tz", published=datetime(2024, 5, 1, 7, 0, tzinfo=lima))
    [outcome] = store.save_articles([(article, None, "test")])
    stored = store.get_article(outcome.article_id)
    assert stored is not None and stored.article.published is not None
    assert stored.article.published == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert store.save_articles([(stored.article, None, "test")])[0].status == "unchanged"


def test_tracking_variants_of_a_url_are_one_article(store: Store, make_article: Maker) -> None:
    first = make_article("a", url="https://news.example/a?utm_source=rss")
    second = make_article("a", url="HTTPS://NEWS.example:443/a#comments")
    outcomes = store.save_articles([(first, None, "feed"), (second, None, "page")])
    assert [o.status for o in outcomes] == ["stored", "unchanged"]


def test_article_without_url_is_keyed_by_its_text(store: Store, make_article: Maker) -> None:
    article = make_article("plain", url=None)
    reflowed = make_article("plain", url=None, body="Body   of plain.\n\nSecond\nparagraph.")
    assert article_key(article).startswith("sha256:")
    assert article_key(article) == article_key(reflowed)
    [stored] = store.save_articles([(article, "line-1", "in.jsonl")])
    [again] = store.save_articles([(reflowed, "line-1", "in.jsonl")])
    assert (again.status, again.article_id, again.key) == ("revised", stored.article_id, stored.key)


@pytest.mark.parametrize(
    ("second_body", "expected"),
    [(None, ["stored", "unchanged"]), ("Changed body.", ["stored", "revised"])],
)
def test_duplicate_key_in_one_batch(
    store: Store, make_article: Maker, second_body: str | None, expected: list[str]
) -> None:
    first = make_article("dup")
    second = make_article("dup", body=second_body) if second_body else make_article("dup")
    outcomes = store.save_articles([(first, None, "a"), (second, None, "b")])
    assert [o.status for o in outcomes] == expected
    assert outcomes[0].article_id == outcomes[1].article_id
    assert store.count_articles() == 1
    assert len(store.revisions(outcomes[0].article_id)) == (1 if second_body else 0)


def test_failed_batch_writes_nothing(store: Store, make_article: Maker) -> None:
    [kept] = store.save_articles([(make_article("existing"), None, "first")])
    broken = make_article("broken", title=None)  # NOT NULL violated inside the database
    batch = [
        (make_article("new"), None, "second"),
        (make_article("existing", body="Revised body."), None, "second"),
        (broken, None, "second"),
    ]
    with pytest.raises(StoreError, match="nothing was written"):
        store.save_articles(batch)
    assert store.count_articles() == 1
    assert store.revisions(kept.article_id) == []
    existing = store.get_article(kept.article_id)
    assert existing is not None and existing.revision == 1
    assert existing.article == make_article("existing")


def test_naive_published_is_refused_with_a_store_error(store: Store, make_article: Maker) -> None:
    with pytest.raises(StoreError, match="naive datetime"):
        store.save_articles([(make_article("n", published=datetime(2024, 1, 1)), None, "t")])


def test_list_articles_newest_first_undated_last(store: Store, make_article: Maker) -> None:
    day = datetime(2024, 5, 1, tzinfo=UTC)
    store.save_articles(
        [
            (make_article("old", published=day), None, "feed"),
            (make_article("undated", published=None), None, "file"),
            (make_article("new", published=day + timedelta(days=1)), None, "feed"),
        ]
    )
    assert [s.key.rsplit("/", 1)[1] for s in store.list_articles()] == ["new", "old", "undated"]
    assert [s.key.rsplit("/", 1)[1] for s in store.list_articles(limit=1, offset=1)] == ["old"]
    assert [s.key.rsplit("/", 1)[1] for s in store.list_articles(source="file")] == ["undated"]
    assert store.count_articles() == 3


def test_missing_article(store: Store) -> None:
    assert store.get_article(999) is None
    assert store.revisions(999) == []
