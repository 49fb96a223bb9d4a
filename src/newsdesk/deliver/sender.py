"""Sending the briefings that are due, each exactly once, through crashes and restarts.

For each due briefing (a subscriber and a local date, see `schedule.py`):

1. claim its ledger row, in a transaction of its own, with a fresh Message-ID (a row that
   exists already keeps the Message-ID it was first claimed with);
2. compose the email and hand it to the SMTP server;
3. record the outcome: `sent`; `bounced` (a 5xx reply: the subscriber becomes `bouncing`
   and is not mailed again); or `deferred` (a 4xx reply on every attempt, or the composer
   failed: the next round tries again).

A crash between 1 and 3 leaves the row `claimed`. The next sender takes it over once the
claim is dead: at once when the claim names a process on this host that no longer runs,
else when it is older than `CLAIM_LEASE`. The email then goes out with the SAME
Message-ID. So a briefing is never skipped, and it is sent twice only if the crash fell in
the instant between the server accepting the email and step 3 committing; the two copies
then carry one Message-ID, which tells a reader's mail system (and anyone reading the logs)
that they are one message. Two senders never both own a row: claims are taken over by
compare-and-set (see `store/subscribers.py`). Run one sender per process.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from newsdesk.deliver.schedule import due_briefings
from newsdesk.deliver.smtp import BriefingEmail, Mailer, briefing_message, new_message_id
from newsdesk.deliver.tokens import Links
from newsdesk.errors import DeliveryError, NewsdeskError
from newsdesk.models import Subscriber
from newsdesk.store.store import Store
from newsdesk.store.subscribers import (
    FINISHED,
    Delivery,
    finish_claim,
    finished_deliveries,
    get_delivery,
    get_subscriber,
    insert_claim,
    list_subscribers,
    stored_id,
    take_over_claim,
)

CLAIM_LEASE = timedelta(minutes=15)
"""How long a claim is trusted unless its process is known to be gone; longer than the
mailer's worst case for one message (every attempt timing out, plus the backoff)."""

Compose = Callable[[Subscriber, date], BriefingEmail]
"""Makes the email of one subscriber's briefing for one local date."""

Clock = Callable[[], datetime]

_OUTCOMES = {"sent": "sent", "rejected": "bounced", "deferred": "deferred"}


@dataclass(frozen=True)
class DeliveryResult:
    """What a round did about one briefing.

    `status`: `sent`, `bounced`, `deferred` (try again later), `busy` (another sender holds
    it) or `skipped` (sent or bounced before).
    """

    email: str
    date: date
    status: str
    message_id: str | None = None
    reply: str | None = None


@dataclass
class SendReport:
    """A round of sending: how many were due, what became of each, and why it stopped.

    `error` is set when the round stopped early because the SMTP server cannot be reached
    or refuses newsdesk; the briefings not reached stay due.
    """

    due: int
    results: list[DeliveryResult] = field(default_factory=list)
    error: str | None = None

    def count(self, status: str) -> int:
        """How many briefings ended with this status."""
        return sum(result.status == status for result in self.results)


def send_due(
    store: Store,
    now: datetime,
    compose: Compose,
    mailer: Mailer,
    *,
    links: Links,
    clock: Clock | None = None,
) -> SendReport:
    """Send every briefing due at `now` that the ledger does not have yet.

    Args:
        store: the store with subscribers and the ledger.
        now: the time to decide what is due at (aware).
        compose: makes each email; a `NewsdeskError` from it defers that briefing.
        mailer: the SMTP connection, rate limit and retries.
        links: base URL and key for the links in each email.
        clock: the time written in the ledger and signed into links (default: the
            system clock); claims expire by it.

    Returns:
        The report; the desk loop should run again soon when any is `deferred` or `busy`.
    """
    active = list_subscribers(store, status="active")
    ledger = finished_deliveries(store, since=now.date() - timedelta(days=2))
    return _send_all(store, due_briefings(active, ledger, now), compose, mailer, links, clock)


