"""Cluster ECB+ into stories through the real pipeline, and score them with the shared scorer.

    python benchmarks/stories.py [--shuffles N] [--workers W]

`../shared/data/stories/ecbplus.jsonl` is ingested in file order into a new SQLite store with
`newsdesk.ingest.ingest` (extraction and analysis, as `newsdesk ingest` does), then the
stories stage files every article under a story (`StoryTracker.cluster_new`, as after every
ingest). Each input line's article and story become a prediction line `{"id", "story"}` for
`../shared/eval/eval_stories.py`. ECB+ has no dates: every article is filed under the time it
was first seen, all within the same minutes (the same day). Three ECB+ records share one URL
and so are one article, which takes one story: all three are predicted in it.

Order robustness: `--shuffles N` ingests N shuffled copies too (seeds 1..N) and prints each
F1 and its difference from file order. B-cubed F1 in file order is printed last.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from newsdesk.ingest import ingest
from newsdesk.store import Store
from newsdesk.store.stories import story_ids_of
from newsdesk.stories import StoryTracker

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "data" / "stories" / "ecbplus.jsonl"
SCORER = ROOT.parent / "shared" / "eval" / "eval_stories.py"


def read_lines() -> list[str]:
    """The ECB+ records as JSONL lines, in file order."""
    return [line for line in GOLD.read_text(encoding="utf8").splitlines() if line.strip()]


def predict(lines: list[str], folder: Path, workers: int) -> list[dict[str, Any]]:
    """Ingest the lines into a new store, cluster, and give each record's story."""
    source = folder / "ecbplus.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf8")
    with Store.open(f"sqlite:///{folder / 'stories.db'}", upgrade=True) as store:
        report = ingest([str(source)], store, max_bytes=50_000_000, workers=workers)
        StoryTracker(store).cluster_new()
        article_of = {r.source: r.article_id for r in report.results if r.article_id}
        story_of = story_ids_of(store, article_of.values())
    predictions = []
    for number, line in enumerate(lines, start=1):
        article = article_of.get(f"{source}:{number}")
        story = story_of.get(article) if article is not None else None
        predictions.append({"id": json.loads(line)["id"], "story": story})
    return predictions


def score(predictions: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    """The shared scorer's summary for these predictions."""
    path = folder / "predictions.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf8")
    result = subprocess.run(
        [sys.executable, str(SCORER), "--pred", str(path), "--gold", str(GOLD)],
        capture_output=True,
        text=True,
        check=True,
    )
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


def run(lines: list[str], workers: int) -> dict[str, Any]:
    """Predict and score one order of the records, in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        return score(predict(lines, Path(folder), workers), Path(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shuffles", type=int, default=2, help="shuffled orders to score too")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    lines = read_lines()
    summary = run(lines, args.workers)
    for key in ("bcubed_p", "bcubed_r", "pair_p", "pair_r", "pair_f1", "pred_clusters"):
        print(f"{key}: {summary.get(key)}")
    for seed in range(1, args.shuffles + 1):
        shuffled = lines[:]
        random.Random(seed).shuffle(shuffled)
        f1 = run(shuffled, args.workers)["bcubed_f1"]
        change = f1 - summary["bcubed_f1"]
        print(f"shuffled order (seed {seed}): bcubed_f1 {f1:.3f} ({change:+.3f})")
    print(f"bcubed_f1: {summary['bcubed_f1']}")


if __name__ == "__main__":
    main()
