"""What every command module of the CLI shares: the settings, the store, the fetcher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from newsdesk import __version__
from newsdesk.config import Settings
from newsdesk.ingest.fetch import Fetcher, FetchSettings
from newsdesk.ingest.safety import parse_allow_list
from newsdesk.store import Store

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a readable view.")]


@dataclass(frozen=True)
class State:
    """What the root command parsed: the settings in force, and whether to show tracebacks."""

    settings: Settings
    debug: bool


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the root command loaded."""
    state: State = ctx.find_root().obj
    return state.settings


def open_store(settings: Settings, *, create: bool = False) -> Store:
    """Open the configured store; with `create`, migrate it to the latest schema first."""
    return Store.open(settings.database_url, upgrade=create)


def make_fetcher(settings: Settings) -> Fetcher:
    """A fetcher configured from the settings: guard, caps, pace and an honest User-Agent."""
    return Fetcher(
        FetchSettings(
            user_agent=f"newsdesk/{__version__} (+{settings.fetch_contact})",
            timeout=settings.fetch_timeout,
            max_bytes=settings.fetch_max_bytes,
            allow=parse_allow_list(settings.fetch_allow),
            min_delay=settings.fetch_min_delay,
        )
    )
