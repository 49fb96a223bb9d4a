"""The fetcher: one polite, safe HTTP GET with the limits a long-running crawler needs.

Everything newsdesk reads from the web goes through :meth:`Fetcher.fetch`, which

- refuses addresses inside the operator's network (:func:`~newsdesk.ingest.safety.check_url`)
  on the first URL and on every redirect hop, which is why redirects are followed here and
  not by httpx, and checks the address it actually connected to;
- obeys robots.txt and paces requests per host (:mod:`newsdesk.ingest.politeness`);
- sends `If-None-Match` / `If-Modified-Since` so an unchanged feed costs one 304;
- stops a body at `max_bytes` *decoded* bytes: the body is decompressed here, a few KiB of
  input at a time with bounded output, so a gzip or brotli bomb never inflates past the cap
  (httpx would inflate a whole 64 KiB network read, up to ~64 MB, at once);
- times out on connect, on each read, and on the whole request (a server dripping one byte
  a second does not hold a worker for ever);
- turns every failure into a :class:`FetchError` that names the URL, says what to do, and
  tells the caller whether retrying can help (`permanent`) and when (`retry_after`).

Brotli (`Content-Encoding: br`) is offered and decoded when the `brotli` package (1.2 or
later) is installed; otherwise it is not offered, and a server that sends it anyway is refused.
"""

from __future__ import annotations

import email.utils
import importlib
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from newsdesk.errors import SourceError
from newsdesk.ingest.politeness import HostPacer, RobotsCache
from newsdesk.ingest.safety import HostNotFoundError, check_address, check_url

try:
    _brotli: Any = importlib.import_module("brotli")
except ImportError:  # pragma: no cover - depends on the installation
    _brotli = None

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "application/xml",
    "text/xml",
    "+xml",
    "text/plain",
)
"""Content types a feed is served as (`+xml` matches any XML type; some servers say text)."""

PAGE_TYPES = ("text/html", "application/xhtml+xml")
"""Content types an article page is served as."""

ACCEPT_ENCODING = "gzip, deflate, br" if _brotli is not None else "gzip, deflate"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_LATER = frozenset({408, 429})
_ROBOTS_MAX_BYTES = 512_000
_MAX_RETRY_AFTER = 86_400.0
_RAW_SLICE = 4_096
_DECODED_PIECE = 1_048_576


@dataclass(frozen=True)
class FetchSettings:
    """How the fetcher behaves; the defaults suit polling public news sites."""

    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)"
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    allow: tuple[str, ...] = ()
    min_delay: float = 1.0
    per_host: int = 1
    respect_robots: bool = True


@dataclass(frozen=True)
class FetchResult:
    """What a successful fetch returned: the body, or "not modified" (304)."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """True when the server said the resource has not changed since the given validators."""
        return self.status == 304


class FetchError(SourceError):
    """A URL could not be fetched; the message names it and says what to do.

    Attributes:
        retry_after: seconds the server asked us to wait (429/503 `Retry-After`), if any.
        permanent: True when retrying will not help (a 404, a refused address, a body over
            the cap); False for timeouts, 5xx, 408 and 429.
        status: the HTTP status when the server answered with an error status, else None.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        status: int | None = None,
    ) -> None:
        """Keep the message and the retry hints."""
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
        self.status = status


