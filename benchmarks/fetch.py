"""Fetching throughput and archive-ingest memory, against a local server and a local WARC.

Part 1 serves the 157 real pages of html/newspaper from a local HTTP server (127.0.0.1, a
random port), with four RSS feeds that link to every page once, registers the feeds in a
fresh SQLite database and times ONE `fetch_round` on both cores: fetch the feeds, fetch
every page, extract, analyse, store. Politeness is off for the local host (no delay, no
robots.txt, eight requests at a time). Each such round runs in a new interpreter, as a
`newsdesk fetch` does, so its wall clock includes loading the models (once, in the
round's process, before its workers fork from it); the round is also timed without
analysis, and (when workers are forked, as on Linux) with the models already loaded, as
in the long-running `newsdesk run`, which loads them before its first round: that figure
is the pipeline's pace without the start-up cost. The feed items carry a link and
nothing else, so each article's title and date are the page's.

Part 2 writes a WARC.gz of `--pages` copies of the same pages (10,000 by default), each
at its own URL with its copy number in its title and first paragraph, and with the
page's canonical link and og:url disabled, so every copy is a distinct new article (not
an unchanged one). It runs `newsdesk ingest FILE --no-analysis` as a subprocess and
samples the memory of its process tree (the command and its workers) every 0.2 s: RSS,
which counts pages shared by forked workers once per process, and PSS, which splits them.
A smaller archive (`--analysed-pages`, 1,000 by default) is then ingested with analysis.

Targets (issue 4): at least 15 articles/s, and memory flat and under 500 MB.
Prints the medians of `--runs` rounds; the throughput figure with analysis last.

    python benchmarks/fetch.py [--runs 3] [--pages 10000] [--analysed-pages 1000]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from newsdesk.analyze import warm_up
from newsdesk.ingest.fetch import Fetcher, FetchSettings
from newsdesk.ingest.rounds import fetch_round
from newsdesk.store import Store
from newsdesk.store.sources import add_source

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.http_server import LocalServer, serve, static  # noqa: E402

PAGES = REPO.parent / "shared" / "data" / "html" / "newspaper" / "html"
NEWSDESK = Path(sys.executable).with_name("newsdesk")
FEEDS = 4
WORKERS = 2
SAMPLE_SECONDS = 0.2
LOCAL = FetchSettings(allow=("127.0.0.1",), min_delay=0, per_host=8, respect_robots=False)
_MB = 1024 * 1024


@dataclass(frozen=True)
class Round:
    """One timed polling round: seconds, and how many pages were stored or failed."""

    seconds: float
    stored: int
    failed: int

    @property
    def rate(self) -> float:
        """Articles stored per second."""
        return self.stored / self.seconds


@dataclass(frozen=True)
class Sample:
    """The memory of a process tree at one moment (seconds since start, bytes)."""

    at: float
    rss: int
    pss: int


def _pages() -> dict[str, bytes]:
    """Every real page by file name, read once (the server and the WARC serve copies)."""
    return {path.name: path.read_bytes() for path in sorted(PAGES.glob("*.html"))}


def _feed(server: LocalServer, number: int, names: Sequence[str]) -> bytes:
    """An RSS 2.0 feed whose items link to the named pages on the server."""
    items = "".join(
        f"<item><link>{escape(server.url('/articles/' + name))}</link>"
        f"<guid>{escape(server.url('/articles/' + name))}</guid></item>"
        for name in names
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Benchmark feed {number}</title><link>{server.url('/')}</link>"
        f"<description>Local pages</description>{items}</channel></rss>"
    ).encode()


def _route_all(server: LocalServer, pages: dict[str, bytes]) -> list[str]:
    """Serve every page and the feeds (each page in one feed); return the feeds' URLs."""
    for name, body in pages.items():
        server.route(f"/articles/{name}", static(body, "text/html"))
    names = sorted(pages)
    urls = []
    for number in range(FEEDS):
        path = f"/feeds/{number}.xml"
        server.route(
            path, static(_feed(server, number, names[number::FEEDS]), "application/rss+xml")
        )
        urls.append(server.url(path))
    return urls


