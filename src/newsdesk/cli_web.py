"""`newsdesk serve`: the web desk under uvicorn, and the helper that makes the owner's hash.

The command parses, opens the store (migrating it, as `ingest` does) and hands the app from
`newsdesk.web.create_app` to uvicorn. The web stack (FastAPI, uvicorn) is imported only
when a command serves: every other command starts a third of a second sooner.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk import cli_output
from newsdesk.cli_common import open_store, settings_of
from newsdesk.config import Settings
from newsdesk.store import Store

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    make_hash: Annotated[
        bool,
        typer.Option(
            "--hash-password",
            help="Ask for the owner's password, print its hash for owner_password_hash, exit.",
        ),
    ] = False,
) -> None:
    """Serve the web desk: the briefing, stories, articles, search, subscriptions, the API.

    Pages: / (today's briefing), /briefings, /stories/ID, /articles/ID, /search?q=...,
    /entities/person/NAME, /subscribe, /sources (owner); JSON under /api/, the OpenAPI
    schema at /openapi.json. Behind a reverse proxy, set base_url to the public address.
    Example:

        newsdesk serve --host 0.0.0.0 --port 8000
    """
    import uvicorn

    from newsdesk.web.security import hash_password

    if make_hash:
        password = typer.prompt("Owner password", hide_input=True, confirmation_prompt=True)
        cli_output.print_message(hash_password(password))
        return
    settings = settings_of(ctx)
    with open_store(settings, create=True) as store:
        app = _app(store, settings)
        uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")


def serve_in_background(store: Store, settings: Settings, host: str, port: int) -> uvicorn.Server:
    """Start the web desk in a daemon thread (what `newsdesk run` does); stop it with
    `server.should_exit = True`."""
    import uvicorn

    app = _app(store, settings)
    config = uvicorn.Config(app, host=host, port=port, proxy_headers=True, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, name="web desk", daemon=True).start()
    return server


def _app(store: Store, settings: Settings) -> FastAPI:
    """The web desk's app, its pages' data loaded before the first request."""
    from newsdesk.web import create_app

    return create_app(store, settings, warm=True)
