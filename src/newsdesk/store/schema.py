"""The tables, as SQLAlchemy Core: the one description of the schema the code queries.

The migrations in `migrations/versions/` create these tables; this module must describe
what the latest migration leaves behind. Search objects (SQLite's `articles_fts` table and
its triggers, PostgreSQL's `search_vector` column and index) exist only in the database,
created per dialect by the migration, so that this metadata stays portable; `search.py`
names them directly.

Later stages (analysis, stories) add their own tables with their own migrations, keyed by
`articles.id`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names that Alembic can find again when a later migration alters a table."""

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC, read back aware on every backend.

    SQLite has no timezone type and returns naive values; PostgreSQL returns the session's
    zone. Normalising to UTC on the way in and out makes both give the same answer.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes (their zone is unknown) and store the UTC instant."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; add a zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read the stored instant back as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONList = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
"""A JSON list column: JSONB on PostgreSQL, so later stages can query inside it."""


def _content_columns() -> list[sa.Column[Any]]:
    """The article fields both tables carry: the current version and each earlier one."""
    return [
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("standfirst", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("authors", JSONList, nullable=False),
        sa.Column("published", UTCDateTime),
        sa.Column("agency", sa.Text),
        sa.Column("dateline", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("subheads", JSONList, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
    ]


articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.Text, nullable=False, unique=True),
    sa.Column("external_id", sa.Text),
    sa.Column("source", sa.Text, nullable=False),
    *_content_columns(),
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index(None, "published"),
)
"""One row per article identity (`key`), holding its latest version."""

article_revisions = sa.Table(
    "article_revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("revision", sa.Integer, nullable=False),
    *_content_columns(),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("article_id", "revision"),
)
"""Earlier versions of an article, each saved when a newer one replaced it."""

CONTENT_FIELDS: tuple[str, ...] = tuple(column.name for column in _content_columns())
"""Names of the columns copied into `article_revisions` when an article is revised."""

analyses = sa.Table(
    "analyses",
    metadata,
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("analyzed_at", UTCDateTime, nullable=False),
    sa.Column("data", JSONList, nullable=False),
    sa.Index(None, "version"),
)
"""The analysis of each article's current version, and the analyzer version that made it."""

article_facets = sa.Table(
    "article_facets",
    metadata,
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("facet", sa.String(16), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("weight", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("article_id", "facet", "value"),
    sa.Index(None, "facet", "value"),
)
"""The analysis as rows to filter and join on: person, organization, country, place, theme.

`weight` is the number of mentions (a theme's score for themes), so "articles about
Mexico" or "what Felipe Calderon appears in" are indexed lookups, not JSON scans.
"""

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("region", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("interval_seconds", sa.Integer),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_fetch_at", UTCDateTime),
    sa.Column("last_success_at", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("items_seen", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_poll_at", UTCDateTime, nullable=False),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Index(None, "next_poll_at"),
)
"""The feeds, sitemaps and pages newsdesk polls, with the health of each."""

source_items = sa.Table(
    "source_items",
    metadata,
    sa.Column(
        "source_id",
        sa.Integer,
        sa.ForeignKey("sources.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("item", sa.Text, nullable=False),
    sa.Column("seen_at", UTCDateTime, nullable=False),
    sa.Column("published", UTCDateTime),
    sa.PrimaryKeyConstraint("source_id", "item"),
)
"""Items (feed GUIDs, else URLs) each source has given already: a round fetches only new ones."""

desk_state = sa.Table(
    "desk_state",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""Facts about the desk itself, such as whether the default sources were ever installed."""

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.Column("article_count", sa.Integer, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index(None, "last_seen"),
)
"""One row per story: its headline and span. Ids are the clusterer's, so they never change
when the desk restarts; everything else about a story is read from its articles."""

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "story_id",
        sa.Integer,
        sa.ForeignKey("stories.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("articles.id", ondelete="SET NULL")),
    sa.Column("seen_at", UTCDateTime, nullable=False),
    sa.Index(None, "story_id"),
    sa.Index(None, "seen_at"),
)
"""The story of each clustered article; `duplicate_of` points a wire copy at its original;
`seen_at` is the time the clusterer used (publication, else first seen). An article with no
row here has not been clustered yet."""

subscribers = sa.Table(
    "subscribers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.Text, nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("timezone", sa.Text, nullable=False),
    sa.Column("send_time", sa.String(5), nullable=False),
    sa.Column("regions", JSONList, nullable=False),
    sa.Column("themes", JSONList, nullable=False),
    sa.Column("stories", sa.Integer, nullable=False),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("confirmed_at", UTCDateTime),
    sa.Index(None, "status"),
)
"""Readers of the briefing and how they want it (`models.Subscriber`). Every other table
that keeps something about a person references `subscribers.id` with ON DELETE CASCADE, so
removing a subscriber removes everything kept about them."""

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column(
        "subscriber_id",
        sa.Integer,
        sa.ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("message_id", sa.Text, nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("claimed_by", sa.Text, nullable=False),
    sa.Column("claimed_at", UTCDateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("error", sa.Text),
    sa.PrimaryKeyConstraint("subscriber_id", "date"),
    sa.Index(None, "date"),
)
"""The send ledger: one row per subscriber and local briefing date, claimed (with the
Message-ID the email will carry) before the email goes out and marked once it has."""