def _one_round(feeds: Sequence[str], *, analyze: bool) -> Round:
    """Register the feeds in a new database and time one round of fetching them."""
    with tempfile.TemporaryDirectory() as folder:
        now = datetime.now(UTC)
        with Store.open(f"sqlite:///{folder}/bench.db", upgrade=True) as store:
            for url in feeds:
                add_source(store, url, "feed", now=now)
            with Fetcher(LOCAL) as fetcher:
                started = time.perf_counter()
                report = fetch_round(store, fetcher, now=now, workers=WORKERS, analyze=analyze)
                seconds = time.perf_counter() - started
    counts = report.ingest.counts()
    return Round(seconds, counts["stored"], counts["failed"])


def _median_rate(
    label: str, runs: int, feeds: Sequence[str], *, analyze: bool, cold: bool = True
) -> float:
    """Time `runs` rounds, print each, and return the median articles per second.

    A cold round runs in a new interpreter, with nothing loaded (as a `newsdesk fetch`);
    otherwise in this process, with whatever it has loaded already.
    """
    rates = []
    for run in range(runs):
        if cold:
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(1, mp_context=spawn) as fresh:
                result = fresh.submit(_one_round, feeds, analyze=analyze).result()
        else:
            result = _one_round(feeds, analyze=analyze)
        rates.append(result.rate)
        print(
            f"{label}, run {run + 1}: {result.stored} articles stored ({result.failed} pages "
            f"without one) in {result.seconds:.2f} s = {result.rate:.1f} articles/s"
        )
    return statistics.median(rates)


def throughput(pages: dict[str, bytes], runs: int) -> dict[str, float]:
    """Part 1: median articles/s of a fetch round, by what the round does."""
    medians = {}
    with serve() as server:
        feeds = _route_all(server, pages)
        medians["no analysis"] = _median_rate("no analysis", runs, feeds, analyze=False)
        medians["analysis"] = _median_rate("with analysis", runs, feeds, analyze=True)
        if multiprocessing.get_start_method() == "fork":
            warm_up()
            medians["preloaded"] = _median_rate(
                "with analysis, model preloaded", runs, feeds, analyze=True, cold=False
            )
    return medians


_CANONICAL = re.compile(rb"""(rel\s*=\s*["']?)canonical\b""", re.IGNORECASE)
_TITLE = re.compile(rb"<title\b[^>]*>", re.IGNORECASE)
_PARAGRAPH = re.compile(rb"<p\b[^>]*>", re.IGNORECASE)


def _copy(body: bytes, number: int) -> bytes:
    """A distinct copy of a page: numbered title and first paragraph, no canonical URL."""
    body = _CANONICAL.sub(rb"\1x-original", body).replace(b"og:url", b"x-og-url")
    mark = b"Copy %d: " % number
    body = _TITLE.sub(lambda m: m.group(0) + mark, body, count=1)
    return _PARAGRAPH.sub(lambda m: m.group(0) + mark, body, count=1)


def write_warc(path: Path, pages: dict[str, bytes], count: int) -> None:
    """A WARC.gz of `count` response records cycling through the pages (no request records)."""
    names = sorted(pages)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "benchmark"}))
        for number in range(count):
            name = names[number % len(names)]
            body = _copy(pages[name], number)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://news.example/{number}/{name}", "response",
                payload=io.BytesIO(body), length=len(body), http_headers=headers,
            )  # fmt: skip
            writer.write_record(record)


def _process_tree(root: int) -> list[int]:
    """The process and all its descendants, found through each process's parent id."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _field_kb(path: str, name: str) -> int:
    """A `Name:  N kB` field of a /proc file, in bytes (0 when the process is gone)."""
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(name):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _sample(root: int, at: float) -> Sample:
    """The summed RSS and PSS of a process and its descendants now."""
    pids = _process_tree(root)
    rss = sum(_field_kb(f"/proc/{pid}/status", "VmRSS:") for pid in pids)
    pss = sum(_field_kb(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids)
    return Sample(at, rss, pss)


def _run_sampled(command: Sequence[str], log: Path) -> tuple[float, list[Sample]]:
    """Run a command, sampling its tree's memory; its output goes to `log`."""
    samples = []
    started = time.perf_counter()
    with log.open("wb") as out, subprocess.Popen(command, stdout=out, stderr=out) as process:
        while process.poll() is None:
            samples.append(_sample(process.pid, time.perf_counter() - started))
            time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):  # 1: some pages hold no article, as expected
        sys.exit(f"{' '.join(command)} failed: {log.read_text()[-800:]}")
    return seconds, [s for s in samples if s.rss]


