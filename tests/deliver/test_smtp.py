"""Messages and the mailer, against a real SMTP server on loopback (aiosmtpd).

Every message is parsed back from the bytes the server received: its structure, its
headers and every link in it, whose token must verify for the link's purpose.
"""

from __future__ import annotations

import re
import ssl
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from tests.deliver.smtp_server import (
    SMTP_PASSWORD,
    SMTP_USER,
    SimulatedTime,
    SmtpServer,
    free_port,
)

from newsdesk.config import Settings
from newsdesk.deliver import (
    BriefingEmail,
    Links,
    Mailer,
    SmtpOptions,
    briefing_message,
    confirmation_message,
    new_message_id,
    read_token,
    smtp_options,
)
from newsdesk.deliver.tokens import Purpose, email_digest
from newsdesk.errors import DeliveryError
from newsdesk.models import Subscriber

MAIL_FROM = "Newsdesk <briefing@desk.example.org>"
CONTENT = BriefingEmail(
    subject="Your briefing: Kyiv, São Paulo and the Sahel",
    text="Top stories\n\nTalks resume in Kyiv.\n",
    html="<html><body><h1>Top stories</h1><p>Talks resume in Kyiv.</p></body></html>",
)
_URL = re.compile(r"https?://[^\s\"<>]+")


def _reader(format: str = "html") -> Subscriber:
    return Subscriber(email="ana@example.org", id=7, status="active", format=format)


def _briefing(reader: Subscriber, links: Links) -> EmailMessage:
    message_id = new_message_id(MAIL_FROM)
    return briefing_message(
        reader, CONTENT, mail_from=MAIL_FROM, links=links, message_id=message_id
    )


def _links_in(message: EmailMessage) -> set[str]:
    """Every URL in every text part of the message (HTML entities undone)."""
    parts = [message] if not message.is_multipart() else list(message.iter_parts())
    text = " ".join(part.get_content() for part in parts)
    return {url.replace("&amp;", "&") for url in _URL.findall(text)}


