"""Web desk fixtures: a desk filled with real news, the app over it, and a live server.

`desk_url` is a database (SQLite, and PostgreSQL when `NEWSDESK_TEST_PG` is set) into which
real articles were ingested once per session with `newsdesk.ingest.ingest` and clustered:
ECB+ articles of four international stories (and a wire copy of one, under another outlet),
two Reuters pages from the newspaper set and two hostile inputs (`HOSTILE_PAGE`,
`HOSTILE_LINE`) carrying `<script>`, `onerror=` and `javascript:` links. Tests only add
to it (subscribers, sources), so they share it.

`client` is a TestClient over a fresh app (fresh rate limits) on that desk, with the owner
password `OWNER_PASSWORD` and a real SMTP server on loopback (`smtp_server`). For a real
browser, `serve_in_thread(app)` runs the app under uvicorn on a free port:

    with serve_in_thread(create_app(store, settings)) as base_url:
        page.goto(f"{base_url}/subscribe")

From the shell, `python tests/web/conftest.py [PORT]` fills a SQLite desk in a temporary
folder and serves it until Ctrl-C (owner password: OWNER_PASSWORD).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from lxml import etree, html
from tests.conftest import SHARED_DATA, _backends, _fresh_postgres_database, require_shared
from tests.deliver.smtp_server import SmtpServer

from newsdesk.config import Settings, load_settings
from newsdesk.ingest import ingest
from newsdesk.store import Store
from newsdesk.stories import StoryTracker
from newsdesk.web import create_app
from newsdesk.web.security import hash_password

with warnings.catch_warnings():  # starlette asks for httpx2 at import; httpx is what we have
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

OWNER_PASSWORD = "correct horse battery staple"
BASE_URL = "http://testserver"
ECB_STORIES = {"12_ecb": 4, "19_ecb": 4, "24_ecbplus": 3, "30_ecbplus": 3}
"""Gold stories of ECB+ and how many of their articles to ingest (those with a body of
at least `MIN_TEXT` characters)."""
MIN_TEXT = 400
NEWSPAPER_PAGES = ("reuters.com1.html", "reuters.com2.html")

HOSTILE_TITLE = "Harbour talks <script>alert('title')</script> resume in Oslo"
HOSTILE_PAGE = f"""<!DOCTYPE html>
<html><head><title>{HOSTILE_TITLE.replace("<", "&lt;")}</title>
<link rel="canonical" href="https://hostile.example/harbour-talks">
<script>alert('head')</script></head>
<body onload="alert('body')"><article>
<h1>{HOSTILE_TITLE.replace("<", "&lt;")}</h1>
<p>Delegates from Norway and Iceland met in Oslo on Monday to resume talks over the disputed
fishing harbour, the Norwegian foreign ministry said. <img src="x" onerror="alert('img')"></p>
<p>"We will not give up the harbour &lt;img src=x onerror=alert('quote')&gt; without a fair
deal," said Norwegian minister Ingrid Solberg after the first round of talks in Oslo.</p>
<p>The talks follow months of dispute. Read <a href="javascript:alert('link')">the
agreement</a> and <a href="https://hostile.example/map" onclick="alert('click')">the map</a>.
<script>alert('inline')</script></p>
<p onmouseover="alert('hover')">Iceland's delegation said it expected a second round of talks
in Reykjavik next month, and fishermen in both countries were watching closely.</p>
</article></body></html>
"""
HOSTILE_OUTLET = "<script>alert('outlet')</script>"
HOSTILE_LINE = {
    "id": "hostile-line",
    "url": "javascript:alert('url')",
    "outlet": HOSTILE_OUTLET,
    "title": "<img src=x onerror=alert('headline')> Pirates strike off Somalia",
    "text": (  # a plain-text body's first line is taken as its headline
        "Pirates strike off Somalia\n\n"
        "Somali pirates seized a cargo ship in the Gulf of Aden on Tuesday, the navy said. "
        "<script>alert('text')</script> The crew of 20 was unharmed, officials in Mogadishu "
        'said. "<a href=javascript:alert(1)>We are negotiating</a>," a spokesman said.\n\n'
        "The ship was carrying grain to Mombasa when it was boarded."
    ),
}


def _write_inputs(folder: Path) -> list[str]:
    """The inputs of the test desk, written (from ../shared/data) into `folder`."""
    wanted = dict(ECB_STORIES)
    lines = []
    ecb = require_shared(SHARED_DATA / "stories" / "ecbplus.jsonl")
    for line in ecb.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if wanted.get(record["story"], 0) > 0 and len(record["text"]) >= MIN_TEXT:
            wanted[record["story"]] -= 1
            lines.append(line)
    first = json.loads(lines[0])  # a wire copy: the same text, run by another outlet
    copy = {"id": "wire-copy", "url": "https://copies.example/navy", "outlet": "Copies Daily"}
    lines.append(json.dumps({**first, **copy, "title": "Navy seizes pirates"}))
    lines.append(json.dumps(HOSTILE_LINE))
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "hostile.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    pages = SHARED_DATA / "html" / "newspaper" / "html"
    return [
        str(folder / "articles.jsonl"),
        str(folder / "hostile.html"),
        *(str(require_shared(pages / name)) for name in NEWSPAPER_PAGES),
    ]


def fill_desk(url: str, folder: Path) -> None:
    """Ingest the test desk's inputs into the database at `url` and cluster them."""
    with Store.open(url, upgrade=True) as store:
        report = ingest(_write_inputs(folder), store, max_bytes=10_000_000, workers=1)
        assert not report.failures, report.failures
        StoryTracker(store).cluster_new()


