"""Analyze: what an article is about — people, places, who said what, how many, when.

`analyze_article` parses the body once with spaCy and hands the same `Doc` to every
analyzer (entities, places, quotes, counts, amounts, dates, themes, tone). Only English is
analysed; for another language the analysis says what it skipped rather than applying an
English model to, say, Spanish text.

`ANALYZER_VERSION` changes whenever the analyzers' code or data change, or the spaCy or
model release they run on (a spaCy release may choose other lemmas), so that
`newsdesk reanalyze` knows which stored analyses are stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from importlib import metadata, resources

import py3langid
from spacy.tokens import Doc

from newsdesk import __version__
from newsdesk.analyze.amounts import find_amounts
from newsdesk.analyze.counts import find_counts
from newsdesk.analyze.dates import find_dates
from newsdesk.analyze.entities import find_entities
from newsdesk.analyze.nlp import MODEL, parse_many
from newsdesk.analyze.places import find_places, focus_countries
from newsdesk.analyze.quotes import find_quotes
from newsdesk.analyze.themes import classify_themes
from newsdesk.analyze.tone import measure_tone
from newsdesk.models import Analysis, Article

ENGLISH = "en"
_SKIPPED_FIELDS = "people, organizations, places, quotes, counts, amounts, dates, themes, tone"


def _analyzer_version() -> str:
    """The package version plus a fingerprint of the analyzers' source and data files and of
    the spaCy and model releases."""
    digest = hashlib.sha256()
    for release in ("spacy", MODEL):
        digest.update(f"{release} {metadata.version(release)}\n".encode())
    package = resources.files(__name__)
    for entry in sorted(_files(package), key=lambda item: item.name):
        digest.update(entry.name.encode() + entry.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


def _files(folder: resources.abc.Traversable) -> Iterator[resources.abc.Traversable]:
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name != "__pycache__":
            yield from _files(entry)
        elif entry.name.endswith((".py", ".toml", ".txt", ".json")):
            yield entry


ANALYZER_VERSION = _analyzer_version()


def analyze_article(article: Article, published: datetime | None = None) -> Analysis:
    """Analyse one article.

    Args:
        article: the extracted article; its body is analysed.
        published: the publication date to resolve "on Thursday" against when the
            article has none of its own.

    Returns:
        The analysis; offsets refer to `article.body`.
    """
    return next(analyze_articles([article], published))


def analyze_articles(
    articles: Iterable[Article], published: datetime | None = None
) -> Iterator[Analysis]:
    """Analyse many articles in order, parsing the English ones in batches (faster).

    Args:
        articles: extracted articles.
        published: the fallback publication date, as for `analyze_article`.

    Returns:
        One analysis per article, in order.
    """
    batch = list(articles)
    languages = [language_of(article) for article in batch]
    english = [a.body for a, lang in zip(batch, languages, strict=True) if lang == ENGLISH]
    docs = parse_many(english)
    for article, language in zip(batch, languages, strict=True):
        if language != ENGLISH:
            yield _skipped(language)
        else:
            yield _analyze_doc(next(docs), article, article.published or published)


def analyze_each(
    articles: Sequence[Article], published: datetime | None = None
) -> list[Analysis | str]:
    """Analyse a batch, giving the reason in place of the analysis of any article that fails.

    The batch is parsed together (fast); only if something in it raises are its articles
    analysed one by one, so that one odd article never costs the others their analyses.
    """
    try:
        return list(analyze_articles(articles, published))
    except Exception:
        return [_analysis_or_reason(article, published) for article in articles]


def _analysis_or_reason(article: Article, published: datetime | None) -> Analysis | str:
    try:
        return analyze_article(article, published)
    except Exception as error:  # the reason is reported with the article; the batch goes on
        return f"analysis failed: {type(error).__name__}: {error}"


def warm_up() -> None:
    """Load the English model and every analyzer's data in this process now.

    Worker processes forked afterwards inherit all of it, so a long-running desk loads the
    model once instead of once per worker in every polling round (and the workers share
    its memory pages instead of holding a copy each).
    """
    analyze_article(Article(title="Warm-up", body="Officials in Paris said 3 people died."))


def language_of(article: Article) -> str | None:
    """The article's language: as extraction found it, else detected from the body."""
    if article.language:
        return article.language.split("-")[0].lower()
    return str(py3langid.classify(article.body)[0]) if article.body.strip() else None


def _skipped(language: str | None) -> Analysis:
    reason = f"{_SKIPPED_FIELDS}: only English is analysed, and this article is in "
    reason += f"{language!r}" if language else "an unknown language"
    return Analysis(language=language, skipped=[reason], version=ANALYZER_VERSION)


def _analyze_doc(doc: Doc, article: Article, published: datetime | None) -> Analysis:
    """Run every analyzer over one parsed body."""
    people, organizations = find_entities(doc)
    places = find_places(doc)
    return Analysis(
        language=ENGLISH,
        people=people,
        organizations=organizations,
        places=places,
        focus_countries=focus_countries(places),
        quotes=find_quotes(doc, people),
        counts=find_counts(doc, places, published),
        amounts=find_amounts(doc),
        dates=find_dates(doc, published),
        themes=classify_themes(doc, article.title),
        tone=measure_tone(doc),
        version=ANALYZER_VERSION,
    )


__all__ = [
    "ANALYZER_VERSION",
    "analyze_article",
    "analyze_articles",
    "analyze_each",
    "language_of",
    "warm_up",
]
