"""Subscribing: the form, the confirmation, the preferences and unsubscribing.

The links in emails (`/confirm`, `/preferences`, `/unsubscribe`, each with a signed `token`)
land here. Mail scanners fetch links before the reader does, so a GET never changes anything:
it shows a button whose POST does. The exception is RFC 8058's one-click unsubscribe, a POST
with the body `List-Unsubscribe=One-Click` sent by the reader's mail provider: the signed
token in the URL is its authentication and it carries no CSRF token. The subscribe form says
the same thing for an address that is subscribed already as for a new one, so it cannot be
used to find out who reads the desk.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, Form, Query, Request
from starlette.responses import HTMLResponse, Response

from newsdesk.deliver import (
    FORMATS,
    MAX_STORIES,
    REGIONS,
    Preferences,
    confirm_with_token,
    normalise_email,
    sign_token,
    subscribe,
    subscriber_from_token,
    unsubscribe_with_token,
    update_with_token,
)
from newsdesk.deliver.tokens import Purpose
from newsdesk.errors import DeliveryError
from newsdesk.models import Subscriber
from newsdesk.store.subscribers import get_subscriber
from newsdesk.web.desk import Desk, DeskDep
from newsdesk.web.guards import CsrfChecked, limit, require_csrf
from newsdesk.web.rendering import render

router = APIRouter(include_in_schema=False)
Token = Annotated[str, Query(min_length=8, max_length=512, description="The link's token")]
Field = Annotated[str, Form(max_length=100)]
Choices = Annotated[list[str], Form(max_length=50)]
ONE_CLICK = "One-Click"


@cache
def time_zones() -> list[str]:
    """Every IANA time zone name, sorted (for the form's suggestions)."""
    return sorted(available_timezones())


@cache
def themes() -> list[tuple[str, str]]:
    """(slug, label) of every theme a reader can choose."""
    # Imported here: the themes module loads spaCy, which only this form needs.
    from newsdesk.analyze.themes import taxonomy

    return [(theme.name, theme.label) for theme in taxonomy()]


@router.get("/subscribe", response_class=HTMLResponse)
def subscribe_form(request: Request) -> Response:
    """The subscribe form: address, time zone, send time, regions."""
    return _subscribe_page(request, {}, None, 200)


def _subscribe_allowance(request: Request, desk: DeskDep) -> None:
    """Count the request against the client's `subscribe_per_hour` (429 beyond it)."""
    limit(desk.subscribe_limiter, request)


@router.post(
    "/subscribe",
    response_class=HTMLResponse,
    dependencies=[Depends(_subscribe_allowance), CsrfChecked],
)
def subscribe_submit(
    request: Request,
    desk: DeskDep,
    email: Annotated[str, Form(max_length=254)],
    timezone: Field = "UTC",
    send_time: Field = "07:00",
    regions: Choices = [],  # noqa: B006  (FastAPI copies defaults per request)
) -> Response:
    """Subscribe (rate-limited per client address): a confirmation email goes out."""
    preferences = Preferences(timezone or "UTC", send_time or "07:00", regions)
    try:
        address = _subscribe(desk, email, preferences)
    except DeliveryError as error:
        values = {"email": email, "timezone": timezone, "send_time": send_time, "regions": regions}
        return _subscribe_page(request, values, str(error), 400)
    return render(request, "subscribed.html", {"email": address}, private=True)


def _subscribe(desk: Desk, email: str, preferences: Preferences) -> str:
    """Subscribe a new or lapsed address; an active one is left alone, silently.

    Raises:
        DeliveryError: the address or a preference is not allowed, or the email failed.
    """
    address = normalise_email(email)
    known = get_subscriber(desk.store, address)
    if known is None or known.status != "active":
        with desk.mailer_factory() as mailer:
            subscribe(desk.store, address, mailer, desk.links, preferences, now=_now())
    return address


def _subscribe_page(
    request: Request, values: dict[str, Any], error: str | None, status: int
) -> Response:
    context = {"values": values, "error": error, "regions": REGIONS, "zones": time_zones()}
    return render(request, "subscribe.html", context, status, private=True)


@router.get("/confirm", response_class=HTMLResponse)
def confirm_page(request: Request, desk: DeskDep, token: Token) -> Response:
    """The confirmation link: a button that confirms (a GET changes nothing)."""
    subscriber = subscriber_from_token(desk.store, desk.links, "confirm", token, now=_now())
    context = {"subscriber": subscriber, "token": token}
    return render(request, "confirm.html", context, private=True)


@router.post("/confirm", response_class=HTMLResponse, dependencies=[CsrfChecked])
def confirm_submit(request: Request, desk: DeskDep, token: Token) -> Response:
    """Confirm the subscription: the reader gets briefings from the next edition on."""
    subscriber = confirm_with_token(desk.store, desk.links, token, now=_now())
    context = {"subscriber": subscriber, "preferences": _link(desk, "preferences", subscriber)}
    return render(request, "confirmed.html", context, private=True)


@router.get("/preferences", response_class=HTMLResponse)
def preferences_page(request: Request, desk: DeskDep, token: Token) -> Response:
    """The reader's preferences, from the link in any briefing."""
    subscriber = subscriber_from_token(desk.store, desk.links, "preferences", token, now=_now())
    return _preferences_page(request, desk, subscriber, token, None, 200)


@router.post("/preferences", response_class=HTMLResponse, dependencies=[CsrfChecked])
def preferences_submit(
    request: Request,
    desk: DeskDep,
    token: Token,
    timezone: Field,
    send_time: Field,
    stories: Annotated[int, Form(ge=1, le=MAX_STORIES)],
    format: Annotated[str, Form(max_length=10)],
    regions: Choices = [],  # noqa: B006  (FastAPI copies defaults per request)
    themes: Choices = [],  # noqa: B006
) -> Response:
    """Save the preferences (fields left empty keep their current value)."""
    preferences = Preferences(timezone or None, send_time or None, regions, themes, stories, format)
    try:
        subscriber = update_with_token(desk.store, desk.links, token, preferences, now=_now())
    except DeliveryError as error:
        subscriber = subscriber_from_token(desk.store, desk.links, "preferences", token, now=_now())
        return _preferences_page(request, desk, subscriber, token, str(error), 400)
    return _preferences_page(request, desk, subscriber, token, None, 200, saved=True)


def _preferences_page(
    request: Request,
    desk: Desk,
    subscriber: Subscriber,
    token: str,
    error: str | None,
    status: int,
    *,
    saved: bool = False,
) -> Response:
    context = {
        "subscriber": subscriber, "token": token, "error": error, "saved": saved,
        "regions": REGIONS, "themes": themes(), "formats": FORMATS, "zones": time_zones(),
        "max_stories": MAX_STORIES, "unsubscribe": _link(desk, "unsubscribe", subscriber),
    }  # fmt: skip
    return render(request, "preferences.html", context, status, private=True)


@router.get("/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, desk: DeskDep, token: Token) -> Response:
    """The unsubscribe link: a button that unsubscribes (a GET changes nothing)."""
    subscriber = subscriber_from_token(desk.store, desk.links, "unsubscribe", token, now=_now())
    context = {"subscriber": subscriber, "token": token}
    return render(request, "unsubscribe.html", context, private=True)


async def _one_click_or_csrf(request: Request, desk: DeskDep) -> None:
    """A one-click POST (RFC 8058) needs no CSRF token; the button's form does."""
    form = await request.form()
    if form.get("List-Unsubscribe") != ONE_CLICK:
        await require_csrf(request, desk)


@router.post(
    "/unsubscribe", response_class=HTMLResponse, dependencies=[Depends(_one_click_or_csrf)]
)
def unsubscribe_submit(request: Request, desk: DeskDep, token: Token) -> Response:
    """Unsubscribe: the button's form, or the mail provider's one-click POST (RFC 8058)."""
    subscriber = unsubscribe_with_token(desk.store, desk.links, token, now=_now())
    return render(request, "unsubscribed.html", {"subscriber": subscriber}, private=True)


def _link(desk: Desk, purpose: Purpose, subscriber: Subscriber) -> str:
    """A path on this desk with a fresh signed token for the subscriber."""
    token = sign_token(desk.links.secret_key, purpose, subscriber, _now())
    return f"/{purpose}?{urlencode({'token': token})}"


def _now() -> datetime:
    return datetime.now(UTC)
