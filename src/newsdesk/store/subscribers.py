"""Subscribers and the send ledger in the store.

A subscriber row holds `models.Subscriber`; deleting it deletes everything kept about the
person, in one transaction (their ledger rows go with it).

The ledger (`deliveries`) has one row per subscriber and local briefing date, the primary
key that makes "this briefing was sent" a fact the database keeps unique. A sender *claims*
a row before it talks to the SMTP server, with the Message-ID the email will carry, and marks
it `sent` once the server has accepted the email; a permanent refusal marks it `bounced` and
the subscriber `bouncing`; a temporary one marks it `deferred`, free for the next round. A
claim names its sender (`claimed_by`) and time, so that another sender can tell a live claim
from one whose sender died (see `deliver/sender.py`), and takes it over only by a
compare-and-set on both, so that two senders never both own a row.

The desk's signing key, when none is configured, is generated once and kept in `desk_state`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping

from newsdesk.errors import DeliveryError, StoreError
from newsdesk.models import Subscriber
from newsdesk.store.schema import deliveries, desk_state, subscribers
from newsdesk.store.store import Store

DELIVERY_STATUSES = ("claimed", "deferred", "sent", "bounced")
"""A ledger row's life: claimed → sent | bounced | deferred (→ claimed again)."""

FINISHED = ("sent", "bounced")
"""Ledger statuses after which that day's briefing is never sent again."""

_SECRET_KEY = "secret_key"


@dataclass(frozen=True)
class Delivery:
    """One row of the send ledger: a subscriber's briefing for one local date."""

    subscriber_id: int
    date: date
    message_id: str
    status: str
    claimed_by: str
    claimed_at: datetime
    attempts: int = 0
    sent_at: datetime | None = None
    error: str | None = None


def stored_id(subscriber: Subscriber) -> int:
    """The id of a subscriber read from the store (which always has one)."""
    if subscriber.id is None:
        raise ValueError(f"subscriber {subscriber.email} is not stored yet")
    return subscriber.id


def insert_subscriber(store: Store, subscriber: Subscriber) -> Subscriber:
    """Store a new subscriber; returns it with its id.

    Raises:
        DeliveryError: the address is subscribed already.
        StoreError: the database refused the write.
    """
    values = _subscriber_values(subscriber)
    if get_subscriber(store, subscriber.email) is not None:
        raise DeliveryError(
            f"{subscriber.email} is subscribed already; see `newsdesk subscribers list`"
        )
    try:
        with store.engine.begin() as connection:
            new_id = connection.execute(
                subscribers.insert().values(**values).returning(subscribers.c.id)
            ).scalar_one()
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"saving subscriber {subscriber.email} failed: {error}") from error
    return _require(store, new_id)


def get_subscriber(store: Store, email_or_id: str | int) -> Subscriber | None:
    """One subscriber, by id or by address (the address compared without regard to case)."""
    if isinstance(email_or_id, int):
        condition = subscribers.c.id == email_or_id
    else:
        condition = sa.func.lower(subscribers.c.email) == email_or_id.lower()
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(subscribers).where(condition)).mappings().first()
    return _subscriber(row) if row is not None else None


def list_subscribers(store: Store, status: str | None = None) -> list[Subscriber]:
    """Every subscriber (or those with one status), in the order they subscribed."""
    query = sa.select(subscribers).order_by(subscribers.c.id)
    if status is not None:
        query = query.where(subscribers.c.status == status)
    with store.engine.connect() as connection:
        return [_subscriber(row) for row in connection.execute(query).mappings()]


def update_subscriber(store: Store, subscriber_id: int, values: Mapping[str, Any]) -> Subscriber:
    """Change some fields of a subscriber; returns the subscriber as stored now.

    Raises:
        DeliveryError: no such subscriber (removed meanwhile).
    """
    try:
        with store.engine.begin() as connection:
            statement = subscribers.update().where(subscribers.c.id == subscriber_id)
            connection.execute(statement.values(**values))
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"updating subscriber {subscriber_id} failed: {error}") from error
    return _require(store, subscriber_id)


def delete_subscriber(store: Store, subscriber_id: int) -> None:
    """Delete a subscriber and every ledger row about them, in one transaction."""
    try:
        with store.engine.begin() as connection:
            connection.execute(
                deliveries.delete().where(deliveries.c.subscriber_id == subscriber_id)
            )
            connection.execute(subscribers.delete().where(subscribers.c.id == subscriber_id))
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"deleting subscriber {subscriber_id} failed: {error}") from error


def insert_claim(store: Store, claim: Delivery) -> bool:
    """Claim a ledger row that does not exist yet; False when one exists already.

    The insert ignores a conflict rather than failing on it, so that of two senders racing
    for the same row exactly one gets True, on SQLite and PostgreSQL alike (RETURNING says
    whether a row went in: psycopg reports no rowcount for this statement).
    """
    values = {field.name: getattr(claim, field.name) for field in fields(Delivery)}
    try:
        with store.engine.begin() as connection:
            insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
            statement = insert(deliveries).values(**values).on_conflict_do_nothing()
            inserted = statement.returning(deliveries.c.message_id)
            return connection.execute(inserted).first() is not None
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"claiming the briefing {claim.date} failed: {error}") from error