def _check_link(url: str, links: Links, reader: Subscriber) -> Purpose:
    """Assert the link is on the desk and its token verifies for its path; return the path."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == links.base_url
    purpose = parts.path.strip("/")
    assert purpose in ("confirm", "unsubscribe", "preferences")
    [token] = parse_qs(parts.query)["token"]
    claim = read_token(links.secret_key, purpose, token, datetime.now(UTC))  # type: ignore[arg-type]
    assert (claim.subscriber_id, claim.email_digest) == (reader.id, email_digest(reader.email))
    return purpose  # type: ignore[return-value]


def test_a_briefing_arrives_as_multipart_alternative_with_every_header(
    smtp_server: SmtpServer, mailer: Mailer, links: Links
) -> None:
    reader = _reader()
    sent = _briefing(reader, links)
    assert mailer.send(sent).status == "sent"
    [received] = smtp_server.handler.received
    assert (received.mail_from, received.rcpt_tos) == ("briefing@desk.example.org", [reader.email])
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert "Talks resume in Kyiv." in plain.get_content()
    assert re.search(r"Kyiv\.</p><p [^>]*><a href=.*</p></body></html>", html.get_content())
    assert message["From"] == MAIL_FROM and message["To"] == reader.email
    assert message["Subject"] == CONTENT.subject
    sent_at = parsedate_to_datetime(message["Date"])
    assert abs(sent_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert message["Message-ID"] == sent["Message-ID"]
    assert message["Message-ID"].endswith("@desk.example.org>")
    assert message["List-Id"] == "newsdesk briefing <briefing.desk.example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = re.fullmatch(r"<(https://[^>]+)>", message["List-Unsubscribe"])
    assert header is not None and _check_link(header[1], links, reader) == "unsubscribe"
    found = _links_in(message)
    assert {_check_link(url, links, reader) for url in found} == {"unsubscribe", "preferences"}
    assert header[1] in found


def test_a_reader_who_prefers_text_gets_text_alone(
    smtp_server: SmtpServer, mailer: Mailer, links: Links
) -> None:
    reader = _reader(format="text")
    mailer.send(_briefing(reader, links))
    [message] = smtp_server.handler.messages_to(reader.email)
    assert message.get_content_type() == "text/plain"
    assert "<h1>" not in message.get_content()
    assert {_check_link(url, links, reader) for url in _links_in(message)} == {
        "unsubscribe",
        "preferences",
    }
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_confirmation_email_links_to_a_confirm_token_only(
    smtp_server: SmtpServer, mailer: Mailer, links: Links
) -> None:
    reader = _reader()
    mailer.send(confirmation_message(reader, mail_from=MAIL_FROM, links=links))
    [message] = smtp_server.handler.messages_to(reader.email)
    assert message.get_content_type() == "multipart/alternative"
    assert "within 7 days" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = _links_in(message)
    assert {_check_link(url, links, reader) for url in found} == {"confirm"}
    [token] = parse_qs(urlsplit(found.pop()).query)["token"]
    with pytest.raises(DeliveryError, match="unsubscribe link is not valid"):
        read_token(links.secret_key, "unsubscribe", token, datetime.now(UTC))


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_a_temporary_refusal_is_retried_with_backoff_until_accepted(
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    simulated_time: SimulatedTime,
    stage: str,
) -> None:
    reader = _reader()
    busy = "451 4.3.0 Mailbox busy, try again later"
    smtp_server.handler.plan(reader.email, busy, busy, stage=stage)
    outcome = mailer.send(_briefing(reader, links))
    assert (outcome.status, outcome.attempts) == ("sent", 3)
    assert simulated_time.sleeps == [1.0, 2.0]
    assert len(smtp_server.handler.messages_to(reader.email)) == 1


def test_a_refusal_on_every_attempt_defers_the_message(
    smtp_server: SmtpServer, mailer: Mailer, links: Links, simulated_time: SimulatedTime
) -> None:
    reader = _reader()
    smtp_server.handler.plan(reader.email, *["452 4.2.2 Mailbox full"] * 4)
    outcome = mailer.send(_briefing(reader, links))
    assert (outcome.status, outcome.attempts) == ("deferred", 4)
    assert outcome.reply == "452 4.2.2 Mailbox full"
    assert simulated_time.sleeps == [1.0, 2.0, 4.0]
    assert smtp_server.handler.received == []


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_a_permanent_refusal_is_not_retried(
    smtp_server: SmtpServer,
    mailer: Mailer,
    links: Links,
    simulated_time: SimulatedTime,
    stage: str,
) -> None:
    reader = _reader()
    smtp_server.handler.plan(reader.email, "550 5.1.1 No such mailbox", stage=stage)
    outcome = mailer.send(_briefing(reader, links))
    assert (outcome.status, outcome.reply, outcome.attempts) == (
        "rejected",
        "550 5.1.1 No such mailbox",
        1,
    )
    assert simulated_time.sleeps == []
    assert smtp_server.handler.received == []


def test_a_server_that_cannot_be_reached_is_an_error_after_the_retries(
    links: Links, simulated_time: SimulatedTime
) -> None:
    port = free_port()  # nothing listens there
    options = SmtpServer(handler=None, port=port).options()  # type: ignore[arg-type]
    with (
        Mailer(options, clock=simulated_time.clock, sleep=simulated_time.sleep) as mailer,
        pytest.raises(DeliveryError, match=rf"127.0.0.1:{port} cannot be reached after 4"),
    ):
        mailer.send(_briefing(_reader(), links))
    assert simulated_time.sleeps == [1.0, 2.0, 4.0]


def test_sends_are_paced_to_the_rate(
    smtp_server: SmtpServer, links: Links, simulated_time: SimulatedTime
) -> None:
    options = smtp_server.options(rate=2.0)
    with Mailer(options, clock=simulated_time.clock, sleep=simulated_time.sleep) as mailer:
        for _ in range(5):
            assert mailer.send(_briefing(_reader(), links)).status == "sent"
    assert simulated_time.sleeps == pytest.approx([0.5] * 4)
    assert smtp_server.handler.count() == 5


def test_starttls_and_login(
    starttls_server: SmtpServer, links: Links, client_tls: ssl.SSLContext
) -> None:
    options = starttls_server.options(security="starttls", user=SMTP_USER, password=SMTP_PASSWORD)
    with Mailer(options, ssl_context=client_tls) as mailer:
        assert mailer.send(_briefing(_reader(), links)).status == "sent"
        assert mailer.send(_briefing(_reader(), links)).status == "sent"
    assert starttls_server.handler.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"security": "starttls", "user": SMTP_USER, "password": "wrong"}, "535"),
        ({"security": "none"}, "530"),
    ],
    ids=["wrong-password", "no-starttls"],
)
def test_a_server_refusing_newsdesk_is_an_error_at_once(
    starttls_server: SmtpServer,
    links: Links,
    client_tls: ssl.SSLContext,
    simulated_time: SimulatedTime,
    overrides: dict[str, str],
    message: str,
) -> None:
    options = starttls_server.options(**overrides)
    clock, sleep = simulated_time.clock, simulated_time.sleep
    with (
        Mailer(options, ssl_context=client_tls, clock=clock, sleep=sleep) as mailer,
        pytest.raises(DeliveryError, match=rf"refused newsdesk: {message}.*smtp_password"),
    ):
        mailer.send(_briefing(_reader(), links))
    assert simulated_time.sleeps == []
    assert starttls_server.handler.received == []


def test_implicit_tls(tls_server: SmtpServer, links: Links, client_tls: ssl.SSLContext) -> None:
    with Mailer(tls_server.options(security="tls"), ssl_context=client_tls) as mailer:
        assert mailer.send(_briefing(_reader(), links)).status == "sent"
    assert tls_server.handler.count() == 1


def test_an_untrusted_certificate_is_an_error_at_once(
    tls_server: SmtpServer, links: Links, simulated_time: SimulatedTime
) -> None:
    options = tls_server.options(security="tls")
    with (
        Mailer(options, clock=simulated_time.clock, sleep=simulated_time.sleep) as mailer,
        pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        mailer.send(_briefing(_reader(), links))
    assert simulated_time.sleeps == []


def test_smtp_options_come_from_the_settings() -> None:
    settings = Settings(
        smtp_host="mail.example.org", smtp_port=587, smtp_security="starttls",
        smtp_user="desk", smtp_password="secret", smtp_rate=2.5, mail_from=MAIL_FROM,
    )  # fmt: skip
    assert smtp_options(settings) == SmtpOptions(
        host="mail.example.org", port=587, security="starttls", user="desk",
        password="secret", rate=2.5, mail_from=MAIL_FROM,
    )  # fmt: skip


def test_a_subject_with_line_breaks_becomes_one_line(
    smtp_server: SmtpServer, mailer: Mailer, links: Links
) -> None:
    content = BriefingEmail("Floods in\r\nValencia:\n  the toll rises", "Text.")
    message = briefing_message(
        _reader(), content, mail_from=MAIL_FROM, links=links, message_id="<1@desk.example.org>"
    )
    mailer.send(message)
    [received] = smtp_server.handler.messages_to(_reader().email)
    assert received["Subject"] == "Floods in Valencia: the toll rises"
    assert received.get_content_type() == "text/plain"
