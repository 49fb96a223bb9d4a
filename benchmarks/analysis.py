"""Analysis speed: the English articles of the 157 real pages in html/newspaper.

Extracts every page first (not timed), then times `analyze_articles` (spaCy parse plus
every analyzer) on one core in this process, and on both cores through worker processes
(each worker warmed up first, so the figure is throughput, not model loading). Three runs
each; prints medians, the both-cores figure last. Targets: 10 articles/s on one core,
18 articles/s with both.

    python benchmarks/analysis.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from newsdesk.analyze import ENGLISH, analyze_articles, language_of, warm_up
from newsdesk.errors import SourceError
from newsdesk.extract import extract_html
from newsdesk.ingest.documents import decode_bytes
from newsdesk.ingest.processing import CHUNK_SIZE
from newsdesk.models import Article
from newsdesk.parallel import chunked

PAGES = Path(__file__).resolve().parent.parent.parent / "shared/data/html/newspaper/html"


def english_articles() -> list[Article]:
    """Every page of the set that extracts to an English article."""
    articles = []
    for path in sorted(PAGES.glob("*.html")):
        try:
            article = extract_html(decode_bytes(path.read_bytes()))
        except SourceError:
            continue
        if language_of(article) == ENGLISH:
            articles.append(article)
    return articles


def _analyze_chunk(articles: list[Article]) -> int:
    return sum(1 for _ in analyze_articles(articles))


def one_core(articles: list[Article]) -> float:
    """Articles per second analysed in this process."""
    started = time.perf_counter()
    done = _analyze_chunk(articles)
    return done / (time.perf_counter() - started)


def both_cores(articles: list[Article], pool: ProcessPoolExecutor) -> float:
    """Articles per second analysed by two warmed-up worker processes."""
    started = time.perf_counter()
    done = sum(pool.map(_analyze_chunk, chunked(articles, CHUNK_SIZE)))
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not PAGES.is_dir():
        sys.exit(f"missing real data: {PAGES}")
    articles = english_articles()
    warm_up()
    single = [one_core(articles) for _ in range(args.runs)]
    with ProcessPoolExecutor(2, initializer=warm_up) as pool:
        list(pool.map(_analyze_chunk, chunked(articles[:8], 1)))  # start both workers
        double = [both_cores(articles, pool) for _ in range(args.runs)]
    print(f"{len(articles)} English articles of {len(list(PAGES.glob('*.html')))} pages")
    print(f"one core, median of {args.runs}: {statistics.median(single):.1f} articles/s")
    print(f"both cores, median of {args.runs}: {statistics.median(double):.1f} articles/s")


if __name__ == "__main__":
    main()
