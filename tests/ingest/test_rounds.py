"""A polling round end to end against a real HTTP server on 127.0.0.1 serving real feeds.

The Guardian's real feed is served with its item links rewritten to local copies of real
article pages; beside it, sources that misbehave in every way issue 4 lists. The test
checks what is stored, what is refused and reported, and that a second round asks only
for what changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.hostile_xml import billion_laughs
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

from newsdesk.errors import SourceError
from newsdesk.ingest.documents import InputFailure, count_documents
from newsdesk.ingest.fetch import Fetcher, FetchSettings
from newsdesk.ingest.registry import (
    export_opml,
    import_opml,
    install_defaults,
    register_source,
)
from newsdesk.ingest.rounds import fetch_round, iter_inputs
from newsdesk.models import SourceDocument
from newsdesk.store import Store
from newsdesk.store.sources import add_source, get_source, list_sources, remove_source

NOW = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
SETTINGS = FetchSettings(timeout=1.0, max_bytes=3_000_000, allow=("127.0.0.1",), min_delay=0)
BILLION_LAUGHS = billion_laughs(
    "opml",
    '<opml version="2.0"><body><outline text="&lol9;" xmlUrl="http://127.0.0.1/x"/></body></opml>',
)


@pytest.fixture
def server(shared_data: Path) -> Iterator[LocalServer]:
    with serve() as running:
        pages = sorted((shared_data / "html/newspaper/html").glob("*.html"))
        for page in pages:
            running.route(f"/articles/{page.name}", static(page.read_bytes()))
        running.route("/robots.txt", static(b"User-agent: *\nDisallow: /private/\n", "text/plain"))
        running.route("/private/secret.html", static(pages[0].read_bytes()))
        running.route("/bomb.html", gzip_bomb(50_000_000))
        yield running


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url, upgrade=True) as opened:
        yield opened


def _guardian_feed(shared_data: Path, server: LocalServer, extra_items: str = "") -> bytes:
    """The real Guardian feed, each item linking to a local copy of a real article page."""
    feed = (shared_data / "feeds/guardian.rss").read_text(encoding="utf-8")
    pages = iter(sorted((shared_data / "html/newspaper/html").glob("*.html")))
    feed = re.sub(
        r"<link>https://www\.theguardian\.com/[^<]+</link>",
        lambda _: f"<link>{server.url('/articles/' + next(pages).name)}</link>",
        feed,
    )
    hostile = (
        f"<item><title>Robots say no</title><link>{server.url('/private/secret.html')}</link>"
        "<guid>private-1</guid></item>"
        "<item><title>Inside the network</title><link>http://10.0.0.1/admin</link>"
        "<guid>private-2</guid></item>"
        f"<item><title>Bomb</title><link>{server.url('/bomb.html')}</link><guid>bomb</guid></item>"
    )
    return feed.replace("</channel>", hostile + extra_items + "</channel>").encode()


def _misbehaving(server: LocalServer) -> dict[str, str]:
    """Sources that fail, each with the words its recorded error must contain."""
    server.route("/slow.rss", slow(3.0))
    server.route("/500.rss", status(500))
    server.route("/loop.rss", redirect("/loop.rss"))
    server.route("/huge.rss", endless(100_000_000, "application/rss+xml"))
    server.route("/broken.rss", static(b"<rss><channel><item><title>x</ti", "application/rss+xml"))
    return {
        "/slow.rss": "timed out",
        "/500.rss": "500",
        "/loop.rss": "too many redirects",
        "/huge.rss": "cap",
        "/broken.rss": "not valid",
    }


def test_a_round_stores_new_articles_and_reports_every_failure(
    store: Store, server: LocalServer, shared_data: Path
) -> None:
    server.route("/busy.html", status(503))
    busy_page = f"<item><title>Busy</title><link>{server.url('/busy.html')}</link></item>"
    server.route("/guardian.rss", static(_guardian_feed(shared_data, server, busy_page),
                                         "application/rss+xml", etag='"v1"'))  # fmt: skip
    guardian = add_source(store, server.url("/guardian.rss"), "feed", now=NOW)
    with serve() as bad, serve() as busy, Fetcher(SETTINGS) as fetcher:  # hosts of their own
        failing = {bad.url(path): words for path, words in _misbehaving(bad).items()}
        busy.route("/429.rss", status(429, headers={"Retry-After": "120"}))
        failing[busy.url("/429.rss")] = "429"  # and the host is left alone for 120 s
        for url in failing:
            add_source(store, url, "feed", now=NOW)
        report = fetch_round(store, fetcher, now=NOW, workers=1, analyze=False)

    results = {result.source.url: result for result in report.sources}
    assert results[guardian.url].status == "new" and len(results[guardian.url].items) == 59
    stored = report.ingest.counts()["stored"]
    assert stored >= 50 and store.count_articles() == stored
    refused = {f.source: f.reason or "" for f in report.ingest.failures}
    assert "robots.txt" in refused[server.url("/private/secret.html")]
    assert "non-public address" in refused["http://10.0.0.1/admin"]
    assert "cap" in refused[server.url("/bomb.html")]
    assert refused[server.url("/busy.html")].endswith("(tried again next round)")
    assert server.requests_to("/private/secret.html") == []
    for url, words in failing.items():
        health = get_source(store, url)
        assert health.failures == 1 and words in (health.last_error or ""), (url, health)
    too_many = next(url for url in failing if url.endswith("/429.rss"))
    assert get_source(store, too_many).next_poll_at == NOW + timedelta(seconds=120)
    assert get_source(store, guardian.url).items_seen == 58  # not the busy page: retried


def test_a_second_round_fetches_only_what_changed(
    store: Store, server: LocalServer, shared_data: Path
) -> None:
    feed = _guardian_feed(shared_data, server)
    server.route("/guardian.rss", static(feed, "application/rss+xml", etag='"v1"'))
    add_source(store, server.url("/guardian.rss"), "feed", now=NOW)
    with Fetcher(SETTINGS) as fetcher:
        fetch_round(store, fetcher, now=NOW, workers=1, analyze=False)
        first_total = store.count_articles()
        page_requests = len([r for r in server.requests if r.path.startswith("/articles/")])

        later = NOW + timedelta(hours=7)
        unchanged = fetch_round(store, fetcher, now=later, workers=1, analyze=False)
        assert unchanged.sources[0].status == "not modified"
        assert server.requests_to("/guardian.rss")[-1].headers["if-none-match"] == '"v1"'

        new_page = sorted((shared_data / "html/newspaper/html").glob("*.html"))[-1].name
        new_item = (f"<item><title>New</title><link>{server.url('/articles/' + new_page)}"
                    "</link><guid>new-1</guid></item>")  # fmt: skip
        changed = _guardian_feed(shared_data, server, new_item)
        server.route("/guardian.rss", static(changed, "application/rss+xml", etag='"v2"'))
        again = fetch_round(store, fetcher, now=later + timedelta(hours=7), workers=1,
                            analyze=False)  # fmt: skip
    assert [len(r.items) for r in again.sources] == [1]
    article_requests = [r for r in server.requests if r.path.startswith("/articles/")]
    assert len(article_requests) == page_requests + 1
    assert store.count_articles() in (first_total, first_total + 1)


def test_sites_are_searched_for_their_feed_and_opml_goes_both_ways(
    store: Store, server: LocalServer, shared_data: Path, tmp_path: Path
) -> None:
    server.route("/guardian.rss", static(_guardian_feed(shared_data, server),
                                         "application/rss+xml"))  # fmt: skip
    site = b'<html><head><link rel="alternate" type="application/rss+xml" href="/guardian.rss">'
    server.route("/", static(site + b"</head><body>Front page</body></html>"))
    with Fetcher(SETTINGS) as fetcher:
        source = register_source(store, fetcher, server.url("/"))
        assert (source.url, source.kind, source.name) == (
            server.url("/guardian.rss"), "feed", "The Guardian",
        )  # fmt: skip
        server.route("/nothing", static(b"<html><body>No feed here</body></html>"))
        with pytest.raises(SourceError, match="no feed found"):
            register_source(store, fetcher, server.url("/nothing"))

    opml = tmp_path / "feeds.opml"
    opml.write_text(export_opml(store), encoding="utf-8")
    assert server.url("/guardian.rss") in opml.read_text(encoding="utf-8")
    added, skipped = import_opml(store, opml)
    assert added == [] and skipped == [server.url("/guardian.rss")]

    bomb = tmp_path / "laughs.opml"
    bomb.write_bytes(BILLION_LAUGHS)
    with pytest.raises(SourceError):
        import_opml(store, bomb)
    assert len(list_sources(store)) == 1


def test_the_default_sources_are_installed_once(store: Store) -> None:
    added = install_defaults(store)
    assert 30 <= len(added) <= 50
    regions = {source.region for source in added}
    assert {"Americas", "Europe", "Asia-Pacific", "Sub-Saharan Africa"} <= regions
    assert all(source.url.startswith("https://") for source in added)
    remove_source(store, added[0].id)
    assert install_defaults(store) == []  # removed sources do not come back
    assert len(list_sources(store)) == len(added) - 1


def test_saved_feeds_give_their_articles_to_ingest_and_are_refused_as_pages(
    server: LocalServer, shared_data: Path, tmp_path: Path
) -> None:
    """A saved feed is a list of articles, not an article (it was once stored as its XML).

    `ingest` fetches the pages of the saved Guardian feed through the same guard as any
    URL and takes the full text a feed carries (content:encoded) without fetching; `extract`
    refuses both files, naming them.
    """
    saved = tmp_path / "saved"
    saved.mkdir()
    server.route("/busy.html", status(503))
    busy = f"<item><title>Busy</title><link>{server.url('/busy.html')}</link><guid>b</guid></item>"
    (saved / "guardian.rss").write_bytes(_guardian_feed(shared_data, server, busy))
    full_text = shared_data / "feeds/content-encoded.rss"
    offline = full_text.read_text(encoding="utf-8").replace(
        "https://medium.com/", "http://10.0.0.2/"
    )
    (saved / "medium.rss").write_text(offline, encoding="utf-8")  # no request leaves the machine
    assert count_documents([str(saved)]) == 0  # unknown until the feeds are read

    with Fetcher(SETTINGS) as fetcher:
        documents = list(iter_inputs([str(saved)], 3_000_000, fetcher, expand=True))
        refused = list(iter_inputs([str(saved)], 3_000_000, fetcher, expand=False))

    pages = [d for d in documents if isinstance(d, SourceDocument) and "/articles/" in d.source]
    assert len(pages) == (shared_data / "feeds/guardian.rss").read_text().count("<item>")
    failures = {d.source: d.reason for d in documents if isinstance(d, InputFailure)}
    assert "robots.txt" in failures[server.url("/private/secret.html")]
    assert "non-public address" in failures["http://10.0.0.1/admin"]
    assert "503" in failures[server.url("/busy.html")]  # no later round will try it again:
    assert "next round" not in failures[server.url("/busy.html")]  # a one-off ingest
    medium = [d for d in documents if "10.0.0.2" in d.source]
    assert len(medium) == full_text.read_text().count("<item>")
    carried = [d for d in medium if isinstance(d, SourceDocument)]
    assert len(carried) == 4 and all(d.html and len(d.html) > 4000 for d in carried)
    # the three teasers (a paragraph and a "read more") go to their pages, through the guard
    assert all("non-public" in d.reason for d in medium if isinstance(d, InputFailure))
    assert [(d.source, d.reason) for d in refused] == [  # type: ignore[union-attr]
        (str(saved / name), "a feed, not an article: `newsdesk ingest` reads the articles it lists")
        for name in ("guardian.rss", "medium.rss")
    ]
