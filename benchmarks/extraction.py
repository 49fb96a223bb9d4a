"""Article extraction: body F1 on both shared sets, readability metadata, pages per second.

Runs newsdesk's extractor in-process over ../shared/data/html/{readability,newspaper} and
scores bodies with the shared scorer (../shared/eval/eval_extraction.py, its `evaluate`),
so the F1 printed here is the shared scorer's figure. Speed is pages per second on one
core over the newspaper set, the median of three runs. The last line is the main figure.

    .venv/bin/python benchmarks/extraction.py
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

from newsdesk.errors import SourceError
from newsdesk.extract import extract_html
from newsdesk.models import Article

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.extract.test_quality import byline_agrees, same_date, title_agrees  # noqa: E402

SHARED = REPO.parent / "shared"
DATA = SHARED / "data" / "html"
RUNS = 3


def load_scorer() -> ModuleType:
    """Import the shared scorer from its path."""
    spec = importlib.util.spec_from_file_location(
        "eval_extraction", SHARED / "eval" / "eval_extraction.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract_all(pages: list[tuple[str, str, str]]) -> dict[str, Article | None]:
    """Our article for every page (None when extraction refused it)."""
    articles: dict[str, Article | None] = {}
    for key, html, _ in pages:
        try:
            articles[key] = extract_html(html)
        except SourceError:
            articles[key] = None
    return articles


def body_f1(
    scorer: ModuleType, pages: list[tuple[str, str, str]], articles: dict[str, Any]
) -> float:
    truths = {key: reference for key, _, reference in pages}
    preds = {key: a.body if a else "" for key, a in articles.items()}
    metrics, _ = scorer.evaluate(truths, preds, n_bootstrap=0)
    return float(metrics["f1"])


def metadata_counts(articles: dict[str, Article | None]) -> dict[str, str]:
    """Titles, bylines and dates that agree with readability's expected metadata, by the
    quality tests' own rules."""
    titles = bylines = dates = with_byline = with_date = 0
    for key, article in articles.items():
        expected = json.loads((DATA / "readability" / key / "expected-metadata.json").read_text())
        with_byline += bool(expected["byline"])
        with_date += bool(expected["publishedTime"])
        if article is None:  # refused: no title, byline or date of ours agrees
            continue
        titles += title_agrees(expected["title"], article)
        bylines += bool(expected["byline"]) and byline_agrees(expected["byline"], article.authors)
        dates += bool(expected["publishedTime"]) and same_date(
            expected["publishedTime"], article.published
        )
    return {
        "titles": f"{titles}/{len(articles)}",
        "bylines": f"{bylines}/{with_byline}",
        "dates": f"{dates}/{with_date}",
    }


def pages_per_second(pages: list[tuple[str, str, str]]) -> float:
    """Median over RUNS of newspaper pages extracted per second, in this one process."""
    rates = []
    for _ in range(RUNS):
        start = time.perf_counter()
        extract_all(pages)
        rates.append(len(pages) / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    warnings.simplefilter("ignore")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    scorer = load_scorer()
    sets = {
        name: [(key, load(), ref) for key, load, ref in scorer.load_pages(str(DATA / name))[1]]
        for name in ("readability", "newspaper")
    }
    for name, pages in sets.items():
        articles = extract_all(pages)
        print(f"{name}: body F1 {body_f1(scorer, pages, articles):.4f} over {len(pages)} pages")
        if name == "readability":
            print("readability metadata:", metadata_counts(articles))
    rate = pages_per_second(sets["newspaper"])
    print(f"extraction speed: {rate:.1f} pages/s on one core (newspaper set, median of {RUNS})")


if __name__ == "__main__":
    main()
