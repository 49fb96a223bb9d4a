"""The fetcher against a real HTTP server on 127.0.0.1: limits, validators, politeness."""

from __future__ import annotations

import itertools
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from dataclasses import replace

import brotli
import pytest
from tests.http_server import (
    LocalServer,
    endless,
    gzip_bomb,
    redirect,
    serve,
    slow,
    static,
    status,
)

from newsdesk.ingest.fetch import (
    FEED_TYPES,
    PAGE_TYPES,
    Fetcher,
    FetchError,
    FetchResult,
    FetchSettings,
)

PAGE = b"<html><body><p>Essential international news.</p></body></html>" * 20
SETTINGS = FetchSettings(
    timeout=0.5, max_bytes=1_000_000, allow=("127.0.0.1",), min_delay=0.0, per_host=2
)
LAST_MODIFIED = "Wed, 01 Jan 2025 06:00:00 GMT"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serve() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(SETTINGS) as client:
        yield client


def _fetch_error(fetcher: Fetcher, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]
    assert url in str(caught.value)
    return caught.value


def test_fetches_a_page_with_an_honest_user_agent(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/world", static(PAGE, etag='"v1"', last_modified=LAST_MODIFIED))
    result = fetcher.fetch(server.url("/world"), accept="text/html", allowed_types=PAGE_TYPES)
    assert result == FetchResult(
        server.url("/world"), 200, PAGE, "text/html", '"v1"', LAST_MODIFIED
    )
    assert not result.not_modified
    sent = server.requests_to("/world")[0].headers
    assert sent["user-agent"].startswith("newsdesk/0.1 (+https://")
    assert sent["accept"] == "text/html"
    assert "if-none-match" not in sent


@pytest.mark.parametrize(
    ("validators", "header"),
    [({"etag": '"v1"'}, "if-none-match"), ({"last_modified": LAST_MODIFIED}, "if-modified-since")],
)
def test_unchanged_resource_costs_one_304(
    server: LocalServer, fetcher: Fetcher, validators: dict[str, str], header: str
) -> None:
    server.route(
        "/feed.xml",
        static(
            b"<rss/>",
            "application/rss+xml",
            etag=validators.get("etag"),
            last_modified=validators.get("last_modified"),
        ),
    )
    first = fetcher.fetch(server.url("/feed.xml"))
    second = fetcher.fetch(
        server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified
    )
    assert second.status == 304 and second.not_modified and second.content == b""
    assert (second.etag, second.last_modified) == (first.etag, first.last_modified)
    logged = server.requests_to("/feed.xml")
    assert header not in logged[0].headers
    assert logged[1].headers[header] == next(iter(validators.values()))


def test_changed_resource_is_fetched_again(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/feed.xml", static(b"<rss>new</rss>", "application/rss+xml", etag='"v2"'))
    result = fetcher.fetch(server.url("/feed.xml"), etag='"v1"')
    assert (result.status, result.content, result.etag) == (200, b"<rss>new</rss>", '"v2"')


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/feed.xml",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
    ],
)
def test_refuses_private_addresses_and_other_schemes(url: str) -> None:
    with Fetcher(replace(SETTINGS, allow=())) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.permanent


def test_loopback_is_refused_unless_allowed(server: LocalServer) -> None:
    server.route("/feed.xml", static(b"<rss/>", "application/rss+xml"))
    with Fetcher(replace(SETTINGS, allow=())) as refusing:
        error = _fetch_error(refusing, server.url("/feed.xml"))
    assert "NEWSDESK_FETCH_ALLOW" in str(error)
    assert server.requests == []
    with Fetcher(SETTINGS) as allowing:
        assert allowing.fetch(server.url("/feed.xml")).content == b"<rss/>"


