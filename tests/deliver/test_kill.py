"""A sender killed with SIGKILL in the middle of a batch, then restarted: each briefing once.

The sender runs in a process of its own (`sender_process.py`) against the test SMTP server
and a real database, and a second process is started on the same database after the kill.
It is killed at one of two moments:

- `accepted`: as soon as the server has accepted `KILL_AFTER` messages, so most likely in
  the instant before the sender marks the last one sent. That one may then arrive twice,
  and both copies must carry the same Message-ID; no other copy is allowed.
- `in-flight`: while the server holds the next message unanswered (then refuses it), so
  the sender dies with a claimed briefing that never arrived: the restart must send it, and
  nothing may arrive twice.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.deliver.smtp_server import SmtpServer

from newsdesk.models import Subscriber
from newsdesk.store import Store
from newsdesk.store.subscribers import list_deliveries

SubscriberMaker = Callable[..., Subscriber]

SCRIPT = Path(__file__).with_name("sender_process.py")
NOW = datetime(2026, 6, 4, 12, 0, tzinfo=UTC)
ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Pacific/Chatham"]
READERS = 40
KILL_AFTER = 12
RATE = "40"  # messages a second: the batch takes about a second, time enough to kill it


def _wait_for_messages(server: SmtpServer, process: subprocess.Popen[bytes], count: int) -> None:
    deadline = time.monotonic() + 8
    while server.handler.count() < count:
        assert process.poll() is None, "the sender ended before it could be killed"
        assert time.monotonic() < deadline, "the sender sent too little in 8 seconds"
        time.sleep(0.002)


@pytest.mark.parametrize("moment", ["accepted", "in-flight"])
def test_a_killed_sender_restarted_sends_each_due_briefing_exactly_once(
    store: Store, smtp_server: SmtpServer, make_subscriber: SubscriberMaker, moment: str
) -> None:
    readers = [
        make_subscriber(f"reader{n:02}@example.org", timezone=ZONES[n % len(ZONES)])
        for n in range(READERS)
    ]
    if moment == "in-flight":
        smtp_server.handler.hold_after(KILL_AFTER)
    command = [sys.executable, str(SCRIPT), store.url, str(smtp_server.port), NOW.isoformat()]
    first = subprocess.Popen([*command, RATE], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for_messages(smtp_server, first, KILL_AFTER)
    if moment == "in-flight":
        assert smtp_server.handler.holding.wait(timeout=5)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=5)
    smtp_server.handler.release()
    assert first.returncode == -signal.SIGKILL
    at_kill = smtp_server.handler.count()
    statuses = Counter(row.status for row in list_deliveries(store))
    assert KILL_AFTER <= at_kill < READERS
    assert set(statuses) <= {"sent", "claimed"} and statuses["claimed"] <= 1
    if moment == "in-flight":  # every accepted one marked sent, the held one claimed
        assert (at_kill, statuses["sent"], statuses["claimed"]) == (KILL_AFTER, KILL_AFTER, 1)
    else:  # accepted but not yet marked sent: at most one
        assert at_kill - statuses["sent"] in (0, 1)

    second = subprocess.run([*command, "0"], capture_output=True, timeout=20, text=True)
    assert second.returncode == 0, second.stderr

    ledger = {row.subscriber_id: row for row in list_deliveries(store)}
    copies = 0
    for reader in readers:
        ids = [message["Message-ID"] for message in smtp_server.handler.messages_to(reader.email)]
        row = ledger[reader.id]  # type: ignore[index]
        assert row.status == "sent" and set(ids) == {row.message_id}, reader.email
        copies += len(ids) - 1
    assert copies == smtp_server.handler.count() - READERS
    assert copies <= (1 if moment == "accepted" else 0)
