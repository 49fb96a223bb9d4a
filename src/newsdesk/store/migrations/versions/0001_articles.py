"""Articles, their earlier revisions, and full-text search over title, standfirst and body.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

The search objects differ per dialect. SQLite gets an external-content FTS5 table (the
text lives once, in `articles`) kept in step by triggers, with the Porter stemmer so that
"elections" finds "election". PostgreSQL gets a generated `tsvector` column (English
configuration, title weighted above standfirst above body) with a GIN index.

This file is frozen: it spells out its tables rather than importing `schema.py`, which
describes only the latest state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIME = sa.DateTime(timezone=True)

_SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, standfirst, body,
        content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, standfirst, body)
        VALUES (new.id, new.title, new.standfirst, new.body);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, standfirst, body)
        VALUES ('delete', old.id, old.title, old.standfirst, old.body);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, standfirst, body
    ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, standfirst, body)
        VALUES ('delete', old.id, old.title, old.standfirst, old.body);
        INSERT INTO articles_fts(rowid, title, standfirst, body)
        VALUES (new.id, new.title, new.standfirst, new.body);
    END""",
]

_POSTGRES_SEARCH = [
    """ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED""",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]


def _content_columns() -> list[sa.Column[Any]]:
    """The article fields that both tables carry."""
    return [
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("standfirst", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("authors", _JSON, nullable=False),
        sa.Column("published", _TIME),
        sa.Column("agency", sa.Text),
        sa.Column("dateline", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("subheads", _JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
    ]


def upgrade() -> None:
    """Create the two tables, then the search objects for this dialect."""
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("external_id", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        *_content_columns(),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.Column("first_seen", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("key", name="uq_articles_key"),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        *_content_columns(),
        sa.Column("saved_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_article_revisions"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_revisions_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("article_id", "revision", name="uq_article_revisions_article_id"),
    )
    for statement in _search_statements():
        op.execute(statement)


def downgrade() -> None:
    """Drop the search objects and both tables."""
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")  # its triggers go with `articles`
    op.drop_table("article_revisions")
    op.drop_table("articles")


def _search_statements() -> list[str]:
    """The DDL for full-text search on the dialect being migrated."""
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        return _SQLITE_SEARCH
    if dialect == "postgresql":
        return _POSTGRES_SEARCH
    raise NotImplementedError(f"newsdesk has no full-text search for {dialect}")
