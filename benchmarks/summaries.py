"""Summarise every BBC News Summary article and score it with the shared scorer; or learn the
sentence scorer first.

    python benchmarks/summaries.py [--limit N]
    python benchmarks/summaries.py --learn      # rewrites briefing/data/summary_model.json

Each article file goes through the real extraction (`extract_text`, as `newsdesk summarize`
does) and `summarize_article` with k sentences, k being the scorer's own count of the
reference's sentences capped by the article's, as its baselines use it (the scorer module
is imported, not copied: `reference_sentences`). The prediction JSONL goes to
`../shared/eval/eval_summaries.py --pred`, and the scorer's four baselines (LEAD-k, LEAD-3,
LexRank, TextRank) are computed by the same script in the same run (`--baseline all
--out`). The scorer takes one of --pred and --baseline per call, so it is called twice.

Split: an article whose number NNN is a multiple of 3 is held out (about a third of each
category), the others are the train split. `--learn` fits the sentence scorer's logistic
regression on the train split only, labelling a sentence 1 when the reference contains it;
the table then gives every system on train and on held-out articles (the scorer's own
`score` over each subset). Speed is summaries per second, with and without extraction.
The last line is our ROUGE-1/2/L on all articles, then on the held-out split.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from newsdesk.briefing.summarize import (
    MODEL_FILE,
    article_sentences,
    sentence_features,
    sentence_model,
    summarize_article,
)
from newsdesk.extract import extract_text
from newsdesk.models import Article

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "data" / "summaries" / "bbc"
SCORER = ROOT.parent / "shared" / "eval" / "eval_summaries.py"
MODEL = ROOT / "src" / "newsdesk" / "briefing" / "data" / MODEL_FILE
HELD_OUT_EVERY = 3
BASELINES = ("lead-k", "lead-3", "lexrank", "textrank")
# The logistic regression's inverse regularisation strength (results barely move over
# 0.1-10 on the train split).
MODEL_C = 1.0


def load_scorer() -> ModuleType:
    """The shared scorer as a module (its data loading, sentence counting and scoring)."""
    spec = importlib.util.spec_from_file_location("eval_summaries", SCORER)
    if spec is None or spec.loader is None:
        sys.exit(f"error: cannot load the scorer {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def held_out(item: dict[str, Any]) -> bool:
    """Whether an article is in the held-out split (its number is a multiple of 3)."""
    return int(Path(item["file"]).stem) % HELD_OUT_EVERY == 0


def reference_sentences(scorer: ModuleType, item: dict[str, Any]) -> int:
    """k: the scorer's count of reference sentences, capped by the article's, at least 1."""
    body = scorer.split_sentences(scorer.body_of(item["article"]))
    return int(max(1, min(scorer.ref_sentence_count(item["reference"]), len(body))))


def _compact(text: str) -> str:
    """Text without whitespace: references glue sentences together with none between."""
    return "".join(text.split())


def learn(items: Sequence[dict[str, Any]]) -> None:
    """Fit the sentence scorer on the train split and write its weights as JSON."""
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    rows: list[dict[str, float]] = []
    labels: list[bool] = []
    train = [item for item in items if not held_out(item)]
    for item in train:
        sentences = article_sentences(extract_text(item["article"]))
        reference = _compact(item["reference"])
        rows += sentence_features(sentences)
        labels += [_compact(s.text) in reference for s in sentences]
    vectorizer = DictVectorizer()
    model = LogisticRegression(C=MODEL_C, max_iter=2000).fit(vectorizer.fit_transform(rows), labels)
    data = {
        "learnt_on": f"BBC News Summary, {len(train)} articles whose number is not a multiple "
        f"of {HELD_OUT_EVERY} (benchmarks/summaries.py --learn)",
        "bias": round(float(model.intercept_[0]), 4),
        "weights": {
            name: round(float(weight), 4)
            for name, weight in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        },
    }
    MODEL.parent.mkdir(exist_ok=True)
    MODEL.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf8")
    sentence_model.cache_clear()
    print(f"{len(rows)} sentences of {len(train)} train articles -> {MODEL}")


def summarise(
    scorer: ModuleType, items: Sequence[dict[str, Any]]
) -> tuple[dict[str, str], float, float]:
    """Our summary of every article, with articles/s for summaries alone and with extraction."""
    start = time.perf_counter()
    articles: list[Article] = [extract_text(item["article"]) for item in items]
    extracted = time.perf_counter()
    preds = {
        item["file"]: summarize_article(article, reference_sentences(scorer, item))
        for item, article in zip(items, articles, strict=True)
    }
    done = time.perf_counter()
    return preds, len(items) / (done - extracted), len(items) / (done - start)


def run_scorer(arguments: Sequence[str], folder: str, limit: int | None) -> dict[str, Any]:
    """Run the shared scorer in `folder` (it names a system by its file), print its table,
    return its final JSON line."""
    command = [sys.executable, str(SCORER), "--data", str(BBC), *arguments]
    if limit:
        command += ["--limit", str(limit)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=folder)
    lines = result.stdout.strip().splitlines()
    print("\n".join(lines[:-1]))
    summary: dict[str, Any] = json.loads(lines[-1])
    return summary


def read_predictions(path: Path) -> dict[str, str]:
    """A prediction JSONL as {file: summary}."""
    with path.open(encoding="utf8") as f:
        return {o["file"]: o["summary"] for o in map(json.loads, f) if o}


def split_table(
    scorer: ModuleType, items: Sequence[dict[str, Any]], systems: dict[str, dict[str, str]]
) -> dict[str, dict[str, float]]:
    """Every system's ROUGE on the train and held-out splits; our held-out figures."""
    print(f"\n{'split':9} {'system':9} {'R1':>6} {'R2':>6} {'RL':>6} {'articles':>8}")
    ours: dict[str, dict[str, float]] = {}
    for split in ("train", "held-out"):
        subset = [item for item in items if held_out(item) == (split == "held-out")]
        for name, preds in systems.items():
            m = scorer.score(subset, preds)
            print(f"{split:9} {name:9} {m['rouge1_f1']:6.4f} {m['rouge2_f1']:6.4f} "
                  f"{m['rougeL_f1']:6.4f} {len(subset):8}")  # fmt: skip
            if name == "ours":
                ours[split] = m
    return ours


