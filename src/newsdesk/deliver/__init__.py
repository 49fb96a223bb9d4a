"""Delivery: subscribers and their opt-in, signed links, SMTP, the schedule, the send ledger.

The pieces, in the order a briefing meets them: `subscribers.py` (subscribe with double
opt-in, preferences, unsubscribe, removal), `schedule.py` (when each subscriber's briefing
is due, in their time zone), `sender.py` (send what is due exactly once, through crashes),
`smtp.py` (the messages and the mailer), `tokens.py` (the signed links in every email).
Composing the briefing is not done here: senders take a `compose` callable.
"""

from newsdesk.deliver.schedule import (
    due_briefings,
    due_day,
    next_send_time,
    next_wake,
    parse_send_time,
    send_instant,
)
from newsdesk.deliver.sender import (
    CLAIM_LEASE,
    Compose,
    DeliveryResult,
    SendReport,
    send_due,
    send_now,
)
from newsdesk.deliver.smtp import (
    BriefingEmail,
    Mailer,
    SendOutcome,
    SmtpOptions,
    briefing_message,
    confirmation_message,
    new_message_id,
    smtp_options,
)
from newsdesk.deliver.subscribers import (
    FORMATS,
    MAX_STORIES,
    REGIONS,
    Preferences,
    add_subscriber,
    check_preferences,
    confirm_subscriber,
    confirm_with_token,
    normalise_email,
    remove_subscriber,
    send_confirmation,
    subscribe,
    subscriber_from_token,
    unsubscribe_with_token,
    update_preferences,
    update_with_token,
)
from newsdesk.deliver.tokens import (
    MAX_AGE,
    PURPOSES,
    Links,
    TokenClaim,
    links_for,
    read_token,
    sign_token,
)

__all__ = [
    "CLAIM_LEASE",
    "FORMATS",
    "MAX_AGE",
    "MAX_STORIES",
    "PURPOSES",
    "REGIONS",
    "BriefingEmail",
    "Compose",
    "DeliveryResult",
    "Links",
    "Mailer",
    "Preferences",
    "SendOutcome",
    "SendReport",
    "SmtpOptions",
    "TokenClaim",
    "add_subscriber",
    "briefing_message",
    "check_preferences",
    "confirm_subscriber",
    "confirm_with_token",
    "confirmation_message",
    "due_briefings",
    "due_day",
    "links_for",
    "new_message_id",
    "next_send_time",
    "next_wake",
    "normalise_email",
    "parse_send_time",
    "read_token",
    "remove_subscriber",
    "send_confirmation",
    "send_due",
    "send_instant",
    "send_now",
    "sign_token",
    "smtp_options",
    "subscribe",
    "subscriber_from_token",
    "unsubscribe_with_token",
    "update_preferences",
    "update_with_token",
]
