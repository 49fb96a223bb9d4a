"""`summarize`, `brief` and `send`: the briefing from the command line."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from newsdesk import cli_output
from newsdesk.briefing.compose import compose_briefing
from newsdesk.briefing.emails import briefing_composer
from newsdesk.briefing.render import FORMATS, BriefingLinks, render_briefing
from newsdesk.briefing.summarize import summarize_article
from newsdesk.cli_common import JsonFlag, make_fetcher, open_store, settings_of
from newsdesk.deliver import Mailer, links_for, send_now, smtp_options
from newsdesk.errors import ConfigError, SourceError
from newsdesk.ingest import InputFailure, process_documents
from newsdesk.ingest.rounds import iter_inputs
from newsdesk.store.subscribers import get_subscriber


def summarize_command(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="HTML, text or JSONL files, or folders.")],
    sentences: Annotated[int, typer.Option("--sentences", min=1, help="Sentences to keep.")] = 3,
    as_json: JsonFlag = False,
) -> None:
    """Summarise each article in a few of its own sentences, the most central and factual.

    With --json, {"source": ..., "summary": ...}: one object for one input, else one line
    per input in input order; an input that fails gives {"source": ..., "error": ...}.
    Example:

        newsdesk summarize article.html --sentences 2 --json
    """
    settings = settings_of(ctx)
    with make_fetcher(settings) as fetcher:
        documents = iter_inputs(inputs, settings.max_input_bytes, fetcher, expand=False)
        records = [
            {"source": r.source, "error": r.reason}
            if isinstance(r, InputFailure)
            else {"source": r.document.source, "summary": summarize_article(r.article, sentences)}
            for r in process_documents(documents, 1)
        ]
    if as_json:
        cli_output.print_json_records(records)
    else:
        cli_output.print_summaries(records)
    if any("error" in record for record in records):
        raise typer.Exit(1)


def brief_command(
    ctx: typer.Context,
    day: Annotated[
        str | None, typer.Option("--date", help="The briefing's date (default: today).")
    ] = None,
    email: Annotated[
        str | None, typer.Option("--for", help="A subscriber: their time, regions, themes.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")
    ] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """Compose the briefing of a day: top stories, then sections by region.

    It covers the 24 hours before the send time (07:00 UTC, or the subscriber's own time in
    their zone with --for) on that date. Example:

        newsdesk brief --date 2026-11-29 --for reader@example.org --format html --out b.html
    """
    if output_format not in FORMATS:
        raise ConfigError(f"--format {output_format!r}: expected one of {', '.join(FORMATS)}")
    settings = settings_of(ctx)
    with open_store(settings) as store:
        subscriber = get_subscriber(store, email) if email else None
        if email and subscriber is None:
            raise SourceError(f"no subscriber {email}; see `newsdesk subscribers list`")
        briefing = compose_briefing(store, _day(day), subscriber)
    text = render_briefing(briefing, output_format, BriefingLinks(settings.base_url))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def _day(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--date {value!r} is not a date like 2026-11-29") from None


def send_command(
    ctx: typer.Context,
    now: Annotated[bool, typer.Option("--now", help="Send today's briefing now.")] = False,
    email: Annotated[str | None, typer.Option("--for", help="Only this subscriber.")] = None,
) -> None:
    """Send today's briefing now to every active subscriber (or one), outside the schedule.

    A briefing sent already today is skipped; one sent now is not sent again by `run`.
    Exits 1 when the mail server could not be used. Example:

        newsdesk send --now --for reader@example.org
    """
    if not now:
        raise ConfigError("`newsdesk send` needs --now (`newsdesk run` sends on schedule)")
    settings = settings_of(ctx)
    with open_store(settings, create=True) as store, Mailer(smtp_options(settings)) as mailer:
        compose = briefing_composer(store, settings.base_url)
        report = send_now(store, compose, mailer, email, links=links_for(settings, store))
    cli_output.print_send_report(report)
    if report.error:
        raise typer.Exit(1)
