"""Migrations: they build the whole schema from nothing, agree with schema.py, and re-run safely."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from newsdesk.models import Article
from newsdesk.store import Store, head_revision, upgrade_database
from newsdesk.store.database import create_engine
from newsdesk.store.migrate import alembic_config, include_object
from newsdesk.store.schema import metadata


def _inspect(url: str) -> tuple[str, set[str], set[str], set[str]]:
    """(dialect, tables, articles columns, articles indexes) of the database at `url`."""
    engine = create_engine(url)
    try:
        inspector = sa.inspect(engine)
        return (
            engine.dialect.name,
            set(inspector.get_table_names()),
            {column["name"] for column in inspector.get_columns("articles")},
            {index["name"] or "" for index in inspector.get_indexes("articles")},
        )
    finally:
        engine.dispose()


def _sqlite_triggers(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return set(connection.execute(query).scalars())
    finally:
        engine.dispose()


def test_upgrade_creates_tables_and_search_objects(db_url: str) -> None:
    upgrade_database(db_url)
    dialect, tables, columns, indexes = _inspect(db_url)
    assert {"articles", "article_revisions", "alembic_version"} <= tables
    assert {"key", "external_id", "source", "revision", "content_hash", "first_seen"} <= columns
    assert "ix_articles_published" in indexes
    if dialect == "sqlite":
        assert "articles_fts" in tables
        assert _sqlite_triggers(db_url) == {
            "articles_fts_insert",
            "articles_fts_delete",
            "articles_fts_update",
        }
    else:
        assert "search_vector" in columns
        assert "ix_articles_search_vector" in indexes


def test_upgrade_twice_is_a_no_op_and_keeps_data(
    db_url: str, make_article: Callable[..., Article]
) -> None:
    upgrade_database(db_url)
    with Store.open(db_url) as store:
        store.save_articles([(make_article("kept"), None, "test")])
    upgrade_database(db_url)
    with Store.open(db_url) as store:
        assert store.count_articles() == 1
        store.upgrade()
        assert store.count_articles() == 1


def test_database_is_at_head_revision(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    assert current == head_revision()


def test_schema_module_matches_the_migrations(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object, "compare_type": True}
            )
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_then_upgrade_again(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert "articles" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    upgrade_database(migrated_url)
    assert "articles" in _inspect(migrated_url)[1]