def test_redirect_to_a_private_address_is_refused_before_connecting(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.route("/go", redirect("http://10.0.0.1/admin"))
    started = time.monotonic()
    error = _fetch_error(fetcher, server.url("/go"))
    assert "refusing http://10.0.0.1/admin" in str(error)
    assert "non-public address 10.0.0.1" in str(error)
    assert time.monotonic() - started < SETTINGS.timeout  # no connection attempt timed out


def test_relative_redirect_is_followed(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/old/story", redirect("../new/story", 301))
    server.route("/new/story", static(PAGE))
    result = fetcher.fetch(server.url("/old/story"))
    assert result.url == server.url("/new/story")
    assert result.content == PAGE


def test_redirect_loop_stops(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/loop", redirect("/loop"))
    error = _fetch_error(fetcher, server.url("/loop"))
    assert "too many redirects (5)" in str(error)
    assert len(server.requests_to("/loop")) == 6


def test_robots_txt_is_obeyed_and_fetched_once(server: LocalServer, fetcher: Fetcher) -> None:
    robots = b"User-agent: *\nDisallow: /private/\n"
    server.route("/robots.txt", static(robots, "text/plain"))
    server.route("/public", static(PAGE))
    server.route("/private/page", static(PAGE))
    assert fetcher.fetch(server.url("/public")).content == PAGE
    error = _fetch_error(fetcher, server.url("/private/page"))
    assert "robots.txt disallows" in str(error) and error.permanent
    assert server.requests_to("/private/page") == []
    assert len(server.requests_to("/robots.txt")) == 1


def test_robots_is_not_consulted_when_told_not_to(server: LocalServer) -> None:
    server.route("/robots.txt", static(b"User-agent: *\nDisallow: /\n", "text/plain"))
    server.route("/page", static(PAGE))
    with Fetcher(replace(SETTINGS, respect_robots=False)) as fetcher:
        assert fetcher.fetch(server.url("/page")).content == PAGE
    assert server.requests_to("/robots.txt") == []


@pytest.mark.parametrize("code", [404, 500])
def test_missing_or_broken_robots_txt_allows(
    server: LocalServer, fetcher: Fetcher, code: int
) -> None:
    server.route("/robots.txt", status(code))
    server.route("/page", static(PAGE))
    assert fetcher.fetch(server.url("/page")).content == PAGE


def test_slow_server_times_out(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/slow", slow(3.0))
    started = time.monotonic()
    error = _fetch_error(fetcher, server.url("/slow"))
    assert "timed out after 0.5 s; try again later" in str(error)
    assert not error.permanent
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("code", "permanent", "advice"),
    [
        (500, False, "try again later"),
        (502, False, "try again later"),
        (408, False, "try again later"),
        (404, True, "check the URL"),
        (410, True, "check the URL"),
        (403, True, "check the URL"),
    ],
)
def test_error_status(
    server: LocalServer, fetcher: Fetcher, code: int, permanent: bool, advice: str
) -> None:
    server.route("/x", status(code))
    error = _fetch_error(fetcher, server.url("/x"))
    assert (error.status, error.permanent, error.retry_after) == (code, permanent, None)
    assert f"returned {code}" in str(error) and advice in str(error)


@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_is_parsed_and_respected(
    server: LocalServer, fetcher: Fetcher, code: int
) -> None:
    server.route("/busy", status(code, headers={"Retry-After": "120"}))
    server.route("/other", static(PAGE))
    error = _fetch_error(fetcher, server.url("/busy"))
    assert (error.retry_after, error.permanent) == (120.0, False)
    assert "wait 120 s" in str(error)
    again = _fetch_error(fetcher, server.url("/other"))
    assert again.retry_after is not None and 100 < again.retry_after <= 120
    assert server.requests_to("/other") == []


def test_retry_after_as_http_date(server: LocalServer, fetcher: Fetcher) -> None:
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 600))
    server.route("/busy", status(503, headers={"Retry-After": when}))
    error = _fetch_error(fetcher, server.url("/busy"))
    assert error.retry_after is not None and 590 < error.retry_after <= 600


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", lambda body: zlib.compress(body, wbits=zlib.MAX_WBITS | 16)),
        ("deflate", zlib.compress),
        ("deflate", lambda body: zlib.compress(body, wbits=-zlib.MAX_WBITS)),
        ("br", brotli.compress),
    ],
)
def test_compressed_bodies_are_decoded(
    server: LocalServer, fetcher: Fetcher, encoding: str, encode: object
) -> None:
    body = encode(PAGE)  # type: ignore[operator]
    server.route("/c", static(body, headers={"Content-Encoding": encoding}))
    assert fetcher.fetch(server.url("/c")).content == PAGE
    assert "br" in server.requests_to("/c")[0].headers["accept-encoding"]


