"""Stories, and which story (and which original, for a wire copy) each article belongs to.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

This file is frozen: it spells out its tables rather than importing `schema.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create `stories` and `story_articles`."""
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("first_seen", _TIME, nullable=False),
        sa.Column("last_seen", _TIME, nullable=False),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])
    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.Column("duplicate_of", sa.Integer),
        sa.Column("seen_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_story_articles_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name="fk_story_articles_story_id_stories",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["articles.id"],
            name="fk_story_articles_duplicate_of_articles",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_story_articles"),
    )
    op.create_index("ix_story_articles_story_id", "story_articles", ["story_id"])
    op.create_index("ix_story_articles_seen_at", "story_articles", ["seen_at"])


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("story_articles")
    op.drop_table("stories")
