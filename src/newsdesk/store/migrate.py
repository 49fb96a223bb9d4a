"""Schema migrations, run from code: the Alembic scripts ship inside the package.

Users never see an alembic.ini: the Alembic configuration is built here with its
`script_location` pointing at `migrations/` beside this file, and each run gets a
connection from newsdesk's own engine (so SQLite gets its pragmas during migrations too).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from newsdesk.errors import StoreError
from newsdesk.store.database import (
    connection_error,
    create_engine,
    display_url,
    ensure_sqlite_directory,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
"""The Alembic script directory shipped in the package."""


DATABASE_ONLY_PREFIXES = ("articles_fts", "search_vector", "ix_articles_search_vector")
"""Search objects the migration creates per dialect, absent from `schema.metadata` on purpose."""


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate filter: ignore the database-only search objects instead of dropping them."""
    database_only = name is not None and name.startswith(DATABASE_ONLY_PREFIXES)
    return not (reflected and compare_to is None and database_only)


def alembic_config() -> Config:
    """An Alembic configuration for newsdesk's migrations, built without any file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str:
    """The revision the code expects: the newest migration shipped."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreError(f"no migrations found in {MIGRATIONS}; the installation is broken")
    return head


def upgrade_database(url: str) -> None:
    """Bring the database at `url` up to the newest schema; a no-op when it is already there.

    Args:
        url: `sqlite:///PATH` (the file and its directory are created if missing) or
            `postgresql://...` (the database must exist).

    Raises:
        StoreError: the database cannot be reached or a migration fails.
    """
    engine = create_engine(url)
    try:
        upgrade_engine(engine, url)
    finally:
        engine.dispose()


def upgrade_engine(engine: Engine, url: str) -> None:
    """Run pending migrations over an existing engine, in one transaction."""
    ensure_sqlite_directory(url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except sa.exc.OperationalError as error:
        if _never_connected(error):
            raise connection_error(url, error) from error
        raise StoreError(f"migrating {display_url(url)} failed: {error.orig}") from error
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"migrating {display_url(url)} failed: {error}") from error


def check_current(connection: Connection, url: str) -> None:
    """Raise StoreError unless the database's schema is the one this code expects."""
    current = MigrationContext.configure(connection).get_current_revision()
    if current == head_revision():
        return
    if current is None:
        raise StoreError(
            f"database {display_url(url)} is not initialised; run `newsdesk db upgrade`"
        )
    raise StoreError(
        f"database {display_url(url)} has schema revision {current}, this newsdesk "
        f"needs {head_revision()}; run `newsdesk db upgrade` (or upgrade newsdesk)"
    )


def _never_connected(error: sa.exc.OperationalError) -> bool:
    """Whether the error came from opening the connection rather than from a statement."""
    return error.statement is None
