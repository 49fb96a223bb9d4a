"""Short news texts written for the tests (two events of two kinds), and how to store them.

The quake and flood reports are written like wire copy so that the real analysis finds their
people, places and counts; `save` stores articles with that real analysis, as ingest does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.analyze import analyze_articles
from newsdesk.models import Article
from newsdesk.store import Store

DAY = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)

QUAKE = (
    "A magnitude 6.3 earthquake struck central Italy early on Monday, killing at least 150 "
    "people and leaving tens of thousands homeless in the mountain city of L'Aquila, officials "
    "said. Rescue teams worked through the night to free survivors trapped under collapsed "
    "buildings as aftershocks rattled the Abruzzo region. Prime Minister Silvio Berlusconi "
    "declared a state of emergency and cancelled a trip to Moscow.\n\n"
    "The quake was felt as far away as Rome, about 95 km to the southwest, where residents "
    "fled their homes in panic. Seismologists said it was the strongest in decades."
)
QUAKE_FOLLOW_UP = (
    "The death toll from the earthquake in L'Aquila rose to 207 on Tuesday as rescuers in the "
    "Abruzzo region pulled more bodies from collapsed buildings. Berlusconi visited the "
    "earthquake zone and promised new homes for the homeless of L'Aquila within months."
)
FLOOD = (
    "Floods in northern Bangladesh have killed 40 people and driven 300,000 from their homes "
    "after days of monsoon rain swelled the Brahmaputra river, disaster officials in Dhaka "
    "said. Army boats ferried villagers from submerged districts to shelters on high ground."
)
FLOOD_FOLLOW_UP = (
    "The Brahmaputra burst its banks in more districts of northern Bangladesh on Wednesday, "
    "and officials in Dhaka said monsoon floods had now driven 500,000 villagers from homes."
)


def article(title: str, body: str, outlet: str, hours: float) -> Article:
    slug = title.lower().replace(" ", "-")
    return Article(
        title=title,
        body=body,
        outlet=outlet,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{slug}",
        published=DAY + timedelta(hours=hours),
    )


def save(store: Store, *articles: Article) -> list[int]:
    """Store articles with their real analyses, as `newsdesk ingest` does; their ids."""
    analyses = analyze_articles(list(articles))
    outcomes = store.save_articles([(a, None, a.url or a.title) for a in articles], analyses)
    return [outcome.article_id for outcome in outcomes]
