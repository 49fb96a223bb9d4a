"""Web archives: a WARC of the shared pages gives the same articles as the pages themselves.

The archive is written here with warcio, the library newsdesk reads it with, the way a
crawler writes one: gzip per record, a warcinfo record first, a request before each
response, and some responses that are not pages (an image, a 404, a redirect).
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from newsdesk.ingest import InputFailure, count_documents, iter_documents, process_documents
from newsdesk.ingest.warc import iter_warc
from newsdesk.models import SourceDocument

PAGES = Path("html/newspaper/html")
CAP = 20_000_000


@dataclass(frozen=True)
class Response:
    """One archived HTTP response."""

    url: str
    body: bytes
    status: str = "200 OK"
    content_type: str = "text/html"
    headers: tuple[tuple[str, str], ...] = ()


def page_urls(shared_data: Path) -> dict[str, str]:
    """Each page's URL: fulltext_url_list.txt lists them in order, one a line, and a page is
    named after its site and its rank among that site's URLs (`about.com2.html` is the
    second about.com URL), as newspaper's tests name them. The pages it does not list
    get a made-up URL."""
    names = sorted(path.name for path in (shared_data / PAGES).iterdir())
    seen: dict[str, int] = {}
    urls = {}
    listing = (shared_data / "html/newspaper/fulltext_url_list.txt").read_text().split()
    for url in listing:
        labels = (urlsplit(url).hostname or "").split(".")
        site = next(
            ".".join(labels[i:])
            for i in range(len(labels))
            if f"{'.'.join(labels[i:])}1.html" in names
        )
        seen[site] = seen.get(site, 0) + 1
        urls[f"{site}{seen[site]}.html"] = url
    assert len(urls) == len(listing) == 145
    return {name: urls.get(name, f"https://unlisted.example/{name}") for name in names}


def write_warc(path: Path, responses: Iterable[Response], *, compress: bool = True) -> None:
    """A WARC of the responses, each after the request that fetched it."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for response in responses:
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", urlsplit(response.url).netloc)], is_http_request=True
            )
            writer.write_record(
                writer.create_warc_record(response.url, "request", http_headers=request)
            )
            headers = StatusAndHeaders(
                response.status,
                [("Content-Type", response.content_type), *response.headers],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                response.url,
                "response",
                payload=io.BytesIO(response.body),
                length=len(response.body),  # known: warcio then buffers nothing
                http_headers=headers,
            )
            writer.write_record(record)


def _not_pages() -> list[Response]:
    return [
        Response(
            "https://img.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "200 OK", "image/png"
        ),
        Response(
            "https://gone.example/missing", b"<html><body>Not found</body></html>", "404 Not Found"
        ),
        Response("https://moved.example/", b"", "301 Moved Permanently", "text/html"),
    ]


