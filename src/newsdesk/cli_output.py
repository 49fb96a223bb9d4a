"""How the command line shows things: JSON lines, Rich tables and views, progress bars.

Consoles are made per call so that they write to whatever `sys.stdout` is at the time
(the test runner swaps it). Progress goes to stderr, so stdout stays clean for pipes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from newsdesk.briefing.summarize import count_line
from newsdesk.ingest import InputFailure

if TYPE_CHECKING:
    from newsdesk.deliver import SendReport
    from newsdesk.desk import DeskTurn
    from newsdesk.ingest import IngestReport, Processed, ReanalysisReport
    from newsdesk.ingest.rounds import RoundReport
    from newsdesk.models import Analysis, Story, Subscriber
    from newsdesk.store import SearchHit, StoredArticle
    from newsdesk.store.sources import Source
    from newsdesk.stories.rank import StoryScore

_OUTCOME_STYLES = {"stored": "green", "revised": "cyan", "unchanged": "dim", "failed": "red"}
_MAX_FAILURES_SHOWN = 50


def plural(count: int, noun: str) -> str:
    """`1 article`, `2 articles`, `2 stories`."""
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}s"


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
        if "people" in record:
            _print_analysis(console, record)


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


def _print_analysis(console: Console, record: dict[str, Any]) -> None:
    """The analysis of an article: a table of what was found, then its quotes."""
    table = Table(title="analysis", show_header=False, box=None)
    table.add_column(style="dim")
    table.add_column(overflow="fold")
    for name, value in _analysis_rows(record):
        if value:
            table.add_row(name, escape(value))
    console.print()
    console.print(table)
    for quote in record["quotes"]:
        speaker = quote["speaker"] or "unknown"
        console.print(f"  [cyan]{escape(speaker)}[/] ({quote['kind']}): “{escape(quote['text'])}”")
    for skipped in record["skipped"]:
        console.print(f"[yellow]skipped[/] {escape(skipped)}")


def _analysis_rows(record: dict[str, Any]) -> list[tuple[str, str]]:
    def names(key: str) -> str:
        return ", ".join(f"{e['name']} ×{e['mentions']}" for e in record[key])

    tone = record["tone"]
    return [
        ("people", names("people")),
        ("organizations", names("organizations")),
        (
            "places",
            ", ".join(f"{p['name']} ({p['country_code'] or p['kind']})" for p in record["places"]),
        ),
        ("focus", ", ".join(record["focus_countries"])),
        ("counts", "; ".join(_count_text(c) for c in record["counts"])),
        ("amounts", "; ".join(a["text"] for a in record["amounts"])),
        ("dates", "; ".join(f"{d['text']} = {d['date']}" for d in record["dates"])),
        ("themes", ", ".join(f"{t['name']} {t['score']:.2f}" for t in record["themes"])),
        ("tone", f"{tone['tone']:+.2f} (polarity {tone['polarity']:.2f})" if tone else ""),
    ]


def _count_text(count: dict[str, Any]) -> str:
    about = "~" if count["approximate"] else ""
    parts = [f"{about}{count['number']:,} {count['unit']}", count["event"] or ""]
    parts += [f"in {count['where']}" if count["where"] else "", count["when"] or ""]
    return " ".join(part for part in parts if part)


class Advance(Protocol):
    """The callback of a progress bar: one item (or `steps` items) done, named."""

    def __call__(self, name: str, steps: int = 1) -> None: ...


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Advance]:
    """A progress bar on stderr; yields the callback that advances it, naming the item done.

    A total of 0 means unknown: the bar then shows activity rather than a fraction.
    """
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[last]}"),
    )
    with Progress(*columns, console=_stderr(), transient=True) as progress:
        task = progress.add_task(label, total=total or None, last="")

        def advance(name: str, steps: int = 1) -> None:
            progress.update(task, advance=steps, last=escape(name[-40:]))

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
    noted = [result for result in report.results if result.reason]
    for result in noted[:_MAX_FAILURES_SHOWN]:
        label = "[red]failed[/]" if result.outcome == "failed" else "[yellow]warning[/]"
        console.print(f"{label} {escape(result.source)}: {escape(result.reason or '')}")
    if len(noted) > _MAX_FAILURES_SHOWN:
        console.print(f"[red]… and {len(noted) - _MAX_FAILURES_SHOWN} more[/]")


def print_reanalysis(report: ReanalysisReport) -> None:
    """How many articles were analysed again, and each failure."""
    console = _stdout()
    console.print(f"analysed {plural(report.analysed, 'article')}, {len(report.failures)} failed")
    for article_id, reason in report.failures.items():
        console.print(f"[red]failed[/] article {article_id}: {escape(reason)}")


def processed_record(result: Processed | InputFailure) -> dict[str, Any]:
    """One input's result as the JSON contract has it: source, article fields, analysis."""
    if isinstance(result, InputFailure):
        return {"source": result.source, "error": result.reason}
    record = {"source": result.document.source, **result.article.to_dict()}
    if result.analysis is not None:
        record.update(analysis_fields(result.analysis))
    elif result.warning:
        record["warning"] = result.warning
    return record


