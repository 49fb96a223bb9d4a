"""Ingest: documents → articles and analyses → the store.

Worker processes extract and analyse (see `processing`); this process writes. Writes go
in small batches, each one transaction: a run killed half-way leaves whole batches or
nothing, and running it again stores only what is missing (an article already stored is
recognised by its key and left unchanged).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsdesk.errors import StoreError
from newsdesk.ingest.documents import InputFailure, iter_documents
from newsdesk.ingest.processing import Processed, ProcessingOptions, process_documents
from newsdesk.models import Article, SourceDocument

if TYPE_CHECKING:
    from newsdesk.store import Store

BATCH_SIZE = 25


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


def ingest(
    sources: Iterable[str],
    store: Store,
    *,
    max_bytes: int,
    workers: int = 0,
    analyze: bool = True,
    on_result: Callable[[IngestResult], None] | None = None,
) -> IngestReport:
    """Read, extract and store every input, reporting each one as it is done.

    Args:
        sources: files and directories as the user named them.
        store: an open, migrated store.
        max_bytes: inputs larger than this are refused.
        workers: extraction processes; 0 means one per core.
        analyze: analyse each article and store the analysis with it.
        on_result: called with each input's result (for a progress bar).

    Returns:
        The report of every input, failures with their reasons.
    """
    documents = iter_documents(sources, max_bytes)
    return ingest_documents(documents, store, workers=workers, analyze=analyze, on_result=on_result)


def ingest_documents(
    documents: Iterable[SourceDocument | InputFailure],
    store: Store,
    *,
    workers: int = 0,
    analyze: bool = True,
    on_result: Callable[[IngestResult], None] | None = None,
) -> IngestReport:
    """Extract, analyse and store documents from anywhere (files, feeds, archives).

    Args:
        documents: what to store; failures are reported as they are.
        store: an open, migrated store.
        workers: extraction processes; 0 means one per core.
        analyze: analyse each article and store the analysis with it.
        on_result: called with each input's result.

    Returns:
        The report of every document, failures with their reasons.
    """
    report = IngestReport()

    def record(result: IngestResult) -> None:
        report.results.append(result)
        if on_result:
            on_result(result)

    batch: list[Processed] = []
    options = ProcessingOptions(analyze=analyze)
    for item in process_documents(documents, workers or os.cpu_count() or 1, options):
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
    store: Store, batch: list[Processed], record: Callable[[IngestResult], None]
) -> None:
    """Write a batch in one transaction; if it fails, write its items one by one."""
    if not batch:
        return
    try:
        outcomes = store.save_articles(
            [_store_item(item) for item in batch], [item.analysis for item in batch]
        )
    except StoreError:
        if len(batch) == 1:
            raise
        for item in batch:
            _save_batch_of_one(store, item, record)
        return
    for item, outcome in zip(batch, outcomes, strict=True):
        record(IngestResult(item.document.source, outcome.status, outcome.article_id, item.warning))


def _save_batch_of_one(
    store: Store, item: Processed, record: Callable[[IngestResult], None]
) -> None:
    try:
        _save_batch(store, [item], record)
    except StoreError as error:
        record(IngestResult(item.document.source, "failed", reason=str(error)))


def _store_item(item: Processed) -> tuple[Article, str | None, str]:
    return item.article, item.document.external_id, item.document.source
