"""A real SMTP server (aiosmtpd) on 127.0.0.1 for tests, answering as each test tells it.

Tests send to it instead of mocking smtplib: it keeps every message it accepts, and a test
can plan how it answers RCPT or DATA for an address, e.g. "451" twice and then accept, or
"550" once.

    with serving(RecordingHandler()) as server:
        server.handler.plan("ana@example.org", "451 4.3.0 busy")
        Mailer(server.options()).send(message)
        [received] = server.handler.messages_to("ana@example.org")

From the shell, `python tests/deliver/smtp_server.py [PORT]` runs it in the foreground and
prints each message it gets (point `NEWSDESK_SMTP_HOST`/`NEWSDESK_SMTP_PORT` at it).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from newsdesk.deliver import SmtpOptions

SMTP_USER = "desk"
SMTP_PASSWORD = "correct horse"
BASE_URL = "https://desk.example.org"


@dataclass
class Received:
    """One message the server accepted: the envelope and the bytes as sent."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        """The message parsed back with the modern policy."""
        parsed = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class RecordingHandler:
    """An aiosmtpd handler that records accepted messages and answers as planned."""

    received: list[Received] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    _plans: dict[tuple[str, str], deque[str]] = field(default_factory=dict)
    _hold_after: int | None = None
    _released: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def plan(self, address: str, *replies: str, stage: str = "RCPT") -> None:
        """Answer `stage` (RCPT or DATA) for `address` with these replies, then accept."""
        with self._lock:
            self._plans[(stage, address.lower())] = deque(replies)

    def hold_after(self, count: int) -> None:
        """Once `count` messages are accepted, keep each next DATA waiting (`holding` is set)
        until `release()`, then refuse it with a 451: the client never sees it accepted."""
        self._hold_after = count

    def release(self) -> None:
        """Let held messages go (refused); later ones are accepted as usual."""
        self._hold_after = None
        self._released.set()

    def messages_to(self, address: str) -> list[EmailMessage]:
        """The accepted messages for one recipient, parsed, in arrival order."""
        with self._lock:
            found = [item for item in self.received if address in item.rcpt_tos]
        return [item.message for item in found]

    def count(self) -> int:
        """How many messages were accepted so far."""
        with self._lock:
            return len(self.received)

    def _planned(self, stage: str, address: str) -> str | None:
        with self._lock:
            queue = self._plans.get((stage, address.lower()))
            return queue.popleft() if queue else None

    async def handle_RCPT(
        self,
        server: SMTPServer,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        reply = self._planned("RCPT", address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        if self._hold_after is not None and self.count() >= self._hold_after:
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.005)
            return "451 4.3.0 held by the test, not accepted"
        reply = self._planned("DATA", envelope.rcpt_tos[0])
        if reply is not None:
            return reply
        content = envelope.original_content or b""
        with self._lock:
            self.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), content)
            )
        return "250 2.0.0 accepted"


@dataclass
class SmtpServer:
    """A running server: where it listens and what it has received."""

    handler: RecordingHandler
    port: int
    host: str = "127.0.0.1"

    def options(self, **overrides: Any) -> SmtpOptions:
        """SMTP options pointing at this server (no rate limit unless overridden)."""
        values: dict[str, Any] = {"host": self.host, "port": self.port, "rate": 0.0}
        values["mail_from"] = "Newsdesk <briefing@desk.example.org>"
        return SmtpOptions(**(values | overrides))


@dataclass
class SimulatedTime:
    """A monotonic clock that only `sleep` moves, recording every sleep."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(
    handler: RecordingHandler, port: int | None = None, **kwargs: Any
) -> Iterator[SmtpServer]:
    """Run an aiosmtpd server on loopback (on a free port by default) during the block."""
    port = port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield SmtpServer(handler, port)
    finally:
        handler.release()
        controller.stop()


def authenticate(
    server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    """Accept only SMTP_USER with SMTP_PASSWORD."""
    ok = (
        isinstance(data, LoginPassword)
        and data.login == SMTP_USER.encode()
        and data.password == SMTP_PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


def _print_messages(port: int) -> None:
    """Serve on loopback and print each message's envelope and headers as it arrives."""
    handler = RecordingHandler()
    with serving(handler, port) as server:
        print(f"recording SMTP server on 127.0.0.1:{server.port}; Ctrl-C to stop")
        seen = 0
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                for item in handler.received[seen:]:
                    print(item.mail_from, "->", item.rcpt_tos, item.message["Subject"])
                seen = len(handler.received)
                time.sleep(0.5)


if __name__ == "__main__":
    _print_messages(int(sys.argv[1]) if len(sys.argv) > 1 else free_port())
