"""Web desk latency: home, story, article and search pages under 10 concurrent readers.

Ingests the shared real data (about 2,600 articles: html/newspaper, html/readability,
stories/ecbplus.jsonl and summaries/bbc/articles) with analysis into a SQLite file under
/tmp and clusters it into stories; that takes 8 to 11 minutes, so `--reuse` keeps the file
of an earlier run. Then serves the desk with `newsdesk serve` in a separate process on
loopback, and from this process runs `--clients` readers (httpx, one thread each) for
`--seconds` per page kind, each reader walking its own order of varied ids and queries.
Prints requests, median and p95 latency per kind against the targets (p95 < 100 ms for
pages, < 200 ms for search), the worst p95 last.

    python benchmarks/web.py [--reuse] [--seconds 20] [--clients 10]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx

from newsdesk.ingest import ingest
from newsdesk.store import Store
from newsdesk.store.browse import SearchFilters, facet_values, outlets, recent_stories
from newsdesk.stories import StoryTracker

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SOURCES = (
    DATA / "html" / "newspaper" / "html",
    *sorted((DATA / "html" / "readability").glob("*/source.html")),
    DATA / "stories" / "ecbplus.jsonl",
    DATA / "summaries" / "bbc" / "articles",
)
DEFAULT_DB = Path("/tmp/newsdesk-web-bench.db")
SERVER_LOG = Path("/tmp/newsdesk-web-bench.log")
TARGETS_MS = {"home": 100.0, "story": 100.0, "article": 100.0, "search": 200.0}
SAMPLE = 200
"""How many distinct stories, articles and searches the readers spread over."""
STARTUP_TIMEOUT = 120.0


def build_desk(path: Path, reuse: bool) -> str:
    """The desk's database URL: the file of an earlier run, or a fresh ingest into it."""
    url = f"sqlite:///{path}"
    if reuse and path.exists():
        print(f"reusing {path}")
        return url
    partial = path.with_name(path.name + ".partial")  # a run cut short leaves nothing to reuse
    for stale in (partial, partial.with_name(partial.name + "-wal")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    with Store.open(f"sqlite:///{partial}", upgrade=True) as store:
        report = ingest([str(source) for source in SOURCES], store, max_bytes=10_000_000, workers=2)
        StoryTracker(store).cluster_new()
        total = store.count_articles()
    for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)  # an old log must not be replayed into the new file
    partial.replace(path)
    outcomes = ", ".join(f"{count} {outcome}" for outcome, count in report.counts().items())
    seconds = time.perf_counter() - started
    print(f"ingested {total} articles ({outcomes}) in {seconds:.0f} s into {path}")
    return url


def page_paths(url: str) -> dict[str, list[str]]:
    """Varied paths of each page kind: stories and articles of the desk, and searches by
    its common people, countries and outlets (words alone, and words with a filter)."""
    with Store.open(url) as store:
        story_ids = [hit.id for hit in recent_stories(store, 1, SAMPLE).items]
        article_ids = [stored.id for stored in store.list_articles(SAMPLE)]
        people = [name for name, _ in facet_values(store, "person", SAMPLE)]
        countries = [code for code, _ in facet_values(store, "country", 20)]
        outlet_names = [name for name, _ in outlets(store, 20)]
    searches = [SearchFilters(query=name) for name in people]
    searches += [
        SearchFilters(query=name, country=code) for name, code in _pairs(people, countries)
    ]
    searches += [SearchFilters(query=name, outlet=o) for name, o in _pairs(people, outlet_names)]
    return {
        "home": ["/"],
        "story": [f"/stories/{story}" for story in story_ids],
        "article": [f"/articles/{article}" for article in article_ids],
        "search": [_search_path(filters) for filters in searches],
    }


def _pairs(words: list[str], values: list[str]) -> Iterator[tuple[str, str]]:
    return zip(words[::4], itertools.cycle(values)) if values else iter(())


def _search_path(filters: SearchFilters) -> str:
    fields = {"q": filters.query, "country": filters.country, "outlet": filters.outlet}
    return "/search?" + urlencode({key: value for key, value in fields.items() if value})


