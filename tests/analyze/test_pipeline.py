"""Our lean pipeline reads text as the model's own pipeline does.

It replaces the attribute ruler by lookups, multiplies matrices with numpy instead of
BLIS, and gives the lemmatizer its word lists as sets (`newsdesk.analyze.nlp`); none of
this may change a part of speech, a tree, an entity or a lemma.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.pipeline import Lemmatizer

from newsdesk.analyze.nlp import MODEL, MatmulOps, english_pipeline, lemma


def _bbc_texts(shared_data: Path, count: int) -> list[str]:
    return [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted((shared_data / "summaries/bbc/articles/politics").glob("*.txt"))[:count]
    ]


def test_the_lean_pipeline_reads_real_news_as_the_models_own_does(shared_data: Path) -> None:
    texts = _bbc_texts(shared_data, 25)
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


def test_lemmas_are_the_model_lemmatizers_own(shared_data: Path) -> None:
    reference = spacy.load(MODEL).get_pipe("lemmatizer")
    assert isinstance(reference, Lemmatizer)
    assert isinstance(reference.lookups.get_table("lemma_index")["noun"], list)
    compared = 0
    for doc in english_pipeline().pipe(_bbc_texts(shared_data, 10)):
        for token in doc:
            if not token.lemma:  # the lookups set no lemma: the rule lemmatizer decides
                compared += 1
                assert lemma(token) == reference.rule_lemmatize(token)[0].lower(), token.text
    assert compared > 2_000