class Fetcher:
    """One HTTP client with robots.txt cache and per-host pacing, shared by threads.

    Use it as a context manager, or call :meth:`close`, so its connections are closed.
    """

    def __init__(self, settings: FetchSettings = FetchSettings()) -> None:
        """Open the client; nothing is fetched until :meth:`fetch`."""
        self.settings = settings
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )
        self._pacer = HostPacer(settings.min_delay, settings.per_host)
        self._robots = RobotsCache(settings.user_agent, self._load_robots)
        self._paced_hosts: set[str] = set()
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "*/*",
        allowed_types: Sequence[str] = (),
    ) -> FetchResult:
        """GET a URL safely and politely, following redirects.

        Args:
            url: an http(s) URL.
            etag: the `ETag` of the copy we have; sent as `If-None-Match`.
            last_modified: its `Last-Modified`; sent as `If-Modified-Since`.
            accept: the `Accept` header.
            allowed_types: media types the body may have (e.g. :data:`FEED_TYPES`); an
                entry `type/*` matches a major type and `+xml` a suffix. Empty = any. A
                response without a `Content-Type` is accepted.

        Returns:
            The final URL, status 200 (or another 2xx) with the decoded body, or 304 with
            an empty body when the validators still match.

        Raises:
            FetchError: the URL is refused, disallowed by robots.txt, fails, times out,
                redirects too often, has another content type, or is larger than the cap.
        """
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = _Request(url, headers, tuple(allowed_types), self.settings.max_bytes)
        return self._follow(request, obey_robots=self.settings.respect_robots)

    def _follow(self, request: _Request, *, obey_robots: bool) -> FetchResult:
        """Request each hop after checking it, until a response that is not a redirect."""
        current = request.url
        for _ in range(self.settings.max_redirects + 1):
            try:
                _guard(current, self.settings.allow)
                if obey_robots:
                    self._obey_robots(current)
                outcome = self._get(current, request)
            except FetchError as error:
                if current == request.url:
                    raise
                raise _redirected(error, request.url) from None
            if isinstance(outcome, FetchResult):
                return outcome
            current = outcome
        raise FetchError(
            f"too many redirects ({self.settings.max_redirects}) from {request.url}; check the URL",
            permanent=True,
        )

    def _obey_robots(self, url: str) -> None:
        """Raise when robots.txt disallows the URL; apply the host's Crawl-delay."""
        if not self._robots.allowed(url):
            raise FetchError(
                f"robots.txt disallows {url}; newsdesk does not fetch it",
                permanent=True,
            )
        delay = self._robots.crawl_delay(url)
        host = _host_key(url)
        with self._lock:
            if delay is not None and host not in self._paced_hosts:
                self._paced_hosts.add(host)
                self._pacer.slow_down(host, delay)

    def _load_robots(self, robots_url: str) -> tuple[int, bytes]:
        """Fetch robots.txt through the same guard and pacing; 4xx/5xx come back as status."""
        request = _Request(robots_url, {"Accept": "text/plain, */*"}, (), _ROBOTS_MAX_BYTES)
        try:
            return 200, self._follow(request, obey_robots=False).content
        except FetchError as error:
            if error.status is None:
                raise
            return error.status, b""

    def _get(self, url: str, request: _Request) -> FetchResult | str:
        """One paced GET: a result, or the next URL when the response is a redirect."""
        host = _host_key(url)
        waiting = self._pacer.deferred_for(host)
        if waiting > 0:
            raise FetchError(
                f"{url} was not fetched: its host asked newsdesk to wait {waiting:.0f} s "
                "more; try again later",
                retry_after=waiting,
            )
        with self._pacer.slot(host):
            deadline = time.monotonic() + self.settings.timeout
            try:
                with self._client.stream("GET", url, headers=request.headers) as response:
                    peer = _peer_address(response)
                    if peer:
                        check_address(url, peer, self.settings.allow)
                    return self._handle(url, response, request, deadline)
            except SourceError:
                raise
            except httpx.TimeoutException:
                raise _timeout(url, self.settings.timeout) from None
            except httpx.HTTPError as error:
                raise FetchError(f"cannot fetch {url} ({error}); try again later") from None

    def _handle(
        self, url: str, response: httpx.Response, request: _Request, deadline: float
    ) -> FetchResult | str:
        """Turn a response into a result, a redirect target or a FetchError."""
        status = response.status_code
        if status in _REDIRECTS:
            return _redirect_target(url, response)
        if status == 304:
            etag = response.headers.get("ETag") or request.headers.get("If-None-Match")
            modified = response.headers.get("Last-Modified")
            modified = modified or request.headers.get("If-Modified-Since")
            return FetchResult(url, 304, b"", _content_type(response), etag, modified)
        if not 200 <= status < 300:
            raise self._status_error(url, response)
        _check_type(url, response, request.allowed_types)
        content = _read_capped(url, response, request.max_bytes, deadline, self.settings.timeout)
        return FetchResult(
            url,
            status,
            content,
            _content_type(response),
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
        )

    def _status_error(self, url: str, response: httpx.Response) -> FetchError:
        """The FetchError for a 4xx/5xx; a Retry-After also pauses the host."""
        status = response.status_code
        what = f"{url} returned {status} {response.reason_phrase}".rstrip()
        retry_after = _parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None and status in (429, 503):
            self._pacer.defer(_host_key(url), retry_after)
            what += f"; the server asked newsdesk to wait {retry_after:.0f} s"
        permanent = 300 <= status < 500 and status not in _RETRY_LATER
        advice = "check the URL" if permanent else "try again later"
        return FetchError(
            f"{what}; {advice}", retry_after=retry_after, permanent=permanent, status=status
        )


@dataclass(frozen=True)
class _Request:
    """What one fetch asks for, carried unchanged across redirect hops."""

    url: str
    headers: dict[str, str]
    allowed_types: tuple[str, ...]
    max_bytes: int


def _redirected(error: FetchError, origin: str) -> FetchError:
    """The same error, its message naming the URL that redirected there."""
    return FetchError(
        f"{error} (redirected from {origin})",
        retry_after=error.retry_after,
        permanent=error.permanent,
        status=error.status,
    )


def _guard(url: str, allow: Sequence[str]) -> None:
    """Run the address guard, as a FetchError (a host that does not resolve may come back)."""
    try:
        check_url(url, allow)
    except HostNotFoundError as error:
        raise FetchError(str(error)) from None
    except SourceError as error:
        raise FetchError(str(error), permanent=True) from None


def _peer_address(response: httpx.Response) -> str:
    """The address the response came from (empty when the transport does not say)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    return str(peer[0]) if peer else ""


def _redirect_target(url: str, response: httpx.Response) -> str:
    """The absolute URL a redirect points to (a relative Location is resolved)."""
    location: str = response.headers.get("Location", "")
    if not location:
        raise FetchError(
            f"{url} redirected ({response.status_code}) without a Location; check the URL",
            permanent=True,
        )
    return urljoin(url, location.strip())


def _content_type(response: httpx.Response) -> str | None:
    """The response's media type, lower-cased, without parameters."""
    media_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return media_type or None


