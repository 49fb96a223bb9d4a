"""Store fixtures: a migrated store on each backend `db_url` gives, and article builders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from newsdesk.models import Article
from newsdesk.store import Store, upgrade_database


def _article(slug: str, **fields: Any) -> Article:
    """An article at https://news.example/<slug>, with fields overridden as given."""
    values: dict[str, Any] = {
        "title": f"Title {slug}",
        "body": f"Body of {slug}.\n\nSecond paragraph.",
        "url": f"https://news.example/{slug}",
        "published": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        "authors": ["A. Writer"],
        "outlet": "Example News",
        "language": "en",
    }
    values.update(fields)
    return Article(**values)


ArticleMaker = Callable[..., Article]


@pytest.fixture
def make_article() -> ArticleMaker:
    """Build a test article: `make_article("slug", title=...)`."""
    return _article


@pytest.fixture
def migrated_url(db_url: str) -> str:
    """A database URL whose schema is at the newest migration."""
    upgrade_database(db_url)
    return db_url


@pytest.fixture
def store(migrated_url: str) -> Iterator[Store]:
    """An open store on an empty, migrated database (closed afterwards)."""
    with Store.open(migrated_url) as opened:
        yield opened
