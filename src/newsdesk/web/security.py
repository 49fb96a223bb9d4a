"""What keeps the web desk safe: the owner's password, sessions, CSRF, rate limits, headers.

- The owner's password is kept only as an scrypt hash (`owner_password_hash`, made by
  `newsdesk serve --hash-password`) and checked in constant time. Owner pages want a session
  cookie that `/login` signs; API writes want `Authorization: Bearer <password>`.
- Every form carries a CSRF token: a signature (itsdangerous, salted) over a random value
  kept in a cookie of its own, so a page of another site can neither read nor forge it
  (signed double-submit cookie).
- Requests that cost others something (subscribing sends an email; logging in tries a
  password) are limited per client address with a sliding window.
- Every response carries a Content-Security-Policy without scripts and the usual headers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.errors import ConfigError

CSRF_COOKIE = "newsdesk_csrf"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "newsdesk_owner"
SESSION_AGE = 12 * 3600
"""Seconds an owner stays logged in."""
CSRF_AGE = 24 * 3600
"""Seconds a form stays valid after the page that carries it was served."""

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_HASH_PREFIX = "scrypt"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), geolocation=(), microphone=()",
}
"""Sent with every response. `same-origin` referrers keep the tokens in a reader's
preference and unsubscribe links from leaking to the outlets they follow links to."""


def hash_password(password: str, salt: bytes | None = None) -> str:
    """The scrypt hash of a password, in the form `owner_password_hash` takes.

    Args:
        password: the password.
        salt: 16 random bytes by default (pass one only to reproduce a hash).

    Returns:
        `scrypt$N$r$p$SALT$HASH` (base64).
    """
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT, dklen=32)
    params = f"{_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}"
    return f"{_HASH_PREFIX}${params}${_b64(salt)}${_b64(digest)}"


def check_password_hash(encoded: str) -> str:
    """The hash if it is well formed (or empty: no owner), else a ConfigError.

    Raises:
        ConfigError: the setting is not a hash `newsdesk serve --hash-password` made.
    """
    if encoded and _parse_hash(encoded) is None:
        raise ConfigError(
            "setting owner_password_hash is not an scrypt hash; make one with "
            "`newsdesk serve --hash-password`"
        )
    return encoded


def verify_password(password: str, encoded: str) -> bool:
    """Whether the password matches the hash (always False when no hash is set)."""
    parsed = _parse_hash(encoded) if encoded else None
    if parsed is None:
        return False
    n, r, p, salt, expected = parsed
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=len(expected))
    return hmac.compare_digest(digest, expected)


def _parse_hash(encoded: str) -> tuple[int, int, int, bytes, bytes] | None:
    """The parameters, salt and digest of a hash, or None when it is malformed."""
    parts = encoded.strip().split("$")
    if len(parts) != 6 or parts[0] != _HASH_PREFIX:
        return None
    try:
        n, r, p = (int(part) for part in parts[1:4])
        salt, digest = base64.b64decode(parts[4]), base64.b64decode(parts[5])
    except ValueError:
        return None
    if n < 2 or n & (n - 1) or not 0 < r <= 64 or not 0 < p <= 16 or len(digest) < 16:
        return None
    return n, r, p, salt, digest


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class Signer:
    """Signs and checks CSRF tokens and owner sessions with the desk's secret key."""

    def __init__(self, secret_key: str) -> None:
        self._csrf = URLSafeTimedSerializer(secret_key, salt="newsdesk-web-csrf")
        self._session = URLSafeTimedSerializer(secret_key, salt="newsdesk-web-session")

    def csrf_token(self, cookie_value: str) -> str:
        """The token a form carries for the browser holding this CSRF cookie."""
        return self._csrf.dumps(cookie_value)

    def csrf_valid(self, token: str, cookie_value: str | None) -> bool:
        """Whether a form's token was made for this cookie, and recently."""
        if not token or not cookie_value:
            return False
        try:
            value = self._csrf.loads(token, max_age=CSRF_AGE)
        except BadSignature:
            return False
        return isinstance(value, str) and hmac.compare_digest(value, cookie_value)

    def session(self) -> str:
        """A new owner session cookie value."""
        return self._session.dumps({"owner": True, "nonce": secrets.token_urlsafe(8)})

    def session_valid(self, value: str | None) -> bool:
        """Whether a session cookie is one this desk signed, and not too old."""
        if not value:
            return False
        try:
            data = self._session.loads(value, max_age=SESSION_AGE)
        except BadSignature:
            return False
        return isinstance(data, dict) and data.get("owner") is True


def new_csrf_cookie() -> str:
    """A fresh random CSRF cookie value."""
    return secrets.token_urlsafe(24)


def local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: no open redirects.

    `//evil.example`, `/\\evil.example`, `https://evil.example` and anything with a scheme,
    host or control character fall back to `default`.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 or c == "\\" for c in target):
        return default
    return target


def client_address(request: Request) -> str:
    """The client's address (uvicorn sets it from X-Forwarded-For behind a trusted proxy)."""
    return request.client.host if request.client else "unknown"


class RateLimiter:
    """At most `limit` events per client in any `window` seconds (0: no limit).

    Memory is bounded: the least recently seen clients beyond `max_clients` are forgotten.
    """

    def __init__(
        self,
        limit: int,
        window: float = 3600.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_clients = max_clients
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str) -> float | None:
        """Count one event for the client: None if allowed, else seconds until it would be."""
        return self._check(client, count=True)

    def wait_time(self, client: str) -> float | None:
        """Seconds the client must wait before its next event (None: it may go on now)."""
        return self._check(client, count=False)

    def _check(self, client: str, *, count: bool) -> float | None:
        if self.limit <= 0:
            return None
        now = self._clock()
        with self._lock:
            events = self._events.pop(client, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            self._events[client] = events
            while len(self._events) > self._max_clients:
                self._events.popitem(last=False)
            if len(events) >= self.limit:
                return events[0] + self.window - now
            if count:
                events.append(now)
            return None


class SecurityHeaders:
    """ASGI middleware adding `SECURITY_HEADERS` (and HSTS on an https desk) to responses."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = dict(SECURITY_HEADERS)
        if https:
            self.headers["strict-transport-security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response as it starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