def test_unrequested_encoding_is_refused(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/z", static(b"\x28\xb5\x2f\xfd", headers={"Content-Encoding": "zstd"}))
    assert "content encoding 'zstd'" in str(_fetch_error(fetcher, server.url("/z")))


def test_corrupt_gzip_is_refused(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/bad", static(b"\x1f\x8b not gzip", headers={"Content-Encoding": "gzip"}))
    assert "not valid for its content encoding" in str(_fetch_error(fetcher, server.url("/bad")))


def _peak_while(action: object) -> int:
    tracemalloc.start()
    try:
        action()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_gzip_bomb_stops_at_the_cap(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/bomb", gzip_bomb(50_000_000))
    errors: list[FetchError] = []

    def fetch() -> None:
        errors.append(_fetch_error(fetcher, server.url("/bomb")))

    peak = _peak_while(fetch)
    assert "larger than the 1.0 MB cap" in str(errors[0]) and errors[0].permanent
    assert peak < 6_000_000


def test_hundred_megabyte_body_stops_at_the_cap_quickly(server: LocalServer) -> None:
    server.route("/huge", endless(100_000_000))
    errors: list[FetchError] = []
    with Fetcher(replace(SETTINGS, max_bytes=10_000_000, timeout=5.0)) as fetcher:

        def fetch() -> None:
            errors.append(_fetch_error(fetcher, server.url("/huge")))

        started = time.monotonic()
        peak = _peak_while(fetch)
    assert "larger than the 10.0 MB cap" in str(errors[0])
    assert time.monotonic() - started < 5.0
    assert peak < 25_000_000


def test_content_type_is_checked(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/logo.png", static(b"\x89PNG", "image/png"))
    server.route("/feed", static(b"<rss/>", "application/rss+xml; charset=utf-8"))
    server.route("/atom", static(b"<feed/>", "application/vnd.example+xml"))
    error = _fetch_error(fetcher, server.url("/logo.png"), allowed_types=PAGE_TYPES)
    assert "served as image/png" in str(error) and error.permanent
    assert fetcher.fetch(server.url("/feed"), allowed_types=FEED_TYPES).content == b"<rss/>"
    assert fetcher.fetch(server.url("/atom"), allowed_types=FEED_TYPES).content == b"<feed/>"
    assert fetcher.fetch(server.url("/logo.png"), allowed_types=["image/*"]).status == 200


def test_requests_to_one_host_are_paced(server: LocalServer) -> None:
    server.route("/a", static(PAGE))
    with Fetcher(replace(SETTINGS, min_delay=0.5, per_host=1)) as fetcher:
        threads = [threading.Thread(target=fetcher.fetch, args=(server.url("/a"),)) for _ in "12"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        fetcher.fetch(server.url("/a"))
    times = [request.time for request in server.requests_to("/a")]
    assert len(times) == 3
    # The server logs a request when its handler runs, which a busy machine can delay by
    # tens of milliseconds after the fetcher sent it; unpaced requests would arrive together.
    assert all(later - earlier >= 0.4 for earlier, later in itertools.pairwise(times))


def test_many_threads_share_one_fetcher(server: LocalServer, fetcher: Fetcher) -> None:
    active, peak, lock = [0], [0], threading.Lock()

    def counting(handler: object) -> None:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        static(PAGE)(handler)  # type: ignore[arg-type]

    server.route("/p", counting)
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(fetcher.fetch(server.url("/p")).content))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [PAGE] * 8
    assert peak[0] == SETTINGS.per_host
