"""Subscribers: validation, double opt-in through the emailed link, preferences, leaving.

The flows go through a real SMTP server: the confirmation link is read from the email as
received, and the preferences and unsubscribe links from a real briefing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from tests.deliver.smtp_server import SmtpServer

from newsdesk.config import Settings
from newsdesk.deliver import (
    BriefingEmail,
    Links,
    Mailer,
    Preferences,
    add_subscriber,
    check_preferences,
    confirm_subscriber,
    confirm_with_token,
    links_for,
    normalise_email,
    remove_subscriber,
    send_due,
    subscribe,
    subscriber_from_token,
    unsubscribe_with_token,
    update_preferences,
    update_with_token,
)
from newsdesk.errors import DeliveryError
from newsdesk.models import Subscriber
from newsdesk.store import Store
from newsdesk.store.schema import deliveries, subscribers
from newsdesk.store.subscribers import get_subscriber, list_deliveries, list_subscribers

SubscriberMaker = Callable[..., Subscriber]

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def _token(message: EmailMessage, purpose: str) -> str:
    """The token of the first `purpose` link in the message's plain text."""
    body = message.get_body(("plain",))
    assert body is not None
    for word in body.get_content().split():
        parts = urlsplit(word)
        if parts.path == f"/{purpose}":
            return parse_qs(parts.query)["token"][0]
    raise AssertionError(f"no {purpose} link in the email")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("ana@example.org", "ana@example.org"),
        ("  Ana.Lopez@Example.ORG ", "Ana.Lopez@example.org"),
        ("o'brien+news@mail.example.co.uk", "o'brien+news@mail.example.co.uk"),
        ("li@bücher.example", "li@xn--bcher-kva.example"),
    ],
)
def test_addresses_are_normalised(typed: str, kept: str) -> None:
    assert normalise_email(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "ana",
        "ana@",
        "@example.org",
        "ana@localhost",
        "ana@exa mple.org",
        "ana@-example.org",
        "ana..lopez@example.org",
        "Ana <ana@example.org>",
        "ána@example.org",
        "ana@example..org",
        "a" * 65 + "@example.org",
    ],
)
def test_bad_addresses_are_refused(typed: str) -> None:
    with pytest.raises(DeliveryError, match="address"):
        normalise_email(typed)


@pytest.mark.parametrize(
    ("preferences", "message"),
    [
        (Preferences(timezone="Mars/Olympus_Mons"), "time zone 'Mars/Olympus_Mons' is unknown"),
        (Preferences(timezone="../etc/passwd"), "is unknown; use an IANA name"),
        (Preferences(send_time="7am"), "HH:MM"),
        (Preferences(regions=["Antarctica"]), "region 'Antarctica' is unknown; choose from"),
        (Preferences(themes=["gossip"]), "theme 'gossip' is unknown"),
        (Preferences(stories=0), "choose 1 to 50"),
        (Preferences(stories=51), "choose 1 to 50"),
        (Preferences(format="pdf"), "format 'pdf' is unknown; choose from html, text"),
    ],
)
def test_bad_preferences_are_refused(preferences: Preferences, message: str) -> None:
    with pytest.raises(DeliveryError, match=message):
        check_preferences(preferences)


def test_a_refused_address_or_preference_stores_nothing(store: Store) -> None:
    with pytest.raises(DeliveryError, match="choose 1 to 50"):
        add_subscriber(store, "ana@example.org", Preferences(stories=99), now=NOW)
    with pytest.raises(DeliveryError, match="not an email address"):
        add_subscriber(store, "ana@", now=NOW)
    assert list_subscribers(store) == []


def test_a_new_address_is_pending_with_its_preferences_in_canonical_form(store: Store) -> None:
    preferences = Preferences(
        timezone="Asia/Kolkata",
        send_time="06:30",
        regions=["europe", "Middle East & North Africa", "Europe"],
        themes=["Elections", "climate"],
        stories=5,
        format="text",
    )
    added = add_subscriber(store, "Ana@Example.org", preferences, now=NOW)
    assert added == Subscriber(
        email="Ana@example.org", id=added.id, status="pending", timezone="Asia/Kolkata",
        send_time="06:30", regions=["Europe", "Middle East & North Africa"],
        themes=["elections", "climate"], stories=5, format="text", created_at=NOW,
    )  # fmt: skip
    assert list_subscribers(store) == [added]
    assert get_subscriber(store, "ana@EXAMPLE.org") == added


