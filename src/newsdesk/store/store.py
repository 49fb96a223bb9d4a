"""The Store: newsdesk's one door to the database, holding only the engine.

Every write of a batch happens in one transaction, so a failed batch leaves nothing
behind and can simply be retried. Saving is idempotent: an article already stored with
the same content is a no-op, and changed content becomes a new revision with the old
version kept in `article_revisions`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, RowMapping

from newsdesk.errors import StoreError
from newsdesk.models import Analysis, Article
from newsdesk.store.database import connection_error, create_engine, display_url
from newsdesk.store.migrate import check_current, upgrade_engine
from newsdesk.store.records import (
    ArticleRevision,
    SaveOutcome,
    SearchHit,
    StoredArticle,
    article_key,
    article_values,
    facet_rows,
    revision_from_row,
    stored_from_row,
)
from newsdesk.store.schema import (
    CONTENT_FIELDS,
    analyses,
    article_facets,
    article_revisions,
    articles,
    story_articles,
)
from newsdesk.store.search import search_statement

EXPORT_BATCH = 1_000
"""Rows fetched per round trip by `iter_export`, so exports run in constant memory."""

_CONTENT = [articles.c[name] for name in CONTENT_FIELDS]


class Store:
    """Articles in a SQLite or PostgreSQL database.

    Open with `Store.open(url)`; close with `close()` or use it as a context manager.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        """Wrap an engine; use `Store.open`, which also checks the schema."""
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str, *, upgrade: bool = False) -> Store:
        """Connect to the database at `url` and check that its schema is current.

        Args:
            url: `sqlite:///PATH` or `postgresql://USER@HOST/DATABASE`.
            upgrade: run pending migrations first (creating the SQLite file if missing),
                instead of failing on a database that is not initialised.

        Returns:
            An open store.

        Raises:
            StoreError: the database cannot be reached, or its schema is not current.
        """
        store = cls(create_engine(url), url)
        try:
            if upgrade:
                store.upgrade()
            with store._connect() as connection:
                check_current(connection, url)
        except BaseException:
            store.close()
            raise
        return store

    def upgrade(self) -> None:
        """Run pending migrations (a no-op when the schema is current)."""
        upgrade_engine(self.engine, self.url)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def save_articles(
        self,
        items: Sequence[tuple[Article, str | None, str]],
        analyses: Sequence[Analysis | None] | None = None,
    ) -> list[SaveOutcome]:
        """Save a batch of articles in one transaction: all are written or none.

        Args:
            items: (article, external_id, source) triples; `external_id` is the input's
                own id (kept for export), `source` names the input.
            analyses: one per item, saved with it (replacing an older analysis); None for
                an item, or for the whole batch, leaves its stored analysis as it is.

        Returns:
            One outcome per item, in order: `stored` (new), `unchanged` (same key and
            content, nothing written) or `revised` (the old version kept as a revision;
            the article keeps its first external id and takes the new source).

        Raises:
            StoreError: the batch could not be written; nothing of it was.
        """
        now = datetime.now(UTC)
        paired = zip(items, analyses or [None] * len(items), strict=True)
        try:
            with self.engine.begin() as connection:
                outcomes = []
                for item, analysis in paired:
                    outcome = _save_one(connection, item, now)
                    if analysis is not None:
                        _save_analysis(connection, outcome.article_id, analysis, now)
                    elif outcome.status == "revised":  # the old analysis describes old text
                        _delete_analysis(connection, outcome.article_id)
                    outcomes.append(outcome)
                return outcomes
        except sa.exc.SQLAlchemyError as error:
            raise StoreError(
                f"saving {len(items)} articles to {display_url(self.url)} failed, "
                f"nothing was written: {_reason(error)}"
            ) from error

    def save_analysis(self, article_id: int, analysis: Analysis) -> None:
        """Replace the stored analysis of one article (and its facets) in one transaction."""
        try:
            with self.engine.begin() as connection:
                _save_analysis(connection, article_id, analysis, datetime.now(UTC))
        except sa.exc.SQLAlchemyError as error:
            raise StoreError(
                f"saving the analysis of article {article_id} failed: {_reason(error)}"
            ) from error

    def get_analysis(self, article_id: int) -> Analysis | None:
        """The stored analysis of an article, or None if it has none yet."""
        query = sa.select(analyses.c.data).where(analyses.c.article_id == article_id)
        with self._connect() as connection:
            data = connection.execute(query).scalar_one_or_none()
        return Analysis.from_dict(data) if data is not None else None

    def ids_to_analyze(self, version: str | None) -> list[int]:
        """Ids of articles with no analysis, or one not made by `version` (None: every id)."""
        query = sa.select(articles.c.id).order_by(articles.c.id)
        if version is not None:
            query = query.outerjoin(analyses, analyses.c.article_id == articles.c.id).where(
                sa.or_(analyses.c.version.is_(None), analyses.c.version != version)
            )
        with self._connect() as connection:
            return list(connection.execute(query).scalars())

    def get_article(self, article_id: int) -> StoredArticle | None:
        """The article with this id, or None."""
        with self._connect() as connection:
            row = connection.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return stored_from_row(row._mapping) if row else None

    def list_articles(
        self, limit: int = 50, offset: int = 0, *, source: str | None = None
    ) -> list[StoredArticle]:
        """Articles newest first (by publication time, undated ones last).

        Args:
            limit: the most articles to return.
            offset: how many to skip, for paging.
            source: only articles saved from this input.
        """
        query = sa.select(articles).order_by(
            articles.c.published.desc().nulls_last(), articles.c.id.desc()
        )
        if source is not None:
            query = query.where(articles.c.source == source)
        with self._connect() as connection:
            rows = connection.execute(query.limit(limit).offset(offset)).mappings().all()
        return [stored_from_row(row) for row in rows]

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self._connect() as connection:
            count = connection.execute(sa.select(sa.func.count()).select_from(articles))
            return int(count.scalar_one())

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching a web-search-style query, best first.

        Args:
            query: words (all must match), "quoted phrases", `OR`, `-excluded`; any
                other punctuation is searched for literally, never an error.
            limit: the most hits to return.

        Returns:
            The hits; empty when the query has nothing searchable in it.
        """
        statement = search_statement(self.engine.dialect.name, query, limit)
        if statement is None:
            return []
        try:
            with self._connect() as connection:
                result = connection.execute(statement)
                rows = result.mappings().all()
        except sa.exc.DBAPIError as error:
            raise StoreError(f"search for {query!r} failed: {_reason(error)}") from error
        return [_hit(row) for row in rows]

    def iter_export(self) -> Iterator[dict[str, Any]]:
        """Every article as an export line, in id order, fetched in batches.

        Yields:
            `{"id", "url", "story", "title"}`; `id` is the input's own id where one was
            given, else the article id as a string; `story` is the story's id, None while
            the article is not clustered yet.
        """
        columns = (articles.c.id, articles.c.external_id, articles.c.url, articles.c.title)
        last_id = 0
        while True:
            query = (
                sa.select(*columns, story_articles.c.story_id)
                .outerjoin(story_articles, story_articles.c.article_id == articles.c.id)
                .where(articles.c.id > last_id)
            )
            with self._connect() as connection:
                rows = connection.execute(query.order_by(articles.c.id).limit(EXPORT_BATCH))
                batch = rows.all()
            for row in batch:
                yield {"id": row.external_id or str(row.id), "url": row.url,
                       "story": row.story_id, "title": row.title}  # fmt: skip
            if len(batch) < EXPORT_BATCH:
                return
            last_id = batch[-1].id

    def revisions(self, article_id: int) -> list[ArticleRevision]:
        """The earlier versions of an article, oldest first (the current one is not included)."""
        query = (
            sa.select(article_revisions)
            .where(article_revisions.c.article_id == article_id)
            .order_by(article_revisions.c.revision)
        )
        with self._connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [revision_from_row(row) for row in rows]

    def _connect(self) -> Connection:
        """A connection, or a StoreError saying why the database cannot be reached."""
        try:
            return self.engine.connect()
        except sa.exc.DBAPIError as error:
            raise connection_error(self.url, error) from error


def _save_one(
    connection: Connection, item: tuple[Article, str | None, str], now: datetime
) -> SaveOutcome:
    """Insert, skip or revise one article inside the batch's transaction."""
    article, external_id, source = item
    key = article_key(article)
    values = article_values(article)
    current = connection.execute(
        sa.select(articles.c.id, articles.c.revision, articles.c.external_id, *_CONTENT)
        .where(articles.c.key == key)
    ).first()  # fmt: skip
    if current is None:
        row = {"key": key, "external_id": external_id, "source": source, **values}
        insert = articles.insert().values(**row, revision=1, first_seen=now, updated_at=now)
        article_id = connection.execute(insert.returning(articles.c.id)).scalar_one()
        return SaveOutcome("stored", article_id, 1, key)
    if current.content_hash == values["content_hash"]:
        return SaveOutcome("unchanged", current.id, current.revision, key)
    old = {name: current._mapping[name] for name in CONTENT_FIELDS}
    connection.execute(
        article_revisions.insert().values(
            article_id=current.id, revision=current.revision, saved_at=now, **old
        )
    )
    revision = current.revision + 1
    connection.execute(
        articles.update()
        .where(articles.c.id == current.id)
        .values(**values, external_id=current.external_id or external_id, source=source,
                revision=revision, updated_at=now)
    )  # fmt: skip
    return SaveOutcome("revised", current.id, revision, key)


