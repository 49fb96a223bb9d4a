"""Reading local inputs: every bad input is named with its reason, good ones still come."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.errors import SourceError
from newsdesk.ingest import InputFailure, count_documents, iter_documents
from newsdesk.ingest.documents import decode_bytes, parse_timestamp
from newsdesk.models import SourceDocument

CAP = 1_000_000


def _read(*sources: Path | str) -> list[SourceDocument | InputFailure]:
    return list(iter_documents([str(s) for s in sources], CAP))


def _failure_reasons(items: list[SourceDocument | InputFailure]) -> dict[str, str]:
    return {item.source: item.reason for item in items if isinstance(item, InputFailure)}


def test_a_folder_of_bad_files_reports_each_and_keeps_the_good(tmp_path: Path) -> None:
    (tmp_path / "good.html").write_text("<html><body><p>Hello</p></body></html>")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "big.html").write_bytes(b"<html>" + b"x" * (CAP + 1))
    (tmp_path / ".hidden.html").write_text("<p>never read</p>")
    items = _read(tmp_path)
    reasons = _failure_reasons(items)
    assert reasons == {
        str(
            tmp_path / "big.html"
        ): "file is 1.0 MB, larger than the 1.0 MB cap (setting max_input_bytes)",
        str(tmp_path / "blank.txt"): "empty file",
        str(tmp_path / "empty.txt"): "empty file",
        str(tmp_path / "image.png"): "binary file, not text",
    }
    documents = [item for item in items if isinstance(item, SourceDocument)]
    assert [d.source for d in documents] == [str(tmp_path / "good.html")]
    assert documents[0].html is not None and documents[0].text is None


def test_a_60_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as handle:
        handle.truncate(60_000_000)  # sparse: costs no disk, and is never read
    [failure] = list(iter_documents([str(huge)], 20_000_000))
    assert isinstance(failure, InputFailure)
    assert (
        failure.reason == "file is 60.0 MB, larger than the 20.0 MB cap (setting max_input_bytes)"
    )


def test_missing_paths_and_urls_are_reported(tmp_path: Path) -> None:
    reasons = _failure_reasons(_read(tmp_path / "nope.html", "https://example.org/a"))
    assert reasons[str(tmp_path / "nope.html")] == "no such file or directory"
    assert "`newsdesk ingest` fetches URLs" in reasons["https://example.org/a"]


def test_declared_encodings_are_honoured() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body>café – £5</body></html>'
    assert "café – £5" in decode_bytes(page.encode("cp1252"))
    assert decode_bytes("\ufeffZürich".encode("utf-8-sig")) == "Zürich"
    assert decode_bytes("Zürich".encode("utf-16")) == "Zürich"


def test_undeclared_encodings_are_detected() -> None:
    czech = "Příliš žluťoučký kůň úpěl ďábelské ódy, řekl ministr."
    assert decode_bytes(czech.encode("cp1250")) == czech


def test_a_real_non_utf8_article_is_decoded(shared_data: Path) -> None:
    raw = (shared_data / "summaries/bbc/articles/sport/199.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "transfer fee for Mutu, a £15.8m" in decode_bytes(raw)


def test_binary_bytes_are_refused() -> None:
    with pytest.raises(SourceError, match="binary file"):
        decode_bytes(b"GIF89a\x00\x01\x02" * 50)


def test_jsonl_lines_are_named_by_line_number(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "url": "https://x.org/a", "title": "T", "text": "Body one."}),
        '{"id": "a2", "text": "unterminated',
        "",
        json.dumps({"id": "a3", "url": "https://x.org/3"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": 7, "html": "<p>Body</p>", "published": "2009-04-16"}),
        json.dumps({"id": "a8", "text": "x", "published": "last Thursday"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    items = _read(path)
    assert _failure_reasons(items) == {
        f"{path}:2": "not valid JSON (Unterminated string starting at, column 22)",
        f"{path}:4": 'the record has no "text", "html" or "title"',
        f"{path}:5": "expected a JSON object, got list",
        f"{path}:7": "published 'last Thursday' is not an ISO 8601 date",
    }
    documents = [item for item in items if isinstance(item, SourceDocument)]
    assert [(d.source, d.external_id) for d in documents] == [
        (f"{path}:1", "a1"),
        (f"{path}:6", "7"),
    ]
    assert documents[0].url == "https://x.org/a" and documents[0].text == "Body one."
    assert documents[1].html == "<p>Body</p>"
    assert documents[1].published == datetime(2009, 4, 16, tzinfo=UTC)
    assert count_documents([str(path)]) == 6


def test_count_documents_counts_files_and_lines(shared_data: Path) -> None:
    folder = shared_data / "html/newspaper/html"
    assert count_documents([str(folder)]) == 157
    assert count_documents([str(shared_data / "stories/ecbplus.jsonl")]) == 663


def test_timestamps_are_timezone_aware() -> None:
    assert parse_timestamp("2009-04-16T10:30:00Z") == datetime(2009, 4, 16, 10, 30, tzinfo=UTC)
    assert parse_timestamp("2009-04-16T10:30:00+02:00").utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    assert parse_timestamp(None) is None
