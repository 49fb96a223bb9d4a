"""Route dependencies that refuse a request: bad CSRF token, not the owner, too many tries.

Forms are checked with `CsrfChecked`; owner pages call `is_owner`; API writes depend on
`OwnerApi` (a Bearer password, documented in the OpenAPI schema). Failed password tries
count against the client's `login_per_hour`, wherever they come from.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from newsdesk.web.desk import Desk, DeskDep
from newsdesk.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    RateLimiter,
    client_address,
    verify_password,
)

_bearer = HTTPBearer(auto_error=False, description="The owner's password, as a Bearer token.")
NO_OWNER = (
    "the desk has no owner password yet: run `newsdesk serve --hash-password` and set "
    "NEWSDESK_OWNER_PASSWORD_HASH to what it prints"
)


async def require_csrf(request: Request, desk: DeskDep) -> None:
    """Refuse a form whose CSRF token is missing, altered, stale or for another browser.

    Raises:
        HTTPException: 403, saying to reload the page.
    """
    form = await request.form()
    token = form.get(CSRF_FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    if not isinstance(token, str) or not desk.signer.csrf_valid(token, cookie):
        raise HTTPException(
            403,
            "this form has expired or your browser did not send its cookie; "
            "reload the page and try again",
        )


CsrfChecked = Depends(require_csrf)


def limit(limiter: RateLimiter, request: Request, *, count: bool = True) -> None:
    """Refuse the request if the client has used up its allowance (counting this one).

    Raises:
        HTTPException: 429 with Retry-After.
    """
    client = client_address(request)
    wait = limiter.allow(client) if count else limiter.wait_time(client)
    if wait is not None:
        minutes = math.ceil(wait / 60)
        raise HTTPException(
            429,
            f"too many requests from your address; try again in {minutes} minutes",
            headers={"Retry-After": str(math.ceil(wait))},
        )


def is_owner(request: Request, desk: Desk) -> bool:
    """Whether the request carries a valid owner session."""
    return bool(desk.owner_password_hash) and desk.signer.session_valid(
        request.cookies.get(SESSION_COOKIE)
    )


def check_password(request: Request, desk: Desk, password: str) -> bool:
    """Check an owner password try, refusing clients that failed too often.

    Raises:
        HTTPException: 403 when the desk has no owner password; 429 after too many failures.
    """
    if not desk.owner_password_hash:
        raise HTTPException(403, NO_OWNER)
    limit(desk.login_limiter, request, count=False)
    if verify_password(password, desk.owner_password_hash):
        return True
    desk.login_limiter.allow(client_address(request))
    return False


def require_owner_api(
    request: Request,
    desk: DeskDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let through only API calls with the owner's password as a Bearer token.

    Raises:
        HTTPException: 401 without it or with a wrong one (403 when there is no owner).
    """
    if credentials is None or not check_password(request, desk, credentials.credentials):
        raise HTTPException(
            401,
            "this needs the owner's password as `Authorization: Bearer <password>`",
            headers={"WWW-Authenticate": "Bearer"},
        )


OwnerApi = Depends(require_owner_api)
