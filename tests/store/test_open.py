"""Opening: clear errors for unreachable, unsupported and un-migrated databases."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.errors import StoreError
from newsdesk.store import Store, display_url, head_revision, upgrade_database
from newsdesk.store.database import create_engine, parse_url


@pytest.fixture
def closed_port() -> int:
    """A local TCP port that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_open_unmigrated_database_says_how_to_fix_it(db_url: str) -> None:
    with pytest.raises(StoreError, match=r"is not initialised; run `newsdesk db upgrade`"):
        Store.open(db_url)


def test_open_with_upgrade_creates_the_sqlite_file_and_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'dir' / 'newsdesk.db'}"
    with Store.open(url, upgrade=True) as store:
        assert store.count_articles() == 0


def test_open_database_at_another_revision(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'ffff'"))
    engine.dispose()
    with pytest.raises(StoreError, match=f"revision ffff, this newsdesk needs {head_revision()}"):
        Store.open(migrated_url)


@pytest.mark.parametrize("action", [Store.open, upgrade_database])
def test_unreachable_postgres_names_the_url_without_its_password(
    closed_port: int, action: object
) -> None:
    url = f"postgresql://newsdesk:s3cret@127.0.0.1:{closed_port}/newsdesk"
    with pytest.raises(StoreError) as caught:
        action(url)  # type: ignore[operator]
    message = str(caught.value)
    assert message.startswith(
        f"cannot connect to postgresql://newsdesk:***@127.0.0.1:{closed_port}"
    )
    assert "is the server running" in message
    assert "s3cret" not in message


def test_missing_sqlite_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'newsdesk.db'}"
    with pytest.raises(StoreError, match=r"cannot connect to sqlite:///.*does its directory exist"):
        Store.open(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:pw@host/db", "mysql is not supported"),
        ("not a url", "is not valid"),
    ],
)
def test_unsupported_urls(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        Store.open(url)


@pytest.mark.parametrize(
    "url", ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg://u@h/db"]
)
def test_postgres_urls_use_psycopg_3(url: str) -> None:
    assert parse_url(url).drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:pw@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_display_url_hides_passwords(url: str, shown: str) -> None:
    assert display_url(url) == shown


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()
