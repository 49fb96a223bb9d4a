"""Emails out: the messages newsdesk sends, and the mailer that hands them to an SMTP server.

Messages are stdlib `EmailMessage`s. A briefing is multipart/alternative (plain text, then
HTML) or plain text alone for a reader who prefers text, with `List-Unsubscribe` (the
one-click https link) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
There is no mailto: unsubscribe, since newsdesk reads no mail. Every message carries a
footer with the preferences and unsubscribe links; a renderer should not add its own.
Headers are not folded below 998 characters: a folded List-Unsubscribe would come out as
RFC 2047 encoded words, which mail clients do not decode into a link.

The mailer speaks SMTP with smtplib (STARTTLS, TLS or plain, login when a user is set),
sends at most `smtp_rate` messages a second, and retries a temporary failure (a 4xx reply,
a dropped or refused connection) with exponential backoff. A permanent refusal of the
address (5xx to RCPT or DATA) is an outcome, `rejected`, for the caller to act on. A server
that cannot be reached after every attempt, or that refuses newsdesk itself (login, sender
address, TLS), is a `DeliveryError`: the operator has to act.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from html import escape
from typing import Literal

from newsdesk.config import Settings
from newsdesk.deliver.tokens import CONFIRM_MAX_AGE, Links
from newsdesk.errors import DeliveryError
from newsdesk.models import Subscriber

MESSAGE_POLICY = policy.SMTP.clone(max_line_length=998)
"""CRLF line ends and no folding below RFC 5322's hard limit (see the module docstring)."""

Outcome = Literal["sent", "deferred", "rejected"]


@dataclass(frozen=True)
class BriefingEmail:
    """What a composer gives for one subscriber and day: the subject and the bodies.

    `html` may be None for a text-only briefing; it is left out anyway when the subscriber
    prefers text.
    """

    subject: str
    text: str
    html: str | None = None


@dataclass(frozen=True)
class SmtpOptions:
    """How to reach the SMTP server, and as whom to send.

    `security` is starttls, tls or none; an empty `user` means no login; `rate` is the most
    messages a second (0: no limit); `timeout` is seconds per network operation.
    """

    host: str = "localhost"
    port: int = 25
    security: str = "none"
    user: str = ""
    password: str = ""
    rate: float = 5.0
    mail_from: str = "newsdesk <newsdesk@localhost>"
    timeout: float = 30.0


@dataclass(frozen=True)
class SendOutcome:
    """What became of one message: `sent`, `deferred` (4xx every time) or `rejected` (5xx)."""

    status: Outcome
    reply: str
    attempts: int


def smtp_options(settings: Settings) -> SmtpOptions:
    """The SMTP options of the `smtp_*` and `mail_from` settings.

    Returns:
        The options a `Mailer` takes.
    """
    return SmtpOptions(
        host=settings.smtp_host, port=settings.smtp_port, security=settings.smtp_security,
        user=settings.smtp_user, password=settings.smtp_password, rate=settings.smtp_rate,
        mail_from=settings.mail_from,
    )  # fmt: skip


def new_message_id(mail_from: str) -> str:
    """A fresh, globally unique Message-ID in the domain of the From address."""
    return make_msgid(domain=_domain(mail_from))


def briefing_message(
    subscriber: Subscriber,
    content: BriefingEmail,
    *,
    mail_from: str,
    links: Links,
    message_id: str,
    now: datetime | None = None,
) -> EmailMessage:
    """The email of one briefing to one subscriber.

    Args:
        subscriber: a stored subscriber (its id signs the links; its format picks the parts).
        content: subject, text and HTML from the composer.
        mail_from: the From header.
        links: base URL and key for the unsubscribe and preferences links.
        message_id: the Message-ID claimed in the ledger (the same on every retry).
        now: when the links are signed (default: the clock).

    Returns:
        A multipart/alternative message, or text/plain when the subscriber prefers text
        or the composer gave no HTML.
    """
    unsubscribe = links.url("unsubscribe", subscriber, now)
    preferences = links.url("preferences", subscriber, now)
    subject = " ".join(content.subject.split())  # a header cannot hold a line break
    message = _message(mail_from, subscriber.email, subject, message_id)
    message["List-Id"] = f"newsdesk briefing <briefing.{_domain(mail_from)}>"
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(content.text.rstrip() + _text_footer(preferences, unsubscribe))
    if subscriber.format == "html" and content.html is not None:
        html = _with_footer(content.html, _html_footer(preferences, unsubscribe))
        message.add_alternative(html, subtype="html")
    return message


