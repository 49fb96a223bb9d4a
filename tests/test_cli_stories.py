"""The stories commands on real data: ECB+ topic 2 (two different events of one kind)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from newsdesk.cli import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def _topic(shared_data: Path, topic: int, folder: Path) -> tuple[Path, dict[str, str]]:
    """One ECB+ topic as a JSONL file, and the gold story of each record."""
    records = [
        json.loads(line)
        for line in (shared_data / "stories" / "ecbplus.jsonl").read_text().splitlines()
    ]
    chosen = [r for r in records if r["topic"] == topic]
    path = folder / f"topic{topic}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in chosen))
    return path, {r["id"]: r["story"] for r in chosen}


def test_ingest_clusters_and_the_commands_show_the_stories(
    db_url: str, shared_data: Path, tmp_path: Path
) -> None:
    path, gold = _topic(shared_data, 2, tmp_path)
    code, out = _run("--db", db_url, "ingest", str(path))
    assert code == 0, out

    code, out = _run("--db", db_url, "export")
    predicted = {line["id"]: line["story"] for line in map(json.loads, out.splitlines())}
    assert None not in predicted.values()
    for story in set(gold.values()):  # each gold event is (mostly) one predicted story
        members = Counter(predicted[i] for i, s in gold.items() if s == story and i in predicted)
        assert members.most_common(1)[0][1] >= 0.7 * sum(members.values())
    assert len(set(predicted.values())) < len(predicted) / 2

    code, out = _run("--db", db_url, "stories", "--since", "all", "--top", "3", "--json")
    ranked = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and 2 <= len(ranked) <= 3  # the topic's two events, perhaps a stray
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    assert {"coverage", "severity", "recency"} <= set(ranked[0]["factors"])

    code, out = _run("--db", db_url, "story", str(ranked[0]["id"]), "--json")
    story = json.loads(out)
    assert code == 0 and story["headline"] == ranked[0]["headline"]
    assert len(story["articles"]) == ranked[0]["articles"] and story["timeline"]

    code, out = _run("--db", db_url, "story", str(ranked[0]["id"]))
    assert code == 0 and "timeline" in out and ranked[0]["headline"][:30] in out

    code, out = _run("--db", db_url, "stories", "rebuild")
    assert code == 0 and f"{len(predicted)} articles clustered again" in out
    code, out = _run("--db", db_url, "export")
    rebuilt = {line["id"]: line["story"] for line in map(json.loads, out.splitlines())}
    assert min(rebuilt.values()) > max(predicted.values())


def test_unknown_story_and_bad_window_are_clean_errors(db_url: str) -> None:
    assert _run("--db", db_url, "db", "upgrade")[0] == 0
    code, out = _run("--db", db_url, "story", "999")
    assert code == 1 and "Error: no story with id 999" in out
    code, out = _run("--db", db_url, "stories", "--since", "yesterday-ish")
    assert code == 1 and "Error: --since 'yesterday-ish' is not a duration" in out


def test_an_empty_desk_says_there_are_no_stories(db_url: str) -> None:
    assert _run("--db", db_url, "db", "upgrade")[0] == 0
    code, out = _run("--db", db_url, "stories")
    assert code == 0 and "No stories in this period" in out