@pytest.fixture(scope="session", params=_backends())
def desk_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database filled with the test desk (once per session and backend)."""
    folder = tmp_path_factory.mktemp(f"desk-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'desk.db'}"
        fill_desk(url, folder)
        yield url
        return
    for url in _fresh_postgres_database(os.environ["NEWSDESK_TEST_PG"]):
        fill_desk(url, folder)
        yield url


@pytest.fixture(scope="session")
def desk_store(desk_url: str) -> Iterator[Store]:
    """The open store of the test desk."""
    with Store.open(desk_url) as store:
        yield store


def web_settings(url: str, **overrides: Any) -> Settings:
    """Settings for a test desk: its database, the owner password, no pacing."""
    base = load_settings(environ={})
    values: dict[str, Any] = {
        "db": url, "base_url": BASE_URL, "owner_password_hash": _owner_hash(),
        "smtp_rate": 0.0, "fetch_allow": "127.0.0.1", "fetch_min_delay": 0.0,
    }  # fmt: skip
    return replace(base, **(values | overrides))


@cache
def _owner_hash() -> str:
    """The hash of OWNER_PASSWORD (scrypt is slow on purpose: made once)."""
    return hash_password(OWNER_PASSWORD)


@pytest.fixture
def settings(desk_url: str, smtp_server: SmtpServer) -> Settings:
    """The test desk's settings, sending mail to `smtp_server`."""
    return web_settings(desk_url, smtp_host=smtp_server.host, smtp_port=smtp_server.port)


@contextmanager
def open_client(store: Store, settings: Settings) -> Iterator[TestClient]:
    """A TestClient of a fresh app with these settings (cookies kept between requests)."""
    with TestClient(create_app(store, settings), base_url=BASE_URL) as test_client:
        yield test_client


@pytest.fixture
def client(desk_store: Store, settings: Settings) -> Iterator[TestClient]:
    """A client of a fresh app on the test desk."""
    with open_client(desk_store, settings) as test_client:
        yield test_client


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Run an ASGI app under uvicorn on a free port in a thread; yield its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        threading.Event().wait(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(page: str) -> str:
    """The CSRF token of the (first) form on a page."""
    found = _CSRF.search(page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def login(client: TestClient) -> None:
    """Log the client in as the owner."""
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login", data={"password": OWNER_PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


def assert_inert(page: str) -> None:
    """Fail if an HTML document could run script: a script element, an on* handler, or a
    javascript:/data:/vbscript: URL."""
    document = html.document_fromstring(page)
    assert not document.xpath("//script"), "a <script> element reached the page"
    for element in document.iter(etree.Element):
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"<{element.tag} {name}=...> is live"
            if name.lower() in _URL_ATTRIBUTES:
                scheme = value.strip().lower().split(":", 1)[0]
                assert scheme not in ("javascript", "data", "vbscript"), f"{name}={value!r}"


def assert_inert_feed(feed: bytes) -> None:
    """Fail if an Atom feed, or the HTML inside its entries, could run script."""
    root = etree.fromstring(feed)
    atom = "{http://www.w3.org/2005/Atom}"
    for link in root.iter(f"{atom}link"):
        assert link.get("href", "").startswith(("http://", "https://")), link.get("href")
    for content in root.iter(f"{atom}content"):
        if content.get("type") == "html" and (content.text or "").strip():
            assert_inert(content.text or "")


def _serve_from_shell(port: int) -> None:
    """Fill a SQLite desk in a temporary folder and serve it until Ctrl-C."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-web-"))
    url = f"sqlite:///{folder / 'desk.db'}"
    fill_desk(url, folder)
    with Store.open(url) as store:
        print(f"serving {url} on http://127.0.0.1:{port}/ (owner password: {OWNER_PASSWORD})")
        uvicorn.run(create_app(store, web_settings(url)), host="127.0.0.1", port=port)


if __name__ == "__main__":
    _serve_from_shell(int(sys.argv[1]) if len(sys.argv) > 1 else 8000)
