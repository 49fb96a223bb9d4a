"""Sending what is due through the ledger: once each, retried, bounced, taken over after a crash."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from tests.deliver.smtp_server import SimulatedTime, SmtpServer, free_port

from newsdesk.deliver import (
    CLAIM_LEASE,
    BriefingEmail,
    Links,
    Mailer,
    new_message_id,
    send_due,
    send_now,
)
from newsdesk.errors import DeliveryError, SourceError
from newsdesk.models import Subscriber
from newsdesk.store import Store
from newsdesk.store.subscribers import (
    Delivery,
    get_delivery,
    get_subscriber,
    insert_claim,
    list_deliveries,
    take_over_claim,
)

SubscriberMaker = Callable[..., Subscriber]

NOW = datetime(2026, 6, 4, 12, 0, tzinfo=UTC)
"""07:00 has passed in New York (11:00 UTC), London (06:00) and Kolkata (01:30)."""

MAIL_FROM = "Newsdesk <briefing@desk.example.org>"


def compose(reader: Subscriber, day: date) -> BriefingEmail:
    """A small briefing naming its reader and local date."""
    return BriefingEmail(
        f"Briefing for {day.isoformat()}", f"Top stories for {reader.email}.", "<p>Top.</p>"
    )


def _readers(make_subscriber: SubscriberMaker) -> list[Subscriber]:
    zones = ["America/New_York", "Europe/London", "Asia/Kolkata"]
    readers = [make_subscriber(f"reader{n}@example.org", timezone=z) for n, z in enumerate(zones)]
    make_subscriber("pending@example.org", status="pending", confirmed_at=None)
    make_subscriber("gone@example.org", status="unsubscribed")
    return readers


def test_due_briefings_go_out_once_and_the_ledger_records_them(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    readers = _readers(make_subscriber)
    report = send_due(store, NOW, compose, mailer, links=links)
    assert (report.due, report.count("sent"), report.error) == (3, 3, None)
    ledger = {row.subscriber_id: row for row in list_deliveries(store)}
    for reader in readers:
        [message] = smtp_server.handler.messages_to(reader.email)
        row = ledger[reader.id]  # type: ignore[index]
        assert (row.date, row.status, row.attempts) == (date(2026, 6, 4), "sent", 1)
        assert row.sent_at is not None and row.error is None
        assert message["Message-ID"] == row.message_id
        assert message["Subject"] == "Briefing for 2026-06-04"
        assert message.get_content_type() == "multipart/alternative"
    again = send_due(store, NOW + timedelta(hours=1), compose, mailer, links=links)
    assert (again.due, again.results) == (0, [])
    assert smtp_server.handler.count() == 3


def test_the_local_date_is_the_readers_own(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    make_subscriber("chatham@example.org", timezone="Pacific/Chatham", send_time="06:00")
    report = send_due(store, datetime(2026, 6, 4, 18, 0, tzinfo=UTC), compose, mailer, links=links)
    assert [(result.date, result.status) for result in report.results] == [
        (date(2026, 6, 5), "sent")
    ]


def test_a_temporary_refusal_then_success_sends_once(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
    simulated_time: SimulatedTime,
) -> None:
    reader = make_subscriber("ana@example.org", timezone="Europe/London")
    smtp_server.handler.plan(reader.email, "421 4.7.0 Try again later")
    report = send_due(store, NOW, compose, mailer, links=links)
    assert [result.status for result in report.results] == ["sent"]
    assert simulated_time.sleeps == [1.0]
    assert len(smtp_server.handler.messages_to(reader.email)) == 1


def test_a_bounce_marks_the_address_bouncing_and_later_rounds_skip_it(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    bouncing, fine = _readers(make_subscriber)[:2]
    smtp_server.handler.plan(bouncing.email, "550 5.1.1 No such user here")
    report = send_due(store, NOW, compose, mailer, links=links)
    assert {(r.email, r.status) for r in report.results} >= {
        (bouncing.email, "bounced"),
        (fine.email, "sent"),
    }
    assert get_subscriber(store, bouncing.email).status == "bouncing"  # type: ignore[union-attr]
    row = get_delivery(store, bouncing.id, date(2026, 6, 4))  # type: ignore[arg-type]
    assert row is not None and (row.status, row.error) == ("bounced", "550 5.1.1 No such user here")
    next_day = send_due(store, NOW + timedelta(days=1), compose, mailer, links=links)
    assert bouncing.email not in {result.email for result in next_day.results}
    assert next_day.count("sent") == 2
    assert smtp_server.handler.messages_to(bouncing.email) == []


def test_a_deferred_briefing_is_retried_next_round_with_the_same_message_id(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    reader = make_subscriber("ana@example.org", timezone="Europe/London")
    smtp_server.handler.plan(reader.email, *["452 4.2.2 Mailbox full"] * 4)
    first = send_due(store, NOW, compose, mailer, links=links)
    [deferred] = first.results
    assert (deferred.status, deferred.reply) == ("deferred", "452 4.2.2 Mailbox full")
    row = get_delivery(store, reader.id, date(2026, 6, 4))  # type: ignore[arg-type]
    assert row is not None and (row.status, row.attempts) == ("deferred", 1)
    second = send_due(store, NOW + timedelta(minutes=10), compose, mailer, links=links)
    assert [result.status for result in second.results] == ["sent"]
    [message] = smtp_server.handler.messages_to(reader.email)
    assert message["Message-ID"] == deferred.message_id == row.message_id


def _dead_pid() -> int:
    """The id of a process that has just ended (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _claim(reader: Subscriber, owner: str, at: datetime) -> Delivery:
    """A claim on the reader's briefing of 2026-06-04, as a sender would have made it."""
    assert reader.id is not None
    return Delivery(reader.id, date(2026, 6, 4), new_message_id(MAIL_FROM), "claimed", owner, at)


def test_a_claim_left_by_a_dead_process_is_sent_at_once_with_its_message_id(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    reader = make_subscriber("ana@example.org", timezone="Europe/London")
    now = datetime.now(UTC)
    left = _claim(reader, f"{socket.gethostname()}:{_dead_pid()}", now)
    assert insert_claim(store, left)
    report = send_due(store, NOW, compose, mailer, links=links, clock=lambda: now)
    assert [result.status for result in report.results] == ["sent"]
    [message] = smtp_server.handler.messages_to(reader.email)
    assert message["Message-ID"] == left.message_id


def test_a_claim_held_elsewhere_waits_for_its_lease(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    reader = make_subscriber("ana@example.org", timezone="Europe/London")
    claimed_at = datetime.now(UTC)
    held = _claim(reader, "another-host:4242", claimed_at)
    assert insert_claim(store, held)
    soon = claimed_at + CLAIM_LEASE - timedelta(seconds=1)
    busy = send_due(store, NOW, compose, mailer, links=links, clock=lambda: soon)
    assert [result.status for result in busy.results] == ["busy"]
    assert smtp_server.handler.received == []
    later = claimed_at + CLAIM_LEASE
    taken = send_due(store, NOW, compose, mailer, links=links, clock=lambda: later)
    assert [result.status for result in taken.results] == ["sent"]
    [message] = smtp_server.handler.messages_to(reader.email)
    assert message["Message-ID"] == held.message_id


def test_two_senders_never_both_own_a_claim(store: Store, make_subscriber: SubscriberMaker) -> None:
    reader = make_subscriber("ana@example.org")
    old = datetime(2026, 6, 4, 7, 0, tzinfo=UTC)
    first = _claim(reader, "host-a:1", old)
    assert insert_claim(store, first)
    assert not insert_claim(store, _claim(reader, "host-b:2", old))
    later = old + timedelta(hours=1)
    won = take_over_claim(store, first, "host-c:3", later)
    assert won is not None and (won.claimed_by, won.message_id) == ("host-c:3", first.message_id)
    assert take_over_claim(store, first, "host-d:4", later) is None
    assert get_delivery(store, reader.id, first.date) == won  # type: ignore[arg-type]


def test_a_composer_failure_defers_only_that_briefing(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    broken, *others = _readers(make_subscriber)

    def picky(reader: Subscriber, day: date) -> BriefingEmail:
        if reader.email == broken.email:
            raise SourceError("no stories in the store for 2026-06-04")
        return compose(reader, day)

    report = send_due(store, NOW, picky, mailer, links=links)
    statuses = {result.email: (result.status, result.reply) for result in report.results}
    assert statuses[broken.email] == (
        "deferred",
        "composing failed: no stories in the store for 2026-06-04",
    )
    assert all(statuses[reader.email][0] == "sent" for reader in others)
    retry = send_due(store, NOW, compose, mailer, links=links)
    assert [(result.email, result.status) for result in retry.results] == [(broken.email, "sent")]


def test_an_unreachable_server_stops_the_round_and_leaves_the_rest_due(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
    simulated_time: SimulatedTime,
) -> None:
    _readers(make_subscriber)
    options = SmtpServer(smtp_server.handler, free_port()).options()
    with Mailer(options, clock=simulated_time.clock, sleep=simulated_time.sleep) as down:
        report = send_due(store, NOW, compose, down, links=links)
    assert report.error is not None and "cannot be reached after 4 attempts" in report.error
    assert (report.due, [result.status for result in report.results]) == (3, [])
    assert [row.status for row in list_deliveries(store)] == ["deferred"]
    recovered = send_due(store, NOW, compose, mailer, links=links)
    assert recovered.count("sent") == 3


def test_send_now_sends_todays_briefing_before_its_time_and_only_once(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    night_owl = make_subscriber("owl@example.org", timezone="Asia/Kolkata", send_time="23:00")
    make_subscriber("lark@example.org", timezone="Asia/Kolkata", send_time="05:00")
    morning = datetime(2026, 6, 4, 3, 0, tzinfo=UTC)  # 08:30 in Kolkata
    report = send_now(store, compose, mailer, night_owl.email, links=links, clock=lambda: morning)
    assert [(r.email, r.date, r.status) for r in report.results] == [
        (night_owl.email, date(2026, 6, 4), "sent")
    ]
    everyone = send_now(store, compose, mailer, links=links, clock=lambda: morning)
    assert sorted((r.email, r.status) for r in everyone.results) == [
        ("lark@example.org", "sent"),
        ("owl@example.org", "skipped"),
    ]
    evening = datetime(2026, 6, 4, 17, 30, tzinfo=UTC)  # 23:00 in Kolkata
    assert send_due(store, evening, compose, mailer, links=links).due == 0
    assert len(smtp_server.handler.messages_to(night_owl.email)) == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [("nobody@example.org", "no subscriber nobody"), ("pending@example.org", "is pending")],
)
def test_send_now_for_an_address_that_is_not_active_is_an_error(
    store: Store,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
    email: str,
    message: str,
) -> None:
    make_subscriber("pending@example.org", status="pending", confirmed_at=None)
    with pytest.raises(DeliveryError, match=message):
        send_now(store, compose, mailer, email, links=links)
