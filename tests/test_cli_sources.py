"""`newsdesk sources …`, `fetch` and `ingest URL` in-process, against a local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.http_server import LocalServer, serve, static
from typer.testing import CliRunner

from newsdesk.cli import app

runner = CliRunner()


@pytest.fixture
def server(shared_data: Path) -> Iterator[LocalServer]:
    with serve() as running:
        pages = sorted((shared_data / "html/newspaper/html").glob("reuters*.html"))
        items = "".join(
            f"<item><title>{page.stem}</title><link>{running.url('/a/' + page.name)}</link>"
            f"<guid>{page.stem}</guid></item>"
            for page in pages
        )
        feed = f"<rss version='2.0'><channel><title>Local wire</title>{items}</channel></rss>"
        running.route("/feed.rss", static(feed.encode(), "application/rss+xml", etag='"1"'))
        for page in pages:
            running.route(f"/a/{page.name}", static(page.read_bytes()))
        yield running


def _run(db_url: str, *args: str) -> tuple[int, str, str]:
    env = {"NEWSDESK_FETCH_ALLOW": "127.0.0.1", "NEWSDESK_FETCH_MIN_DELAY": "0"}
    result = runner.invoke(app, ["--db", db_url, *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_add_fetch_list_export_remove(db_url: str, server: LocalServer, tmp_path: Path) -> None:
    feed = server.url("/feed.rss")
    code, out, _ = _run(db_url, "sources", "add", feed, "--region", "World")
    assert code == 0 and out.strip() == f"added feed {feed} (Local wire)"
    code, out, _ = _run(db_url, "fetch", "--no-analysis")
    assert code == 0 and "fetch round" in out and "stored" in out
    code, out, _ = _run(db_url, "sources", "list", "--json")
    [health] = (
        [json.loads(line) for line in out.splitlines()] if "\n{" in out else [json.loads(out)]
    )
    assert health["items_seen"] == 4 and health["last_error"] is None
    code, out, _ = _run(db_url, "articles", "list", "--json")
    assert code == 0 and len(out.strip().splitlines()) == 4
    assert _run(db_url, "fetch")[0] == 0  # not due yet: nothing fetched, nothing failed

    opml = tmp_path / "feeds.opml"
    assert _run(db_url, "sources", "export", "--out", str(opml))[0] == 0
    assert _run(db_url, "sources", "remove", feed)[1].strip() == f"removed {feed}"
    assert _run(db_url, "sources", "import", str(opml))[1].strip() == (
        "added 1 source, 0 already registered"
    )


def test_private_addresses_are_refused_without_the_allow_list(db_url: str) -> None:
    result = runner.invoke(app, ["--db", db_url, "sources", "add", "http://127.0.0.1:9/x"])
    assert result.exit_code == 1
    assert "NEWSDESK_FETCH_ALLOW" in result.stderr and "Traceback" not in result.stderr


def test_ingest_and_extract_take_urls(db_url: str, server: LocalServer) -> None:
    code, _, _ = _run(db_url, "ingest", "--no-analysis", server.url("/feed.rss"))
    assert code == 0
    assert len(_run(db_url, "articles", "list", "--json")[1].strip().splitlines()) == 4
    page = server.url("/a/reuters.com1.html")
    code, out, _ = _run(db_url, "extract", page, "--json")
    record = json.loads(out)
    assert code == 0 and record["source"] == page and record["body"]