def confirmation_message(
    subscriber: Subscriber, *, mail_from: str, links: Links, now: datetime | None = None
) -> EmailMessage:
    """The double opt-in email: a link that confirms the subscription, text and HTML.

    Args:
        subscriber: the stored, pending subscriber.
        mail_from: the From header.
        links: base URL and key for the confirmation link.
        now: when the link is signed; it works for `CONFIRM_MAX_AGE` from then.

    Returns:
        A multipart/alternative message.
    """
    url = links.url("confirm", subscriber, now)
    asked = (
        f"Someone, we hope you, asked for the newsdesk morning briefing at {subscriber.email}, "
        f"every day at {subscriber.send_time} ({subscriber.timezone})."
    )
    within = f"To confirm, open this link within {CONFIRM_MAX_AGE.days} days"
    ignore = "If you did not ask for it, ignore this email: nothing is sent until you confirm."
    message = _message(mail_from, subscriber.email, "Confirm your morning briefing", None)
    message.set_content(f"{asked}\n\n{within}:\n\n{url}\n\n{ignore}\n")
    link = f'<a href="{escape(url)}">Confirm my subscription</a>'
    paragraphs = [escape(asked), f"{escape(within)}: {link}", escape(ignore)]
    html_body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    message.add_alternative(f"<html><body>{html_body}</body></html>", subtype="html")
    return message


