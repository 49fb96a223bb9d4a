"""Fixtures shared by every test: the real data folder and an empty database of each kind.

`db_url` gives a fresh SQLite file, and also a fresh PostgreSQL database when
`NEWSDESK_TEST_PG` names a server (CI sets it), so every store test runs on both.
Run `python tests/conftest.py` to print where the shared data is looked for.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.deliver.smtp_server import RecordingHandler, SmtpServer, serving

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
REFERENCE_ARTICLE = SHARED / "seed" / "000_c82474b75107b0a5.txt"


def require_shared(path: Path) -> Path:
    """Return a path inside ../shared, failing loudly (never skipping) when it is missing."""
    if not path.exists():
        pytest.fail(f"real test data missing: {path} (the tests need ../shared beside the repo)")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public news data in ../shared/data."""
    return require_shared(SHARED_DATA)


@pytest.fixture(scope="session")
def reference_article() -> Path:
    """The reference Reuters article as a plain-text file."""
    return require_shared(REFERENCE_ARTICLE)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback (aiosmtpd) that records what it accepts."""
    with serving(RecordingHandler()) as server:
        yield server


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("NEWSDESK_TEST_PG") else ["sqlite"]


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'newsdesk.db'}"
        return
    yield from _fresh_postgres_database(os.environ["NEWSDESK_TEST_PG"])


def _fresh_postgres_database(server_url: str) -> Iterator[str]:
    """Create a throw-away database on the server, yield its URL, drop it afterwards."""
    import sqlalchemy as sa

    name = f"newsdesk_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(_as_psycopg(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = _as_psycopg(server_url).rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _as_psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


if __name__ == "__main__":
    print(f"shared data: {SHARED_DATA} ({'found' if SHARED_DATA.exists() else 'MISSING'})")
