"""`newsdesk sources …` and `newsdesk fetch`: the registry of what the desk reads, and a round.

Each command parses, calls one stage function (`newsdesk.ingest.registry`,
`newsdesk.ingest.rounds`), renders with `cli_output`.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from newsdesk import cli_output
from newsdesk.cli_common import JsonFlag, make_fetcher, open_store, settings_of
from newsdesk.cli_stories import cluster_with_progress
from newsdesk.ingest.registry import SourceDetails, export_opml, import_opml, register_source
from newsdesk.ingest.rounds import RoundReport, fetch_round
from newsdesk.store.sources import list_sources, remove_source

sources_app = typer.Typer(
    help="The feeds, sitemaps and pages the desk reads.", no_args_is_help=True
)


@sources_app.command("add")
def sources_add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="A feed, news sitemap or site URL.")],
    name: Annotated[str | None, typer.Option(help="Display name (default: the feed's).")] = None,
    region: Annotated[str | None, typer.Option(help="Region, e.g. 'Asia-Pacific'.")] = None,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. 'en'.")] = None,
    interval: Annotated[
        int | None, typer.Option(help="Minutes between polls (default: adaptive).", min=1)
    ] = None,
    page: Annotated[bool, typer.Option("--page", help="Register this one page as it is.")] = False,
) -> None:
    """Register a source: a feed, a news sitemap, or a site whose feed is found for you.

    Example:

        newsdesk sources add https://www.theguardian.com/world/rss --region World
    """
    settings = settings_of(ctx)
    details = SourceDetails(name, region, language, interval * 60 if interval else None)
    with open_store(settings, create=True) as store, make_fetcher(settings) as fetcher:
        source = register_source(store, fetcher, url, details, as_page=page)
    cli_output.print_message(f"added {source.kind} {source.url} ({source.name or 'no name'})")


@sources_app.command("list")
def sources_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """The sources with their health: last fetch, last success, last error, items, next poll.

    Example:

        newsdesk sources list
    """
    with open_store(settings_of(ctx)) as store:
        sources = list_sources(store)
    if as_json:
        cli_output.print_json_records([cli_output.jsonable(asdict(s)) for s in sources])
    else:
        cli_output.print_sources(sources)


@sources_app.command("remove")
def sources_remove(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The source's URL or id (see `sources list`).")],
) -> None:
    """Stop reading a source; the articles it gave stay.

    Example:

        newsdesk sources remove https://www.theguardian.com/world/rss
    """
    with open_store(settings_of(ctx)) as store:
        removed = remove_source(store, int(source) if source.isdigit() else source)
    cli_output.print_message(f"removed {removed.url}")


@sources_app.command("import")
def sources_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An OPML file, as feed readers export.")],
) -> None:
    """Register every feed of an OPML file (feeds already registered are skipped).

    Example:

        newsdesk sources import feeds.opml
    """
    with open_store(settings_of(ctx), create=True) as store:
        added, skipped = import_opml(store, path)
    cli_output.print_message(
        f"added {cli_output.plural(len(added), 'source')}, {len(skipped)} already registered"
    )


@sources_app.command("export")
def sources_export(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """Write the feeds and sitemaps as OPML 2.0, grouped by region.

    Example:

        newsdesk sources export --out feeds.opml
    """
    with open_store(settings_of(ctx)) as store:
        opml = export_opml(store)
    if out is None:
        sys.stdout.write(opml)
    else:
        out.write_text(opml, encoding="utf-8")


def fetch_command(
    ctx: typer.Context,
    no_analysis: Annotated[
        bool,
        typer.Option(
            "--no-analysis",
            help="Store without analysing or filing under stories (see `reanalyze`).",
        ),
    ] = False,
) -> None:
    """One polling round: fetch the sources that are due and store their new articles.

    A source just added is due. Prints what each source gave and exits 1 if any failed.
    Example:

        newsdesk fetch
    """
    report = run_round(ctx, analyze=not no_analysis)
    if any(result.status == "failed" for result in report.sources):
        raise typer.Exit(1)


def run_round(ctx: typer.Context, *, analyze: bool = True) -> RoundReport:
    """A polling round with a progress bar, then its summary table."""
    settings = settings_of(ctx)
    with (
        open_store(settings, create=True) as store,
        make_fetcher(settings) as fetcher,
        cli_output.progress_bar("fetching", 0) as advance,
    ):
        report = fetch_round(
            store, fetcher, workers=settings.workers, analyze=analyze, on_result=advance
        )
    cli_output.print_round(report)
    if analyze:  # without analysis, articles join stories once `reanalyze` has analysed them
        cluster_with_progress(settings)
    return report
