"""Export: one line per article in id order, carrying the input's own id where it had one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsdesk.models import Article
from newsdesk.store import Store
from newsdesk.store import store as store_module

Maker = Callable[..., Article]


def test_export_in_id_order_with_id_passthrough(store: Store, make_article: Maker) -> None:
    outcomes = store.save_articles(
        [
            (make_article("b"), "wire-42", "in.jsonl"),
            (make_article("a", url=None), None, "notes.txt"),
        ]
    )
    assert list(store.iter_export()) == [
        {"id": "wire-42", "url": "https://news.example/b", "story": None, "title": "Title b"},
        {"id": str(outcomes[1].article_id), "url": None, "story": None, "title": "Title a"},
    ]


def test_export_spans_batches(
    store: Store, make_article: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "EXPORT_BATCH", 2)
    store.save_articles([(make_article(f"n{i}"), f"id-{i}", "t") for i in range(5)])
    assert [line["id"] for line in store.iter_export()] == [f"id-{i}" for i in range(5)]


def test_export_of_empty_store(store: Store) -> None:
    assert list(store.iter_export()) == []