@pytest.fixture(scope="module")
def newspaper_warc(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 157 newspaper pages as a gzipped WARC, with three responses that are not pages."""
    urls = page_urls(shared_data)
    pages = [Response(url, (shared_data / PAGES / name).read_bytes()) for name, url in urls.items()]
    path = tmp_path_factory.mktemp("warc") / "newspaper.warc.gz"
    write_warc(path, [*pages[:50], *_not_pages(), *pages[50:]])
    return path


def test_iter_warc_yields_exactly_the_html_pages(shared_data: Path, newspaper_warc: Path) -> None:
    items = list(iter_warc(newspaper_warc, max_record_bytes=CAP))
    documents = [item for item in items if isinstance(item, SourceDocument)]
    assert len(documents) == len(items) == 157
    assert [document.url for document in documents] == list(page_urls(shared_data).values())
    first = documents[0]
    assert first.source.startswith(f"{newspaper_warc}#urn:uuid:")
    assert len({document.source for document in documents}) == 157
    assert first.html == (shared_data / PAGES / "247wallst.com1.html").read_text(encoding="utf-8")
    assert first.published is None  # WARC-Date is the crawl date, not the publication date
    assert count_documents([str(newspaper_warc)]) == 157


def _articles(items: Iterable[SourceDocument | InputFailure]) -> list[tuple[str, str] | str]:
    """(title, body) of each extracted article, or the reason it failed."""
    return [
        (result.article.title, result.article.body)
        if not isinstance(result, InputFailure)
        else result.reason
        for result in process_documents(items, workers=1)
    ]


def test_ingesting_the_warc_gives_the_same_articles_as_the_files(
    shared_data: Path, newspaper_warc: Path
) -> None:
    from_files = _articles(iter_documents([str(shared_data / PAGES)], CAP))
    from_warc = _articles(iter_documents([str(newspaper_warc)], CAP))
    assert len(from_warc) == len(from_files) == 157
    assert from_warc == from_files
    assert sum(isinstance(article, tuple) for article in from_warc) > 140


def test_a_folder_holding_a_warc_streams_it(tmp_path: Path) -> None:
    write_warc(
        tmp_path / "crawl.warc", [Response("https://a.example/", b"<p>Hello</p>")], compress=False
    )
    (tmp_path / "page.html").write_text("<p>Page</p>")
    items = list(iter_documents([str(tmp_path)], CAP))
    assert [(type(item).__name__, getattr(item, "url", None)) for item in items] == [
        ("SourceDocument", "https://a.example/"),
        ("SourceDocument", None),
    ]
    assert count_documents([str(tmp_path)]) == 2


def test_the_byte_cap_applies_to_each_record_not_to_the_archive(tmp_path: Path) -> None:
    big = b"<html><body>" + b"<p>words</p>" * 200_000 + b"</body></html>"
    bomb = gzip.compress(b"<html>" + b" " * 3_000_000 + b"</html>")
    path = tmp_path / "mixed.warc.gz"
    write_warc(
        path,
        [
            Response("https://a.example/small", b"<p>small</p>"),
            Response("https://a.example/big", big),
            Response("https://a.example/bomb", bomb, headers=(("Content-Encoding", "gzip"),)),
            Response("https://a.example/after", b"<p>after</p>"),
        ],
    )
    assert path.stat().st_size > 1_000  # the archive itself may be as large as it likes
    items = list(iter_documents([str(path)], 1_000_000))
    outcomes = [item.reason if isinstance(item, InputFailure) else item.url for item in items]
    assert outcomes == [
        "https://a.example/small",
        "record is 2.4 MB, larger than the 1.0 MB cap (setting max_input_bytes)",
        "record inflates past the 1.0 MB cap (setting max_input_bytes)",
        "https://a.example/after",
    ]


def test_the_http_charset_decodes_the_page(tmp_path: Path) -> None:
    path = tmp_path / "latin.warc.gz"
    body = "<html><body><p>Ação, café, señor</p></body></html>".encode("iso-8859-1")
    write_warc(
        path, [Response("https://br.example/", body, content_type="text/html; charset=ISO-8859-1")]
    )
    [document] = iter_warc(path, max_record_bytes=CAP)
    assert isinstance(document, SourceDocument) and "Ação, café, señor" in (document.html or "")


def test_a_corrupt_archive_reports_where_and_stops(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    pages = [Response(f"https://a.example/{i}", b"<p>page %d</p>" % i) for i in range(3)]
    write_warc(good, pages)
    corrupt = tmp_path / "corrupt.warc.gz"
    size = good.stat().st_size
    corrupt.write_bytes(good.read_bytes() + b"this is not a WARC record\r\n" * 3)
    items = list(iter_warc(corrupt, max_record_bytes=CAP))
    assert [getattr(item, "url", None) for item in items[:3]] == [page.url for page in pages]
    [failure] = items[3:]
    assert isinstance(failure, InputFailure) and failure.source == str(corrupt)
    assert failure.reason.startswith(f"corrupt web archive at byte {size}: ")
    assert failure.reason.endswith("the records before it were read, nothing after it")
    assert count_documents([str(corrupt)]) == 4
    [missing] = iter_warc(tmp_path / "missing.warc", max_record_bytes=CAP)
    assert isinstance(missing, InputFailure) and missing.reason.startswith("cannot read")