def analysis_fields(analysis: Analysis) -> dict[str, Any]:
    """The analysis as extra fields of an article record (`version` as `analyzer_version`)."""
    fields = analysis.to_dict()
    fields["analyzer_version"] = fields.pop("version")
    return fields


def stored_record(stored: StoredArticle, analysis: Analysis | None = None) -> dict[str, Any]:
    """A stored article as JSON-ready data: its store id first, the article, its analysis."""
    record = {
        "id": stored.id,
        "external_id": stored.external_id,
        "source": stored.source,
        "revision": stored.revision,
        **stored.article.to_dict(),
    }
    return record | analysis_fields(analysis) if analysis else record


def print_article_table(articles: Sequence[StoredArticle], total: int) -> None:
    """A table of articles: id, published, outlet, agency, title."""
    title = f"{plural(total, 'article')} stored"
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


def print_stored_article(stored: StoredArticle, analysis: Analysis | None) -> None:
    """One stored article in full, with its analysis, under a rule naming id and revision."""
    console = _stdout()
    console.rule(f"article {stored.id} · revision {stored.revision} · {escape(stored.source)}")
    record = stored_record(stored, analysis)
    _print_article_fields(console, record)
    if analysis:
        _print_analysis(console, record)


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


def jsonable(record: dict[str, Any]) -> dict[str, Any]:
    """A record with its datetimes as ISO 8601 strings, fit for JSON."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in record.items()}


def print_sources(sources: Sequence[Source]) -> None:
    """The registry as a table: each source and its health."""
    table = Table(title=f"{plural(len(sources), 'source')}")
    for name in ("id", "source", "last fetch", "last success", "items", "next poll", "last error"):
        table.add_column(name, overflow="fold")
    for source in sources:
        table.add_row(
            str(source.id),
            escape(f"{source.name or ''}\n{source.url}".strip()),
            _when(source.last_fetch_at),
            _when(source.last_success_at),
            str(source.items_seen),
            _when(source.next_poll_at),
            f"[red]{escape(source.last_error)}[/]" if source.last_error else "",
        )
    _stdout().print(table)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


def print_round(report: RoundReport) -> None:
    """What each source gave in a round, then the ingest summary of the new articles."""
    table = Table(title="fetch round")
    for name in ("source", "status", "new items", "stored", "note"):
        table.add_column(name, overflow="fold")
    for result in report.sources:
        note = result.error or ""
        if result.truncated_from:
            note = f"feed had {result.truncated_from} items; read the newest {len(result.items)}"
        style = "red" if result.status == "failed" else ""
        table.add_row(
            escape(result.source.url),
            f"[{style}]{result.status}[/]" if style else result.status,
            str(len(result.items)),
            str(result.stored),
            escape(note),
        )
    _stdout().print(table)
    print_ingest_summary(report.ingest)


def story_record(story: Story, score: StoryScore, *, full: bool = False) -> dict[str, Any]:
    """A story as JSON-ready data: a summary line, or (`full`) everything the story holds."""
    scoring = {"score": round(score.total, 3), "factors": _factors(score)}
    if full:
        return {**story.to_dict(), **scoring}
    return {
        "id": story.id,
        "headline": story.headline,
        **scoring,
        "first_seen": story.first_seen.isoformat(),
        "last_seen": story.last_seen.isoformat(),
        "articles": len(story.articles),
        "outlets": story.outlets,
        "agencies": story.agencies,
        "countries": story.countries,
        "prominent": story.prominent,
    }


def _factors(score: StoryScore) -> dict[str, float]:
    names = ("coverage", "agencies", "breadth", "prominence", "severity", "momentum", "recency")
    return {name: round(getattr(score, name), 3) for name in names}


def print_story_table(ranked: Sequence[tuple[Story, StoryScore]], since: str) -> None:
    """The ranked stories: score, headline, coverage and where."""
    table = Table(title=f"{plural(len(ranked), 'story')} (since {escape(since)}), best first")
    for name in ("id", "score", "headline", "articles", "outlets", "countries", "last seen"):
        table.add_column(name, overflow="fold" if name == "headline" else "ellipsis")
    for story, score in ranked:
        table.add_row(
            str(story.id),
            f"{score.total:.2f}",
            escape(story.headline),
            str(len(story.articles)),
            str(len(story.outlets)),
            " ".join(story.countries[:5]),
            _when(story.last_seen),
        )
    _stdout().print(table)
    if not ranked:
        _stdout().print("No stories in this period; try --since all.")


def print_story(story: Story, score: StoryScore) -> None:
    """One story: its facts, then its timeline of reports (copies folded)."""
    console = _stdout()
    console.rule(f"story {story.id} · score {score.total:.2f}")
    console.print(f"[bold]{escape(story.headline)}[/]")
    span = f"{_when(story.first_seen)} → {_when(story.last_seen)}"
    console.print(f"{span} · {plural(len(story.articles), 'article')}")
    fields = {
        "outlets": ", ".join(story.outlets),
        "agencies": ", ".join(story.agencies),
        "countries": ", ".join(story.countries),
        "people": ", ".join(story.people),
        "organizations": ", ".join(story.organizations),
        "prominent": ", ".join(story.prominent),
        "counts": "; ".join(count_line(c) for c in story.counts[:5]),
    }
    for name, value in fields.items():
        if value:
            console.print(f"[bold]{name}:[/] {escape(value)}")
    for quote in story.quotes:
        console.print(f"“{escape(quote.text)}” — {escape(quote.speaker or 'unattributed')}")
    table = Table(title="timeline")
    for name in ("when", "outlet", "title", "copies", "article"):
        table.add_column(name, overflow="fold")
    for entry in story.timeline:
        table.add_row(_when(entry.when), escape(entry.outlet or ""), escape(entry.title),
                      str(entry.copies), str(entry.article_id))  # fmt: skip
    console.print(table)


def print_summaries(records: Sequence[dict[str, Any]]) -> None:
    """Each input's summary under its name, or its error."""
    console = _stdout()
    for record in records:
        console.rule(escape(record["source"]))
        if "error" in record:
            console.print(f"[red]error[/] {escape(record['error'])}")
        else:
            console.print(escape(record["summary"]))


