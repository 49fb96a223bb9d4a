"""Re-analyse stored articles whose analysis is missing or was made by an older analyzer."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from newsdesk.models import Analysis, Article
from newsdesk.parallel import chunked, ordered_map
from newsdesk.store import Store

CHUNK_SIZE = 16


@dataclass
class ReanalysisReport:
    """How many stored articles were analysed again, and which failed (id → reason)."""

    analysed: int = 0
    failures: dict[int, str] = field(default_factory=dict)


def ids_to_reanalyze(store: Store, *, everything: bool = False) -> list[int]:
    """The articles `reanalyze` would analyse: missing or stale analyses, or every article."""
    from newsdesk.analyze import ANALYZER_VERSION

    return store.ids_to_analyze(None if everything else ANALYZER_VERSION)


def reanalyze(
    store: Store,
    ids: list[int],
    *,
    workers: int = 0,
    on_progress: Callable[[int], None] | None = None,
) -> ReanalysisReport:
    """Recompute and store the analyses of these articles, on every core.

    Args:
        store: an open store.
        ids: the articles to analyse (see `ids_to_reanalyze`).
        workers: processes; 0 means one per core.
        on_progress: called with the id of each article done.

    Returns:
        The count of articles analysed and the failures, by article id.
    """
    report = ReanalysisReport()
    pairs = ((i, stored.article) for i in ids if (stored := store.get_article(i)))
    work = chunked(pairs, CHUNK_SIZE)
    for article_id, outcome in ordered_map(analyze_chunk, work, workers or os.cpu_count() or 1):
        if isinstance(outcome, Analysis):
            store.save_analysis(article_id, outcome)
            report.analysed += 1
        else:
            report.failures[article_id] = outcome
        if on_progress:
            on_progress(article_id)
    return report


def analyze_chunk(pairs: list[tuple[int, Article]]) -> list[tuple[int, Analysis | str]]:
    """Analyse a chunk of (id, article) pairs in a worker; a failure becomes its reason."""
    from newsdesk.analyze import analyze_each

    outcomes = analyze_each([article for _, article in pairs])
    return [(article_id, outcome) for (article_id, _), outcome in zip(pairs, outcomes, strict=True)]