def take_over_claim(store: Store, current: Delivery, owner: str, now: datetime) -> Delivery | None:
    """Claim an existing row for `owner` if nobody changed it since it was read as `current`.

    Returns:
        The row as claimed (same Message-ID), or None when another sender got there first.
    """
    statement = (
        deliveries.update()
        .where(*_key(current.subscriber_id, current.date))
        .where(deliveries.c.status == current.status)
        .where(deliveries.c.claimed_by == current.claimed_by)
        .where(deliveries.c.claimed_at == current.claimed_at)
        .values(status="claimed", claimed_by=owner, claimed_at=now)
    )
    try:
        with store.engine.begin() as connection:
            changed = connection.execute(statement).rowcount
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"claiming the briefing {current.date} failed: {error}") from error
    if changed != 1:
        return None
    return replace(current, status="claimed", claimed_by=owner, claimed_at=now)


def finish_claim(
    store: Store, claim: Delivery, status: str, now: datetime, error: str | None = None
) -> bool:
    """Record how a claimed row ended: `sent`, `bounced` or `deferred`, one more attempt.

    `bounced` also marks the subscriber `bouncing`, in the same transaction, so that no
    later round sends to an address that does not take mail.

    Returns:
        False when the row is no longer this claim's (another sender took it over after
        the claim went stale): nothing was written, the other sender records its outcome.
    """
    values: dict[str, Any] = {"status": status, "attempts": deliveries.c.attempts + 1}
    values |= {"error": error, "sent_at": now if status == "sent" else None}
    statement = (
        deliveries.update()
        .where(*_key(claim.subscriber_id, claim.date))
        .where(deliveries.c.claimed_by == claim.claimed_by)
        .where(deliveries.c.claimed_at == claim.claimed_at)
        .values(**values)
    )
    try:
        with store.engine.begin() as connection:
            if connection.execute(statement).rowcount != 1:
                return False
            if status == "bounced":
                bouncing = subscribers.update().where(subscribers.c.id == claim.subscriber_id)
                connection.execute(bouncing.values(status="bouncing"))
    except sa.exc.SQLAlchemyError as failure:
        raise StoreError(f"recording the briefing {claim.date} failed: {failure}") from failure
    return True


def get_delivery(store: Store, subscriber_id: int, day: date) -> Delivery | None:
    """The ledger row of one subscriber's briefing for one date, or None."""
    query = sa.select(deliveries).where(*_key(subscriber_id, day))
    with store.engine.connect() as connection:
        row = connection.execute(query).mappings().first()
    return _delivery(row) if row is not None else None


def list_deliveries(store: Store, subscriber_id: int | None = None) -> list[Delivery]:
    """Ledger rows (of one subscriber, or all), by date then subscriber."""
    query = sa.select(deliveries).order_by(deliveries.c.date, deliveries.c.subscriber_id)
    if subscriber_id is not None:
        query = query.where(deliveries.c.subscriber_id == subscriber_id)
    with store.engine.connect() as connection:
        return [_delivery(row) for row in connection.execute(query).mappings()]


def finished_deliveries(store: Store, since: date) -> set[tuple[int, date]]:
    """(subscriber id, date) of every briefing since `since` that must not be sent again."""
    query = sa.select(deliveries.c.subscriber_id, deliveries.c.date).where(
        deliveries.c.date >= since, deliveries.c.status.in_(FINISHED)
    )
    with store.engine.connect() as connection:
        return {(row.subscriber_id, row.date) for row in connection.execute(query)}


def desk_secret(store: Store) -> str:
    """The desk's own key for signing links: generated on first use, then kept for good.

    Two processes asking at once both get the key that was stored first.
    """
    query = sa.select(desk_state.c.value).where(desk_state.c.key == _SECRET_KEY)
    with store.engine.connect() as connection:
        kept = connection.execute(query).scalar_one_or_none()
    if kept is not None:
        return str(kept)
    try:
        with store.engine.begin() as connection:
            connection.execute(
                desk_state.insert().values(key=_SECRET_KEY, value=secrets.token_urlsafe(32))
            )
    except sa.exc.IntegrityError:
        pass  # another process stored one first: use theirs
    with store.engine.connect() as connection:
        return str(connection.execute(query).scalar_one())


def _key(subscriber_id: int, day: date) -> tuple[sa.ColumnElement[bool], ...]:
    return deliveries.c.subscriber_id == subscriber_id, deliveries.c.date == day


def _require(store: Store, subscriber_id: int) -> Subscriber:
    """The subscriber with this id, or a DeliveryError saying it no longer exists."""
    found = get_subscriber(store, subscriber_id)
    if found is None:
        raise DeliveryError(f"subscriber {subscriber_id} no longer exists")
    return found


def _subscriber_values(subscriber: Subscriber) -> dict[str, Any]:
    values = {field.name: getattr(subscriber, field.name) for field in fields(Subscriber)}
    del values["id"]
    return values


def _subscriber(row: RowMapping) -> Subscriber:
    return Subscriber(**{field.name: row[field.name] for field in fields(Subscriber)})


def _delivery(row: RowMapping) -> Delivery:
    return Delivery(**{field.name: row[field.name] for field in fields(Delivery)})
