"""Delivery fixtures: a real SMTP server on loopback, a migrated store, links, subscribers.

`smtp_server` is aiosmtpd on 127.0.0.1 (see `smtp_server.py`): it keeps every message it
accepts and answers as a test plans. `starttls_server` wants STARTTLS and a login,
`tls_server` speaks TLS from the first byte; both use a self-signed certificate made with
openssl. `simulated_time` gives the mailer a clock and a sleep that only move a counter, so
backoff and rate limits cost no real time. `store` runs on SQLite, and on PostgreSQL too
when `NEWSDESK_TEST_PG` is set.
"""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.deliver.smtp_server import (
    BASE_URL,
    RecordingHandler,
    SimulatedTime,
    SmtpServer,
    authenticate,
    serving,
)

from newsdesk.deliver import Links, Mailer
from newsdesk.models import Subscriber
from newsdesk.store import Store, upgrade_database
from newsdesk.store.subscribers import insert_subscriber


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=30)
    except FileNotFoundError:
        pytest.fail("the TLS tests need the openssl command to make a test certificate")
    return cert, key


@pytest.fixture
def client_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A client context that trusts the test certificate (and only it)."""
    return ssl.create_default_context(cafile=str(certificate[0]))


def _server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    return context


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """A server that requires STARTTLS, then a login as SMTP_USER."""
    with serving(
        RecordingHandler(),
        tls_context=_server_tls(certificate),
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
    ) as server:
        yield server


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """A server that speaks TLS from the first byte (as on port 465)."""
    with serving(RecordingHandler(), ssl_context=_server_tls(certificate)) as server:
        yield server


@pytest.fixture
def simulated_time() -> SimulatedTime:
    """A clock and sleep for the mailer that cost no real time."""
    return SimulatedTime()


@pytest.fixture
def mailer(smtp_server: SmtpServer, simulated_time: SimulatedTime) -> Iterator[Mailer]:
    """A mailer on the plain test server, with simulated time."""
    with Mailer(
        smtp_server.options(), clock=simulated_time.clock, sleep=simulated_time.sleep
    ) as opened:
        yield opened


@pytest.fixture
def links() -> Links:
    """Links on https://desk.example.org, signed with a test key."""
    return Links(BASE_URL, "test secret key")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open store on an empty, migrated database (SQLite, and PostgreSQL when set)."""
    upgrade_database(db_url)
    with Store.open(db_url) as opened:
        yield opened


SubscriberMaker = Callable[..., Subscriber]


@pytest.fixture
def make_subscriber(store: Store) -> SubscriberMaker:
    """Store a subscriber: `make_subscriber("ana@example.org", timezone=..., ...)`.

    Active and confirmed on 2026-01-01 unless told otherwise.
    """

    def make(email: str, **fields: Any) -> Subscriber:
        start = datetime(2026, 1, 1, tzinfo=UTC)
        values: dict[str, Any] = {"status": "active", "created_at": start, "confirmed_at": start}
        return insert_subscriber(store, Subscriber(email=email, **(values | fields)))

    return make
