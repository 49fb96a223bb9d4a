"""The briefing from the command line: summarize, brief, subscribers and send, end to end.

Mail goes through a real SMTP server on loopback (aiosmtpd, `tests/deliver/smtp_server.py`);
every message is parsed back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from tests.deliver.smtp_server import SmtpServer
from tests.news_texts import DAY, FLOOD, QUAKE, QUAKE_FOLLOW_UP, article, save
from typer.testing import CliRunner

from newsdesk.briefing import split_sentences
from newsdesk.cli import app
from newsdesk.models import Article
from newsdesk.store import Store
from newsdesk.stories import StoryTracker

FIRST = DAY.date() + timedelta(days=1)
HOSTILE = Article(
    title='<script>alert("title")</script>Quake aid arrives <img src=x onerror=alert(1)>',
    body=QUAKE_FOLLOW_UP + '\n\n<script>alert("body")</script> <a href="javascript:alert(2)">x</a>',
    outlet="<b>Evil</b> Times",
    url="javascript:alert(3)",
    published=DAY + timedelta(hours=21),
)


@pytest.fixture
def desk(db_url: str) -> Iterator[str]:
    """A store with the quake (three reports, one hostile) and the floods, clustered."""
    with Store.open(db_url, upgrade=True) as store:
        save(
            store,
            article("Quake kills 150 in Italy", QUAKE, "Reuters", 0),
            article("Bangladesh floods kill 40", FLOOD, "BBC", 3),
            article("L'Aquila toll rises to 207", QUAKE_FOLLOW_UP, "ANSA English", 20),
            HOSTILE,
        )
        StoryTracker(store).cluster_new()
    yield db_url


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout + result.stderr


def test_summarize_gives_the_articles_own_central_sentences(reference_article: Path) -> None:
    code, out = _run("summarize", str(reference_article), "--sentences", "2", "--json")
    record = json.loads(out)
    assert code == 0 and set(record) == {"source", "summary"}
    sentences = split_sentences(record["summary"])
    original = " ".join(reference_article.read_text(encoding="utf8").split())
    assert len(sentences) == 2 and "Obama" in sentences[0]
    assert all(sentence in original for sentence in sentences)


def test_summarize_reports_a_bad_input_and_goes_on(reference_article: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out = _run("summarize", str(tmp_path / "empty.txt"), str(reference_article), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and "error" in lines[0] and "summary" in lines[1]


def test_brief_in_every_format(desk: str) -> None:
    code, out = _run("--db", desk, "brief", "--date", FIRST.isoformat(), "--format", "json")
    briefing = json.loads(out)
    assert code == 0 and briefing["date"] == FIRST.isoformat() and briefing["subscriber"] is None
    item = briefing["top"][0]
    assert set(item) == {"story", "headline", "summary", "facts", "countries", "update", "sources"}
    assert all(set(s) == {"outlet", "title", "url"} for s in item["sources"])

    code, html = _run("--db", desk, "brief", "--date", FIRST.isoformat(), "--format", "html")
    assert code == 0 and "<table" in html and 'style="' in html  # CSS inlined
    blocks = re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    assert all(block.strip().startswith("@media") for block in blocks)  # only what can't be
    _assert_inert(html)
    code, text = _run("--db", desk, "brief", "--date", FIRST.isoformat(), "--format", "text")
    assert code == 0 and "TOP STORIES" in text and "Bangladesh" in text
    code, markdown = _run("--db", desk, "brief", "--date", FIRST.isoformat(), "--format", "md")
    assert code == 0 and markdown.startswith("# newsdesk briefing") and "## Top stories" in markdown


def test_brief_errors_are_clean(desk: str) -> None:
    code, out = _run("--db", desk, "brief", "--for", "nobody@example.org")
    assert code == 1 and "Error: no subscriber nobody@example.org" in out
    code, out = _run("--db", desk, "brief", "--format", "pdf")
    assert code == 1 and "Error: --format 'pdf'" in out
    code, out = _run("--db", desk, "brief", "--date", "tomorrow")
    assert code == 1 and "Error: --date 'tomorrow' is not a date" in out


def test_subscribe_confirm_send_and_remove(desk: str, smtp_server: SmtpServer) -> None:
    env = {"NEWSDESK_SMTP_HOST": "127.0.0.1", "NEWSDESK_SMTP_PORT": str(smtp_server.port),
           "NEWSDESK_BASE_URL": "https://desk.example.org", "NEWSDESK_SMTP_RATE": "0"}  # fmt: skip
    reader = "Reader@Example.ORG"
    code, out = _run("--db", desk, "subscribers", "add", reader, "--send-time", "06:30", env=env)
    assert code == 0 and "pending" in out
    (confirmation,) = smtp_server.handler.messages_to("Reader@example.org")
    assert "https://desk.example.org/confirm?token=" in _text(confirmation)

    code, out = _run("--db", desk, "send", "--now", "--for", reader, env=env)
    assert code == 1 and "is pending, not active" in out  # not confirmed yet

    assert _run("--db", desk, "subscribers", "confirm", reader, env=env)[0] == 0
    code, out = _run("--db", desk, "subscribers", "list", "--json", env=env)
    assert code == 0 and json.loads(out)["status"] == "active"

    code, out = _run("--db", desk, "send", "--now", "--for", reader, env=env)
    assert code == 0 and "sent" in out
    briefing = smtp_server.handler.messages_to("Reader@example.org")[-1]
    assert briefing.get_content_type() == "multipart/alternative"
    assert briefing["Subject"].startswith("Your briefing, ")
    assert briefing["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert briefing["List-Unsubscribe"].startswith("<https://desk.example.org/unsubscribe?token=")
    html = briefing.get_body(("html",)).get_content()
    _assert_inert(html)

    code, out = _run("--db", desk, "send", "--now", "--for", reader, env=env)
    assert code == 0 and "skipped" in out  # one briefing a day
    code, out = _run("--db", desk, "subscribers", "remove", reader, env=env)
    assert code == 0 and "deleted" in out
    code, out = _run("--db", desk, "subscribers", "list", "--json", env=env)
    assert out.strip() == ""


def _text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def _assert_inert(html: str) -> None:
    """No script, event handler or javascript: link from the hostile article survives."""
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()
    assert not re.search(r"<[^>]+\son\w+=", html, flags=re.IGNORECASE)
    assert "<b>Evil</b>" not in html
