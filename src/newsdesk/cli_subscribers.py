"""`newsdesk subscribers …`: who gets the briefing, their opt-in and their preferences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from newsdesk import cli_output
from newsdesk.cli_common import JsonFlag, open_store, settings_of
from newsdesk.deliver import (
    Mailer,
    Preferences,
    confirm_subscriber,
    links_for,
    remove_subscriber,
    smtp_options,
    subscribe,
    update_preferences,
)
from newsdesk.store.subscribers import list_subscribers

subscribers_app = typer.Typer(
    help="Who gets the briefing: double opt-in, preferences, removal.", no_args_is_help=True
)

EmailArgument = Annotated[str, typer.Argument(help="The subscriber's email address.")]
TimezoneOption = Annotated[
    str | None, typer.Option("--timezone", help="IANA zone, e.g. Europe/London (default UTC).")
]
SendTimeOption = Annotated[
    str | None, typer.Option("--send-time", help="Local time HH:MM (default 07:00).")
]
RegionOption = Annotated[
    list[str] | None, typer.Option("--region", help="Only this region (repeat for several).")
]
ThemeOption = Annotated[
    list[str] | None, typer.Option("--theme", help="Only this theme (repeat for several).")
]
StoriesOption = Annotated[
    int | None, typer.Option("--stories", help="Top stories per briefing (default 10).")
]
FormatOption = Annotated[str | None, typer.Option("--format", help="html (default) or text.")]


def _preferences(
    timezone: str | None,
    send_time: str | None,
    regions: list[str] | None,
    themes: list[str] | None,
    stories: int | None,
    output_format: str | None,
) -> Preferences:
    return Preferences(timezone, send_time, regions or None, themes or None, stories, output_format)


@subscribers_app.command("add")
def subscribers_add(
    ctx: typer.Context,
    email: EmailArgument,
    timezone: TimezoneOption = None,
    send_time: SendTimeOption = None,
    region: RegionOption = None,
    theme: ThemeOption = None,
    stories: StoriesOption = None,
    output_format: FormatOption = None,
) -> None:
    """Subscribe an address: it stays pending until the emailed link is followed.

    The confirmation email goes through the configured SMTP server; an operator may also
    confirm with `subscribers confirm`. Example:

        newsdesk subscribers add reader@example.org --timezone Asia/Kolkata --send-time 06:30
    """
    settings = settings_of(ctx)
    preferences = _preferences(timezone, send_time, region, theme, stories, output_format)
    with open_store(settings, create=True) as store, Mailer(smtp_options(settings)) as mailer:
        subscriber = subscribe(
            store, email, mailer, links_for(settings, store), preferences, now=_now()
        )
    cli_output.print_message(f"{subscriber.email} is pending: a confirmation email was sent")


@subscribers_app.command("list")
def subscribers_list(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="pending, active, unsubscribed or bouncing.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List subscribers with their status and preferences.

    Example:

        newsdesk subscribers list --status active
    """
    with open_store(settings_of(ctx), create=True) as store:
        subscribers = list_subscribers(store, status)
    if as_json:
        cli_output.print_json_records([cli_output.subscriber_record(s) for s in subscribers])
    else:
        cli_output.print_subscribers(subscribers)


@subscribers_app.command("confirm")
def subscribers_confirm(ctx: typer.Context, email: EmailArgument) -> None:
    """Confirm a pending subscriber on their behalf (they asked you directly).

    Example:

        newsdesk subscribers confirm reader@example.org
    """
    with open_store(settings_of(ctx)) as store:
        subscriber = confirm_subscriber(store, email, now=_now())
    cli_output.print_message(f"{subscriber.email} is active")


@subscribers_app.command("update")
def subscribers_update(
    ctx: typer.Context,
    email: EmailArgument,
    timezone: TimezoneOption = None,
    send_time: SendTimeOption = None,
    region: RegionOption = None,
    theme: ThemeOption = None,
    stories: StoriesOption = None,
    output_format: FormatOption = None,
) -> None:
    """Change a subscriber's preferences; options not given stay as they are.

    Example:

        newsdesk subscribers update reader@example.org --region Europe --stories 5
    """
    preferences = _preferences(timezone, send_time, region, theme, stories, output_format)
    with open_store(settings_of(ctx)) as store:
        subscriber = update_preferences(store, email, preferences)
    cli_output.print_subscribers([subscriber])


@subscribers_app.command("remove")
def subscribers_remove(ctx: typer.Context, email: EmailArgument) -> None:
    """Delete everything kept about a subscriber: the address, preferences and send ledger.

    Example:

        newsdesk subscribers remove reader@example.org
    """
    with open_store(settings_of(ctx)) as store:
        subscriber = remove_subscriber(store, email)
    cli_output.print_message(f"{subscriber.email} and everything kept about them are deleted")


def _now() -> datetime:
    return datetime.now(UTC)
