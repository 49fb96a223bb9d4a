"""The `newsdesk` command line: each command parses, calls one stage function, renders.

Errors of newsdesk's own (:class:`NewsdeskError`) are caught in one place,
`_NewsdeskGroup.invoke`, and printed as `Error: <message>` with exit status 1; `--debug`
lets the traceback through. Rendering lives in :mod:`newsdesk.cli_output`.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from newsdesk import cli_output
from newsdesk.cli_briefing import brief_command, send_command, summarize_command
from newsdesk.cli_common import JsonFlag, State, make_fetcher, open_store, settings_of
from newsdesk.cli_sources import fetch_command, sources_app
from newsdesk.cli_stories import cluster_with_progress, stories_app, stories_list, story_command
from newsdesk.cli_subscribers import subscribers_app
from newsdesk.cli_web import serve_command, serve_in_background
from newsdesk.config import Settings, load_settings
from newsdesk.deliver import Mailer, links_for, smtp_options
from newsdesk.desk import Desk
from newsdesk.errors import NewsdeskError, SourceError
from newsdesk.ingest import (
    IngestReport,
    ProcessingOptions,
    count_documents,
    ids_to_reanalyze,
    process_documents,
    reanalyze,
)
from newsdesk.ingest.documents import parse_timestamp
from newsdesk.ingest.pipeline import ingest_documents
from newsdesk.ingest.registry import install_defaults
from newsdesk.ingest.rounds import iter_inputs
from newsdesk.store import display_url


class _NewsdeskGroup(TyperGroup):
    """The root command group: turns NewsdeskError into a one-line error, exit status 1."""

    # typer vendors click and types this with its private copy's Context; ours is a subclass
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except NewsdeskError as error:
            if ctx.params.get("debug"):
                raise
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_NewsdeskGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: the README's generated reference stays stable
    help="newsdesk: essential international news, every morning.",
)
articles_app = typer.Typer(help="Browse stored articles.", no_args_is_help=False)
db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)
app.add_typer(articles_app, name="articles")
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")
app.add_typer(stories_app, name="stories")
app.command("fetch")(fetch_command)
app.command("story")(story_command)
app.command("serve")(serve_command)
app.add_typer(subscribers_app, name="subscribers")
app.command("summarize")(summarize_command)
app.command("brief")(brief_command)
app.command("send")(send_command)


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL (env NEWSDESK_DB).", show_default=False)
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file (env NEWSDESK_CONFIG).")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    ctx.obj = State(load_settings(config, overrides={"db": db}), debug)


InputsArgument = Annotated[list[str], typer.Argument(help="HTML, text or JSONL files, or folders.")]
PublishedOption = Annotated[
    str | None, typer.Option("--published", help="Publication date (ISO) when the input has none.")
]


@app.command()
def extract(
    ctx: typer.Context,
    inputs: InputsArgument,
    as_json: JsonFlag = False,
    published: PublishedOption = None,
) -> None:
    """Extract the article from each input: headline, standfirst, byline, dateline, body.

    With --json, one object for one input, else one JSON line per input, in input order;
    an input that fails gives {"source": ..., "error": ...}. Example:

        newsdesk extract page.html --json
    """
    _process_and_print(ctx, inputs, ProcessingOptions(published=_date_option(published)), as_json)


@app.command()
def analyze(
    ctx: typer.Context,
    inputs: InputsArgument,
    as_json: JsonFlag = False,
    published: PublishedOption = None,
) -> None:
    """Extract and analyse each input: people, places, quotes, counts, dates, themes, tone.

    The JSON has the extract fields plus the analysis, one object or one line per input.
    Relative dates ("on Thursday") resolve against the article's date, else --published.
    Example:

        newsdesk analyze article.txt --published 2009-04-16 --json
    """
    options = ProcessingOptions(analyze=True, published=_date_option(published))
    _process_and_print(ctx, inputs, options, as_json)


def _date_option(value: str | None) -> datetime | None:
    return parse_timestamp(value) if value else None


def _process_and_print(
    ctx: typer.Context, inputs: list[str], options: ProcessingOptions, as_json: bool
) -> None:
    """Run extraction (and analysis) over the inputs, print the records, exit 1 on failures."""
    settings = settings_of(ctx)
    workers = _workers_for(settings, len(inputs))
    with make_fetcher(settings) as fetcher:
        documents = iter_inputs(inputs, settings.max_input_bytes, fetcher, expand=False)
        results = process_documents(documents, workers, options)
        records = [cli_output.processed_record(result) for result in results]
    if as_json:
        cli_output.print_json_records(records)
    else:
        cli_output.print_articles(records)
    if any("error" in record for record in records):
        raise typer.Exit(1)


def _workers_for(settings: Settings, inputs: int) -> int:
    """Few inputs are processed in this process: starting workers would cost more."""
    return 1 if inputs < 4 else settings.workers or 0


@app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Files (.html .txt .json .jsonl .warc.gz, saved feeds), folders, URLs."
        ),
    ],
    no_analysis: Annotated[
        bool,
        typer.Option(
            "--no-analysis",
            help="Store without analysing or filing under stories (see `reanalyze`).",
        ),
    ] = False,
) -> None:
    """Extract, analyse and store articles, then file the new ones under stories.

    An article already stored is left unchanged. Prints a summary (stored / unchanged /
    revised / failed, with reasons) and exits 1 when any input failed. --no-analysis
    stores about four times faster, for backfills, and leaves stories alone: `newsdesk
    reanalyze` then analyses what was stored and files it under stories. Example:

        newsdesk ingest ~/saved-pages/ articles.jsonl
    """
    report = _ingest_with_progress(settings_of(ctx), sources, analyze=not no_analysis)
    if report.failures:
        raise typer.Exit(1)


def _ingest_with_progress(
    settings: Settings, sources: list[str], *, analyze: bool = True
) -> IngestReport:
    """Ingest with a progress bar, then print the summary table."""
    with open_store(settings, create=True) as store, make_fetcher(settings) as fetcher:
        total = count_documents(sources)
        documents = iter_inputs(sources, settings.max_input_bytes, fetcher, expand=True)
        with cli_output.progress_bar("ingesting", total) as advance:
            report = ingest_documents(
                documents,
                store,
                workers=settings.workers,
                analyze=analyze,
                on_result=lambda result: advance(result.source),
            )
    cli_output.print_ingest_summary(report)
    if analyze:  # without analysis, articles join stories once `reanalyze` has analysed them
        cluster_with_progress(settings)
    return report


@app.command()
def run(
    ctx: typer.Context,
    sources: Annotated[list[str] | None, typer.Argument(help="Files or folders to ingest.")] = None,
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Work offline: poll no sources.")
    ] = False,
    once: Annotated[
        bool, typer.Option("--once", help="One turn, then show the top stories and stop.")
    ] = False,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Do not serve the web desk meanwhile.")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="Web desk address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Web desk port.")] = 8000,
) -> None:
    """The desk: ingest what it is given, then poll, cluster and send briefings on time.

    Without --once it runs until stopped (Ctrl-C), serving the web desk meanwhile (as
    `newsdesk serve` does; --no-serve to leave it to another process): each turn polls the
    sources that are due, files new articles under stories and sends each subscriber's
    briefing at their local send time. The first run registers the default international feeds (see
    `sources list`). Example:

        newsdesk run --once ~/saved-pages/
    """
    settings = settings_of(ctx)
    if sources:
        _ingest_with_progress(settings, sources)  # inputs that failed are listed, not fatal
    with (
        open_store(settings, create=True) as store,
        make_fetcher(settings) as fetcher,
        Mailer(smtp_options(settings)) as mailer,
    ):
        if not no_fetch:
            install_defaults(store)
        desk = Desk(
            store,
            base_url=settings.base_url,
            fetcher=None if no_fetch else fetcher,
            mailer=mailer,
            links=links_for(settings, store),
            workers=settings.workers,
        )
        if not once:
            web = None if no_serve else serve_in_background(store, settings, host, port)
            where = f"; the web desk is at http://{host}:{port}/" if web else ""
            cli_output.print_message(f"the desk is running{where}; Ctrl-C stops it")
            _run_until_interrupted(desk)
            if web is not None:
                web.should_exit = True
            return
        with cli_output.progress_bar("polling", 0) as advance:
            turn = desk.step(on_progress=advance)
    cli_output.print_turn(turn)
    ctx.invoke(stories_list, ctx=ctx, since="24h", top=10, as_json=False)


def _run_until_interrupted(desk: Desk) -> None:
    """Turn after turn, one line each, until Ctrl-C."""
    stop = threading.Event()
    try:
        desk.run_forever(stop, on_turn=cli_output.print_turn_line)
    except KeyboardInterrupt:
        stop.set()
        cli_output.print_message("stopped")


@app.command("reanalyze")
def reanalyze_command(
    ctx: typer.Context,
    everything: Annotated[
        bool, typer.Option("--all", help="Analyse every article, not only stale ones.")
    ] = False,
) -> None:
    """Recompute stored analyses that are missing or were made by an older analyzer, then
    file the articles that are in no story yet (those stored with --no-analysis).

    Example:

        newsdesk reanalyze
    """
    settings = settings_of(ctx)
    with open_store(settings) as store:
        ids = ids_to_reanalyze(store, everything=everything)
        with cli_output.progress_bar("analysing", len(ids)) as advance:
            report = reanalyze(
                store, ids, workers=settings.workers, on_progress=lambda i: advance(f"#{i}")
            )
    cli_output.print_reanalysis(report)
    cluster_with_progress(settings)
    if report.failures:
        raise typer.Exit(1)


@articles_app.callback(invoke_without_command=True)
def _articles_default(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(articles_list, ctx=ctx)


@articles_app.command("list")
def articles_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many articles.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many first.")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """List stored articles, newest first.

    Example:

        newsdesk articles list --limit 5
    """
    with open_store(settings_of(ctx)) as store:
        articles = store.list_articles(limit=limit, offset=offset)
        if as_json:
            cli_output.print_json_records([cli_output.stored_record(a) for a in articles])
        else:
            cli_output.print_article_table(articles, store.count_articles())


@articles_app.command("show")
def articles_show(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article's id (see `articles list`).")],
    as_json: JsonFlag = False,
) -> None:
    """Show one stored article in full.

    Example:

        newsdesk articles show 12
    """
    with open_store(settings_of(ctx)) as store:
        stored = store.get_article(article_id)
        analysis = store.get_analysis(article_id)
    if stored is None:
        raise SourceError(f"no article with id {article_id}; see `newsdesk articles list`")
    if as_json:
        cli_output.print_json_records([cli_output.stored_record(stored, analysis)])
    else:
        cli_output.print_stored_article(stored, analysis)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words, or a "quoted phrase".')],
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many results.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Full-text search over titles, standfirsts and bodies, best match first.

    Words must all match; "quoted phrases" match as phrases. Example:

        newsdesk search '"drug cartels" mexico'
    """
    with open_store(settings_of(ctx)) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        cli_output.print_json_records([cli_output.hit_record(hit) for hit in hits])
    else:
        cli_output.print_search_hits(query, hits)


class ExportFormat(StrEnum):
    """The formats `newsdesk export` writes."""

    JSONL = "jsonl"


@app.command()
def export(
    ctx: typer.Context,
    output_format: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = (
        ExportFormat.JSONL
    ),
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """Export one JSON line per article: {"id", "url", "story", "title"}.

    `id` is the input's own id where one was given, else the store's. Example:

        newsdesk export --format jsonl --out articles.jsonl
    """
    with open_store(settings_of(ctx)) as store:
        lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in store.iter_export())
        if out is None:
            sys.stdout.writelines(lines)
        else:
            with out.open("w", encoding="utf-8") as handle:
                handle.writelines(lines)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create the database or bring its schema up to date.

    Example:

        newsdesk db upgrade
    """
    settings = settings_of(ctx)
    with open_store(settings, create=True):
        pass
    cli_output.print_message(f"database {display_url(settings.database_url)} is up to date")


def main() -> None:
    """Entry point of the `newsdesk` command."""
    app()
