"""`newsdesk run` as a long-running process: it serves the web desk until interrupted."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from tests.deliver.smtp_server import free_port

NEWSDESK = Path(sys.executable).parent / "newsdesk"


def test_run_serves_the_web_desk_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    desk = subprocess.Popen(
        [str(NEWSDESK), "--db", f"sqlite:///{tmp_path / 'desk.db'}", "run", "--no-fetch",
         "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        page = _get_when_up(f"http://127.0.0.1:{port}/")
        assert page.status_code == 200 and "newsdesk" in page.text
    finally:
        desk.send_signal(signal.SIGINT)
        out, err = desk.communicate(timeout=30)
    assert desk.returncode == 0, err
    assert f"the web desk is at http://127.0.0.1:{port}/" in out and "stopped" in out
    assert "Traceback" not in err


def _get_when_up(url: str, wait: float = 60.0) -> httpx.Response:
    deadline = time.monotonic() + wait
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