@contextmanager
def served(url: str, port: int) -> Iterator[str]:
    """`newsdesk serve` on loopback in its own process; yields its base URL once it answers.
    The server's log goes to SERVER_LOG (its access log, on stdout, is dropped)."""
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "newsdesk", "--db", url, "serve", "--port", str(port)]
    env = os.environ | {"NEWSDESK_BASE_URL": base}
    with SERVER_LOG.open("wb") as log:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"newsdesk serve exited; see {SERVER_LOG}")
        try:
            httpx.get(f"{base}/openapi.json", timeout=2.0)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit(f"newsdesk serve did not answer within {STARTUP_TIMEOUT:.0f} s; see {SERVER_LOG}")


@dataclass(frozen=True)
class Figures:
    """Latencies of one page kind: how many requests, median and p95 in milliseconds."""

    kind: str
    requests: int
    errors: int
    median: float
    p95: float


def load(base: str, kind: str, paths: list[str], clients: int, seconds: float) -> Figures:
    """`clients` readers request the paths back to back for `seconds`; their latencies."""
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_reader, args=(base, paths[n:] + paths[:n], deadline, latencies, errors)
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"{kind}: {len(errors)} failed requests, e.g. {errors[0]}")
    cuts = statistics.quantiles(latencies, n=20)
    return Figures(kind, len(latencies), len(errors), statistics.median(latencies), cuts[18])


def _reader(
    base: str, paths: list[str], deadline: float, latencies: list[float], errors: list[str]
) -> None:
    """One reader: a keep-alive connection, the next page as soon as one arrives."""
    with httpx.Client(base_url=base, timeout=30.0) as client:
        for path in itertools.cycle(paths):
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            status: int | str
            try:
                status = client.get(path).status_code
            except httpx.HTTPError as error:
                status = f"{type(error).__name__}: {error}"
            elapsed = (time.perf_counter() - started) * 1000
            if status == 200:
                latencies.append(elapsed)  # list.append is atomic under the GIL
            else:
                errors.append(f"{path}: {status}")


def warm(base: str, paths: dict[str, list[str]]) -> None:
    """One request per kind first: the first briefing is composed for the first reader."""
    with httpx.Client(base_url=base, timeout=120.0) as client:
        for kind_paths in paths.values():
            client.get(kind_paths[0]).raise_for_status()


def print_table(rows: list[Figures], clients: int, seconds: float, server: str) -> None:
    """The figures per kind, then the worst p95 against its target."""
    print(f"\n{clients} concurrent clients, {seconds:.0f} s per kind, SQLite, {server}")
    print(
        f"{'page':<8} {'requests':>8} {'errors':>6} {'median ms':>10} {'p95 ms':>8} {'target':>8}"
    )
    for row in rows:
        target = TARGETS_MS[row.kind]
        verdict = "ok" if row.p95 < target else "MISSED"
        print(
            f"{row.kind:<8} {row.requests:>8} {row.errors:>6} {row.median:>10.1f} "
            f"{row.p95:>8.1f} {f'< {target:.0f}':>8} {verdict}"
        )
    worst = max(rows, key=lambda row: row.p95 / TARGETS_MS[row.kind])
    print(
        f"worst p95 against its target: {worst.kind} {worst.p95:.1f} ms "
        f"(target < {TARGETS_MS[worst.kind]:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="reuse the database of a past run")
    parser.add_argument("--db-file", type=Path, default=DEFAULT_DB)
    parser.add_argument("--seconds", type=float, default=20.0, help="load per page kind")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--url", help="load a desk already serving this database here (e.g. other workers)"
    )
    args = parser.parse_args()
    missing = [source for source in SOURCES if not source.exists()]
    if missing:
        sys.exit(f"missing real data: {missing[0]}")
    url = build_desk(args.db_file, args.reuse)
    paths = page_paths(url)
    print("pages:", ", ".join(f"{len(found)} {kind}" for kind, found in paths.items()))
    with nullcontext(args.url) if args.url else served(url, args.port) as base:
        warm(base, paths)
        rows = [load(base, kind, paths[kind], args.clients, args.seconds) for kind in TARGETS_MS]
    print_table(rows, args.clients, args.seconds, args.url or "newsdesk serve")


if __name__ == "__main__":
    main()
