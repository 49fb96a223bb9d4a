"""Signed links in emails: confirm a subscription, unsubscribe, change preferences.

A token is itsdangerous' URL-safe timed signature over the subscriber's id and a digest of
their address, salted per purpose so that a token made for one purpose never works for
another. The digest ties a token to the address it was sent to: a token outlives a removed
subscriber, but never applies to someone else who later gets the same id. The address
itself is not in the link (links end up in web server logs).

How long a link works: a confirmation link 7 days (the double opt-in must be recent), a
preferences link 30 days (every briefing carries a fresh one), an unsubscribe link for ever
(a reader must be able to leave from any old email, RFC 8058).

The key is the `secret_key` setting or, when that is empty, one generated once and kept in
the database (`store.subscribers.desk_secret`). Changing the key invalidates every link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from newsdesk.config import Settings
from newsdesk.errors import DeliveryError
from newsdesk.models import Subscriber
from newsdesk.store.store import Store
from newsdesk.store.subscribers import desk_secret

Purpose = Literal["confirm", "unsubscribe", "preferences"]

PURPOSES: tuple[Purpose, ...] = ("confirm", "unsubscribe", "preferences")
"""What a link does; also its path under `base_url`."""

CONFIRM_MAX_AGE = timedelta(days=7)
"""How long a confirmation link works: the double opt-in must be recent."""

MAX_AGE: dict[Purpose, timedelta | None] = {
    "confirm": CONFIRM_MAX_AGE,
    "unsubscribe": None,
    "preferences": timedelta(days=30),
}
"""How long a link of each purpose works (None: for ever)."""

_WHAT = {"confirm": "confirmation", "unsubscribe": "unsubscribe", "preferences": "preferences"}


@dataclass(frozen=True)
class TokenClaim:
    """What a valid token says: which subscriber, and a digest of the address it was for."""

    subscriber_id: int
    email_digest: str


@dataclass(frozen=True)
class Links:
    """Where emailed links point (`base_url`) and the key that signs them."""

    base_url: str
    secret_key: str

    def url(self, purpose: Purpose, subscriber: Subscriber, now: datetime | None = None) -> str:
        """The link for one purpose: `{base_url}/{purpose}?token=...`.

        Args:
            purpose: confirm, unsubscribe or preferences.
            subscriber: a stored subscriber (it needs its id).
            now: when the token is made (its age counts from then); default the clock.

        Returns:
            An absolute URL.
        """
        token = sign_token(self.secret_key, purpose, subscriber, now or datetime.now(UTC))
        return f"{self.base_url.rstrip('/')}/{purpose}?{urlencode({'token': token})}"


def links_for(settings: Settings, store: Store) -> Links:
    """The links of this desk: `base_url`, and `secret_key` or the key kept in the store.

    Returns:
        The `Links` every email of this desk uses.
    """
    return Links(settings.base_url, settings.secret_key or desk_secret(store))


def email_digest(email: str) -> str:
    """A short digest of an address (case-insensitive), bound into every token for it."""
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def sign_token(secret_key: str, purpose: Purpose, subscriber: Subscriber, now: datetime) -> str:
    """A signed token for one subscriber and purpose, dated `now`.

    Raises:
        ValueError: the subscriber has no id (it is not stored yet).
    """
    if subscriber.id is None:
        raise ValueError(f"subscriber {subscriber.email} is not stored yet; links need an id")
    payload = [subscriber.id, email_digest(subscriber.email)]
    return _serializer(secret_key, purpose, now).dumps(payload)


def read_token(secret_key: str, purpose: Purpose, token: str, now: datetime) -> TokenClaim:
    """Check a token from a link and say whom it is for.

    Args:
        secret_key: the key the desk signs with.
        purpose: what the link is meant to do; a token made for another purpose is refused.
        token: the `token` query parameter as received.
        now: the time to check the token's age against.

    Returns:
        The subscriber id and address digest the token was made for.

    Raises:
        DeliveryError: the token is altered, incomplete, for another purpose, or expired.
    """
    max_age = MAX_AGE[purpose]
    seconds = None if max_age is None else int(max_age.total_seconds())
    try:
        payload: Any = _serializer(secret_key, purpose, now).loads(token, max_age=seconds)
    except SignatureExpired:
        days = max_age.days if max_age else 0
        raise DeliveryError(
            f"this {_WHAT[purpose]} link has expired (it worked for {days} days); "
            "use the link in a newer email, or subscribe again"
        ) from None
    except BadSignature:
        raise DeliveryError(
            f"this {_WHAT[purpose]} link is not valid: it is incomplete or was altered; "
            "copy the whole link from the email"
        ) from None
    subscriber_id, digest = payload
    return TokenClaim(int(subscriber_id), str(digest))


def _serializer(secret_key: str, purpose: Purpose, now: datetime) -> URLSafeTimedSerializer:
    """A serializer whose clock reads `now`, salted for one purpose."""

    class _SignerAt(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(now.timestamp())

    return URLSafeTimedSerializer(secret_key, salt=f"newsdesk-{purpose}", signer=_SignerAt)
