"""The attribute lookups give the parts of speech the model's own attribute ruler gives."""

from __future__ import annotations

from pathlib import Path

import spacy

from newsdesk.analyze.nlp import MODEL, english_pipeline


def test_parts_of_speech_match_the_attribute_ruler_on_real_news(shared_data: Path) -> None:
    texts = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted((shared_data / "summaries/bbc/articles/politics").glob("*.txt"))[:25]
    ]
    reference = spacy.load(MODEL, exclude=["lemmatizer"])
    ours = english_pipeline()
    assert "attribute_ruler" not in ours.pipe_names
    compared = differing = 0
    for theirs, mine in zip(reference.pipe(texts), ours.pipe(texts), strict=True):
        for a, b in zip(theirs, mine, strict=True):
            compared += 1
            differing += a.pos_ != b.pos_
    assert compared > 10_000
    assert differing == 0
