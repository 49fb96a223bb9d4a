"""Ingest end to end on real pages: stored once, bad inputs reported, revisions kept,
and a run killed half-way leaves no duplicates and no half-written rows."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import py3langid.langid
import pytest

from newsdesk.ingest import ingest
from newsdesk.ingest.processing import Processed, process_documents
from newsdesk.models import SourceDocument
from newsdesk.store import Store

MAX_BYTES = 20_000_000


@pytest.fixture
def store(db_url: str) -> Store:
    opened = Store.open(db_url, upgrade=True)
    yield opened
    opened.close()


def test_real_pages_are_stored_once(store: Store, shared_data: Path) -> None:
    folder = str(shared_data / "html/newspaper/html")
    first = ingest([folder], store, max_bytes=MAX_BYTES, workers=2)
    counts = first.counts()
    assert counts["stored"] >= 150, first.failures
    assert sum(counts.values()) == 157
    # the few failures are pages without an article, explained, never a crash
    assert all(not (f.reason or "").startswith("extraction failed") for f in first.failures)
    assert store.count_articles() == counts["stored"]
    again = ingest([folder], store, max_bytes=MAX_BYTES, workers=2)
    # pages that share their canonical URL with another page are one article
    assert again.counts() == {
        "unchanged": counts["stored"] + counts["unchanged"],
        "failed": counts["failed"],
    }
    assert store.count_articles() == counts["stored"]


def test_bad_inputs_are_reported_and_good_ones_stored(
    store: Store, shared_data: Path, reference_article: Path, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs"  # apart from the SQLite file and its WAL
    inputs.mkdir()
    shutil.copy(reference_article, inputs / "reference.txt")
    shutil.copy(shared_data / "html/newspaper/html/reuters.com1.html", inputs / "reuters.html")
    latin1 = "<html><head><meta charset='iso-8859-1'><title>Café</title></head><body><article>"
    latin1 += "".join(
        f"<p>Le café numéro {i} a rouvert à Genève après des années.</p>" for i in range(8)
    )
    (inputs / "latin1.html").write_bytes((latin1 + "</article></body></html>").encode("latin-1"))
    (inputs / "nav-only.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    (inputs / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (inputs / "empty.html").write_bytes(b"")
    good_line = {
        "id": "x-1",
        "title": "Quake",
        "text": "A strong earthquake hit the coast.\n\nNo one was hurt.",
    }
    (inputs / "lines.jsonl").write_text(json.dumps(good_line) + "\n{broken\n")

    report = ingest([str(inputs)], store, max_bytes=MAX_BYTES, workers=1)
    failed = {Path(f.source).name: f.reason for f in report.failures}
    assert set(failed) == {"binary.bin", "empty.html", "lines.jsonl:2", "nav-only.html"}
    assert "no article" in failed["nav-only.html"]
    assert report.counts()["stored"] == 4
    titles = {stored.article.title for stored in store.list_articles(limit=10)}
    assert {"Obama backs crackdown on drug cartels", "Quake", "Café"} <= titles
    cafe = next(s for s in store.list_articles(limit=10) if s.article.title == "Café")
    assert "Le café numéro 3 a rouvert à Genève" in cafe.article.body


def test_a_changed_article_at_the_same_url_keeps_its_revisions(
    store: Store, tmp_path: Path
) -> None:
    page = tmp_path / "page.jsonl"
    first = {
        "id": "p1",
        "url": "https://news.example/a?utm_source=x",
        "title": "Ceasefire holds",
        "text": "The ceasefire held overnight.\n\nBoth sides reported calm.",
    }
    page.write_text(json.dumps(first))
    assert ingest([str(page)], store, max_bytes=MAX_BYTES, workers=1).counts() == {"stored": 1}
    second = dict(
        first, url="https://news.example/a", text=first["text"] + "\n\nTalks resume on Monday."
    )
    page.write_text(json.dumps(second))
    report = ingest([str(page)], store, max_bytes=MAX_BYTES, workers=1)
    assert report.counts() == {"revised": 1}
    [stored] = store.list_articles(limit=5)
    assert stored.revision == 2 and "Talks resume on Monday." in stored.article.body
    [old] = store.revisions(stored.id)
    assert "Talks resume" not in old.article.body


def test_a_killed_ingest_can_be_run_again(db_url: str, shared_data: Path) -> None:
    Store.open(db_url, upgrade=True).close()
    folder = str(shared_data / "html/newspaper/html")
    command = [sys.executable, "-m", "newsdesk", "--db", db_url, "ingest", "--no-analysis", folder]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_some_articles(db_url, process)
        workers = _children(process.pid)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert workers, "the ingest ran no worker processes"
    _wait_until_gone(workers)  # workers die with their parent: no orphans holding models
    rerun = subprocess.run(command, capture_output=True, text=True)
    assert rerun.returncode == 1  # a few of the 157 pages hold no article
    store = Store.open(db_url)
    try:
        articles = store.list_articles(limit=1000)
        keys = [stored.key for stored in articles]
        assert len(keys) == len(set(keys)) == store.count_articles()
        assert len(articles) >= 140
        assert all(stored.article.title and stored.article.body for stored in articles)
        assert "unchanged" in rerun.stdout
    finally:
        store.close()


def _wait_for_some_articles(db_url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll the store until the running ingest has committed something (or give up)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        store = Store.open(db_url)
        try:
            if store.count_articles() > 0:
                return
        finally:
            store.close()
        time.sleep(0.05)
    pytest.fail("the ingest never committed an article before the deadline")


def test_an_amp_page_and_its_canonical_page_are_one_article(store: Store, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"  # apart from the SQLite file and its WAL
    inputs.mkdir()
    paragraphs = "".join(
        f"<p>Rescuers searched the rubble in the port city for a {n}th day on Sunday.</p>"
        for n in range(4, 12)
    )

    def page(extra_head: str) -> str:
        return (
            f"<html><head><title>Quake toll rises</title>{extra_head}</head>"
            f"<body><article><h1>Quake toll rises</h1>{paragraphs}</article></body></html>"
        )

    canonical = '<link rel="canonical" href="https://news.example/world/quake?utm_source=amp">'
    (inputs / "amp.html").write_text(page(canonical))
    (inputs / "www.html").write_text(
        page('<meta property="og:url" content="https://news.example/world/quake">')
    )
    report = ingest([str(inputs)], store, max_bytes=MAX_BYTES, workers=1)
    assert report.counts() == {"stored": 1, "unchanged": 1}
    [stored] = store.list_articles(limit=5)
    assert stored.article.url == "https://news.example/world/quake"


def _children(pid: int) -> list[int]:
    """The ids of a process's children, from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _wait_until_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
        if not alive:
            return
        time.sleep(0.05)
    pytest.fail(f"worker processes {alive} outlived their killed parent")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def test_extraction_data_is_loaded_before_the_workers_fork(
    monkeypatch: pytest.MonkeyPatch, reference_article: Path
) -> None:
    """Loaded once in the parent, the language model is shared by every worker instead of
    being loaded by each (about 100 MB a worker with the trafilatura stoplists)."""
    monkeypatch.setattr(py3langid.langid, "IDENTIFIER", None)
    document = SourceDocument(source="reference", text=reference_article.read_text())
    results = list(process_documents([document], workers=2))
    assert isinstance(results[0], Processed)
    assert results[0].article.language == "en"
    assert py3langid.langid.IDENTIFIER is not None