def score(limit: int | None) -> None:
    """Summarise, score ours and the baselines, print the tables and our figure last."""
    scorer = load_scorer()
    items = scorer.load_data(str(BBC))[: limit or None]
    preds, speed, speed_with_extraction = summarise(scorer, items)
    with tempfile.TemporaryDirectory() as folder:
        pred_path = Path(folder) / "ours.jsonl"
        with pred_path.open("w", encoding="utf8") as f:
            for name, summary in preds.items():
                f.write(json.dumps({"file": name, "summary": summary}, ensure_ascii=False) + "\n")
        ours = run_scorer(["--pred", pred_path.name], folder, limit)
        run_scorer(["--baseline", "all", "--out", "base.jsonl"], folder, limit)
        systems = {"ours": preds}
        systems |= {
            name: read_predictions(Path(folder) / f"base.{name}.jsonl") for name in BASELINES
        }
    held = split_table(scorer, items, systems)["held-out"]
    print(f"\nspeed: {speed:.0f} articles/s summarising, {speed_with_extraction:.0f} articles/s "
          "with extraction (one process)")  # fmt: skip
    print(
        f"ours ROUGE-1/2/L {ours['rouge1_f1']:.4f}/{ours['rouge2_f1']:.4f}/{ours['rougeL_f1']:.4f}"
        f" on {ours['articles']} articles (held-out {held['rouge1_f1']:.4f}/"
        f"{held['rouge2_f1']:.4f}/{held['rougeL_f1']:.4f})"
    )


def main() -> None:
    """Parse the arguments; learn when asked, then score."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles (debugging)")
    parser.add_argument("--learn", action="store_true", help="learn the sentence scorer first")
    args = parser.parse_args()
    if args.learn:
        learn(load_scorer().load_data(str(BBC)))
    score(args.limit)


if __name__ == "__main__":
    main()
