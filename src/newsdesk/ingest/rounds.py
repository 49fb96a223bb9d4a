"""One polling round: fetch every source that is due, store only what is new.

A round runs in three steps. First the due sources are fetched (threads, so a slow host
does not hold up the others; the fetcher keeps each host's pace) and their new items
found. Then every new item becomes a document — a feed entry that carries the full text
as it is, any other item by fetching its page — and all documents go through extraction,
analysis and storage together, on every core. Last, each source's outcome is recorded:
its health, its next poll time (sooner for a busy feed, backing off after failures) and
the items it has now given, so that the next round asks only for what changed.

One failing source never stops the round; its error is recorded and shown by
`newsdesk sources list`. An item whose page failed for a passing reason is not marked
seen, so the next round tries it again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.errors import SourceError
from newsdesk.ingest.documents import (
    InputFailure,
    decode_bytes,
    is_listing_file,
    iter_documents,
    iter_input_paths,
    listing_kind,
    read_input,
)
from newsdesk.ingest.feeds import has_full_text, parse_feed
from newsdesk.ingest.fetch import FEED_TYPES, PAGE_TYPES, Fetcher, FetchError
from newsdesk.ingest.pipeline import IngestReport, ingest_documents
from newsdesk.ingest.politeness import backoff_delay, next_poll_interval
from newsdesk.ingest.sitemaps import parse_sitemap
from newsdesk.models import SourceDocument
from newsdesk.store import Store
from newsdesk.store.sources import (
    FetchOutcome,
    Source,
    due_sources,
    recent_item_times,
    record_fetch,
    unseen_items,
)

MIN_INTERVAL = timedelta(minutes=5)
MAX_INTERVAL = timedelta(hours=6)
SITEMAP_WINDOW = timedelta(days=2)
_FETCH_THREADS = 8
_FETCH_AHEAD = 2 * _FETCH_THREADS


@dataclass(frozen=True)
class Item:
    """A new item of a source: its identity in the source, and how to get its article."""

    source_id: int
    key: str
    url: str | None
    title: str | None = None
    published: datetime | None = None
    html: str | None = None


@dataclass
class SourceResult:
    """What one source gave in a round."""

    source: Source
    status: str  # new, not modified, failed
    items: list[Item] = field(default_factory=list)
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None
    truncated_from: int | None = None
    stored: int = 0


@dataclass
class RoundReport:
    """A round's outcome per source, and the ingest report of every new article."""

    sources: list[SourceResult]
    ingest: IngestReport


def fetch_round(
    store: Store,
    fetcher: Fetcher,
    *,
    now: datetime | None = None,
    workers: int = 0,
    analyze: bool = True,
    on_result: Callable[[str], None] | None = None,
) -> RoundReport:
    """Poll every due source once and store their new articles.

    Args:
        store: an open, migrated store.
        fetcher: the (safe, polite) fetcher to use.
        now: the time of the round (default: now).
        workers: processes for extraction and analysis; 0 means one per core.
        analyze: analyse each new article.
        on_result: called with the name of each source or article done (progress).

    Returns:
        What each source gave, and what became of each new article.
    """
    now = now or datetime.now(UTC)
    sources = due_sources(store, now)
    with ThreadPoolExecutor(_FETCH_THREADS) as threads:
        results = list(threads.map(lambda s: _poll(store, fetcher, s), sources))
        for result in results:
            if on_result:
                on_result(result.source.url)
        items: dict[str, list[tuple[SourceResult, Item]]] = {}
        for result in results:
            for item in result.items:
                items.setdefault(_item_name(item), []).append((result, item))
        firsts = [pairs[0][1] for pairs in items.values()]
        documents = _documents(fetcher, threads, firsts, retry_note=_RETRIED)
        report = ingest_documents(
            documents, store, workers=workers, analyze=analyze,
            on_result=lambda r: on_result(r.source) if on_result else None,
        )  # fmt: skip
    _record(store, results, items, report, now)
    return RoundReport(results, report)


