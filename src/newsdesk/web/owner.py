"""The owner's pages: logging in and out, and the sources the desk reads with their health.

The owner logs in with the password whose hash is the `owner_password_hash` setting; a
signed, HttpOnly, SameSite=Strict cookie keeps the session for `SESSION_AGE`. After a change
the page redirects (303), so reloading it never repeats the change; the `next` a login goes
on to must be a path on this site (no open redirects).
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.cli_common import make_fetcher
from newsdesk.deliver import REGIONS
from newsdesk.errors import SourceError
from newsdesk.ingest.registry import SourceDetails, register_source
from newsdesk.store.sources import list_sources, remove_source
from newsdesk.web.desk import Desk, DeskDep
from newsdesk.web.guards import NO_OWNER, CsrfChecked, check_password, is_owner
from newsdesk.web.rendering import render
from newsdesk.web.security import SESSION_AGE, SESSION_COOKIE, local_path

router = APIRouter(include_in_schema=False)
Next = Annotated[str, Query(max_length=500)]
SourceId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Done = Literal["added", "removed"]


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, desk: DeskDep, next: Next = "/sources") -> Response:
    """The login form (a 403 page saying what to set when there is no owner password)."""
    if not desk.owner_password_hash:
        raise HTTPException(403, NO_OWNER)
    return _login_page(request, local_path(next, "/sources"), None, 200)


@router.post("/login", response_class=HTMLResponse, dependencies=[CsrfChecked])
def login_submit(
    request: Request,
    desk: DeskDep,
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=500)] = "/sources",
) -> Response:
    """Check the password; on success set the session cookie and go on to `next`."""
    target = local_path(next, "/sources")
    if not check_password(request, desk, password):
        return _login_page(request, target, "That is not the owner's password.", 401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, desk.signer.session(), max_age=SESSION_AGE, httponly=True,
        samesite="strict", secure=desk.https,
    )  # fmt: skip
    return response


def _login_page(request: Request, target: str, error: str | None, status: int) -> Response:
    return render(request, "login.html", {"next": target, "error": error}, status, private=True)


@router.post("/logout", dependencies=[CsrfChecked])
def logout() -> Response:
    """End the owner's session."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, desk: DeskDep, done: Done | None = None) -> Response:
    """The sources with their health, a form to add one and a button to remove each."""
    if not is_owner(request, desk):
        return RedirectResponse(f"/login?{urlencode({'next': '/sources'})}", status_code=303)
    return _sources_page(request, desk, done, None, {}, 200)


@router.post("/sources", response_class=HTMLResponse, dependencies=[CsrfChecked])
def sources_add(
    request: Request,
    desk: DeskDep,
    url: Annotated[str, Form(min_length=1, max_length=2000)],
    name: Annotated[str, Form(max_length=200)] = "",
    region: Annotated[str, Form(max_length=100)] = "",
    language: Annotated[str, Form(max_length=20)] = "",
    interval: Annotated[int | None, Form(ge=1, le=10_080)] = None,
) -> Response:
    """Register a feed, news sitemap or site (fetched once to learn which it is)."""
    _require_owner(request, desk)
    details = SourceDetails(name or None, region or None, language or None,
                            interval * 60 if interval else None)  # fmt: skip
    try:
        with make_fetcher(desk.settings) as fetcher:
            register_source(desk.store, fetcher, url.strip(), details)
    except SourceError as error:
        values = {"url": url, "name": name, "region": region, "language": language}
        return _sources_page(request, desk, None, str(error), values, 400)
    return RedirectResponse("/sources?done=added", status_code=303)


@router.post("/sources/{source_id}/remove", dependencies=[CsrfChecked])
def sources_remove(request: Request, desk: DeskDep, source_id: SourceId) -> Response:
    """Stop reading a source (its articles stay)."""
    _require_owner(request, desk)
    remove_source(desk.store, source_id)
    return RedirectResponse("/sources?done=removed", status_code=303)


def _require_owner(request: Request, desk: Desk) -> None:
    """Refuse a change from anyone but the logged-in owner."""
    if not is_owner(request, desk):
        raise HTTPException(401, "log in as the owner first, at /login")


def _sources_page(
    request: Request,
    desk: Desk,
    done: Done | None,
    error: str | None,
    values: dict[str, str],
    status: int,
) -> Response:
    context = {
        "sources": list_sources(desk.store), "done": done, "error": error, "values": values,
        "regions": REGIONS,
    }  # fmt: skip
    return render(request, "sources.html", context, status, private=True)