class Mailer:
    """A connection to the SMTP server, opened on the first send and kept for the next.

    Use as a context manager, or call `close()`. `clock` and `sleep` (monotonic seconds)
    pace the sends and the backoff; tests pass a simulated pair.
    """

    def __init__(
        self,
        options: SmtpOptions,
        *,
        ssl_context: ssl.SSLContext | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = 4,
        backoff: float = 1.0,
    ) -> None:
        """Set up (nothing is connected yet).

        Args:
            options: server, security, login, rate and From address.
            ssl_context: for STARTTLS and TLS; default the system's trusted certificates.
            clock: monotonic seconds, for the rate limit.
            sleep: waits that many seconds.
            attempts: tries per message before a temporary failure is given up.
            backoff: seconds before the second try; doubled before each later one.
        """
        self.options = options
        self._ssl_context = ssl_context or ssl.create_default_context()
        self._clock = clock
        self._sleep = sleep
        self._attempts = attempts
        self._backoff = backoff
        self._smtp: smtplib.SMTP | None = None
        self._next_slot = float("-inf")

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def send(self, message: EmailMessage) -> SendOutcome:
        """Hand one message to the server, retrying temporary failures with backoff.

        Args:
            message: a complete message; its From and To give the envelope.

        Returns:
            `sent`, `rejected` (a 5xx reply to the address or the content: do not send to
            it again) or `deferred` (a 4xx reply on every attempt: try again later).

        Raises:
            DeliveryError: the server cannot be reached, or refuses newsdesk itself.
        """
        kind, reply = "unreachable", "no attempt was made"
        for attempt in range(1, self._attempts + 1):
            if attempt > 1:
                self._sleep(self._backoff * 2 ** (attempt - 2))
            self._wait_for_slot()
            try:
                self._connection().send_message(message)
            except (smtplib.SMTPException, OSError) as error:
                self.close()
                kind, reply = _classify(error)
                if kind in ("rejected", "fatal"):
                    return self._outcome_or_raise(kind, reply, attempt)
            else:
                return SendOutcome("sent", "250 accepted", attempt)
        return self._outcome_or_raise(kind, reply, self._attempts)

    def close(self) -> None:
        """Say goodbye to the server, if connected; a later send connects again."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _outcome_or_raise(self, kind: str, reply: str, attempts: int) -> SendOutcome:
        """The outcome for the caller, or the DeliveryError the operator has to see."""
        if kind == "rejected":
            return SendOutcome("rejected", reply, attempts)
        if kind == "deferred":
            return SendOutcome("deferred", reply, attempts)
        server = f"SMTP server {self.options.host}:{self.options.port}"
        if kind == "unreachable":
            raise DeliveryError(
                f"{server} cannot be reached after {attempts} attempts ({reply}); "
                "check smtp_host, smtp_port and smtp_security"
            )
        raise DeliveryError(
            f"{server} refused newsdesk: {reply}; check smtp_security, smtp_user, "
            "smtp_password and mail_from"
        )

    def _wait_for_slot(self) -> None:
        """Sleep as long as needed to stay within `rate` messages a second."""
        if self.options.rate <= 0:
            return
        wait = self._next_slot - self._clock()
        if wait > 0:
            self._sleep(wait)
        self._next_slot = max(self._clock(), self._next_slot) + 1 / self.options.rate

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

    def _connect(self) -> smtplib.SMTP:
        """A new connection, secured and logged in as the options say."""
        options = self.options
        smtp: smtplib.SMTP
        if options.security == "tls":
            smtp = smtplib.SMTP_SSL(
                options.host, options.port, timeout=options.timeout, context=self._ssl_context
            )
        else:
            smtp = smtplib.SMTP(options.host, options.port, timeout=options.timeout)
        try:
            if options.security == "starttls":
                smtp.starttls(context=self._ssl_context)
            if options.user:
                smtp.login(options.user, options.password)
        except BaseException:
            smtp.close()
            raise
        return smtp


def _classify(error: smtplib.SMTPException | OSError) -> tuple[str, str]:
    """(kind, reply) of a failure: rejected, deferred, unreachable or fatal."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return _by_code(code, text, "rejected")
    if isinstance(error, smtplib.SMTPDataError):
        return _by_code(error.smtp_code, error.smtp_error, "rejected")
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "unreachable", str(error) or "the server closed the connection"
    if isinstance(error, smtplib.SMTPResponseException):
        return _by_code(error.smtp_code, error.smtp_error, "fatal")
    if isinstance(error, smtplib.SMTPException | ssl.SSLError):
        return "fatal", str(error)
    return "unreachable", str(error) or type(error).__name__


def _by_code(code: int, text: bytes | str, permanent: str) -> tuple[str, str]:
    """A 4xx reply is worth retrying; anything else is `permanent`."""
    reply = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    return ("deferred" if 400 <= code < 500 else permanent), reply


def _domain(mail_from: str) -> str:
    """The domain of the From address (`localhost` when it has none)."""
    return parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"


def _message(mail_from: str, to: str, subject: str, message_id: str | None) -> EmailMessage:
    """A message with From, To, Subject, Date and Message-ID (a new one unless given)."""
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id or new_message_id(mail_from)
    return message


def _text_footer(preferences: str, unsubscribe: str) -> str:
    return f"\n\n-- \nChange what you receive, or when: {preferences}\nUnsubscribe: {unsubscribe}\n"


def _html_footer(preferences: str, unsubscribe: str) -> str:
    return (
        '<p style="font-size:12px;color:#666">'
        f'<a href="{escape(preferences)}">Change what you receive, or when</a> · '
        f'<a href="{escape(unsubscribe)}">Unsubscribe</a></p>'
    )


def _with_footer(html: str, footer: str) -> str:
    """The HTML with the footer inserted before `</body>` (or appended when there is none)."""
    end = html.lower().rfind("</body>")
    return html + footer if end < 0 else html[:end] + footer + html[end:]