def _poll(store: Store, fetcher: Fetcher, source: Source) -> SourceResult:
    """Fetch one source and find its new items; any failure is the result's error."""
    try:
        if source.kind == "page":
            return SourceResult(source, "new", [Item(source.id, source.url, source.url)])
        fetched = fetcher.fetch(
            source.url, etag=source.etag, last_modified=source.last_modified,
            allowed_types=FEED_TYPES,
        )  # fmt: skip
        if fetched.not_modified:
            return SourceResult(source, "not modified", etag=fetched.etag,
                                last_modified=fetched.last_modified)  # fmt: skip
        result = _items(source, fetched.content)
        result.etag, result.last_modified = fetched.etag, fetched.last_modified
        keys = unseen_items(store, source.id, [item.key for item in result.items])
        fresh = set(keys)
        result.items = [item for item in result.items if item.key in fresh]
        return result
    except FetchError as error:
        return SourceResult(source, "failed", error=str(error), retry_after=error.retry_after)
    except SourceError as error:
        return SourceResult(source, "failed", error=str(error))


def _items(source: Source, content: bytes) -> SourceResult:
    """The items a feed or sitemap lists (all of them; the caller keeps the new ones)."""
    if source.kind == "sitemap":
        since = datetime.now(UTC) - SITEMAP_WINDOW
        sitemap = parse_sitemap(content, source.url, since=since)
        items = [Item(source.id, e.url, e.url, e.title, e.published) for e in sitemap.entries]
        return SourceResult(source, "new", items)
    feed = parse_feed(content, source.url)
    items = [
        Item(
            source.id, entry.guid or entry.url or "", entry.url, entry.title, entry.published,
            entry.content_html if has_full_text(entry) else None,
        )
        for entry in feed.entries
        if entry.guid or entry.url
    ]  # fmt: skip
    return SourceResult(source, "new", items, truncated_from=feed.truncated_from)


def url_documents(fetcher: Fetcher, url: str) -> Iterator[SourceDocument | InputFailure]:
    """What one URL given on the command line holds: a feed's or sitemap's articles, or a page.

    Used by `newsdesk ingest URL` for one-off sources that are not registered.
    """
    try:
        fetched = fetcher.fetch(url)
        items = _listed_items(fetched.url, fetched.content)
        if items is None:
            items = [Item(0, fetched.url, fetched.url, html=decode_bytes(fetched.content))]
    except SourceError as error:
        yield InputFailure(url, str(error))
        return
    yield from _fetched_documents(fetcher, items)


def listing_file_documents(
    fetcher: Fetcher, path: Path, max_bytes: int
) -> Iterator[SourceDocument | InputFailure]:
    """The articles a saved feed or news sitemap lists: its entries' full text where the
    feed carries it, else their pages, fetched through the same guard as any URL."""
    try:
        items = _listed_items(path.resolve().as_uri(), read_input(path, max_bytes)) or []
    except SourceError as error:
        yield InputFailure(str(path), str(error))
        return
    yield from _fetched_documents(fetcher, items)


def _listed_items(url: str, content: bytes) -> list[Item] | None:
    """The items of a feed or sitemap read from `url`, or None when the content is neither.

    Raises:
        SourceError: the feed or sitemap is malformed or hostile.
    """
    kind = listing_kind(content)
    return None if kind is None else _items(_transient_source(url, kind), content).items


def _fetched_documents(
    fetcher: Fetcher, items: Sequence[Item]
) -> Iterator[SourceDocument | InputFailure]:
    with ThreadPoolExecutor(_FETCH_THREADS) as threads:
        yield from _documents(fetcher, threads, items)


def iter_inputs(
    inputs: Sequence[str], max_bytes: int, fetcher: Fetcher, *, expand: bool
) -> Iterator[SourceDocument | InputFailure]:
    """Documents from command-line inputs, in order: local paths read, URLs fetched.

    Args:
        inputs: paths and URLs as the user gave them.
        max_bytes: the size cap for local files.
        fetcher: fetches the URLs.
        expand: read the articles a feed or sitemap lists, at a URL or in a saved file
            (ingest); else a URL is one page and a saved feed is refused (extract).
    """
    for name in inputs:
        if not name.startswith(("http://", "https://")):
            yield from _local_documents(fetcher, name, max_bytes, expand=expand)
        elif expand:
            yield from url_documents(fetcher, name)
        else:
            yield page_document(fetcher, name)


def _local_documents(
    fetcher: Fetcher, name: str, max_bytes: int, *, expand: bool
) -> Iterator[SourceDocument | InputFailure]:
    """A local path's documents, folders walked; saved feeds and sitemaps read (`expand`)."""
    for path in iter_input_paths([name]):
        if isinstance(path, InputFailure):
            yield path
        elif expand and is_listing_file(path):
            yield from listing_file_documents(fetcher, path, max_bytes)
        else:
            yield from iter_documents([str(path)], max_bytes)


