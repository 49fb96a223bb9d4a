"""Full-text search: one query language for users, compiled per dialect.

Users type web-search syntax: words (all must match), "quoted phrases", `OR` between
alternatives and `-word` to exclude. PostgreSQL reads exactly that with
`websearch_to_tsquery`, which never rejects input. SQLite's FTS5 has its own, stricter
syntax in which a stray quote, `AND` or `(` is an error, so `fts5_query` parses the same
web-search syntax and writes every word and phrase as a quoted FTS5 string: whatever the
user types becomes literal search terms, never FTS5 operators.

Ranking: FTS5's bm25 with title weighted over standfirst over body; PostgreSQL's
`ts_rank_cd` over a vector whose title words carry weight A, standfirst B, body C.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from newsdesk.store.schema import articles

SNIPPET_WORDS = 24
"""About how many words of context a search hit shows."""

_BM25_WEIGHTS = (10.0, 5.0, 1.0)  # title, standfirst, body
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w")


@dataclass
class _Group:
    """Terms that must all match (and excluded terms); groups are alternatives (OR)."""

    required: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def fts5_query(text: str) -> str:
    """An FTS5 MATCH expression for web-search syntax; "" when nothing searchable is left.

    Args:
        text: the query as the user typed it.

    Returns:
        Quoted FTS5 strings joined by implicit AND, `NOT` and `OR`.
    """
    groups = [group for group in _parse(text) if group.required]
    clauses = [_fts5_group(group) for group in groups]
    if len(clauses) == 1:
        return clauses[0]
    return " OR ".join(f"({clause})" for clause in clauses)


def search_statement(dialect: str, query: str, limit: int) -> sa.Select[*tuple[Any, ...]] | None:
    """The ranked search for the dialect, or None when the query has nothing to search for.

    Args:
        dialect: "sqlite" or "postgresql".
        query: the query as the user typed it.
        limit: the most hits to return.

    Returns:
        A statement with columns id, title, url, published, score, snippet.
    """
    text = _clean_query(query)
    if dialect == "sqlite":
        text = fts5_query(text)
        return _sqlite_statement(text, limit) if text else None
    return _postgres_statement(text, limit) if text else None


def _clean_query(text: str) -> str:
    """The query with control characters (PostgreSQL refuses NUL) turned into spaces."""
    return _CONTROL.sub(" ", text).strip()


def _parse(text: str) -> list[_Group]:
    """Split web-search syntax into OR-separated groups of quoted FTS5 strings."""
    groups = [_Group()]
    for match in _TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            groups.append(_Group())
            continue
        excluded = phrase is None and word.startswith("-")
        term = _fts5_string(phrase if phrase is not None else word.lstrip("-"))
        if term:
            (groups[-1].excluded if excluded else groups[-1].required).append(term)
    return groups


def _fts5_string(text: str) -> str:
    """Text as an FTS5 string literal, or "" when it holds nothing to search for."""
    if not _WORD.search(text):
        return ""
    return '"' + text.replace('"', '""') + '"'


def _fts5_group(group: _Group) -> str:
    """Required terms joined by AND, then each excluded term after NOT."""
    return " ".join(group.required) + "".join(f" NOT {term}" for term in group.excluded)


def _sqlite_statement(query: str, limit: int) -> sa.Select[*tuple[Any, ...]]:
    """FTS5 MATCH joined to articles, best bm25 first (bm25 is lower for better)."""
    fts = sa.table("articles_fts", sa.column("rowid"))
    fts_ref: sa.ColumnElement[Any] = sa.literal_column("articles_fts")
    rank = sa.func.bm25(fts_ref, *_BM25_WEIGHTS)
    snippet = sa.func.snippet(fts_ref, -1, "", "", "…", SNIPPET_WORDS)
    return (
        sa.select(*_hit_columns(), (-rank).label("score"), snippet.label("snippet"))
        .select_from(fts.join(articles, articles.c.id == fts.c.rowid))
        .where(sa.text("articles_fts MATCH :query").bindparams(query=query))
        .order_by(rank, articles.c.id.desc())
        .limit(limit)
    )


def _postgres_statement(query: str, limit: int) -> sa.Select[*tuple[Any, ...]]:
    """websearch_to_tsquery against the generated vector, best ts_rank_cd first."""
    english: sa.ColumnElement[Any] = sa.literal_column("'english'::regconfig")
    tsquery = sa.func.websearch_to_tsquery(english, query)
    vector: sa.ColumnElement[Any] = sa.literal_column("articles.search_vector")
    rank = sa.func.ts_rank_cd(vector, tsquery)
    options = f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, StartSel='', StopSel=''"
    snippet = sa.func.ts_headline(english, articles.c.body, tsquery, options)
    return (
        sa.select(*_hit_columns(), rank.label("score"), snippet.label("snippet"))
        .where(vector.op("@@")(tsquery))
        .order_by(rank.desc(), articles.c.id.desc())
        .limit(limit)
    )


def _hit_columns() -> tuple[sa.ColumnElement[Any], ...]:
    """The article columns every hit carries."""
    return (articles.c.id, articles.c.title, articles.c.url, articles.c.published)
