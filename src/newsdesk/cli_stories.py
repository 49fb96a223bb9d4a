"""The `stories` and `story` commands, and the clustering step other commands end with."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from newsdesk import cli_output
from newsdesk.cli_common import JsonFlag, open_store, settings_of
from newsdesk.config import Settings
from newsdesk.errors import ConfigError, SourceError
from newsdesk.ingest.documents import parse_timestamp
from newsdesk.store import Store
from newsdesk.store.stories import count_unclustered, latest_seen
from newsdesk.stories import StoryTracker, load_stories, load_story, rank_stories, rebuild_stories

stories_app = typer.Typer(help="The stories: articles grouped by event, ranked.")

_DURATION = re.compile(r"(\d+)\s*([hd])")
SinceOption = Annotated[
    str,
    typer.Option(
        "--since",
        help="A duration before the newest article (24h, 3d), a date (2026-11-28) or 'all'.",
    ),
]


def cluster_with_progress(settings: Settings) -> int:
    """Files every unclustered article under a story, with a progress bar.

    Returns:
        How many articles were clustered.
    """
    with open_store(settings, create=True) as store:
        pending = count_unclustered(store)
        if not pending:
            return 0
        with cli_output.progress_bar("clustering", pending) as advance:
            return StoryTracker(store).cluster_new(lambda done: advance("", done))


def _ranking_time(store: Store) -> datetime:
    """The moment stories are ranked at: now, or the newest article of an archive."""
    now = datetime.now(UTC)
    return min(latest_seen(store) or now, now)


def _window_start(since: str, newest: datetime) -> datetime | None:
    """The start of the window `--since` names; None for all time."""
    text = since.strip().lower()
    if text == "all":
        return None
    if match := _DURATION.fullmatch(text):
        unit = "hours" if match[2] == "h" else "days"
        return newest - timedelta(**{unit: int(match[1])})
    return _date_option(since, "a duration (24h, 3d), a date or 'all'")


def _date_option(value: str, expected: str) -> datetime:
    """An ISO date or time given to --since, or a ConfigError saying what is expected."""
    try:
        moment = parse_timestamp(value)
    except SourceError:
        moment = None
    if moment is None:
        raise ConfigError(f"--since {value!r} is not {expected}")
    return moment


@stories_app.callback(invoke_without_command=True)
def stories_list(
    ctx: typer.Context,
    since: SinceOption = "24h",
    top: Annotated[int, typer.Option("--top", min=1, help="How many stories.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """The most essential stories of a period, best first, with the factors of their score.

    The period ends at the newest article (now, on a live desk), so an archive reads as it
    did on its last day. Example:

        newsdesk stories --since 3d --top 5
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_store(settings_of(ctx)) as store:
        newest = _ranking_time(store)
        stories = load_stories(store, since=_window_start(since, newest))
    ranked = rank_stories(stories, newest)[:top]
    if as_json:
        cli_output.print_json_records([cli_output.story_record(s, score) for s, score in ranked])
    else:
        cli_output.print_story_table(ranked, since)


@stories_app.command("rebuild")
def stories_rebuild(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Recluster articles from this date on (default: all)."),
    ] = None,
) -> None:
    """Recluster stored articles from scratch, in publication order (after a backfill).

    Stories before --since keep their articles. Example:

        newsdesk stories rebuild --since 2026-11-01
    """
    start = None if since is None else _date_option(since, "a date (2026-11-01)")
    with (
        open_store(settings_of(ctx), create=True) as store,
        cli_output.progress_bar("clustering", 0) as advance,
    ):
        done = rebuild_stories(store, start, on_batch=lambda n: advance("", n))
    cli_output.print_message(f"{cli_output.plural(done, 'article')} clustered again")


def story_command(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Argument(help="The story's id (see `stories`).")],
    as_json: JsonFlag = False,
) -> None:
    """Show one story: its articles by outlet and time, actors, places, counts, quotes.

    Example:

        newsdesk story 42
    """
    with open_store(settings_of(ctx)) as store:
        story = load_story(store, story_id)
        newest = _ranking_time(store)
    if story is None:
        raise SourceError(f"no story with id {story_id}; see `newsdesk stories`")
    score = rank_stories([story], newest)[0][1]
    if as_json:
        cli_output.print_json_records([cli_output.story_record(story, score, full=True)])
    else:
        cli_output.print_story(story, score)
