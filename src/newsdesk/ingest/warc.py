"""Web archives (WARC, WARC.gz) → source documents, one per archived HTML page.

A WARC holds every request, response and piece of metadata a crawl saw, and may be many
gigabytes, so it is streamed record by record with warcio and memory stays flat: only one
record's body is ever held, and never more than `max_record_bytes` of it. Only successful
HTML responses are pages; everything else (requests, metadata, images, redirects, errors,
revisits) is skipped without a word. The record's `WARC-Date` is when the crawler fetched
the page, not when it was published, so it is not passed on as the publication date.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]
from warcio.statusandheaders import (  # type: ignore[import-untyped]
    StatusAndHeadersParserException,
)

from newsdesk.errors import SourceError
from newsdesk.ingest.documents import InputFailure, decode_bytes
from newsdesk.models import SourceDocument

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_CORRUPT = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
)


def is_warc(path: Path) -> bool:
    """Whether the path names a web archive, by its suffix."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def iter_warc(path: Path, *, max_record_bytes: int) -> Iterator[SourceDocument | InputFailure]:
    """Stream the HTML pages of a web archive as source documents.

    Args:
        path: a `.warc` or `.warc.gz` file (gzip per record, as WARC writers do).
        max_record_bytes: a record larger than this becomes a failure without being read.

    Returns:
        One document per successful HTML response, named `path#record-id`, with the URL the
        crawler fetched; a failure for each record that is too large or not text, and for a
        corrupt archive (naming the byte offset where it broke, after which nothing more
        is read).
    """
    try:
        handle = path.open("rb")
    except OSError as error:
        yield InputFailure(str(path), f"cannot read: {error.strerror}")
        return
    with handle:
        records = ArchiveIterator(handle)
        try:
            for record in records:
                if is_html_page(record):
                    yield _page(record, path, records.offset, max_record_bytes)
        except _CORRUPT as error:
            yield InputFailure(
                str(path),
                f"corrupt web archive at byte {records.offset}: {error}; "
                "the records before it were read, nothing after it",
            )


def count_warc_pages(path: Path) -> int:
    """How many documents `iter_warc` gives for the archive: its HTML pages, plus one for
    the failure when it is corrupt. Reads the whole archive (but no page bodies)."""
    count = 0
    try:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                count += is_html_page(record)
    except _CORRUPT:
        count += 1
    return count


def is_html_page(record: Any) -> bool:
    """A response record holding a successful HTML page."""
    if record.rec_type != "response" or not record.http_headers:
        return False
    content_type = record.http_headers.get_header("Content-Type") or ""
    return (
        record.http_headers.get_statuscode() == "200"
        and content_type.split(";")[0].strip().lower() in HTML_CONTENT_TYPES
    )


def _page(record: Any, path: Path, offset: int, max_bytes: int) -> SourceDocument | InputFailure:
    """One HTML response record as a document, or the reason it cannot be one."""
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
    source = f"{path}#{record_id or offset}"
    try:
        if record.length > max_bytes:
            raise SourceError(
                f"record is {_megabytes(record.length)}, larger than the "
                f"{_megabytes(max_bytes)} cap (setting max_input_bytes)"
            )
        body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:  # a compressed body (Content-Encoding) that inflates
            raise SourceError(
                f"record inflates past the {_megabytes(max_bytes)} cap (setting max_input_bytes)"
            )
        if not body.strip():
            raise SourceError("empty response body")
        html = _decode(body, record.http_headers.get_header("Content-Type") or "")
    except SourceError as error:
        return InputFailure(source, str(error))
    url = record.rec_headers.get_header("WARC-Target-URI")
    return SourceDocument(source=source, html=html, url=url.strip("<> ") if url else None)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _decode(body: bytes, content_type: str) -> str:
    """Decode with the charset the HTTP header names (it wins over the page's own, as in a
    browser), else as `decode_bytes` decodes files."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            try:
                return body.decode(value.strip(" \"'")).lstrip("\ufeff")
            except (LookupError, UnicodeDecodeError):
                break
    return decode_bytes(body)