def test_the_emailed_link_confirms_the_subscription(
    store: Store, smtp_server: SmtpServer, mailer: Mailer, links: Links
) -> None:
    pending = subscribe(store, "ana@example.org", mailer, links, now=NOW)
    assert pending.status == "pending"
    [email] = smtp_server.handler.messages_to("ana@example.org")
    token = _token(email, "confirm")
    clicked = NOW + timedelta(days=2)
    active = confirm_with_token(store, links, token, now=clicked)
    assert (active.status, active.confirmed_at) == ("active", clicked)
    assert confirm_with_token(store, links, token, now=clicked + timedelta(hours=1)) == active


def test_subscribing_again_while_pending_resends_the_confirmation(
    store: Store, smtp_server: SmtpServer, mailer: Mailer, links: Links
) -> None:
    subscribe(store, "ana@example.org", mailer, links, now=NOW)
    again = subscribe(
        store, "ANA@example.org", mailer, links, Preferences(send_time="08:15"), now=NOW
    )
    assert (again.status, again.send_time) == ("pending", "08:15")
    assert len(smtp_server.handler.messages_to("ana@example.org")) == 2
    assert len(list_subscribers(store)) == 1


def test_subscribing_an_active_address_is_an_error(
    store: Store, smtp_server: SmtpServer, mailer: Mailer, links: Links
) -> None:
    add_subscriber(store, "ana@example.org", now=NOW)
    confirm_subscriber(store, "ana@example.org", now=NOW)
    with pytest.raises(DeliveryError, match=r"ana@example.org is subscribed already"):
        subscribe(store, "ana@example.org", mailer, links, now=NOW)
    assert smtp_server.handler.received == []


@pytest.mark.parametrize(
    ("clicked_after", "purpose", "message"),
    [
        (timedelta(days=8), "confirm", "confirmation link has expired"),
        (timedelta(days=1), "unsubscribe", "unsubscribe link is not valid"),
    ],
)
def test_an_expired_or_misused_confirmation_link_is_refused(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    clicked_after: timedelta,
    purpose: str,
    message: str,
) -> None:
    subscribe(store, "ana@example.org", mailer, links, now=NOW)
    [email] = smtp_server.handler.messages_to("ana@example.org")
    token = _token(email, "confirm")
    apply = confirm_with_token if purpose == "confirm" else unsubscribe_with_token
    with pytest.raises(DeliveryError, match=message):
        apply(store, links, token, now=NOW + clicked_after)
    assert get_subscriber(store, "ana@example.org").status == "pending"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2],
        lambda token: token.replace(".", ".x", 1),
        lambda token: "",
        lambda token: "not a token at all",
    ],
)
def test_an_altered_link_is_refused(
    store: Store, make_subscriber: SubscriberMaker, links: Links, tamper: object
) -> None:
    reader = make_subscriber("ana@example.org")
    token = tamper(links.url("unsubscribe", reader).split("token=")[1])  # type: ignore[operator]
    with pytest.raises(DeliveryError, match="link is not valid"):
        unsubscribe_with_token(store, links, token, now=NOW)
    with pytest.raises(DeliveryError, match="link is not valid"):
        unsubscribe_with_token(store, Links(links.base_url, "another key"), token, now=NOW)


def _briefing_links(
    store: Store, smtp_server: SmtpServer, mailer: Mailer, links: Links, reader: Subscriber
) -> EmailMessage:
    """Send the reader a real briefing through `send_due` and return it as received."""
    content = BriefingEmail("Briefing", "Top stories.", "<p>Top stories.</p>")
    report = send_due(store, NOW, lambda _r, _d: content, mailer, links=links, clock=lambda: NOW)
    assert report.count("sent") == len(list_subscribers(store, "active"))
    [email] = smtp_server.handler.messages_to(reader.email)
    return email


