"""How the command line shows things: JSON lines, Rich tables and views, progress bars.

Consoles are made per call so that they write to whatever `sys.stdout` is at the time
(the test runner swaps it). Progress goes to stderr, so stdout stays clean for pipes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

if TYPE_CHECKING:
    from newsdesk.ingest import IngestReport, IngestResult
    from newsdesk.store import SearchHit, StoredArticle

_OUTCOME_STYLES = {"stored": "green", "revised": "cyan", "unchanged": "dim", "failed": "red"}
_MAX_FAILURES_SHOWN = 50


def _stdout() -> Console:
    return Console(file=sys.stdout, highlight=False, soft_wrap=True)


def _stderr() -> Console:
    return Console(file=sys.stderr, highlight=False)


def print_json_records(records: Sequence[dict[str, Any]]) -> None:
    """One record as an indented object; several as one compact JSON line each."""
    if len(records) == 1:
        sys.stdout.write(json.dumps(records[0], ensure_ascii=False, indent=2) + "\n")
        return
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def print_message(message: str) -> None:
    """A one-line confirmation."""
    _stdout().print(escape(message))


def print_articles(records: Sequence[dict[str, Any]]) -> None:
    """Extracted articles as readable views; failures as one red line each."""
    console = _stdout()
    for record in records:
        if "error" in record:
            console.print(f"[red]{escape(record['source'])}: {escape(record['error'])}[/]")
            continue
        console.rule(escape(record["source"]))
        _print_article_fields(console, record)


def _print_article_fields(console: Console, record: dict[str, Any]) -> None:
    console.print(f"[bold]{escape(record['title'] or '(no title)')}[/]")
    if record.get("standfirst"):
        console.print(f"[italic]{escape(record['standfirst'])}[/]")
    details = {
        "by": ", ".join(record.get("authors") or []),
        "agency": record.get("agency"),
        "dateline": record.get("dateline"),
        "published": record.get("published"),
        "outlet": record.get("outlet"),
        "language": record.get("language"),
        "url": record.get("url"),
        "subheads": " · ".join(record.get("subheads") or []),
    }
    for name, value in details.items():
        if value:
            console.print(f"[dim]{name}:[/] {escape(str(value))}")
    console.print()
    console.print(escape(record["body"]))


@contextmanager
def ingest_progress(total: int) -> Iterator[Callable[[IngestResult], None]]:
    """A progress bar on stderr; yields the callback that advances it by one input."""
    columns = (
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[last]}"),
    )
    with Progress(*columns, console=_stderr(), transient=True) as progress:
        task = progress.add_task("ingest", total=total or None, last="")

        def advance(result: IngestResult) -> None:
            progress.update(task, advance=1, last=escape(result.source[-40:]))

        yield advance


def print_ingest_summary(report: IngestReport) -> None:
    """Counts per outcome, then every failure with its reason."""
    console = _stdout()
    counts = report.counts()
    table = Table(title="ingest summary")
    for outcome in ("stored", "revised", "unchanged", "failed"):
        table.add_column(outcome, justify="right", style=_OUTCOME_STYLES[outcome])
    table.add_row(*(str(counts.get(o, 0)) for o in ("stored", "revised", "unchanged", "failed")))
    console.print(table)
    failures = report.failures
    for failure in failures[:_MAX_FAILURES_SHOWN]:
        console.print(f"[red]failed[/] {escape(failure.source)}: {escape(failure.reason or '')}")
    if len(failures) > _MAX_FAILURES_SHOWN:
        console.print(f"[red]… and {len(failures) - _MAX_FAILURES_SHOWN} more failures[/]")


def stored_record(stored: StoredArticle) -> dict[str, Any]:
    """A stored article as JSON-ready data: its store id first, then the article fields."""
    return {
        "id": stored.id,
        "external_id": stored.external_id,
        "source": stored.source,
        "revision": stored.revision,
        **stored.article.to_dict(),
    }


def print_article_table(articles: Sequence[StoredArticle], total: int) -> None:
    """A table of articles: id, published, outlet, agency, title."""
    title = f"{total} article{'' if total == 1 else 's'} stored"
    table = Table(title=title + (", newest first" if articles else ""))
    for name in ("id", "published", "outlet", "agency", "title"):
        table.add_column(name, overflow="fold" if name == "title" else "ellipsis")
    for stored in articles:
        article = stored.article
        table.add_row(
            str(stored.id),
            article.published.date().isoformat() if article.published else "",
            escape(article.outlet or ""),
            escape(article.agency or ""),
            escape(article.title),
        )
    _stdout().print(table)


def print_stored_article(stored: StoredArticle) -> None:
    """One stored article in full, under a rule naming its id and revision."""
    console = _stdout()
    console.rule(f"article {stored.id} · revision {stored.revision} · {escape(stored.source)}")
    _print_article_fields(console, stored.article.to_dict())


def hit_record(hit: SearchHit) -> dict[str, Any]:
    """A search hit as JSON-ready data."""
    return {"id": hit.article_id, "title": hit.title, "url": hit.url, "snippet": hit.snippet}


def print_search_hits(query: str, hits: Sequence[SearchHit]) -> None:
    """Search results as a table, best first."""
    table = Table(title=f"{len(hits)} results for {escape(query)}")
    for name in ("id", "title", "snippet"):
        table.add_column(name, overflow="fold")
    for hit in hits:
        table.add_row(str(hit.article_id), escape(hit.title), escape(hit.snippet or ""))
    _stdout().print(table)
