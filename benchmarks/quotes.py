"""Score `find_quotes` on PolNeAR with the shared scorer; or learn the cue lexicon from train.

    python benchmarks/quotes.py [--split dev|train] [--limit N]
    python benchmarks/quotes.py --learn-cues        # rewrites analyze/data/quote_cues.tsv

Scoring parses each article once (`parse_many`), takes its people from
`newsdesk.analyze.entities.find_entities`, writes the prediction JSONL the scorer reads
(`../shared/eval/eval_quotes.py`) and prints the scorer's table; the main figure, content F1
over all attributions, is printed last.

PolNeAR annotates a direct quotation with its quotation marks and a quotation split by its
cue ("A," he said, "B.") as one attribution; our quotes leave the marks out and keep the two
parts apart, so the predictions put the marks back and join such parts (see `to_polnear`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from spacy.tokens import Doc, DocBin

from newsdesk.analyze.cues import (
    LEXICON_FILE,
    MODEL_FILE,
    content_tokens,
    cue_candidates,
    cue_key,
    cue_lexicon,
)
from newsdesk.analyze.nlp import english_pipeline, parse_many
from newsdesk.analyze.quotes import cue_readings, find_quotes, quotation_spans
from newsdesk.models import Quote

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
POLNEAR = SHARED / "data" / "quotes" / "polnear"
SCORER = SHARED / "eval" / "eval_quotes.py"
DATA = Path(__file__).resolve().parent.parent / "src/newsdesk/analyze/data"
LEXICON = DATA / LEXICON_FILE
MODEL = DATA / MODEL_FILE
QUOTE_MARKS = '"\u201c\u201d'
# A (lemma, link) pair joins the lexicon when it was seen this often and was a cue this often.
MIN_MATCHES = 2
MIN_PRECISION = 0.05
# The cue model's inverse regularisation strengths tried (by cross-validation on train).
MODEL_C = (0.01, 0.03, 0.1)


def load_scorer() -> ModuleType:
    """The shared scorer as a module (its gold loading and scoring functions)."""
    spec = importlib.util.spec_from_file_location("eval_quotes", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parsed(
    split: str, names: Sequence[str], texts: dict[str, str], cache: Path | None
) -> list[Doc]:
    """The parsed articles, read from a DocBin cache when one is given and up to date."""
    path = cache / f"polnear_{split}_{len(names)}.spacy" if cache else None
    if path and path.exists():
        return list(DocBin().from_disk(path).get_docs(english_pipeline().vocab))
    docs = list(parse_many(texts[name] for name in names))
    if path:
        DocBin(docs=docs).to_disk(path)
    return docs


def to_polnear(quotes: Sequence[Quote], text: str) -> list[dict[str, Any]]:
    """Our quotes in PolNeAR's conventions: marks included, split quotations joined.

    A quote inside another quote is left out: PolNeAR labels each word once, so the
    fragment belongs to the reported statement around it. Of quotes with one span, the
    first is kept.
    """
    spans = [(_with_marks(quote, text), quote) for quote in quotes]
    kept = [
        (span, quote)
        for index, (span, quote) in enumerate(spans)
        if not any(_covers(other, quote, earlier=j < index) for j, (_, other) in enumerate(spans))
    ]
    out: list[dict[str, Any]] = []
    for (start, end), quote in kept:
        last = _last_quoted(out)
        if last and quote.kind != "indirect" and _continues(last, quote, start, text):
            last["spans"].append([start, end])
            last["end"] = end
            continue
        out.append(
            {
                "text": text[start:end],
                "speaker": quote.speaker,
                "start": start,
                "end": end,
                "spans": [[start, end]],
                "cue": quote.cue,
                "kind": quote.kind,
            }
        )
    return out


def _covers(other: Quote, quote: Quote, *, earlier: bool) -> bool:
    """Whether `other` holds `quote`: a wider span around it, or the same span seen first."""
    if other is quote or not (other.start <= quote.start and quote.end <= other.end):
        return False
    return earlier or (other.start, other.end) != (quote.start, quote.end)


def _with_marks(quote: Quote, text: str) -> tuple[int, int]:
    """The quote's span widened to the quotation marks right around it, if any ('' too); a
    mark after a blank opens the next quotation and is not the quote's."""
    start, end = quote.start, quote.end
    if text[max(start - 2, 0) : start] == "''":
        start -= 2
    elif start > 0 and text[start - 1] in QUOTE_MARKS:
        start -= 1
    for offset in range(end, min(end + 3, len(text))):
        if text[offset].isspace():
            break
        if text[offset : offset + 2] == "''":
            return start, offset + 2
        if text[offset] in QUOTE_MARKS:
            return start, offset + 1
    return start, end


