"""Ingest throughput: the 157 real pages of html/newspaper into a fresh SQLite file.

Runs `newsdesk ingest` as a user would (a new process each time, on both cores) three
times each into a new database: with analysis (the default) and with `--no-analysis`
(extraction and storage only, the foundation's target: at least 30 pages/s). Prints the
medians, the extraction-and-storage figure last.

    python benchmarks/ingest.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO.parent / "shared" / "data" / "html" / "newspaper" / "html"
NEWSDESK = Path(sys.executable).with_name("newsdesk")


def _one_run(pages: Path, *flags: str) -> float:
    """Seconds for one `newsdesk ingest` of the folder into a new database."""
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/bench.db"
        subprocess.run(
            [str(NEWSDESK), "--db", db, "db", "upgrade"], check=True, capture_output=True
        )
        started = time.perf_counter()
        command = [str(NEWSDESK), "--db", db, "ingest", str(pages), *flags]
        done = subprocess.run(command, capture_output=True)
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 1):  # 1: some pages hold no article, as expected
            sys.exit(f"ingest failed: {done.stderr.decode()[-500:]}")
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not PAGES.is_dir():
        sys.exit(f"missing real data: {PAGES}")
    count = len(list(PAGES.glob("*.html")))
    for label, flags in (("with analysis", ()), ("extraction and storage", ("--no-analysis",))):
        rates = []
        for run in range(args.runs):
            seconds = _one_run(PAGES, *flags)
            rates.append(count / seconds)
            print(f"{label}, run {run + 1}: {count} pages in {seconds:.2f} s")
        median = statistics.median(rates)
        print(
            f"ingest {label} into SQLite, both cores, median of {args.runs}: {median:.1f} pages/s"
        )


if __name__ == "__main__":
    main()
