"""A briefing on paper: HTML email, plain text, Markdown, JSON, a web page, an Atom feed.

Every format comes from a Jinja2 template in `templates/`. Everything in a briefing that came
from outside (headlines, summaries, facts, outlet names) is plain text, and the HTML and XML
templates escape it (autoescape); links from outside keep only http(s) URLs, so a
`javascript:` link in a feed never reaches a page or an email. The email's CSS is inlined
with css-inline (mail clients drop `<style>` blocks) and it has no images and no scripts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from urllib.parse import urlsplit

import css_inline
import jinja2

from newsdesk.models import Briefing, BriefingItem, SourceLink

FORMATS = ("html", "text", "md", "json")
"""The formats `newsdesk brief --format` writes (the web page and Atom feed are the web's)."""


@dataclass(frozen=True)
class BriefingLinks:
    """Where a rendered briefing links to: the web desk, and the reader's own pages."""

    base_url: str
    web: str | None = None
    preferences: str | None = None
    unsubscribe: str | None = None
    atom: str | None = None


def safe_url(url: str | None) -> str | None:
    """The URL if it is an http(s) address, else None (no `javascript:`, `data:`…)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("newsdesk.briefing", "templates"),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["md"] = _markdown_text
    return environment


def render_briefing(briefing: Briefing, output_format: str, links: BriefingLinks) -> str:
    """The briefing in one of `FORMATS`.

    Args:
        briefing: the composed briefing.
        output_format: html (the email's HTML, CSS inlined), text, md or json.
        links: the web desk's address and the reader's preference and unsubscribe links.

    Returns:
        The rendered document.
    """
    if output_format == "json":
        return json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if output_format == "html":
        return render_email_html(briefing, links)
    template = {"text": "briefing.txt", "md": "briefing.md"}[output_format]
    return _render(template, briefing, links, autoescape=False)


def render_email_html(briefing: Briefing, links: BriefingLinks) -> str:
    """The HTML email: table layout, CSS inlined, no images or scripts."""
    html = _render("email.html", briefing, links, autoescape=True)
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return inliner.inline(html)


def render_page(briefing: Briefing, links: BriefingLinks) -> str:
    """The briefing as a web page of its own (semantic, accessible, no scripts)."""
    return _render("page.html", briefing, links, autoescape=True)


def render_atom(briefings: Sequence[Briefing], links: BriefingLinks) -> str:
    """An Atom feed of past briefings, newest first, each with its web page as content."""
    ordered = sorted(briefings, key=lambda b: b.date, reverse=True)
    entries = [
        {
            "briefing": briefing,
            "title": f"Briefing for {_long_date(briefing.date)}",
            "updated": briefing.window_end.isoformat(),
            "summary": "; ".join(item.headline for item in briefing.top[:3]) or _quiet(briefing),
            "html": _render("page.html", briefing, links, autoescape=True),
        }
        for briefing in ordered
    ]
    updated = ordered[0].window_end.isoformat() if ordered else "1970-01-01T00:00:00+00:00"
    template = _environment(True).get_template("atom.xml")
    return template.render(entries=entries, updated=updated, base_url=links.base_url.rstrip("/"))


def _render(template: str, briefing: Briefing, links: BriefingLinks, *, autoescape: bool) -> str:
    """Renders a briefing template with the context every format shares."""
    safe = _with_safe_links(briefing)
    parts = [("Top stories", safe.top)] if safe.top else []
    parts += [(section.region, section.items) for section in safe.sections if section.items]
    base = links.base_url.rstrip("/")
    return (
        _environment(autoescape)
        .get_template(template)
        .render(
            briefing=safe,
            parts=parts,
            links=links,
            title=f"newsdesk briefing · {_long_date(briefing.date)}",
            long_date=_long_date(briefing.date),
            quiet_message=_quiet(briefing),
            recipient=briefing.subscriber or "you",
            story_url=lambda item: f"{base}/stories/{item.story}",
        )
    )


def _with_safe_links(briefing: Briefing) -> Briefing:
    """A copy of the briefing whose outside links are http(s) only."""

    def clean(item: BriefingItem) -> BriefingItem:
        sources = [SourceLink(s.outlet, s.title, safe_url(s.url)) for s in item.sources]
        return replace(item, sources=sources)

    return replace(
        briefing,
        top=[clean(item) for item in briefing.top],
        sections=[replace(s, items=[clean(i) for i in s.items]) for s in briefing.sections],
    )


def _long_date(iso_date: str) -> str:
    """ "Sunday 29 November 2026"."""
    day = date.fromisoformat(iso_date)
    return f"{day:%A} {day.day} {day:%B %Y}"


def _quiet(briefing: Briefing) -> str:
    """What an empty news day's briefing says instead of stories."""
    return (
        "A quiet desk: no stories reached newsdesk in the 24 hours to "
        f"{briefing.window_end:%H:%M} UTC on {_long_date(briefing.date)}. "
        "The next briefing will bring what happens next."
    )


def _markdown_text(text: str) -> str:
    """Text with Markdown's link and emphasis characters escaped."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in str(text))
