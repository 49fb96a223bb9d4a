"""Briefing: summaries of articles and stories, composed into each reader's morning briefing.

`summarize_article` and `summarize_story` pick sentences; `compose_briefing` chooses and
orders the day's stories for a reader; `render_briefing` (and `render_page`, `render_atom`)
put it on paper; `briefing_composer` gives the sender each reader's email.
"""

from newsdesk.briefing.compose import BriefingOptions, briefing_window, compose_briefing
from newsdesk.briefing.emails import briefing_composer, briefing_subject
from newsdesk.briefing.regions import REGIONS, main_region, region_of
from newsdesk.briefing.render import (
    FORMATS,
    BriefingLinks,
    render_atom,
    render_briefing,
    render_email_html,
    render_page,
    safe_url,
)
from newsdesk.briefing.summarize import (
    StorySummary,
    split_sentences,
    story_facts,
    summarize_article,
    summarize_story,
)

__all__ = [
    "FORMATS",
    "REGIONS",
    "BriefingLinks",
    "BriefingOptions",
    "StorySummary",
    "briefing_composer",
    "briefing_subject",
    "briefing_window",
    "compose_briefing",
    "main_region",
    "region_of",
    "render_atom",
    "render_briefing",
    "render_email_html",
    "render_page",
    "safe_url",
    "split_sentences",
    "story_facts",
    "summarize_article",
    "summarize_story",
]
