"""Composing a day's briefing for a subscriber: what an editor would put on the front page.

The briefing for date D covers the 24 hours before the subscriber's send time on D, in their
time zone (`briefing_window`). Its stories are those with an article in the window, as they
stood at its end, ranked (`newsdesk.stories.rank`). The reader's preferences filter them
(regions: any of the story's countries in one of the regions; themes: any of its themes);
the best `stories` of them are the top stories, and the next best fill a section per region,
in the order of `REGIONS`.

A story that began before the window is a *continuing* story: it appears again only if it
developed — a new report (not a copy of an old one) in the window — and then it is marked as
an update and summarised from the new reports. So yesterday's story does not fill today's
briefing unless something happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from newsdesk.briefing.regions import REGIONS, main_region, region_of
from newsdesk.briefing.summarize import story_facts, summarize_story
from newsdesk.models import Briefing, BriefingItem, BriefingSection, SourceLink, Story, Subscriber
from newsdesk.store import Store
from newsdesk.store.stories import StoryMember
from newsdesk.stories import rank_stories
from newsdesk.stories.story import outlet_of, stories_with_members

SOURCES_PER_ITEM = 5
SUMMARY_WORDS = 60


@dataclass(frozen=True)
class BriefingOptions:
    """What shapes a briefing: how many top stories, which regions and themes, section size."""

    stories: int = 10
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    section_items: int = 5

    @classmethod
    def of(cls, subscriber: Subscriber | None) -> BriefingOptions:
        """The options a subscriber's preferences give (the defaults for none)."""
        if subscriber is None:
            return cls()
        return cls(subscriber.stories, tuple(subscriber.regions), tuple(subscriber.themes))


def briefing_window(day: date, subscriber: Subscriber | None) -> tuple[datetime, datetime]:
    """The 24 hours before the subscriber's send time on `day`, in their zone (UTC, 07:00
    for no subscriber)."""
    zone = ZoneInfo(subscriber.timezone if subscriber else "UTC")
    hour, minute = (
        int(part) for part in (subscriber.send_time if subscriber else "07:00").split(":")
    )
    end = datetime.combine(day, time(hour, minute), tzinfo=zone)
    return end - timedelta(hours=24), end


def compose_briefing(store: Store, day: date, subscriber: Subscriber | None = None) -> Briefing:
    """The briefing of `day` for a subscriber (or the desk's default one).

    Args:
        store: the store with clustered articles.
        day: the subscriber's local date of the briefing.
        subscriber: whose preferences and time zone shape it; None: UTC, 07:00, everything.

    Returns:
        The briefing; with no stories in the window its `top` and `sections` are empty.
    """
    start, end = briefing_window(day, subscriber)
    options = BriefingOptions.of(subscriber)
    candidates = stories_with_members(store, since=start, until=end)
    members = {story.id: kept for story, kept in candidates}
    top: list[BriefingItem] = []
    sections = {region: BriefingSection(region) for region in REGIONS}
    for story, _ in rank_stories([story for story, _ in candidates], end):
        slot = _slot(story, options, top, sections)
        if slot is not None and (item := _item(story, members[story.id], start)):
            slot.append(item)
    return Briefing(
        date=day.isoformat(),
        subscriber=subscriber.email if subscriber else None,
        window_start=start,
        window_end=end,
        top=top,
        sections=[section for section in sections.values() if section.items],
    )


def _slot(
    story: Story,
    options: BriefingOptions,
    top: list[BriefingItem],
    sections: dict[str, BriefingSection],
) -> list[BriefingItem] | None:
    """Where the next story goes: the top stories, its region's section, or nowhere."""
    if not _wanted(story, options):
        return None
    if len(top) < options.stories:
        return top
    region = main_region(story.countries)
    if region is None or (options.regions and region not in options.regions):
        return None
    section = sections[region].items
    return section if len(section) < options.section_items else None


def _wanted(story: Story, options: BriefingOptions) -> bool:
    """Whether the story is in the reader's regions and themes (no preference: all are)."""
    regions = {region_of(code) for code in story.countries}
    if options.regions and not regions & set(options.regions):
        return False
    return not options.themes or bool(set(story.themes) & set(options.themes))


def _item(story: Story, members: list[StoryMember], start: datetime) -> BriefingItem | None:
    """The story as a briefing item, or None for a continuing story with no new report."""
    reports = [m for m in members if m.duplicate_of is None]
    fresh = [m for m in reports if m.seen_at > start]
    update = story.first_seen <= start
    if update and not fresh:
        return None
    told = fresh if update else reports
    summary = summarize_story([m.article.article for m in told], words=SUMMARY_WORDS)
    analyses = [m.analysis for m in told if m.analysis is not None]
    return BriefingItem(
        story=story.id,
        headline=story.headline,
        summary=summary.text,
        facts=story_facts(analyses),
        countries=story.countries[:5],
        update=update,
        sources=_sources([m for m in members if m.seen_at > start] or members),
    )


def _sources(members: list[StoryMember]) -> list[SourceLink]:
    """One link per outlet, reports before copies, newest first. An article with no outlet,
    link or title (a local file) gives the reader nothing to go to, so it is not listed."""
    ordered = sorted(members, key=lambda m: (m.duplicate_of is not None, -m.seen_at.timestamp()))
    links: dict[str | None, SourceLink] = {}
    for member in ordered:
        article = member.article.article
        outlet = outlet_of(article)
        if (outlet or article.title) and (outlet or article.url) not in links:
            links[outlet or article.url] = SourceLink(outlet, article.title, article.url)
    return list(links.values())[:SOURCES_PER_ITEM]
