"""Subscribers of the briefing, and the send ledger (one row per subscriber and local date).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

This file is frozen: it spells out its tables rather than importing `schema.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Create `subscribers` and `deliveries`."""
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("timezone", sa.Text, nullable=False),
        sa.Column("send_time", sa.String(5), nullable=False),
        sa.Column("regions", _JSON, nullable=False),
        sa.Column("themes", _JSON, nullable=False),
        sa.Column("stories", sa.Integer, nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("confirmed_at", _TIME),
        sa.PrimaryKeyConstraint("id", name="pk_subscribers"),
        sa.UniqueConstraint("email", name="uq_subscribers_email"),
    )
    op.create_index("ix_subscribers_status", "subscribers", ["status"])
    op.create_table(
        "deliveries",
        sa.Column("subscriber_id", sa.Integer, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.Text, nullable=False),
        sa.Column("claimed_at", _TIME, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("sent_at", _TIME),
        sa.Column("error", sa.Text),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name="fk_deliveries_subscriber_id_subscribers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subscriber_id", "date", name="pk_deliveries"),
        sa.UniqueConstraint("message_id", name="uq_deliveries_message_id"),
    )
    op.create_index("ix_deliveries_date", "deliveries", ["date"])


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("deliveries")
    op.drop_table("subscribers")
