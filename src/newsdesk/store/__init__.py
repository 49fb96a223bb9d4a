"""Persistence: articles in SQLite (default) or PostgreSQL, with migrations and search.

`Store.open(url)` is the way in; `upgrade_database(url)` creates or migrates a database
(what `newsdesk db upgrade` runs). The schema is in `schema.py`, the Alembic migrations in
`migrations/`, the per-dialect full-text search in `search.py`.
"""

from newsdesk.store.database import display_url
from newsdesk.store.migrate import head_revision, upgrade_database
from newsdesk.store.records import (
    ArticleRevision,
    SaveOutcome,
    SaveStatus,
    SearchHit,
    StoredArticle,
    article_key,
    content_hash,
)
from newsdesk.store.store import Store

__all__ = [
    "ArticleRevision",
    "SaveOutcome",
    "SaveStatus",
    "SearchHit",
    "Store",
    "StoredArticle",
    "article_key",
    "content_hash",
    "display_url",
    "head_revision",
    "upgrade_database",
]
