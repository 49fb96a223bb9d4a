"""Ingest: documents → articles → the store, extraction spread over the machine's cores.

Extraction is the costly step, so it runs in worker processes while the parent reads inputs
and writes to the store. Writes go in small batches, each one transaction: a run killed
half-way leaves whole batches or nothing, and running it again stores only what is missing
(an article already stored is recognised by its key and left unchanged).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import TYPE_CHECKING

from newsdesk.errors import SourceError, StoreError
from newsdesk.extract import extract_html, extract_text
from newsdesk.ingest.documents import InputFailure, iter_documents
from newsdesk.models import Article, SourceDocument
from newsdesk.urls import canonical_url

if TYPE_CHECKING:
    from newsdesk.store import Store

BATCH_SIZE = 25
_WINDOW_PER_WORKER = 8


@dataclass(frozen=True)
class IngestResult:
    """What became of one input: `outcome` is stored, unchanged, revised or failed."""

    source: str
    outcome: str
    article_id: int | None = None
    reason: str | None = None


@dataclass
class IngestReport:
    """The results of one ingest run, in input order."""

    results: list[IngestResult] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        """How many inputs ended in each outcome."""
        return Counter(result.outcome for result in self.results)

    @property
    def failures(self) -> list[IngestResult]:
        """The inputs that could not be stored, each with its reason."""
        return [result for result in self.results if result.outcome == "failed"]


@dataclass(frozen=True)
class Extracted:
    """A document and the article extracted from it."""

    document: SourceDocument
    article: Article


def article_from_document(document: SourceDocument) -> Article:
    """Extract the article from a document; what the document says of itself wins.

    The URL is canonicalised (tracking parameters dropped) so that it is the article's
    identity everywhere: in the store, in `extract --json` and in exports.

    Raises:
        SourceError: the document holds no article.
    """
    if document.html is not None:
        article = extract_html(document.html, document.url)
    else:
        article = extract_text(document.text or "", document.url)
    return replace(
        article,
        title=document.title or article.title,
        published=document.published or article.published,
        outlet=document.outlet or article.outlet,
        url=_canonical_or_none(article.url or document.url),
    )


def _canonical_or_none(url: str | None) -> str | None:
    return canonical_url(url) if url else None


def extract_documents(
    documents: Iterable[SourceDocument | InputFailure], workers: int
) -> Iterator[Extracted | InputFailure]:
    """Extract every document, in input order, on `workers` processes (1: in this one)."""
    if workers <= 1:
        yield from map(_extract_one, documents)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from _ordered_map(pool, documents, workers * _WINDOW_PER_WORKER)


def _extract_one(item: SourceDocument | InputFailure) -> Extracted | InputFailure:
    """Extract one document; any failure becomes an InputFailure naming the input."""
    if isinstance(item, InputFailure):
        return item
    try:
        return Extracted(item, article_from_document(item))
    except SourceError as error:
        return InputFailure(item.source, str(error))
    except Exception as error:  # a broken page must not stop the batch
        return InputFailure(item.source, f"extraction failed: {type(error).__name__}: {error}")


def _ordered_map(
    pool: Executor, items: Iterable[SourceDocument | InputFailure], window: int
) -> Iterator[Extracted | InputFailure]:
    """Like `pool.map`, but reads the inputs lazily, keeping at most `window` in flight."""
    iterator = iter(items)
    pending: list[Future[Extracted | InputFailure]] = [
        pool.submit(_extract_one, item) for item in islice(iterator, window)
    ]
    while pending:
        yield pending.pop(0).result()
        pending.extend(pool.submit(_extract_one, item) for item in islice(iterator, 1))


def ingest(
    sources: Iterable[str],
    store: Store,
    *,
    max_bytes: int,
    workers: int = 0,
    on_result: Callable[[IngestResult], None] | None = None,
) -> IngestReport:
    """Read, extract and store every input, reporting each one as it is done.

    Args:
        sources: files and directories as the user named them.
        store: an open, migrated store.
        max_bytes: inputs larger than this are refused.
        workers: extraction processes; 0 means one per core.
        on_result: called with each input's result (for a progress bar).

    Returns:
        The report of every input, failures with their reasons.
    """
    report = IngestReport()

    def record(result: IngestResult) -> None:
        report.results.append(result)
        if on_result:
            on_result(result)

    batch: list[Extracted] = []
    documents = iter_documents(sources, max_bytes)
    for item in extract_documents(documents, workers or os.cpu_count() or 1):
        if isinstance(item, InputFailure):
            record(IngestResult(item.source, "failed", reason=item.reason))
            continue
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            _save_batch(store, batch, record)
            batch = []
    _save_batch(store, batch, record)
    return report


def _save_batch(
    store: Store, batch: list[Extracted], record: Callable[[IngestResult], None]
) -> None:
    """Write a batch in one transaction; if it fails, write its items one by one."""
    if not batch:
        return
    try:
        outcomes = store.save_articles([_store_item(item) for item in batch])
    except StoreError:
        if len(batch) == 1:
            raise
        for item in batch:
            _save_batch_of_one(store, item, record)
        return
    for item, outcome in zip(batch, outcomes, strict=True):
        record(IngestResult(item.document.source, outcome.status, outcome.article_id))


def _save_batch_of_one(
    store: Store, item: Extracted, record: Callable[[IngestResult], None]
) -> None:
    try:
        _save_batch(store, [item], record)
    except StoreError as error:
        record(IngestResult(item.document.source, "failed", reason=str(error)))


def _store_item(item: Extracted) -> tuple[Article, str | None, str]:
    return item.article, item.document.external_id, item.document.source
