"""Documents → articles (and their analyses), spread over the machine's cores.

Extraction and analysis are the costly steps, so they run in worker processes (see
`newsdesk.parallel`) while the parent reads inputs and writes results. Documents travel
in small chunks: each worker extracts a chunk, then analyses its English articles in one
spaCy batch, which is faster than one parse at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from newsdesk.errors import SourceError
from newsdesk.extract import extract_html, extract_text
from newsdesk.extract import warm_up as warm_up_extraction
from newsdesk.ingest.documents import InputFailure
from newsdesk.models import Analysis, Article, SourceDocument
from newsdesk.parallel import chunked, ordered_map
from newsdesk.urls import canonical_url

# Documents per chunk. spaCy parses batches of four nearly as fast as batches of eight, and
# smaller chunks keep both cores busy to the end of a run: a long feature no longer holds
# seven other articles back on one core while the other waits.
CHUNK_SIZE = 4


@dataclass(frozen=True)
class ProcessingOptions:
    """What to do with each document: analyse it or only extract it, and the fallback date."""

    analyze: bool = False
    published: datetime | None = None


@dataclass(frozen=True)
class Processed:
    """A document, its article, and its analysis (None when not asked for, or it failed)."""

    document: SourceDocument
    article: Article
    analysis: Analysis | None = None
    warning: str | None = None


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
        article = extract_text(document.text or "", document.url, document.title)
    url = article.url or document.url
    return replace(
        article,
        title=document.title or article.title,
        published=document.published or article.published,
        outlet=document.outlet or article.outlet,
        url=canonical_url(url) if url else None,
    )


def process_documents(
    documents: Iterable[SourceDocument | InputFailure],
    workers: int,
    options: ProcessingOptions | None = None,
) -> Iterator[Processed | InputFailure]:
    """Extract (and analyse) every document, in input order, on `workers` processes.

    Args:
        documents: what `iter_documents` gives; failures pass straight through.
        workers: processes to use; 1 works in this process, with no start-up cost.
        options: whether to analyse, and the fallback publication date.

    Returns:
        One result per input, in order: the processed article or the input's failure.
    """
    options = options or ProcessingOptions()
    if workers > 1:
        preload(options)
    work = partial(process_chunk, options=options)
    return ordered_map(work, chunked(documents, CHUNK_SIZE), workers)


def preload(options: ProcessingOptions) -> None:
    """Load the extraction data (and the analysis models when asked for) in this process,
    before the workers fork from it: they share one copy of it instead of each loading
    their own, which saves a worker's start-up and hundreds of megabytes."""
    warm_up_extraction()
    if options.analyze:
        from newsdesk.analyze import warm_up  # loads spaCy: only when asked for

        warm_up()


def process_chunk(
    chunk: list[SourceDocument | InputFailure], options: ProcessingOptions
) -> list[Processed | InputFailure]:
    """Extract each document of a chunk, then analyse the chunk's articles in one batch."""
    results = [_extract_one(item, options.published) for item in chunk]
    if options.analyze:
        done = [result for result in results if isinstance(result, Processed)]
        analysed = dict(zip(map(id, done), _analyze(done, options.published), strict=True))
        results = [analysed.get(id(result), result) for result in results]
    return results


def _extract_one(
    item: SourceDocument | InputFailure, published: datetime | None
) -> Processed | InputFailure:
    """Extract one document; any failure becomes an InputFailure naming the input."""
    if isinstance(item, InputFailure):
        return item
    try:
        article = article_from_document(item)
    except SourceError as error:
        return InputFailure(item.source, str(error))
    except Exception as error:  # a broken page must not stop the batch
        return InputFailure(item.source, f"extraction failed: {type(error).__name__}: {error}")
    if article.published is None and published is not None:
        article = replace(article, published=published)
    return Processed(item, article)


def _analyze(done: list[Processed], published: datetime | None) -> list[Processed]:
    """Attach analyses; an article whose analysis failed keeps the reason as a warning."""
    from newsdesk.analyze import analyze_each  # loads spaCy: only when asked for

    outcomes = analyze_each([processed.article for processed in done], published)
    return [
        replace(p, analysis=o) if isinstance(o, Analysis) else replace(p, warning=o)
        for p, o in zip(done, outcomes, strict=True)
    ]