def _stored_articles(db: Path) -> int:
    """How many articles the database holds (the run's own count, not the CLI's output)."""
    with sqlite3.connect(db) as connection:
        (count,) = connection.execute("SELECT count(*) FROM articles").fetchone()
    connection.close()
    return int(count)


def _at_fraction(samples: Sequence[Sample], fraction: float) -> Sample:
    """The sample nearest to a fraction of the run (1.0: the last one)."""
    target = fraction * samples[-1].at
    return min(samples, key=lambda s: abs(s.at - target))


def ingest_memory(pages: dict[str, bytes], count: int, *flags: str) -> str:
    """Part 2: ingest a WARC of `count` pages; print its memory profile; return its peak."""
    with tempfile.TemporaryDirectory() as folder:
        warc, db = Path(folder) / "pages.warc.gz", Path(folder) / "bench.db"
        started = time.perf_counter()
        write_warc(warc, pages, count)
        print(
            f"\nwrote {warc.name}: {count} pages, {warc.stat().st_size / _MB:.0f} MB, "
            f"in {time.perf_counter() - started:.0f} s"
        )
        url = f"sqlite:///{db}"
        subprocess.run(
            [str(NEWSDESK), "--db", url, "db", "upgrade"], check=True, capture_output=True
        )
        command = [str(NEWSDESK), "--db", url, "ingest", str(warc), *flags]
        seconds, samples = _run_sampled(command, Path(folder) / "ingest.log")
        stored = _stored_articles(db)
    label = " ".join(["newsdesk ingest", *flags])
    print(f"{label}: {stored} articles stored in {seconds:.0f} s = {stored / seconds:.1f}/s")
    _print_profile(samples)
    return _peak(samples)


def _print_profile(samples: Sequence[Sample]) -> None:
    """Peak and quartile memory of a run, so that flatness shows."""
    quartiles = [(f"{q:.0%}", _at_fraction(samples, q)) for q in (0.25, 0.5, 0.75, 1.0)]
    print("  memory of the process tree over the run (RSS / PSS):")
    for label, sample in quartiles:
        rss, pss = sample.rss / _MB, sample.pss / _MB
        print(f"    {label:>4} ({sample.at:5.0f} s): {rss:4.0f} / {pss:4.0f} MB")
    print(f"    peak: {_peak(samples)} ({len(samples)} samples)")


def _peak(samples: Sequence[Sample]) -> str:
    """The peak memory of a run: PSS, the memory really used, then RSS, which counts the pages
    that workers share with the parent once per process."""
    peak_rss, peak_pss = max(s.rss for s in samples) / _MB, max(s.pss for s in samples) / _MB
    return f"{peak_pss:.0f} MB PSS ({peak_rss:.0f} MB RSS)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of each kind (median)")
    parser.add_argument("--pages", type=int, default=10_000, help="pages of the WARC")
    parser.add_argument(
        "--analysed-pages", type=int, default=1_000, help="pages of the analysed WARC (0: none)"
    )
    args = parser.parse_args()
    if not PAGES.is_dir():
        sys.exit(f"missing real data: {PAGES}")
    pages = _pages()
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    rates = throughput(pages, args.runs)
    peak = ingest_memory(pages, args.pages, "--no-analysis")
    peak_analysed = ingest_memory(pages, args.analysed_pages) if args.analysed_pages else None
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"\nmedians of {args.runs} rounds over {len(pages)} pages in {FEEDS} feeds:")
    print(f"fetch+extract+store (no analysis): {rates['no analysis']:.1f} articles/s")
    if "preloaded" in rates:
        print(f"fetch+extract+analyse+store, model preloaded: {rates['preloaded']:.1f} articles/s")
    if peak_analysed is not None:
        print(
            f"peak memory ingesting a WARC of {args.analysed_pages:,} pages with analysis: "
            f"{peak_analysed}"
        )
    print(f"peak memory ingesting a WARC of {args.pages:,} pages: {peak}")
    print(f"fetch+extract+analyse+store, both cores: {rates['analysis']:.1f} articles/s")


if __name__ == "__main__":
    main()
