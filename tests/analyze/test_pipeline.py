"""Our lean pipeline reads text as the model's own pipeline does.

It replaces the attribute ruler by lookups and multiplies matrices with numpy instead of
BLIS (`newsdesk.analyze.nlp`); neither may change a part of speech, a tree or an entity.
"""

from __future__ import annotations

from pathlib import Path

import spacy

from newsdesk.analyze.nlp import MODEL, MatmulOps, english_pipeline


def test_the_lean_pipeline_reads_real_news_as_the_models_own_does(shared_data: Path) -> None:
    texts = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted((shared_data / "summaries/bbc/articles/politics").glob("*.txt"))[:25]
    ]
    reference = spacy.load(MODEL, exclude=["lemmatizer"])
    ours = english_pipeline()
    assert "attribute_ruler" not in ours.pipe_names
    assert isinstance(ours.get_pipe("ner").model.ops, MatmulOps)
    assert not isinstance(reference.get_pipe("ner").model.ops, MatmulOps)
    compared = differing = 0
    for theirs, mine in zip(reference.pipe(texts), ours.pipe(texts), strict=True):
        assert [(e.start, e.end, e.label_) for e in theirs.ents] == [
            (e.start, e.end, e.label_) for e in mine.ents
        ]
        for a, b in zip(theirs, mine, strict=True):
            compared += 1
            differing += (a.pos_, a.head.i, a.dep_) != (b.pos_, b.head.i, b.dep_)
    assert compared > 10_000
    assert differing == 0
