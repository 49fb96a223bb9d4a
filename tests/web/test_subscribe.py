"""Subscribing on the web: form → confirmation email on a real SMTP server → confirm →
preferences → unsubscribe, and the one-click unsubscribe a mail provider sends."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from tests.deliver.smtp_server import SmtpServer
from tests.web.conftest import form_token

from newsdesk.deliver import add_subscriber, confirm_subscriber, links_for, sign_token
from newsdesk.models import Subscriber
from newsdesk.store import Store
from newsdesk.store.subscribers import get_subscriber

if TYPE_CHECKING:
    from starlette.testclient import TestClient


def subscribe(client: TestClient, email: str, **fields: str | list[str]) -> str:
    """Fill in and send the subscribe form; the page it answers with."""
    token = form_token(client.get("/subscribe").text)
    response = client.post("/subscribe", data={"email": email, "csrf_token": token, **fields})
    assert response.status_code == 200, response.text
    return response.text


def emailed_link(server: SmtpServer, email: str) -> str:
    """The path and query of the confirmation link emailed to an address."""
    [message] = server.handler.messages_to(email)
    text = message.get_body(("plain",)).get_content()
    url = re.search(r"https?://\S+/confirm\?token=\S+", text)
    assert url, text
    parts = urlsplit(url.group(0))
    return f"{parts.path}?{parts.query}"


def test_the_whole_subscription_flow(client: TestClient, smtp_server: SmtpServer, desk_store):
    email = "flow@example.org"
    page = subscribe(client, email, timezone="Europe/Oslo", send_time="06:30",
                     regions=["Europe", "Asia-Pacific"])  # fmt: skip
    assert "Check your inbox" in page
    link = emailed_link(smtp_server, email)

    confirm = client.get(link)  # what a mail scanner would do: nothing changes
    assert confirm.status_code == 200 and "Confirm your subscription" in confirm.text
    assert _stored(desk_store, email).status == "pending"
    confirmed = client.post(link, data={"csrf_token": form_token(confirm.text)})
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.text
    subscriber = _stored(desk_store, email)
    assert subscriber.status == "active"
    assert (subscriber.timezone, subscriber.send_time) == ("Europe/Oslo", "06:30")
    assert subscriber.regions == ["Europe", "Asia-Pacific"]

    preferences_path = re.search(r'href="(/preferences\?token=[^"]+)"', confirmed.text)
    assert preferences_path
    preferences = client.get(preferences_path.group(1))
    assert preferences.status_code == 200 and email in preferences.text
    form = {"csrf_token": form_token(preferences.text), "timezone": "Asia/Tokyo",
            "send_time": "08:15", "stories": "7", "format": "text",
            "regions": ["Asia-Pacific"], "themes": ["armed_conflict"]}  # fmt: skip
    saved = client.post(preferences_path.group(1), data=form)
    assert saved.status_code == 200 and "Your preferences are saved" in saved.text
    subscriber = _stored(desk_store, email)
    assert (subscriber.timezone, subscriber.send_time, subscriber.stories) == (
        "Asia/Tokyo",
        "08:15",
        7,
    )
    assert (subscriber.format, subscriber.regions, subscriber.themes) == (
        "text", ["Asia-Pacific"], ["armed_conflict"])  # fmt: skip

    unsubscribe_path = re.search(r'href="(/unsubscribe\?token=[^"]+)"', saved.text)
    assert unsubscribe_path
    ask = client.get(unsubscribe_path.group(1))
    assert ask.status_code == 200 and _stored(desk_store, email).status == "active"
    done = client.post(unsubscribe_path.group(1), data={"csrf_token": form_token(ask.text)})
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert _stored(desk_store, email).status == "unsubscribed"


def test_one_click_unsubscribe_needs_no_csrf_token(client: TestClient, desk_store: Store):
    subscriber = _active(desk_store, "oneclick@example.org")
    path = _path(client, "unsubscribe", subscriber)
    with client.__class__(client.app) as provider:  # a mail provider: no cookie, no form
        response = provider.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _stored(desk_store, "oneclick@example.org").status == "unsubscribed"


def test_the_unsubscribe_button_needs_its_csrf_token(client: TestClient, desk_store: Store):
    subscriber = _active(desk_store, "button@example.org")
    response = client.post(_path(client, "unsubscribe", subscriber), data={})
    assert response.status_code == 403
    assert _stored(desk_store, "button@example.org").status == "active"


def test_subscribing_an_active_address_says_the_same_and_sends_nothing(
    client: TestClient, smtp_server: SmtpServer, desk_store: Store
):
    _active(desk_store, "known@example.org")
    page = subscribe(client, "known@example.org")
    assert "Check your inbox" in page
    assert smtp_server.handler.messages_to("known@example.org") == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not an address"}, "is not an email address"),
        ({"email": "tz@example.org", "timezone": "Mars/Olympus"}, "time zone"),
        ({"email": "region@example.org", "regions": "Atlantis"}, "region"),
    ],
)
def test_the_form_explains_what_is_wrong(
    client: TestClient, smtp_server: SmtpServer, fields: dict[str, str], message: str
):
    token = form_token(client.get("/subscribe").text)
    response = client.post("/subscribe", data={"csrf_token": token, **fields})
    assert response.status_code == 400
    assert message in response.text
    assert 'name="email"' in response.text  # the form again, to correct
    assert smtp_server.handler.count() == 0


@pytest.mark.parametrize("purpose", ["confirm", "preferences", "unsubscribe"])
def test_an_altered_link_is_refused(client: TestClient, desk_store: Store, purpose: str):
    path = _path(client, purpose, _active(desk_store, f"altered-{purpose}@example.org"))
    response = client.get(path[:-3] + "xyz")
    assert response.status_code == 400
    assert "not valid" in response.text


def test_a_link_made_for_another_purpose_is_refused(client: TestClient, desk_store: Store):
    subscriber = _active(desk_store, "purpose@example.org")
    token = _path(client, "preferences", subscriber).split("token=")[1]
    assert client.get(f"/unsubscribe?token={token}").status_code == 400


def test_a_link_without_a_token_is_refused(client: TestClient):
    response = client.get("/confirm")
    assert response.status_code == 422
    assert "token" in response.text


def _stored(store: Store, email: str) -> Subscriber:
    subscriber = get_subscriber(store, email)
    assert subscriber is not None
    return subscriber


def _active(store: Store, email: str) -> Subscriber:
    """An active subscriber (made the way the desk's confirm link makes one)."""
    now = datetime.now(UTC)
    add_subscriber(store, email, now=now)
    return confirm_subscriber(store, email, now=now)


def _path(client: TestClient, purpose: str, subscriber: Subscriber) -> str:
    links = links_for(client.app.state.desk.settings, client.app.state.desk.store)
    token = sign_token(links.secret_key, purpose, subscriber, datetime.now(UTC))
    return f"/{purpose}?token={token}"
