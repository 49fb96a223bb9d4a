"""What the store hands back, and how an article's identity and content are fingerprinted.

Identity (`article_key`) decides whether two inputs are the same article; the content
hash (`content_hash`) decides whether the same article has changed. They are separate so
that a wire story corrected after publication becomes a new revision of one article
rather than a second article.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.engine import RowMapping

from newsdesk.models import Analysis, Article
from newsdesk.urls import canonical_url

SaveStatus = Literal["stored", "unchanged", "revised"]
"""What saving did: a new article, nothing (same content), or a new revision."""


@dataclass(frozen=True)
class SaveOutcome:
    """The result of saving one article of a batch."""

    status: SaveStatus
    article_id: int
    revision: int
    key: str


@dataclass
class StoredArticle:
    """An article as stored: the extracted fields plus the store's bookkeeping."""

    article: Article
    id: int
    key: str
    external_id: str | None
    source: str
    revision: int
    content_hash: str
    first_seen: datetime
    updated_at: datetime


@dataclass
class ArticleRevision:
    """An earlier version of an article, saved when a newer one replaced it."""

    article_id: int
    revision: int
    article: Article
    content_hash: str
    saved_at: datetime


@dataclass(frozen=True)
class SearchHit:
    """One search result; a higher `score` is a better match (comparable within a search)."""

    article_id: int
    title: str
    url: str | None
    published: datetime | None
    score: float
    snippet: str


_HASHED_FIELDS = (
    "title", "standfirst", "body", "authors", "published",
    "agency", "dateline", "outlet", "language", "subheads",
)  # fmt: skip
"""Fields whose change makes a new revision; `url` is not one (the key already covers it)."""


def article_key(article: Article) -> str:
    """The article's identity: its canonical URL, or a hash of its text when it has none.

    Args:
        article: the extracted article.

    Returns:
        `canonical_url(article.url)`, or `sha256:<hex>` over the normalised title and body.
    """
    if article.url and article.url.strip():
        return canonical_url(article.url)
    text = f"{_normalise(article.title)}\n{_normalise(article.body)}"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(article: Article) -> str:
    """A SHA-256 over the fields that matter, stable across a database round trip.

    Args:
        article: the extracted article.

    Returns:
        64 hex digits; `published` counts as its UTC instant, since the store keeps UTC.
    """
    data = {name: getattr(article, name) for name in _HASHED_FIELDS}
    if article.published is not None:
        data["published"] = article.published.astimezone(UTC).isoformat()
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def article_values(article: Article) -> dict[str, Any]:
    """The article's fields as column values for `articles` and `article_revisions`."""
    values = {name: getattr(article, name) for name in _HASHED_FIELDS}
    values["url"] = article.url
    values["authors"] = list(article.authors)
    values["subheads"] = list(article.subheads)
    values["content_hash"] = content_hash(article)
    return values


def _article_from_row(row: RowMapping) -> Article:
    """Rebuild the Article from a row of either table."""
    fields = {name: row[name] for name in (*_HASHED_FIELDS, "url")}
    fields["authors"] = list(row["authors"] or [])
    fields["subheads"] = list(row["subheads"] or [])
    return Article(**fields)


def stored_from_row(row: RowMapping) -> StoredArticle:
    """Build a StoredArticle from a full `articles` row."""
    return StoredArticle(
        article=_article_from_row(row),
        id=row["id"],
        key=row["key"],
        external_id=row["external_id"],
        source=row["source"],
        revision=row["revision"],
        content_hash=row["content_hash"],
        first_seen=row["first_seen"],
        updated_at=row["updated_at"],
    )


def revision_from_row(row: RowMapping) -> ArticleRevision:
    """Build an ArticleRevision from an `article_revisions` row."""
    return ArticleRevision(
        article_id=row["article_id"],
        revision=row["revision"],
        article=_article_from_row(row),
        content_hash=row["content_hash"],
        saved_at=row["saved_at"],
    )


def _normalise(text: str) -> str:
    """Text compared without regard to Unicode form, case or white space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def facet_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """The analysis as (facet, value, weight) rows: what later stages filter and join on.

    People and organisations weigh their mentions; places their mentions; a country the
    mentions of every place in it; a theme its score. Values are unique per facet.
    """
    weights: dict[tuple[str, str], float] = {}

    def add(facet: str, value: str | None, weight: float) -> None:
        if value:
            weights[facet, value] = weights.get((facet, value), 0.0) + weight

    for person in analysis.people:
        add("person", person.name, person.mentions)
    for organization in analysis.organizations:
        add("organization", organization.name, organization.mentions)
    for place in analysis.places:
        add("place", place.name, place.mentions)
        add("country", place.country_code, place.mentions)
    for theme in analysis.themes:
        add("theme", theme.name, theme.score)
    return [{"facet": f, "value": v, "weight": w} for (f, v), w in weights.items()]
