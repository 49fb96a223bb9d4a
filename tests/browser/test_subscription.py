"""A reader subscribes in Chromium: the form, the confirmation email from a real SMTP server,
the confirm button, the preferences link of a briefing sent with `send_now`, new
preferences, and the unsubscribe link of the briefing's List-Unsubscribe header.

The store is checked after each step: a GET of an emailed link changes nothing, the button
does."""

from __future__ import annotations

import re
from email.message import EmailMessage

from playwright.sync_api import expect
from tests.browser.conftest import LiveDesk, Tab
from tests.web.conftest import assert_inert

from newsdesk.briefing.emails import briefing_composer
from newsdesk.deliver import Mailer, send_now
from newsdesk.models import Subscriber
from newsdesk.store import Store
from newsdesk.store.subscribers import get_subscriber

EMAIL = "browser.reader@example.org"


def test_subscribe_confirm_change_preferences_and_unsubscribe(tab: Tab, live_desk: LiveDesk):
    page = tab.page
    page.goto("/subscribe")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Time zone").fill("Europe/Oslo")
    page.get_by_label("Send at").fill("06:30")
    page.get_by_label("Europe", exact=True).check()
    tab.shot("subscribe-form")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("h1")).to_have_text("Check your inbox")
    tab.shot("check-your-inbox")
    pending = _stored(live_desk.store)
    assert pending.status == "pending"
    assert (pending.timezone, pending.send_time) == ("Europe/Oslo", "06:30")
    assert pending.regions == ["Europe"]

    [confirmation] = live_desk.smtp.handler.messages_to(EMAIL)
    page.goto(_link(confirmation, live_desk.url, "confirm"))
    expect(page.locator("h1")).to_have_text("Confirm your subscription")
    assert _stored(live_desk.store).status == "pending"  # opening the link changes nothing
    tab.shot("confirm")
    page.get_by_role("button", name="Yes, confirm my subscription").click()
    expect(page.locator("h1")).to_have_text("You are subscribed")
    tab.shot("confirmed")
    assert _stored(live_desk.store).status == "active"

    briefing = _send_briefing(live_desk)
    page.goto(_link(briefing, live_desk.url, "preferences"))
    expect(page.get_by_text(EMAIL)).to_be_visible()
    page.get_by_label("Time zone").fill("Asia/Tokyo")
    page.get_by_label("Send at").fill("08:15")
    page.get_by_label("Top stories").fill("7")
    page.get_by_label("Plain text").check()
    page.get_by_label("Europe", exact=True).uncheck()
    page.get_by_label("Asia-Pacific").check()
    tab.shot("preferences-changed")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status")).to_have_text("Your preferences are saved.")
    expect(page.get_by_label("Send at")).to_have_value("08:15")
    expect(page.get_by_label("Asia-Pacific")).to_be_checked()
    expect(page.get_by_label("Europe", exact=True)).not_to_be_checked()
    tab.shot("preferences-saved")
    saved = _stored(live_desk.store)
    assert (saved.timezone, saved.send_time, saved.stories, saved.format) == (
        "Asia/Tokyo", "08:15", 7, "text")  # fmt: skip
    assert saved.regions == ["Asia-Pacific"]

    page.goto(_list_unsubscribe(briefing, live_desk.url))
    expect(page.locator("h1")).to_have_text("Unsubscribe")
    assert _stored(live_desk.store).status == "active"
    tab.shot("unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("h1")).to_have_text("You are unsubscribed")
    tab.shot("unsubscribed")
    assert _stored(live_desk.store).status == "unsubscribed"
    assert_inert(page.content())
    assert tab.errors == []


def _stored(store: Store) -> Subscriber:
    subscriber = get_subscriber(store, EMAIL)
    assert subscriber is not None
    return subscriber


def _send_briefing(desk: LiveDesk) -> EmailMessage:
    """Today's briefing sent now to the reader, as the SMTP server received it."""
    compose = briefing_composer(desk.store, desk.url)
    with Mailer(desk.smtp.options()) as mailer:
        report = send_now(desk.store, compose, mailer, EMAIL, links=desk.links)
    assert report.count("sent") == 1, report
    return desk.smtp.handler.messages_to(EMAIL)[-1]


def _link(message: EmailMessage, base_url: str, purpose: str) -> str:
    """The link for a purpose in an email's plain-text part (an absolute URL to the desk)."""
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    found = re.search(rf"{re.escape(base_url)}/{purpose}\?token=\S+", text)
    assert found, text
    return found.group(0)


def _list_unsubscribe(message: EmailMessage, base_url: str) -> str:
    """The one-click unsubscribe URL of the List-Unsubscribe header."""
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(message["List-Unsubscribe"]).strip("<>")
    assert url.startswith(f"{base_url}/unsubscribe?token="), url
    return url
