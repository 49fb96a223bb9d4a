"""Local inputs → source documents: files, directories and JSONL lines, read defensively.

Every input either becomes a :class:`SourceDocument` or an :class:`InputFailure` that names
it (a path, or `path:line` for JSONL) and says what is wrong, so one bad file never stops a
batch. Bytes are decoded with the encoding the file declares (BOM, HTML meta charset), else
UTF-8, else what charset-normalizer detects; binary files and empty files are refused.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import charset_normalizer

from newsdesk.errors import SourceError
from newsdesk.ingest.feeds import looks_like_feed
from newsdesk.ingest.sitemaps import looks_like_sitemap
from newsdesk.models import SourceDocument

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_LOOKS_LIKE_HTML = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<!--)", re.IGNORECASE)
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class InputFailure:
    """An input that could not be read: `source` names it, `reason` says why."""

    source: str
    reason: str


def iter_documents(
    sources: Iterable[str], max_bytes: int
) -> Iterator[SourceDocument | InputFailure]:
    """Read each source (file, directory, JSONL) into documents, in a stable order.

    Args:
        sources: paths as the user gave them; directories are walked recursively, in name
            order, skipping hidden entries.
        max_bytes: a file larger than this is refused without being read; a web archive
            (.warc, .warc.gz) is streamed whatever its size, and the cap applies to each
            of its records.

    Returns:
        An iterator of documents, with a failure in place of every unreadable input.
    """
    from newsdesk.ingest.warc import is_warc, iter_warc  # warc builds on this module

    for item in iter_input_paths(sources):
        if isinstance(item, InputFailure):
            yield item
        elif is_warc(item):
            yield from iter_warc(item, max_record_bytes=max_bytes)
        else:
            yield from _read_file(item, max_bytes)


def iter_input_paths(sources: Iterable[str]) -> Iterator[Path | InputFailure]:
    """The files the sources name, directories walked; a failure for each bad name."""
    for source in sources:
        path = Path(source)
        if _is_url(source):
            yield InputFailure(source, _URL_NOT_SUPPORTED)
        elif path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path
        else:
            yield InputFailure(source, "no such file or directory")


def count_documents(sources: Iterable[str]) -> int:
    """How many documents the sources hold (a file is one, a JSONL file one per line, a web
    archive up to `WARC_COUNT_MAX_BYTES` one per HTML page, a larger one 1), or 0 when that
    is unknown until they are read: a URL, a saved feed or sitemap among them.

    Cheap enough to run before a batch, to give its progress bar a total: counting an
    archive's pages means inflating all of it, about a second per 100 MB of archive, too
    slow for the multi-gigabyte ones.
    """
    total = 0
    for source in sources:
        if _is_url(source):
            return 0
        for item in iter_input_paths([source]):
            if isinstance(item, Path) and is_listing_file(item):
                return 0
            total += 1 if isinstance(item, InputFailure) else _documents_in(item)
    return total


WARC_COUNT_MAX_BYTES = 100_000_000


def _documents_in(path: Path) -> int:
    from newsdesk.ingest.warc import count_warc_pages, is_warc  # warc builds on this module

    if is_warc(path):
        return count_warc_pages(path) if _size(path) <= WARC_COUNT_MAX_BYTES else 1
    if path.suffix.lower() not in JSONL_SUFFIXES:
        return 1
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


_URL_NOT_SUPPORTED = "a URL, and only local files are read here: `newsdesk ingest` fetches URLs"


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _walk(directory: Path) -> Iterator[Path]:
    """Files below a directory in name order, without hidden files or folders."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


def _read_file(path: Path, max_bytes: int) -> Iterator[SourceDocument | InputFailure]:
    """One file as documents: a JSONL file gives one per line, any other file one.

    A saved feed or news sitemap is not an article: it is refused here, with a pointer to
    `newsdesk ingest`, which reads the articles it lists (`newsdesk.ingest.rounds`).
    """
    source = str(path)
    try:
        raw = read_input(path, max_bytes)
        if kind := listing_kind(raw):
            raise SourceError(_LISTING_NOT_ARTICLE.format(kind=kind))
        text = decode_bytes(raw)
    except SourceError as error:
        yield InputFailure(source, str(error))
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from parse_jsonl(text, source)
    elif suffix == ".json":
        yield _document_or_failure(text, source)
    else:
        yield _plain_document(text, source, is_html=_is_html(suffix, text))