def _save_analysis(
    connection: Connection, article_id: int, analysis: Analysis, now: datetime
) -> None:
    """Replace an article's analysis row and facet rows inside the caller's transaction."""
    _delete_analysis(connection, article_id)
    connection.execute(
        analyses.insert().values(
            article_id=article_id, version=analysis.version, analyzed_at=now,
            data=analysis.to_dict(),
        )
    )  # fmt: skip
    rows = facet_rows(analysis)
    if rows:
        connection.execute(article_facets.insert(), [{"article_id": article_id, **r} for r in rows])


def _delete_analysis(connection: Connection, article_id: int) -> None:
    connection.execute(analyses.delete().where(analyses.c.article_id == article_id))
    connection.execute(article_facets.delete().where(article_facets.c.article_id == article_id))


def _hit(row: RowMapping) -> SearchHit:
    """A SearchHit from a row of the search statement."""
    return SearchHit(
        article_id=row["id"],
        title=row["title"],
        url=row["url"],
        published=row["published"],
        score=float(row["score"]),
        snippet=row["snippet"] or "",
    )


def _reason(error: sa.exc.SQLAlchemyError) -> str:
    """The driver's first line of explanation, without SQLAlchemy's statement dump."""
    cause = getattr(error, "orig", None) or error
    return str(cause).strip().splitlines()[0]
