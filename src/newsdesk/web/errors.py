"""The web desk's one error handler: every failure becomes a clear 4xx or 5xx answer.

newsdesk's own errors map to a status by class (`STATUS`, nearest class first, as
datasette's `Base400` does): what the reader or client sent is a 400, an unreachable database
a 503, a bad setting a 500. HTTP errors keep their status and request validation errors are a
422 naming each bad parameter. Under `/api/` the answer is JSON (`{"detail": ...}`, FastAPI's
shape); elsewhere it is a page saying what went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newsdesk.errors import ConfigError, DeliveryError, NewsdeskError, SourceError, StoreError
from newsdesk.web.rendering import render

STATUS: dict[type[NewsdeskError], int] = {
    SourceError: 400,
    DeliveryError: 400,
    StoreError: 503,
    ConfigError: 500,
}
"""HTTP status of each newsdesk error class (a class may also carry its own `status`)."""

_TITLES = {400: "Bad request", 401: "Log in first", 403: "Not allowed", 404: "Not found",
           405: "Method not allowed", 422: "Invalid request", 429: "Too many requests",
           500: "Server error", 503: "Unavailable"}  # fmt: skip
_logger = logging.getLogger("newsdesk.web")


def status_of(error: NewsdeskError) -> int:
    """The HTTP status for a newsdesk error: its own `status`, else its nearest class's."""
    own = getattr(error, "status", None)
    if isinstance(own, int):
        return own
    return next((STATUS[kind] for kind in type(error).__mro__ if kind in STATUS), 500)


async def handle_error(request: Request, error: Exception) -> Response:
    """Answer a failed request: JSON under /api/, an error page elsewhere.

    Args:
        request: the request that failed.
        error: a NewsdeskError, an HTTPException or a RequestValidationError.

    Returns:
        The response with the error's status and message.
    """
    headers: Mapping[str, str] | None = None
    if isinstance(error, RequestValidationError):
        status, message = 422, _validation_message(error)
    elif isinstance(error, HTTPException):
        status, message, headers = error.status_code, str(error.detail), error.headers
    elif isinstance(error, NewsdeskError):
        status, message = status_of(error), str(error)
    else:
        raise error
    if status >= 500:
        _logger.error("%s %s failed: %s", request.method, request.url.path, message)
    if request.url.path.startswith("/api/"):
        detail = (
            jsonable_encoder(error.errors())
            if isinstance(error, RequestValidationError)
            else message
        )
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    context = {"title": _TITLES.get(status, "Error"), "status": status, "message": message}
    response = render(request, "error.html", context, status)
    response.headers.update(headers or {})
    return response


def _validation_message(error: RequestValidationError) -> str:
    """One line per bad parameter: where it was and what is wrong with it."""
    lines = []
    for item in error.errors():
        where = ".".join(
            str(part) for part in item.get("loc", ()) if part not in ("query", "path", "body")
        )
        lines.append(f"{where or 'request'}: {item.get('msg', 'invalid')}")
    return "; ".join(lines)
