"""The web desk's FastAPI app: the routers, the one error handler, static files, headers.

`create_app(store, settings)` is all `newsdesk serve` (and a test) needs. The interactive
API docs are off: they load scripts from a CDN, which the Content-Security-Policy forbids;
the OpenAPI schema is at `/openapi.json`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from newsdesk import __version__
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.store import Store
from newsdesk.web import api, owner, pages, readers, search
from newsdesk.web.desk import Desk
from newsdesk.web.errors import handle_error
from newsdesk.web.security import SecurityHeaders

DESCRIPTION = """The newsdesk web desk's JSON API: the daily briefings, stories, articles,
people, organisations, places and countries, and full-text search with filters. Reading is
open; the sources and every write need the owner's password as a Bearer token."""


def create_app(store: Store, settings: Settings, *, warm: bool = False) -> FastAPI:
    """The web desk over an open store.

    Args:
        store: an open, migrated store (the caller closes it).
        settings: the settings in force (base URL, keys, SMTP, owner password, limits).
        warm: compose the latest briefing in the background now, not for the first reader.

    Returns:
        The ASGI app, ready for uvicorn.

    Raises:
        ConfigError: a setting the web desk needs is malformed.
    """
    desk = Desk.create(store, settings)
    app = FastAPI(
        title="newsdesk",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.desk = desk
    for router in (pages.router, search.router, readers.router, owner.router, api.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("newsdesk.web", "static")]), name="static")
    for error in (NewsdeskError, HTTPException, RequestValidationError):
        app.add_exception_handler(error, handle_error)
    app.add_middleware(SecurityHeaders, https=desk.https)
    if warm:
        desk.editions.warm()
    return app