def _type_matches(media_type: str, allowed: str) -> bool:
    """Match `text/html`, a major type `text/*`, or a suffix `+xml`."""
    allowed = allowed.lower()
    if allowed.startswith("+"):
        return media_type.endswith(allowed)
    if allowed.endswith("/*"):
        return media_type.startswith(allowed[:-1])
    return media_type == allowed


def _check_type(url: str, response: httpx.Response, allowed_types: Sequence[str]) -> None:
    """Refuse a body whose declared type is none of the allowed ones."""
    media_type = _content_type(response)
    if not allowed_types or media_type is None:
        return
    if not any(_type_matches(media_type, allowed) for allowed in allowed_types):
        raise FetchError(
            f"{url} is served as {media_type}, not as one of {', '.join(allowed_types)}; "
            "check the URL",
            permanent=True,
        )


def _read_capped(
    url: str, response: httpx.Response, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    """The decoded body, refused as soon as it passes `max_bytes` or the deadline."""
    decoder = _decoder_for(url, response.headers.get("Content-Encoding", ""))
    chunks: list[bytes] = []
    size = 0
    try:
        for piece in _decoded(decoder, response.iter_raw()):
            size += len(piece)
            if size > max_bytes:
                raise FetchError(
                    f"response from {url} is larger than the {max_bytes / 1e6:.1f} MB cap; "
                    "check the URL",
                    permanent=True,
                )
            if time.monotonic() > deadline:
                raise _timeout(url, timeout)
            chunks.append(piece)
    except (zlib.error, ValueError) as error:
        raise _undecodable(url, error) from None
    except Exception as error:
        if _brotli is not None and isinstance(error, _brotli.error):
            raise _undecodable(url, error) from None
        raise
    return b"".join(chunks)


class _Decoder(Protocol):
    """Decompresses one content encoding, handing out bounded pieces."""

    def feed(self, data: bytes) -> Iterator[bytes]: ...


class _Identity:
    """No encoding: the bytes as they come."""

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield data


class _Zlib:
    """gzip, or deflate with or without its zlib wrapper (servers send both)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._decompressor: Any = None

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._decompressor is None:
            wrapped = self._gzip or (len(data) > 1 and (data[0] * 256 + data[1]) % 31 == 0)
            wbits = zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS
            self._decompressor = zlib.decompressobj(wbits if wrapped else -zlib.MAX_WBITS)
        yield self._decompressor.decompress(data, _DECODED_PIECE)
        while self._decompressor.unconsumed_tail:
            tail = self._decompressor.unconsumed_tail
            yield self._decompressor.decompress(tail, _DECODED_PIECE)


class _Brotli:
    """brotli, with the output of each step bounded."""

    def __init__(self) -> None:
        self._decompressor: Any = _brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield self._decompressor.process(data, output_buffer_limit=_DECODED_PIECE)
        while not self._decompressor.can_accept_more_data():
            yield self._decompressor.process(b"", output_buffer_limit=_DECODED_PIECE)


def _decoder_for(url: str, header: str) -> _Decoder:
    """The decoder for a Content-Encoding header; FetchError when it is not one we offered."""
    encodings = [value.strip().lower() for value in header.split(",") if value.strip()]
    encodings = [value for value in encodings if value != "identity"]
    if not encodings:
        return _Identity()
    if len(encodings) == 1 and encodings[0] in ("gzip", "x-gzip", "deflate"):
        return _Zlib(gzip=encodings[0] != "deflate")
    if encodings == ["br"] and _brotli is not None:
        return _Brotli()
    raise FetchError(
        f"response from {url} uses content encoding {header!r}, which newsdesk did not ask "
        f"for ({ACCEPT_ENCODING}); check the URL",
        permanent=True,
    )


def _decoded(decoder: _Decoder, raw: Iterator[bytes]) -> Iterator[bytes]:
    """Feed raw bytes to the decoder a few KiB at a time, yielding non-empty pieces."""
    for chunk in raw:
        for start in range(0, len(chunk), _RAW_SLICE):
            for piece in decoder.feed(chunk[start : start + _RAW_SLICE]):
                if piece:
                    yield piece


def _undecodable(url: str, error: Exception) -> FetchError:
    """The error for a body that does not decode as its Content-Encoding says."""
    return FetchError(
        f"response from {url} is not valid for its content encoding ({error}); check the URL",
        permanent=True,
    )


def _timeout(url: str, timeout: float) -> FetchError:
    """The error for a request that took longer than the timeout."""
    return FetchError(f"{url} timed out after {timeout:g} s; try again later")


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), at most a day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), _MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(0.0, seconds), _MAX_RETRY_AFTER)


def _host_key(url: str) -> str:
    """`host:port` of a URL: the unit of pacing."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"