def test_the_preferences_link_reads_and_changes_preferences(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    reader = make_subscriber("ana@example.org")
    token = _token(_briefing_links(store, smtp_server, mailer, links, reader), "preferences")
    assert subscriber_from_token(store, links, "preferences", token, now=NOW) == reader
    changed = update_with_token(
        store, links, token, Preferences(timezone="Pacific/Chatham", stories=3), now=NOW
    )
    assert (changed.timezone, changed.stories, changed.send_time) == ("Pacific/Chatham", 3, "07:00")
    with pytest.raises(DeliveryError, match="preferences link has expired"):
        update_with_token(store, links, token, Preferences(stories=4), now=NOW + timedelta(days=31))


def test_the_unsubscribe_link_works_for_ever_and_stops_the_briefings(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    reader = make_subscriber("ana@example.org")
    token = _token(_briefing_links(store, smtp_server, mailer, links, reader), "unsubscribe")
    years_later = NOW + timedelta(days=3 * 365)
    left = unsubscribe_with_token(store, links, token, now=years_later)
    assert left.status == "unsubscribed"
    assert unsubscribe_with_token(store, links, token, now=years_later) == left
    content = BriefingEmail("Briefing", "Top stories.")
    report = send_due(store, NOW + timedelta(days=1), lambda _r, _d: content, mailer, links=links)
    assert report.due == 0
    assert len(smtp_server.handler.messages_to(reader.email)) == 1
    with pytest.raises(DeliveryError, match="is unsubscribed; subscribe again"):
        confirm_subscriber(store, reader.email, now=NOW)
    assert add_subscriber(store, reader.email, now=NOW).status == "pending"


def test_removal_deletes_everything_kept_about_a_person(
    store: Store,
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    make_subscriber: SubscriberMaker,
) -> None:
    reader = make_subscriber("ana@example.org")
    other = make_subscriber("ben@example.org")
    token = _token(_briefing_links(store, smtp_server, mailer, links, reader), "unsubscribe")
    assert len(list_deliveries(store)) == 2
    assert remove_subscriber(store, "ANA@example.org") == reader
    with store.engine.connect() as connection:
        for table, column in [(subscribers, "id"), (deliveries, "subscriber_id")]:
            query = sa.select(sa.func.count()).where(table.c[column] == reader.id)
            assert connection.execute(query).scalar_one() == 0
    assert [row.subscriber_id for row in list_deliveries(store)] == [other.id]
    with pytest.raises(DeliveryError, match="no longer exists"):
        unsubscribe_with_token(store, links, token, now=NOW)
    readded = add_subscriber(store, "ana@example.org", now=NOW)
    with pytest.raises(DeliveryError, match="no longer exists"):
        unsubscribe_with_token(store, links, token, now=NOW)
    assert get_subscriber(store, "ana@example.org") == readded
    remove_subscriber(store, "ana@example.org")
    with pytest.raises(DeliveryError, match=r"no subscriber ana@example.org"):
        remove_subscriber(store, "ana@example.org")


def test_update_preferences_changes_only_what_is_given(
    store: Store, make_subscriber: SubscriberMaker
) -> None:
    make_subscriber("ana@example.org", regions=["Europe"], stories=12)
    updated = update_preferences(store, "ana@example.org", Preferences(send_time="05:45"))
    assert (updated.send_time, updated.regions, updated.stories) == ("05:45", ["Europe"], 12)
    with pytest.raises(DeliveryError, match=r"no subscriber nobody@example.org"):
        update_preferences(store, "nobody@example.org", Preferences(stories=3))


def test_without_a_configured_key_the_desk_keeps_one_in_the_database(
    store: Store, make_subscriber: SubscriberMaker
) -> None:
    generated = links_for(Settings(), store)
    assert len(generated.secret_key) >= 40
    assert links_for(Settings(), store) == generated
    assert links_for(Settings(secret_key="configured"), store).secret_key == "configured"
    reader = make_subscriber("ana@example.org")
    token = generated.url("unsubscribe", reader).split("token=")[1]
    with Store.open(store.url) as reopened:
        again = links_for(Settings(), reopened)
        assert unsubscribe_with_token(reopened, again, token, now=NOW).status == "unsubscribed"
