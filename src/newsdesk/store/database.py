"""Database URLs and engines: what the user types becomes a configured SQLAlchemy engine.

Users write `postgresql://user@host/db` as every PostgreSQL tool accepts it; SQLAlchemy
would read that as "use psycopg2", which newsdesk does not install, so the URL is mapped
to psycopg 3 here. SQLite connections get WAL (readers do not block the writer), foreign
keys (off by default in SQLite) and a busy timeout (a second writer waits instead of
failing at once), set on every new connection.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from newsdesk.errors import StoreError

SQLITE_BUSY_TIMEOUT_MS = 5_000
"""How long a SQLite writer waits for another writer's lock before giving up."""

POSTGRES_CONNECT_TIMEOUT_S = 10
"""How long to wait for a PostgreSQL server before reporting it unreachable."""

_POSTGRES_NAMES = {"postgresql", "postgres", "postgresql+psycopg"}
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


def display_url(url: str) -> str:
    """The URL with any password replaced by `***`, fit for messages and logs."""
    return _PASSWORD.sub(r"\1***@", url)


def parse_url(url: str) -> URL:
    """Read a database URL, mapping plain PostgreSQL URLs to the psycopg 3 driver.

    Raises:
        StoreError: the URL is malformed or names a database newsdesk does not support.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            f"database URL {display_url(url)!r} is not valid; "
            "use sqlite:///PATH or postgresql://USER@HOST/DATABASE"
        ) from None
    if parsed.drivername in _POSTGRES_NAMES:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in {"sqlite", "sqlite+pysqlite"}:
        return parsed
    raise StoreError(
        f"database URL {display_url(url)!r}: {parsed.drivername} is not supported; "
        "use sqlite:///PATH or postgresql://USER@HOST/DATABASE"
    )


def create_engine(url: str) -> Engine:
    """An engine for the URL, with newsdesk's per-connection settings.

    Args:
        url: `sqlite:///PATH` or `postgresql://...` as the user gave it.

    Returns:
        An engine; nothing is connected until it is first used.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(parsed)
        sa.event.listen(engine, "connect", _configure_sqlite)
        return engine
    return sa.create_engine(
        parsed,
        connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
        pool_pre_ping=True,
    )


def ensure_sqlite_directory(url: str) -> None:
    """Create the directory of a SQLite file, so the default database can be created."""
    parsed = parse_url(url)
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def connection_error(url: str, error: sa.exc.DBAPIError) -> StoreError:
    """A StoreError saying the database cannot be reached, why, and what to check."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    if url.startswith("sqlite"):
        hint = "does its directory exist and can newsdesk write there?"
    else:
        hint = "is the server running and are the host, port, user and database right?"
    return StoreError(f"cannot connect to {display_url(url)}: {reason}; {hint}")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Turn on WAL, foreign keys and the busy timeout for a new SQLite connection."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()
