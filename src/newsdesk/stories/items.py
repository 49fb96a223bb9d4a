"""What the clusterer sees of an article: the one conversion from Article + Analysis."""

from __future__ import annotations

from newsdesk.models import Analysis, Article
from newsdesk.stories.cluster import StoryItem


def story_item(article: Article, analysis: Analysis | None) -> StoryItem:
    """The clusterer's view of an analysed article.

    Args:
        article: the stored article (title, body, publication time).
        analysis: its analysis, or None when it has none (other languages, failures):
            the item then carries words only.

    Returns:
        A `StoryItem` with the people, organisations, places (names and country codes) and
        the dates the analysis found.
    """
    if analysis is None:
        return StoryItem(title=article.title, text=article.body, published=article.published)
    places = [p.name for p in analysis.places]
    places += sorted({p.country_code for p in analysis.places if p.country_code})
    return StoryItem(
        title=article.title,
        text=article.body,
        people=tuple(e.name for e in analysis.people),
        organizations=tuple(e.name for e in analysis.organizations),
        places=tuple(places),
        dates=tuple(d.date for d in analysis.dates),
        published=article.published,
    )
