"""Subscribing with double opt-in, preferences, unsubscribing and removal.

An address is added `pending` and gets a confirmation email with a signed link; following
it makes the subscriber `active`. Adding an address that is known already:

- `pending`, `unsubscribed` or `bouncing`: it becomes (or stays) pending with the new
  preferences, and the confirmation email is sent again. A reader who left, or whose
  mailbox bounced, comes back only through a fresh opt-in.
- `active`: a `DeliveryError` says so (preferences change through `update_preferences` or
  the link in every briefing). A web form that must not reveal who subscribes can catch it
  and show the same page as for a new address.

Unsubscribing keeps the row as `unsubscribed` (so the address is not mailed again);
`remove_subscriber` deletes everything kept about the person. Addresses are validated and
normalised: the domain lower-cased (and IDNA-encoded), the part before the @ kept as typed
but compared without regard to case; it must be ASCII (newsdesk does not send SMTPUTF8).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.deliver.schedule import parse_send_time
from newsdesk.deliver.smtp import Mailer, confirmation_message
from newsdesk.deliver.tokens import Links, Purpose, email_digest, read_token
from newsdesk.errors import DeliveryError
from newsdesk.models import Subscriber
from newsdesk.store.store import Store
from newsdesk.store.subscribers import (
    delete_subscriber,
    get_subscriber,
    insert_subscriber,
    stored_id,
    update_subscriber,
)

REGIONS = ("Americas", "Europe", "Middle East & North Africa", "Sub-Saharan Africa", "Asia-Pacific")
"""The regions a briefing can be narrowed to."""

FORMATS = ("html", "text")
MAX_STORIES = 50

_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True)
class Preferences:
    """What a subscriber chooses; a field left None keeps its current (or default) value."""

    timezone: str | None = None
    send_time: str | None = None
    regions: Sequence[str] | None = None
    themes: Sequence[str] | None = None
    stories: int | None = None
    format: str | None = None


def normalise_email(address: str) -> str:
    """A valid address in the form newsdesk keeps: domain lower-case, IDNA-encoded.

    Args:
        address: a bare address as typed ("Ana@Example.ORG"), surrounding spaces allowed.

    Returns:
        The normalised address ("Ana@example.org").

    Raises:
        DeliveryError: not an address newsdesk can send to; the message says why.
    """
    text = address.strip()
    local, at, domain = text.rpartition("@")
    if not at or not _LOCAL_PART.fullmatch(local) or len(local) > 64:
        raise DeliveryError(
            f"{text!r} is not an email address newsdesk can send to: the part before the @ "
            "must be plain ASCII letters, digits or .!#$%&'*+/=?^_`{|}~- (e.g. ana@example.org)"
        )
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        domain = ""
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise DeliveryError(
            f"{text!r} is not an email address: {domain or 'its domain'!r} is not a domain "
            "name such as example.org"
        )
    normalised = f"{local}@{domain}"
    if len(normalised) > 254:
        raise DeliveryError(f"{text!r} is longer than the 254 characters an address may have")
    return normalised


def check_preferences(preferences: Preferences) -> dict[str, Any]:
    """The preferences that are set, validated and in the form they are stored.

    Returns:
        Column values for the set fields: time zone and send time checked, regions in
        their canonical spelling, themes as taxonomy slugs, stories 1–50, format html|text.

    Raises:
        DeliveryError: a value is not allowed; the message names it and what is.
    """
    values: dict[str, Any] = {}
    if preferences.timezone is not None:
        values["timezone"] = _check_timezone(preferences.timezone)
    if preferences.send_time is not None:
        try:
            values["send_time"] = parse_send_time(preferences.send_time).strftime("%H:%M")
        except ValueError as error:
            raise DeliveryError(str(error)) from None
    if preferences.regions is not None:
        values["regions"] = _pick("region", preferences.regions, REGIONS)
    if preferences.themes is not None:
        values["themes"] = _pick("theme", preferences.themes, _theme_names())
    if preferences.stories is not None:
        if not 1 <= preferences.stories <= MAX_STORIES:
            raise DeliveryError(f"stories={preferences.stories}: choose 1 to {MAX_STORIES}")
        values["stories"] = preferences.stories
    if preferences.format is not None:
        values["format"] = _pick("format", [preferences.format], FORMATS)[0]
    return values


def add_subscriber(
    store: Store, email: str, preferences: Preferences | None = None, *, now: datetime
) -> Subscriber:
    """Add an address as `pending` (or make a known, inactive one pending again).

    Args:
        store: the store.
        email: the address as typed.
        preferences: choices; unset ones take the defaults (or stay, for a known address).
        now: when it happened.

    Returns:
        The pending subscriber, stored.

    Raises:
        DeliveryError: the address or a preference is not allowed, or it is active already.
    """
    address = normalise_email(email)
    values = check_preferences(preferences or Preferences())
    known = get_subscriber(store, address)
    if known is None:
        return insert_subscriber(store, Subscriber(email=address, created_at=now, **values))
    if known.status == "active":
        raise DeliveryError(
            f"{known.email} is subscribed already; change preferences with "
            "`newsdesk subscribers update` or the link in any briefing"
        )
    reset = {**values, "status": "pending", "confirmed_at": None}
    return update_subscriber(store, stored_id(known), reset)


def send_confirmation(
    subscriber: Subscriber, mailer: Mailer, links: Links, *, now: datetime | None = None
) -> None:
    """Email a pending subscriber the link that confirms their subscription.

    Raises:
        DeliveryError: the server refused the address or could not take the email now.
    """
    message = confirmation_message(
        subscriber, mail_from=mailer.options.mail_from, links=links, now=now
    )
    outcome = mailer.send(message)
    if outcome.status != "sent":
        verdict = "refused" if outcome.status == "rejected" else "could not take"
        raise DeliveryError(
            f"the mail server {verdict} the confirmation email to {subscriber.email} "
            f"({outcome.reply}); check the address, or try again later"
        )


def subscribe(
    store: Store,
    email: str,
    mailer: Mailer,
    links: Links,
    preferences: Preferences | None = None,
    *,
    now: datetime,
) -> Subscriber:
    """Add an address as pending and send it the confirmation email (double opt-in).

    Returns:
        The pending subscriber. When the email cannot be sent the subscriber stays pending
        and subscribing again re-sends it.

    Raises:
        DeliveryError: as `add_subscriber` and `send_confirmation`.
    """
    subscriber = add_subscriber(store, email, preferences, now=now)
    send_confirmation(subscriber, mailer, links, now=now)
    return subscriber


def confirm_subscriber(store: Store, email: str, *, now: datetime) -> Subscriber:
    """Make a pending subscriber active (an operator confirming on the reader's behalf).

    Raises:
        DeliveryError: no such subscriber, or one who unsubscribed or bounces.
    """
    return _confirm(store, _known(store, email), now)


def update_preferences(store: Store, email: str, preferences: Preferences) -> Subscriber:
    """Change a subscriber's preferences; fields left None stay as they are.

    Raises:
        DeliveryError: no such subscriber, or a value is not allowed.
    """
    subscriber = _known(store, email)
    return update_subscriber(store, stored_id(subscriber), check_preferences(preferences))


def remove_subscriber(store: Store, email: str) -> Subscriber:
    """Delete everything kept about a subscriber (their row and their send ledger).

    Returns:
        The subscriber as it was.

    Raises:
        DeliveryError: no such subscriber.
    """
    subscriber = _known(store, email)
    delete_subscriber(store, stored_id(subscriber))
    return subscriber


def subscriber_from_token(
    store: Store, links: Links, purpose: Purpose, token: str, *, now: datetime
) -> Subscriber:
    """The subscriber a link's token is for (what the preferences page shows).

    Raises:
        DeliveryError: the token is bad or expired, or its subscription no longer exists.
    """
    claim = read_token(links.secret_key, purpose, token, now)
    subscriber = get_subscriber(store, claim.subscriber_id)
    if subscriber is None or email_digest(subscriber.email) != claim.email_digest:
        raise DeliveryError(
            "this link is for a subscription that no longer exists; subscribe again"
        )
    return subscriber


def confirm_with_token(store: Store, links: Links, token: str, *, now: datetime) -> Subscriber:
    """Follow a confirmation link: the pending subscriber becomes active (again: a no-op).

    Raises:
        DeliveryError: the link is bad or expired, or the subscriber unsubscribed meanwhile.
    """
    return _confirm(store, subscriber_from_token(store, links, "confirm", token, now=now), now)


def unsubscribe_with_token(store: Store, links: Links, token: str, *, now: datetime) -> Subscriber:
    """Follow an unsubscribe link (or its one-click POST): no more briefings. Idempotent.

    Raises:
        DeliveryError: the link is bad, or its subscription was removed.
    """
    subscriber = subscriber_from_token(store, links, "unsubscribe", token, now=now)
    return update_subscriber(store, stored_id(subscriber), {"status": "unsubscribed"})


def update_with_token(
    store: Store, links: Links, token: str, preferences: Preferences, *, now: datetime
) -> Subscriber:
    """Save the preferences page: change the preferences of the link's subscriber.

    Raises:
        DeliveryError: the link is bad or expired, or a value is not allowed.
    """
    subscriber = subscriber_from_token(store, links, "preferences", token, now=now)
    return update_subscriber(store, stored_id(subscriber), check_preferences(preferences))


def _known(store: Store, email: str) -> Subscriber:
    """The subscriber with this address, or a DeliveryError pointing at the list."""
    subscriber = get_subscriber(store, email.strip())
    if subscriber is None:
        raise DeliveryError(f"no subscriber {email.strip()}; see `newsdesk subscribers list`")
    return subscriber


def _confirm(store: Store, subscriber: Subscriber, now: datetime) -> Subscriber:
    """Make a pending subscriber active; an active one stays as it is."""
    if subscriber.status == "active":
        return subscriber
    if subscriber.status != "pending":
        raise DeliveryError(
            f"{subscriber.email} is {subscriber.status}; subscribe again to get a new "
            "confirmation email"
        )
    return update_subscriber(
        store, stored_id(subscriber), {"status": "active", "confirmed_at": now}
    )


def _check_timezone(name: str) -> str:
    """The IANA zone name, if zoneinfo knows it."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DeliveryError(
            f"time zone {name!r} is unknown; use an IANA name such as Europe/London"
        ) from None
    return name


def _pick(what: str, given: Sequence[str], allowed: Sequence[str]) -> list[str]:
    """The given values in their canonical spelling (matched without regard to case)."""
    canonical = {value.casefold(): value for value in allowed}
    picked = []
    for value in given:
        found = canonical.get(value.strip().casefold())
        if found is None:
            raise DeliveryError(f"{what} {value!r} is unknown; choose from {', '.join(allowed)}")
        picked.append(found)
    return list(dict.fromkeys(picked))


def _theme_names() -> list[str]:
    """The theme slugs of the analysis taxonomy."""
    # Imported here: the themes module loads spaCy, which only choosing themes needs.
    from newsdesk.analyze.themes import taxonomy

    return [theme.name for theme in taxonomy()]