def page_document(fetcher: Fetcher, url: str) -> SourceDocument | InputFailure:
    """One web page as a document (what `newsdesk extract URL` reads)."""
    return _document(fetcher, Item(0, url, url))


def _transient_source(url: str, kind: str) -> Source:
    """A source that is not registered: for reading a URL given once."""
    epoch = datetime.fromtimestamp(0, UTC)
    return Source(0, url, kind, None, None, None, None, None, None, None, None, None, 0, 0,
                  epoch, epoch)  # fmt: skip


def _item_name(item: Item) -> str:
    """How the ingest report names an item: its URL, else its source and key."""
    return item.url or f"source {item.source_id}: {item.key}"


def _documents(
    fetcher: Fetcher, threads: ThreadPoolExecutor, items: Sequence[Item], retry_note: str = ""
) -> Iterator[SourceDocument | InputFailure]:
    """The items' documents in order, pages fetched ahead on the thread pool; `retry_note`
    ends the reason of a page that failed for a passing reason (a polled source retries it,
    a one-off ingest does not).

    Only `_FETCH_AHEAD` pages are fetched ahead of the one the caller waits for: fetching a
    whole round's pages at once would keep this process's threads busy, and the workers
    idle, until the last page is in, while extraction can start as soon as the first are.
    """
    pending: deque[Future[SourceDocument | InputFailure]] = deque()
    for item in items:
        pending.append(threads.submit(_document, fetcher, item, retry_note))
        if len(pending) >= _FETCH_AHEAD:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _document(fetcher: Fetcher, item: Item, retry_note: str = "") -> SourceDocument | InputFailure:
    """A feed entry with its full text as it is; any other item by fetching its page."""
    name = _item_name(item)
    if item.html:
        return _item_document(item, item.html, item.url)
    if not item.url:
        return InputFailure(name, "the item has no link to fetch")
    try:
        page = fetcher.fetch(item.url, allowed_types=PAGE_TYPES)
        html = decode_bytes(page.content)
    except FetchError as error:
        return InputFailure(name, str(error) + ("" if error.permanent else retry_note))
    except SourceError as error:
        return InputFailure(name, str(error))
    return _item_document(item, html, page.url)


def _item_document(item: Item, html: str, url: str | None) -> SourceDocument:
    """The document of an item: its page, with what the feed says of it (title, date)."""
    return SourceDocument(
        source=_item_name(item), html=html, url=url, title=item.title, published=item.published
    )


_RETRIED = " (tried again next round)"


def _record(
    store: Store,
    results: list[SourceResult],
    items: dict[str, list[tuple[SourceResult, Item]]],
    report: IngestReport,
    now: datetime,
) -> None:
    """Write each source's outcome; an item counts as seen unless it failed for a passing reason."""
    done: dict[int, list[tuple[str, datetime | None]]] = {r.source.id: [] for r in results}
    for outcome in report.results:
        passing = outcome.outcome == "failed" and (outcome.reason or "").endswith(_RETRIED)
        for result, item in items[outcome.source]:  # one article may come from several sources
            if not passing:
                done[item.source_id].append((item.key, item.published))
            result.stored += outcome.outcome in ("stored", "revised")
    for result in results:
        seen = done[result.source.id]
        record_fetch(store, result.source, _outcome(store, result, seen, now))


def _outcome(
    store: Store, result: SourceResult, seen: list[tuple[str, datetime | None]], now: datetime
) -> FetchOutcome:
    """The health update and next poll time of one source after this round."""
    source = result.source
    if result.status == "failed":
        wait = result.retry_after or backoff_delay(source.failures + 1)
        return FetchOutcome(now, now + timedelta(seconds=wait), error=result.error)
    times = recent_item_times(store, source.id) + [t for _, t in seen if t]
    interval = (
        timedelta(seconds=source.interval_seconds)
        if source.interval_seconds
        else next_poll_interval(times, MIN_INTERVAL, MAX_INTERVAL)
    )
    return FetchOutcome(
        now, now + interval, etag=result.etag, last_modified=result.last_modified, new_items=seen
    )
