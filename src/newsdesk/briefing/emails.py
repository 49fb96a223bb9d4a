"""The briefing as an email: what the sender's `compose` callable gives for each reader."""

from __future__ import annotations

from datetime import date

from newsdesk.briefing.compose import compose_briefing
from newsdesk.briefing.render import BriefingLinks, render_briefing, render_email_html
from newsdesk.deliver import BriefingEmail, Compose
from newsdesk.models import Briefing, Subscriber
from newsdesk.store import Store


def briefing_subject(briefing: Briefing) -> str:
    """ "Your briefing, Sunday 29 November: <top headline>" (or a quiet day's subject)."""
    day = date.fromisoformat(briefing.date)
    lead = briefing.top[0].headline if briefing.top else "a quiet day on the desk"
    return f"Your briefing, {day:%A} {day.day} {day:%B}: {lead}"


def briefing_composer(store: Store, base_url: str) -> Compose:
    """A `compose(subscriber, day)` for the sender: the day's briefing as text and HTML.

    The preferences and unsubscribe links are the sender's to add (they are signed per
    message), so the rendered briefing links only to the web desk.

    Args:
        store: where the stories are.
        base_url: the web desk's public address.

    Returns:
        The callable `send_due` and `send_now` take.
    """

    def compose(subscriber: Subscriber, day: date) -> BriefingEmail:
        briefing = compose_briefing(store, day, subscriber)
        links = BriefingLinks(base_url, web=f"{base_url.rstrip('/')}/briefings/{day.isoformat()}")
        return BriefingEmail(
            subject=briefing_subject(briefing),
            text=render_briefing(briefing, "text", links),
            html=render_email_html(briefing, links),
        )

    return compose
