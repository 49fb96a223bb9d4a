"""A real HTTP server on 127.0.0.1 (random port) for tests, with routes set per test.

Tests fetch from it instead of mocking httpx: each test registers what a path answers
(static bytes with validators, a slow answer, an error status, a redirect, a gzip bomb, an
endless body) and then reads the request log to check what the client really sent.

    with serve() as server:
        server.route("/feed.xml", static(b"<rss/>", "application/rss+xml", etag='"v1"'))
        fetch(server.url("/feed.xml"))
        assert server.requests_to("/feed.xml")[0].headers["user-agent"].startswith("newsdesk")

Paths without a route are served from `directory` when one is given, else 404.
From the shell, `python tests/http_server.py DIR [PORT]` serves a folder the same way.
"""

from __future__ import annotations

import email.utils
import mimetypes
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

Responder = Callable[["_Handler"], None]
"""Answers one request: writes the status, headers and body through the handler."""

_CHUNK = b"\0" * 65_536


@dataclass(frozen=True)
class LoggedRequest:
    """One request the server received: method, path (with query), lower-cased headers, and
    when it arrived (`time.monotonic()`, comparable with the test's own clock)."""

    method: str
    path: str
    headers: dict[str, str]
    time: float


class LocalServer:
    """A threaded HTTP/1.0 server on 127.0.0.1 whose answers are registered per path."""

    def __init__(self, directory: Path | None = None, port: int = 0) -> None:
        self.directory = directory
        self.requests: list[LoggedRequest] = []
        self.stopping = threading.Event()
        self._routes: dict[str, Responder] = {}
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT` of the running server."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return self.base_url + path

    def route(self, path: str, responder: Responder) -> None:
        """Answer requests for `path` (without the query) with `responder`."""
        with self._lock:
            self._routes[path] = responder

    def requests_to(self, path: str) -> list[LoggedRequest]:
        """The logged requests whose path (without the query) is `path`, oldest first."""
        with self._lock:
            return [r for r in self.requests if urlsplit(r.path).path == path]

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, wake slow handlers, and close the socket."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _responder(self, handler: _Handler) -> Responder:
        """Log the request and pick its responder."""
        path = urlsplit(handler.path).path
        headers = {key.lower(): value for key, value in handler.headers.items()}
        with self._lock:
            self.requests.append(
                LoggedRequest(handler.command, handler.path, headers, time.monotonic())
            )
            responder = self._routes.get(path)
        if responder is not None:
            return responder
        if self.directory is not None:
            return _file(self.directory, path)
        return status(404, body=b"not found")


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that joins its handler threads on close (no stray threads)."""

    daemon_threads = False
    block_on_close = True
    owner: LocalServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-body (as a capped fetch does) is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    """Dispatch every GET and HEAD to the route's responder."""

    server: _Server

    def do_GET(self) -> None:
        self.server.owner._responder(self)(self)

    do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean: the request log replaces the access log."""

    def send(self, code: int, headers: Mapping[str, str], body: bytes = b"") -> None:
        """Write a complete response."""
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def static(
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    *,
    headers: Mapping[str, str] | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Responder:
    """Fixed bytes; answers 304 when If-None-Match or If-Modified-Since still match."""
    validators = {"ETag": etag, "Last-Modified": last_modified}
    sent = {"Content-Type": content_type, **(headers or {})}
    sent.update({name: value for name, value in validators.items() if value})

    def respond(handler: _Handler) -> None:
        if _not_modified(handler, etag, last_modified):
            handler.send(304, {k: v for k, v in validators.items() if v})
        else:
            handler.send(200, sent, body)

    return respond


def _not_modified(handler: _Handler, etag: str | None, last_modified: str | None) -> bool:
    """True when the request's validators match the resource's."""
    if_none_match = handler.headers.get("If-None-Match")
    if etag and if_none_match:
        return etag in [tag.strip() for tag in if_none_match.split(",")]
    since = handler.headers.get("If-Modified-Since")
    if last_modified and since:
        try:
            return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
                last_modified
            )
        except (TypeError, ValueError):
            return False
    return False


def status(code: int, *, headers: Mapping[str, str] | None = None, body: bytes = b"") -> Responder:
    """A bare status, e.g. 500, or 429 with `{"Retry-After": "120"}`."""
    return lambda handler: handler.send(
        code, {"Content-Type": "text/plain", **(headers or {})}, body
    )


def redirect(location: str, code: int = 302) -> Responder:
    """A redirect to `location` (absolute or relative)."""
    return status(code, headers={"Location": location})


def slow(seconds: float, body: bytes = b"late") -> Responder:
    """Answer after `seconds` (woken early when the server stops)."""

    def respond(handler: _Handler) -> None:
        handler.server.owner.stopping.wait(seconds)
        handler.send(200, {"Content-Type": "text/plain"}, body)

    return respond


def gzip_bomb(decoded_bytes: int) -> Responder:
    """A small gzip body (about 1/1000 of its size) that decodes to `decoded_bytes` zeros."""
    body = _gzip_zeros(decoded_bytes)
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    return lambda handler: handler.send(200, headers, body)


@lru_cache(maxsize=4)
def _gzip_zeros(size: int) -> bytes:
    """gzip of `size` zero bytes, built a chunk at a time (never `size` bytes in memory)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [
        compressor.compress(_CHUNK[: min(len(_CHUNK), size - done)])
        for done in range(0, size, len(_CHUNK))
    ]
    return b"".join(parts) + compressor.flush()


def endless(total_bytes: int, content_type: str = "text/html") -> Responder:
    """A body of `total_bytes` zeros streamed in 64 KiB chunks, without a Content-Length."""

    def respond(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        for done in range(0, total_bytes, len(_CHUNK)):
            if handler.server.owner.stopping.is_set():
                return
            handler.wfile.write(_CHUNK[: min(len(_CHUNK), total_bytes - done)])

    return respond


def _file(directory: Path, path: str) -> Responder:
    """A file under `directory`, or 404 for anything missing or outside it."""
    root = directory.resolve()
    target = (root / path.lstrip("/")).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(root) or not target.is_file():
        return status(404, body=b"not found")
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return static(target.read_bytes(), content_type)


@contextmanager
def serve(directory: Path | None = None) -> Iterator[LocalServer]:
    """A started server for the `with` block; stopped and closed afterwards."""
    server = LocalServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str]) -> None:
    """`python tests/http_server.py DIR [PORT]`: serve a folder until Ctrl-C."""
    if not argv:
        sys.exit("usage: python tests/http_server.py DIR [PORT]")
    server = LocalServer(Path(argv[0]), int(argv[1]) if len(argv) > 1 else 0)
    print(f"serving {argv[0]} at {server.base_url}/ (Ctrl-C stops)")
    server.start()
    try:
        server.stopping.wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