def subscriber_record(subscriber: Subscriber) -> dict[str, Any]:
    """A subscriber as JSON-ready data."""
    return jsonable(asdict(subscriber))


def print_subscribers(subscribers: Sequence[Subscriber]) -> None:
    """Subscribers and their preferences as a table."""
    table = Table(title=plural(len(subscribers), "subscriber"))
    for name in ("email", "status", "sends at", "regions", "themes", "stories", "format"):
        table.add_column(name, overflow="fold")
    for s in subscribers:
        table.add_row(
            escape(s.email),
            s.status,
            f"{s.send_time} {s.timezone}",
            escape(", ".join(s.regions) or "all"),
            escape(", ".join(s.themes) or "all"),
            str(s.stories),
            s.format,
        )
    _stdout().print(table)


def print_send_report(report: SendReport) -> None:
    """What a sending round did for each briefing, then why it stopped if it did."""
    table = Table(title=f"{plural(report.due, 'briefing')} due")
    for name in ("to", "date", "status", "reply"):
        table.add_column(name, overflow="fold")
    for result in report.results:
        table.add_row(escape(result.email), result.date.isoformat(), result.status,
                      escape(result.reply or ""))  # fmt: skip
    _stdout().print(table)
    if report.error:
        _stdout().print(f"[red]stopped:[/] {escape(report.error)}")


def print_turn(turn: DeskTurn) -> None:
    """What one turn of the desk did: the polling round, clustering, the briefings sent."""
    if turn.fetched is not None:
        print_round(turn.fetched)
    if turn.clustered:
        print_message(f"{plural(turn.clustered, 'article')} filed under stories")
    if turn.sent is not None and turn.sent.due:
        print_send_report(turn.sent)
    if turn.error:
        _stdout().print(f"[red]sending stopped:[/] {escape(turn.error)}")


def print_turn_line(turn: DeskTurn) -> None:
    """One line per turn of the long-running desk."""
    fetched = turn.fetched
    polled = f"{len(fetched.sources)} polled, " if fetched is not None else ""
    stored = fetched.ingest.counts().get("stored", 0) if fetched is not None else 0
    sent = turn.sent.count("sent") if turn.sent is not None else 0
    line = f"{turn.at:%Y-%m-%d %H:%M} {polled}{stored} stored, {turn.clustered} clustered, "
    line += f"{sent} sent"
    _stdout().print(escape(line) + (f" [red]{escape(turn.error)}[/]" if turn.error else ""))
