"""The command line, run in-process: exact exit codes, the JSON contracts, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.store import Store
from newsdesk.store.stories import count_unclustered

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_one_input_prints_one_object(reference_article: Path) -> None:
    code, out, _ = _run("extract", str(reference_article), "--json")
    assert code == 0
    record = json.loads(out)
    assert record["source"] == str(reference_article)
    assert record["title"] == "Obama backs crackdown on drug cartels"
    assert record["agency"] == "Reuters"
    assert record["subheads"] == ["More drug violence"]
    assert set(record) == {
        "source",
        "title",
        "standfirst",
        "authors",
        "published",
        "agency",
        "dateline",
        "outlet",
        "language",
        "url",
        "subheads",
        "body",
    }


def test_extract_several_inputs_prints_lines_in_order_with_errors(
    reference_article: Path, shared_data: Path, tmp_path: Path
) -> None:
    page = shared_data / "html/readability/bbc-1/source.html"
    missing = tmp_path / "missing.html"
    code, out, _ = _run("extract", str(page), str(missing), str(reference_article), "--json")
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["source"] for line in lines] == [str(page), str(missing), str(reference_article)]
    assert lines[1] == {"source": str(missing), "error": "no such file or directory"}
    assert lines[0]["body"] and lines[2]["title"] == "Obama backs crackdown on drug cartels"


def test_extract_published_fills_in_a_missing_date(reference_article: Path) -> None:
    code, out, _ = _run("extract", str(reference_article), "--json", "--published", "2009-04-16")
    assert code == 0
    assert json.loads(out)["published"] == "2009-04-16T00:00:00+00:00"


def test_extract_readable_view(reference_article: Path) -> None:
    code, out, _ = _run("extract", str(reference_article))
    assert code == 0
    assert "Obama backs crackdown on drug cartels" in out
    assert "agency: Reuters" in out


def test_ingest_browse_search_export(db_url: str, reference_article: Path, tmp_path: Path) -> None:
    lines = tmp_path / "batch.jsonl"
    lines.write_text(
        json.dumps(
            {
                "id": "ecb-7",
                "url": "https://news.example/quake?utm_medium=rss",
                "title": "Earthquake strikes Indonesia",
                "text": "A 6.1 magnitude earthquake struck Aceh on Tuesday.\n\nDozens were hurt.",
            }
        )
        + "\n"
    )
    code, out, _ = _run("--db", db_url, "ingest", str(reference_article), str(lines))
    assert code == 0, out
    assert "ingest summary" in out
    assert _run("--db", db_url, "ingest", str(lines))[0] == 0

    code, out, _ = _run("--db", db_url, "articles", "list", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["title"] for r in records} == {
        "Obama backs crackdown on drug cartels",
        "Earthquake strikes Indonesia",
    }
    quake = next(r for r in records if r["external_id"] == "ecb-7")
    code, out, _ = _run("--db", db_url, "articles", "show", str(quake["id"]))
    assert code == 0 and "Dozens were hurt." in out

    code, out, _ = _run("--db", db_url, "search", '"drug cartels"', "--json")
    assert code == 0 and json.loads(out)["title"] == "Obama backs crackdown on drug cartels"

    code, out, _ = _run("--db", db_url, "export", "--format", "jsonl")
    exported = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    quake_line = next(line for line in exported if line["id"] == "ecb-7")
    assert quake_line["url"] == "https://news.example/quake"
    assert quake_line["title"] == "Earthquake strikes Indonesia"
    assert len({line["story"] for line in exported}) == 2  # two events, two stories
    assert all(set(line) == {"id", "url", "story", "title"} for line in exported)


def test_ingest_reports_failures_and_exits_1(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text(
        "Floods in Kenya\n\nNAIROBI (Reuters) - Floods killed 12 people.\n"
    )
    code, out, _ = _run("--db", db_url, "ingest", str(tmp_path))
    assert code == 1
    assert f"failed {tmp_path / 'empty.txt'}: empty file" in out


def test_articles_show_unknown_id_is_a_clean_error(db_url: str) -> None:
    assert _run("--db", db_url, "db", "upgrade")[0] == 0
    code, out, err = _run("--db", db_url, "articles", "show", "999")
    assert code == 1
    assert err.strip() == "Error: no article with id 999; see `newsdesk articles list`"
    assert "Traceback" not in out + err


def test_unreachable_database_is_a_clean_error_and_debug_shows_the_traceback() -> None:
    url = "postgresql://nobody@127.0.0.1:9/nowhere"
    code, _, err = _run("--db", url, "articles")
    assert code == 1
    assert err.startswith("Error: cannot connect to postgresql://nobody@127.0.0.1:9/nowhere")
    result = runner.invoke(app, ["--debug", "--db", url, "articles"])
    assert result.exit_code == 1 and result.exception is not None


def test_bad_setting_names_key_and_value(tmp_path: Path) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text("workers = 'many'\n")
    code, _, err = _run("--config", str(config), "articles")
    assert code == 1
    assert err.strip() == "Error: setting workers='many': expected a whole number"


@pytest.mark.parametrize("path", [["extract"], ["ingest"], ["articles", "show"], ["search"]])
def test_missing_arguments_are_usage_errors(path: list[str]) -> None:
    code, _, err = _run(*path)
    assert code == 2 and "Missing argument" in err


def test_run_ingests_shows_the_top_stories_and_does_not_fail_on_a_bad_input(
    db_url: str, reference_article: Path, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, _ = _run(
        "--db", db_url, "run", "--once", "--no-fetch", str(reference_article), str(tmp_path)
    )
    assert code == 0
    assert f"failed {tmp_path / 'empty.txt'}: empty file" in out
    assert "1 story (since 24h)" in out and "Obama backs" in out


def test_analyze_prints_the_extract_fields_plus_the_analysis(reference_article: Path) -> None:
    code, out, _ = _run("analyze", str(reference_article), "--json", "--published", "2009-04-16")
    assert code == 0
    record = json.loads(out)
    assert record["title"] == "Obama backs crackdown on drug cartels"
    assert {p["name"] for p in record["people"]} == {
        "Barack Obama",
        "Felipe Calderon",
        "George W. Bush",
        "Hillary Clinton",
    }
    assert {"Thursday": "2009-04-16"}.items() <= {
        d["text"]: d["date"] for d in record["dates"]
    }.items()
    for key in ("organizations", "places", "quotes", "counts", "amounts", "themes", "tone"):
        assert key in record
    assert record["analyzer_version"]


def test_analyze_skips_other_languages_and_says_so(shared_data: Path) -> None:
    page = shared_data / "html/newspaper/html/spanish_article.html"
    code, out, _ = _run("analyze", str(page), "--json")
    record = json.loads(out)
    assert code == 0
    assert record["language"] == "es"
    assert record["people"] == [] and record["quotes"] == []
    assert "only English is analysed" in record["skipped"][0]


def test_ingest_stores_the_analysis_and_reanalyze_refreshes_it(
    db_url: str, reference_article: Path
) -> None:
    assert _run("--db", db_url, "ingest", str(reference_article))[0] == 0
    code, out, _ = _run("--db", db_url, "articles", "show", "1", "--json")
    record = json.loads(out)
    assert code == 0 and "Felipe Calderon" in {p["name"] for p in record["people"]}
    assert _run("--db", db_url, "reanalyze")[1].strip() == "analysed 0 articles, 0 failed"
    assert _run("--db", db_url, "reanalyze", "--all")[1].strip() == "analysed 1 article, 0 failed"


def test_ingest_without_analysis_leaves_it_to_reanalyze(
    db_url: str, reference_article: Path
) -> None:
    assert _run("--db", db_url, "ingest", "--no-analysis", str(reference_article))[0] == 0
    record = json.loads(_run("--db", db_url, "articles", "show", "1", "--json")[1])
    assert "people" not in record
    assert _unclustered(db_url) == 1
    assert _run("--db", db_url, "reanalyze")[1].strip() == "analysed 1 article, 0 failed"
    record = json.loads(_run("--db", db_url, "articles", "show", "1", "--json")[1])
    assert len(record["people"]) == 4
    assert _unclustered(db_url) == 0


def _unclustered(db_url: str) -> int:
    with Store.open(db_url) as store:
        return count_unclustered(store)


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """spaCy, the web stack and datasketch (scipy) load when a command needs them, so that
    `newsdesk --help` or `newsdesk articles` starts in about a second, not two and a half."""
    heavy = ("spacy", "fastapi", "uvicorn", "datasketch", "scipy")
    probe = f"import sys, newsdesk.cli; print(*[m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
