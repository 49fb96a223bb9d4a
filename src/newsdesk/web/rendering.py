"""Pages from Jinja2 templates: autoescaped, with the helpers every template uses.

Everything that came from outside (titles, bodies, names, quotes, outlet names, feed errors)
reaches a page as text, which autoescape escapes; links from outside pass `safe_url` (http
and https only). No outside HTML is ever shown as HTML: the desk stores text. The one place
the web desk writes HTML from outside text is a search feed's entry content (`feed_html`),
built from escaped paragraphs and then cleaned with nh3 all the same, so that no mistake
can hand a feed reader markup that runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
import nh3
import pycountry
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from newsdesk.briefing.render import safe_url
from newsdesk.web.desk import desk_of
from newsdesk.web.security import CSRF_COOKIE, CSRF_FIELD, new_csrf_cookie

FEED_TAGS = {"p", "a", "strong", "em", "ul", "li"}
"""The only tags an HTML feed entry keeps after nh3."""


@cache
def templates() -> Jinja2Templates:
    """The templates of `newsdesk/web/templates`, autoescaped, with the desk's helpers."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("newsdesk.web", "templates"),
        autoescape=jinja2.select_autoescape(["html", "xml"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # package files: never changed under a running desk
    )
    environment.filters.update(
        country_name=country_name, day=long_day, moment=moment, safe_url=safe_url
    )
    environment.globals.update(
        entity_url=entity_url, query_url=query_url, csrf_field=csrf_field, plural=plural
    )
    return Jinja2Templates(env=environment)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    status: int = 200,
    *,
    private: bool = False,
) -> HTMLResponse:
    """A page from a template; sets the CSRF cookie if the page made one for its forms.

    Args:
        request: the request being answered.
        template: the template's file name.
        context: its variables.
        status: the HTTP status.
        private: the page shows a reader's or the owner's own data: never cache it.
    """
    headers = {"cache-control": "no-store"} if private else None
    response = templates().TemplateResponse(
        request, template, dict(context), status_code=status, headers=headers
    )
    cookie = getattr(request.state, "new_csrf_cookie", None)
    if cookie:
        response.set_cookie(
            CSRF_COOKIE, cookie, httponly=True, samesite="lax", secure=desk_of(request).https
        )
    return response


def csrf_field(request: Request) -> Markup:
    """The hidden form field with this browser's CSRF token (making its cookie if needed)."""
    cookie = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not cookie or len(cookie) > 64:
        cookie = new_csrf_cookie()
        request.state.new_csrf_cookie = cookie
    token = desk_of(request).signer.csrf_token(cookie)
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


def entity_url(kind: str, name: str) -> str:
    """The page of a person, organisation, place or country (by ISO code)."""
    return f"/entities/{kind}/{quote(name, safe='')}"


def query_url(path: str, params: Mapping[str, Any], **changes: Any) -> str:
    """`path` with the params (changed as given) as its query; empty values left out."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})
    return f"{path}?{query}" if query else path


@cache
def country_name(code: str | None) -> str:
    """A country's common name from its ISO alpha-2 code (the code if unknown)."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def long_day(day: date | str) -> str:
    """ "Sunday 29 November 2026"."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{value:%A} {value.day} {value:%B %Y}"


def moment(value: datetime | None) -> str:
    """ "29 Nov 2026, 06:19 UTC" (empty for no time)."""
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y, %H:%M} UTC"


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 article", "3 articles" (or the plural given: "2 copies")."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def feed_html(paragraphs: list[str]) -> str:
    """Paragraphs of outside text as the HTML content of a feed entry: escaped, then cleaned."""
    html = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs if paragraph.strip())
    return nh3.clean(
        html, tags=FEED_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https"}
    )