def _last_quoted(out: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest quotation in `out`, passing over reported speech after it: the aside
    between two parts of a quotation ("A," said X, who wrote a book. "B") is a statement
    of its own and does not end the quotation."""
    quoted = [line for line in out if line["kind"] != "indirect"]
    return quoted[-1] if quoted else None


def _continues(last: dict[str, Any], quote: Quote, start: int, text: str) -> bool:
    """Whether a quotation resumes the previous one after its cue in the same paragraph."""
    gap = text[last["end"] : start]
    return (
        last["kind"] != "indirect"
        and last["speaker"] == quote.speaker
        and last["cue"] == quote.cue
        and "\n" not in gap
        and quote.cue is not None
        and quote.cue in gap
    )


def predict(split: str, limit: int | None, cache: Path | None) -> Iterator[dict[str, Any]]:
    """One prediction line per article of the split, as the scorer reads them."""
    from newsdesk.analyze.entities import find_entities

    folder = POLNEAR / split / "text"
    names = sorted(path.name for path in folder.glob("*.txt"))[:limit]
    texts = {name: (folder / name).read_text(encoding="utf8") for name in names}
    for name, doc in zip(names, parsed(split, names, texts, cache), strict=True):
        people, _organizations = find_entities(doc)
        yield {"file": name, "quotes": to_polnear(find_quotes(doc, people), texts[name])}


def score(split: str, limit: int | None, cache: Path | None) -> None:
    """Write the predictions to a temp file, run the shared scorer on them, print its output."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for line in predict(split, limit, cache):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    data = POLNEAR / split
    if limit:
        data = _subset(split, limit)
    command = [sys.executable, str(SCORER), "--pred", out.name, "--data", str(data)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    print("\n".join(lines[:-1]))
    print(f"predictions: {out.name}")
    print(
        f"direct F1 {summary['direct_f1']:.3f}  indirect F1 {summary['indirect_f1']:.3f}  "
        f"P {summary['precision']:.3f}  R {summary['recall']:.3f}  "
        f"speaker acc lenient {summary['speaker_acc_lenient']:.3f}"
    )
    print(f"content F1 (all) {summary['f1']:.3f}")


def _subset(split: str, limit: int) -> Path:
    """A temp copy of the first `limit` articles of a split (the scorer reads whole folders)."""
    folder = Path(tempfile.mkdtemp(prefix=f"polnear_{split}_"))
    for sub in ("text", "attributions"):
        (folder / sub).mkdir()
    names = sorted(path.stem for path in (POLNEAR / split / "text").glob("*.txt"))[:limit]
    for stem in names:
        (folder / "text" / f"{stem}.txt").symlink_to(POLNEAR / split / "text" / f"{stem}.txt")
        for ann in (POLNEAR / split / "attributions").glob(f"{stem}_*.ann"):
            (folder / "attributions" / ann.name).symlink_to(ann)
    return folder


def learn_cues(cache: Path | None) -> None:
    """Learn the cue lexicon and then the cue model from the train split."""
    scorer = load_scorer()
    gold, texts = scorer.load_gold(str(POLNEAR / "train"))
    names = sorted(gold)
    docs = parsed("train", names, texts, cache)
    golds = [[scorer.charset(g["spans"]) for g in gold[name]] for name in names]
    _learn_lexicon(docs, golds)
    cue_lexicon.cache_clear()
    _learn_model(docs, golds, sum(len(g) for g in golds))


def _matches(start: int, end: int, golds: Sequence[set[int]]) -> bool:
    """Whether a content range overlaps a gold attribution as the scorer counts a match."""
    chars = set(range(start, end))
    return any(len(chars & g) / len(chars | g) >= 0.5 for g in golds)


def _learn_lexicon(docs: Sequence[Doc], golds: Sequence[Sequence[set[int]]]) -> None:
    """Count how often each (lemma, link) reading is a real attribution; keep the likely."""
    seen: Counter[tuple[str, str]] = Counter()
    hits: Counter[tuple[str, str]] = Counter()
    for doc, gold in zip(docs, golds, strict=True):
        for token in doc:
            for candidate in cue_candidates(token):
                tokens = content_tokens(candidate)
                if tokens:
                    key = cue_key(candidate)
                    seen[key] += 1
                    hits[key] += _matches(tokens[0].idx, tokens[-1].idx + len(tokens[-1]), gold)
    rows = [
        (key, hits[key] / seen[key], hits[key])
        for key in seen
        if hits[key] >= MIN_MATCHES and hits[key] / seen[key] >= MIN_PRECISION
    ]
    rows.sort(key=lambda row: (-row[2], row[0]))
    header = (
        "# lemma\tlink\tprecision\tmatches (learnt from PolNeAR train by benchmarks/quotes.py)\n"
    )
    body = "".join(f"{lemma}\t{link}\t{p:.3f}\t{n}\n" for (lemma, link), p, n in rows)
    LEXICON.write_text(header + body, encoding="utf8")
    print(f"{len(rows)} cue readings written to {LEXICON}")


def _learn_model(docs: Sequence[Doc], golds: Sequence[Sequence[set[int]]], total: int) -> None:
    """Fit a logistic regression over every lexicon reading, labelled by whether its content
    matches a gold attribution; pick the threshold that maximises F1 on cross-validated
    probabilities (recall over all gold attributions), and write the weights as JSON."""
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.model_selection import GroupKFold, cross_val_predict  # type: ignore[import-untyped]

    rows, labels, groups = [], [], []
    for number, (doc, gold) in enumerate(zip(docs, golds, strict=True)):
        text = doc.text
        quoted = [(q.start, q.end) for q in quotation_spans(text)]
        for reading in cue_readings(doc, text, quoted):
            tokens = reading.tokens
            rows.append(reading.features)
            labels.append(_matches(tokens[0].idx, tokens[-1].idx + len(tokens[-1]), gold))
            groups.append(number)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    folds = GroupKFold(n_splits=5)
    tried = []
    for strength in MODEL_C:
        model = LogisticRegression(C=strength, max_iter=2000)
        held = cross_val_predict(
            model, matrix, labels, groups=groups, cv=folds, method="predict_proba"
        )
        f1, threshold = _best_threshold([p for _, p in held], labels, total)
        print(f"C {strength}: cross-validated F1 {f1:.4f} at threshold {threshold}")
        tried.append((f1, threshold, strength))
    _f1, threshold, strength = max(tried)
    model = LogisticRegression(C=strength, max_iter=2000).fit(matrix, labels)
    weights = {
        name: round(float(weight), 4)
        for name, weight in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(weight) >= 1e-3
    }
    data = {
        "bias": round(float(model.intercept_[0]), 4),
        "threshold": threshold,
        "weights": weights,
    }
    MODEL.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf8")
    print(f"{len(rows)} readings, {len(weights)} weights, threshold {threshold} -> {MODEL}")


def _best_threshold(
    probabilities: Sequence[float], labels: Sequence[bool], total: int
) -> tuple[float, float]:
    """The best F1 and the probability threshold that gives it (precision over readings
    above it, recall over all gold attributions)."""
    ranked = sorted(zip(probabilities, labels, strict=True), reverse=True)
    best, chosen, hits = 0.0, 0.5, 0
    for kept, (probability, label) in enumerate(ranked, start=1):
        hits += label
        f1 = 2 * hits / (kept + total)
        if f1 > best:
            best, chosen = f1, probability
    return best, round(chosen, 4)


def main() -> None:
    """Parse the arguments and score, or learn the lexicon."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--cache", type=Path, help="folder to keep parsed articles in")
    parser.add_argument("--learn-cues", action="store_true", help="rebuild the cue lexicon")
    args = parser.parse_args()
    if args.learn_cues:
        learn_cues(args.cache)
    else:
        score(args.split, args.limit, args.cache)


if __name__ == "__main__":
    main()
