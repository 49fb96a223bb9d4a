"""Analyses of articles, and their facets (people, organisations, places, countries, themes).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

This file is frozen: it spells out its tables rather than importing `schema.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create `analyses` (one per article) and `article_facets` (many per article)."""
    op.create_table(
        "analyses",
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("analyzed_at", _TIME, nullable=False),
        sa.Column("data", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_analyses_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_analyses"),
    )
    op.create_index("ix_analyses_version", "analyses", ["version"])
    op.create_table(
        "article_facets",
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("facet", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_facets_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "facet", "value", name="pk_article_facets"),
    )
    op.create_index("ix_article_facets_facet", "article_facets", ["facet", "value"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("article_facets")
    op.drop_table("analyses")