_LISTING_NOT_ARTICLE = "a {kind}, not an article: `newsdesk ingest` reads the articles it lists"


def read_input(path: Path, max_bytes: int) -> bytes:
    """A local input's bytes, refused when larger than the cap (without reading it) or empty.

    Raises:
        SourceError: too large, empty or unreadable.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(
                f"file is {_megabytes(size)}, larger than the {_megabytes(max_bytes)} cap "
                "(setting max_input_bytes)"
            )
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}") from None
    if not raw.strip():
        raise SourceError("empty file")
    return raw


def listing_kind(content: bytes) -> str | None:
    """ "feed" or "sitemap" when the content is one (by its first bytes), else None."""
    if looks_like_feed(content):
        return "feed"
    return "sitemap" if looks_like_sitemap(content) else None


def is_listing_file(path: Path) -> bool:
    """Whether a local file is a saved feed or news sitemap (by its first bytes)."""
    try:
        with path.open("rb") as handle:
            return listing_kind(handle.read(_SNIFF_BYTES)) is not None
    except OSError:
        return False


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def decode_bytes(raw: bytes) -> str:
    """Decode a file's bytes: declared encoding, else UTF-8, else detected; refuse binary.

    Raises:
        SourceError: the bytes are not text in any encoding we can tell.
    """
    if b"\x00" in raw[:_SNIFF_BYTES] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("binary file, not text")
    declared = _declared_encoding(raw)
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding).lstrip("\ufeff")
            except (UnicodeDecodeError, LookupError):
                continue
    guesses = list(charset_normalizer.from_bytes(raw))
    if not guesses:
        raise SourceError("binary file, not text in any known encoding")
    # Rank by how much the text reads like a language, not only by how clean it decodes:
    # a mostly-ASCII page with one "£" decodes cleanly as Shift-JIS, but reads as nothing.
    return str(max(guesses, key=lambda guess: guess.coherence - guess.chaos))


def _declared_encoding(raw: bytes) -> str | None:
    """The encoding a BOM or an HTML meta tag declares, if any."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    match = _META_CHARSET.search(raw[:_SNIFF_BYTES])
    return match.group(1).decode("ascii", "ignore") if match else None


def _is_html(suffix: str, text: str) -> bool:
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in TEXT_SUFFIXES:
        return False
    return bool(_LOOKS_LIKE_HTML.match(text[:1024]))


def _plain_document(text: str, source: str, *, is_html: bool) -> SourceDocument:
    return (
        SourceDocument(source=source, html=text) if is_html else SourceDocument(source, text=text)
    )


def parse_jsonl(text: str, source: str) -> Iterator[SourceDocument | InputFailure]:
    """One document per non-blank line of a JSONL file, named `source:line`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _document_or_failure(line, f"{source}:{number}")


def _document_or_failure(line: str, source: str) -> SourceDocument | InputFailure:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return InputFailure(source, f"not valid JSON ({error.msg}, column {error.colno})")
    try:
        return document_from_record(record, source)
    except SourceError as error:
        return InputFailure(source, str(error))


def document_from_record(record: Any, source: str) -> SourceDocument:
    """A JSONL record `{id?, url?, title?, text? or html?, published?, outlet?}` as a document.

    A record with a title and no text is a flash: its headline is all there is.

    Raises:
        SourceError: the record is not an object, has no text, html or title, or a field is
            malformed.
    """
    if not isinstance(record, dict):
        raise SourceError(f"expected a JSON object, got {type(record).__name__}")
    text, html = record.get("text"), record.get("html")
    if not any(
        isinstance(value, str) and value.strip() for value in (text, html, record.get("title"))
    ):
        raise SourceError('the record has no "text", "html" or "title"')
    return SourceDocument(
        source=source,
        html=html if isinstance(html, str) and html.strip() else None,
        text=None if isinstance(html, str) and html.strip() else text,
        url=_optional_str(record, "url"),
        external_id=None if record.get("id") is None else str(record["id"]),
        title=_optional_str(record, "title"),
        published=parse_timestamp(record.get("published")),
        outlet=_optional_str(record, "outlet"),
    )


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SourceError(f'"{key}" must be a string, got {type(value).__name__}')
    return value.strip()


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO 8601 date or timestamp as an aware datetime (UTC when no zone is given).

    Raises:
        SourceError: the value is not an ISO 8601 date.
    """
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SourceError(f"published {value!r} is not an ISO 8601 date") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
