"""Browser fixtures: Debian's Chromium, driven by Playwright, on the live web desk.

`live_desk` serves the web test desk (`tests/web/conftest.py`: real articles ingested and
clustered) under uvicorn on a free loopback port, with its SMTP pointed at a real aiosmtpd
server (`tests/deliver/smtp_server.py`) and its `base_url` at the served address, so the
links in the emails it sends open in the browser as they are. `tab` is a fresh browser
context (no cookies) on that desk, a page in it, and `tab.shot(step)` writes a screenshot
to build/screenshots/<test>/ (git-ignored) for a reader to look at.

The browser is Chromium from the system (`apt-get install chromium`; CI does that), never a
Playwright download (no `playwright install`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, sync_playwright
from tests.conftest import REPO_ROOT
from tests.deliver.smtp_server import SmtpServer
from tests.web import conftest as web_fixtures
from tests.web.conftest import serve_in_thread, web_settings

from newsdesk.deliver import Links
from newsdesk.store import Store
from newsdesk.web import create_app
from newsdesk.web.desk import Desk

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
TIMEOUT_MS = 10_000
"""How long Playwright waits for an element or a page before failing."""

# The web tests' fixtures, here too: the desk (filled once per session).
desk_url = web_fixtures.desk_url
desk_store = web_fixtures.desk_store


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium, launched once per session (and test worker)."""
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}; install it with `apt-get install chromium`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@dataclass(frozen=True)
class LiveDesk:
    """A served desk: its address, its store, the SMTP server it mails, its link signer."""

    url: str
    store: Store
    smtp: SmtpServer
    links: Links


@pytest.fixture
def live_desk(desk_url: str, desk_store: Store, smtp_server: SmtpServer) -> Iterator[LiveDesk]:
    """The test desk under uvicorn on loopback, mailing through `smtp_server`."""
    settings = web_settings(desk_url, smtp_host=smtp_server.host, smtp_port=smtp_server.port)
    app = create_app(desk_store, settings)
    with serve_in_thread(app) as url:
        # The port is known only once the server listens; links in emails must point at it.
        desk = Desk.create(desk_store, replace(settings, base_url=url))
        app.state.desk = desk
        yield LiveDesk(url, desk_store, smtp_server, desk.links)


@dataclass
class Tab:
    """A browser page on the live desk, the errors its console reported, its screenshots."""

    page: Page
    folder: Path
    errors: list[str] = field(default_factory=list)
    shots: int = 0

    def shot(self, step: str, element: Locator | None = None) -> Path:
        """Screenshot the whole page (or one element of it) as the next numbered step."""
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{step}.png"
        if element is None:
            self.page.screenshot(path=str(path), full_page=True)
        else:
            element.screenshot(path=str(path))
        return path

    def record(self, message: ConsoleMessage) -> None:
        """Keep console errors (a Content-Security-Policy violation is one), with where from."""
        where = message.location.get("url", "")
        if message.type == "error":
            self.errors.append(f"{message.text} ({where})")


@pytest.fixture
def tab(browser: Browser, live_desk: LiveDesk, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A fresh browser context (no cookies) with one page on the live desk."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_desk.url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = Tab(context.new_page(), folder)
    opened.page.on("console", opened.record)
    opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
    try:
        yield opened
    finally:
        context.close()