def send_now(
    store: Store,
    compose: Compose,
    mailer: Mailer,
    email: str | None = None,
    *,
    links: Links,
    clock: Clock | None = None,
) -> SendReport:
    """Send today's briefing now, whatever the send times (`newsdesk send --now`).

    Today is each subscriber's local date. A briefing sent already today is `skipped`, and
    one sent now is recorded, so the scheduled round does not send it again.

    Args:
        store: the store.
        compose: makes each email.
        mailer: the SMTP connection.
        email: only this subscriber (who must be active); None: every active subscriber.
        links: base URL and key for the links.
        clock: as for `send_due`.

    Returns:
        The report.

    Raises:
        DeliveryError: `email` is not an active subscriber.
    """
    now = (clock or _system_clock)()
    targets = [_active(store, email)] if email is not None else list_subscribers(store, "active")
    pairs = [(target, now.astimezone(ZoneInfo(target.timezone)).date()) for target in targets]
    return _send_all(store, pairs, compose, mailer, links, clock)


def _send_all(
    store: Store,
    pairs: Sequence[tuple[Subscriber, date]],
    compose: Compose,
    mailer: Mailer,
    links: Links,
    clock: Clock | None,
) -> SendReport:
    """Deliver each briefing in turn; stop at the first error the operator must fix."""
    report = SendReport(due=len(pairs))
    sender = _Sender(store, compose, mailer, links, clock or _system_clock)
    for subscriber, day in pairs:
        try:
            report.results.append(sender.deliver(subscriber, day))
        except DeliveryError as error:
            report.error = str(error)
            break
    return report


class _Sender:
    """One round's sender: who it is (for claims) and what it sends with."""

    def __init__(
        self, store: Store, compose: Compose, mailer: Mailer, links: Links, clock: Clock
    ) -> None:
        self.store, self.compose, self.mailer, self.links = store, compose, mailer, links
        self.clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}"

    def deliver(self, subscriber: Subscriber, day: date) -> DeliveryResult:
        """Claim, compose, send and record one briefing."""
        claim = self._claim(subscriber, day)
        if isinstance(claim, str):
            return DeliveryResult(subscriber.email, day, claim)
        try:
            content = self.compose(subscriber, day)
        except NewsdeskError as error:
            return self._finish(subscriber, claim, "deferred", f"composing failed: {error}")
        message = briefing_message(
            subscriber, content, mail_from=self.mailer.options.mail_from, links=self.links,
            message_id=claim.message_id, now=self.clock(),
        )  # fmt: skip
        try:
            outcome = self.mailer.send(message)
        except DeliveryError as error:
            self._finish(subscriber, claim, "deferred", str(error))
            raise
        reply = None if outcome.status == "sent" else outcome.reply
        return self._finish(subscriber, claim, _OUTCOMES[outcome.status], reply)

    def _claim(self, subscriber: Subscriber, day: date) -> Delivery | str:
        """The claimed ledger row, or why there is none: `skipped` or `busy`."""
        now = self.clock()
        subscriber_id = stored_id(subscriber)
        fresh = Delivery(
            subscriber_id, day, new_message_id(self.mailer.options.mail_from), "claimed",
            self.owner, now,
        )  # fmt: skip
        if insert_claim(self.store, fresh):
            return fresh
        current = get_delivery(self.store, subscriber_id, day)
        if current is None or current.status in FINISHED:
            return "skipped"
        if current.status == "claimed" and self._live(current, now):
            return "busy"
        return take_over_claim(self.store, current, self.owner, now) or "busy"

    def _live(self, claim: Delivery, now: datetime) -> bool:
        """Whether the claim's sender may still be at work on it."""
        if claim.claimed_by == self.owner:
            return False  # this process, from a round that ended without recording it
        host, _, pid = claim.claimed_by.rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not _process_runs(int(pid)):
            return False
        return now - claim.claimed_at < CLAIM_LEASE

    def _finish(
        self, subscriber: Subscriber, claim: Delivery, status: str, reply: str | None
    ) -> DeliveryResult:
        """Record the outcome in the ledger and say what happened."""
        if not finish_claim(self.store, claim, status, self.clock(), reply):
            status, reply = "busy", "another sender took this briefing over"
        return DeliveryResult(subscriber.email, claim.date, status, claim.message_id, reply)


def _active(store: Store, email: str) -> Subscriber:
    """The active subscriber with this address, or a DeliveryError saying why not."""
    subscriber = get_subscriber(store, email.strip())
    if subscriber is None:
        raise DeliveryError(f"no subscriber {email.strip()}; see `newsdesk subscribers list`")
    if subscriber.status != "active":
        raise DeliveryError(f"{subscriber.email} is {subscriber.status}, not active")
    return subscriber


def _process_runs(pid: int) -> bool:
    """Whether a process with this id exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _system_clock() -> datetime:
    return datetime.now(UTC)
