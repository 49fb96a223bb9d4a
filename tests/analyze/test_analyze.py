"""The whole analysis of the reference article, as `newsdesk analyze` gives it (issue 3)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.analyze import ANALYZER_VERSION, analyze_article, analyze_articles, language_of
from newsdesk.extract import extract_text
from newsdesk.models import Analysis, Article


@pytest.fixture(scope="module")
def analysis(reference_article: Path) -> Analysis:
    article = extract_text(reference_article.read_text(encoding="utf-8"))
    return analyze_article(article, published=datetime(2009, 4, 16, tzinfo=UTC))


def test_people_are_exactly_the_four(analysis: Analysis) -> None:
    assert {p.name for p in analysis.people} == {
        "Barack Obama",
        "Felipe Calderon",
        "George W. Bush",
        "Hillary Clinton",
    }


def test_places_and_focus(analysis: Analysis) -> None:
    by_name = {p.name: p for p in analysis.places}
    assert by_name["Mexico"].country_code == "MX"
    assert by_name["United States"].country_code == "US"
    assert by_name["Trinidad and Tobago"].country_code == "TT"
    assert by_name["Latin America"].kind == "region" and by_name["Europe"].kind == "region"
    assert "BO" not in {p.country_code for p in analysis.places}
    assert analysis.focus_countries[:2] == ["MX", "US"]


def test_counts_and_dates(analysis: Analysis) -> None:
    counts = {(c.number, c.event): c for c in analysis.counts}
    assert counts[6300, "killed"].approximate and counts[6300, "killed"].unit == "people"
    assert not counts[16, "died"].approximate
    dates = {d.text: d.date for d in analysis.dates}
    assert dates["Thursday"] == "2009-04-16"
    assert dates["Wednesday"] == "2009-04-15"
    assert dates["Friday"] == "2009-04-17"
    assert dates["last year"] == "2008"


def test_quotes_have_their_speakers(analysis: Analysis) -> None:
    said = {(q.speaker, q.kind, q.text[:30]) for q in analysis.quotes}
    assert ("Barack Obama", "direct", "At a time when the Mexican gov") in said
    assert ("Barack Obama", "direct", "Something that President Calde") in said
    assert ("Barack Obama", "partial", "a heroic job") in said
    assert ("Felipe Calderon", "partial", "absolutely not") in said
    assert ("Hillary Clinton", "partial", "insatiable demand") in said
    indirect = [(q.speaker, q.text) for q in analysis.quotes if q.kind == "indirect"]
    assert any(
        speaker == "Barack Obama" and text.startswith("he will push the Senate to ratify")
        for speaker, text in indirect
    )
    assert any(
        speaker == "Felipe Calderon" and text.startswith("he has personally been threatened")
        for speaker, text in indirect
    )


def test_offsets_point_into_the_body(reference_article: Path, analysis: Analysis) -> None:
    body = extract_text(reference_article.read_text(encoding="utf-8")).body
    for quote in analysis.quotes:
        assert body[quote.start : quote.end] == quote.text
    for entity in analysis.people + analysis.organizations:
        assert all(body[start:end] for start, end in entity.offsets)


def test_themes_and_tone(analysis: Analysis) -> None:
    themes = [t.name for t in analysis.themes]
    assert themes[0] == "drug_trafficking"
    assert "diplomacy" in themes
    assert analysis.tone is not None and analysis.tone.tone < 0


def test_analysis_round_trips_through_json(analysis: Analysis) -> None:
    assert Analysis.from_dict(analysis.to_dict()) == analysis
    assert analysis.version == ANALYZER_VERSION and analysis.skipped == []


def test_other_languages_are_skipped_not_misread(shared_data: Path) -> None:
    spanish = Article(title="Sismo", body="El presidente dijo que 16 personas murieron en Oaxaca.")
    german = Article(
        title="Wahl", body="Die Kanzlerin sagte, die Wahl finde im Mai statt.", language="de"
    )
    english = Article(title="Vote", body="The president said 16 people died in Oaxaca on Monday.")
    results = list(analyze_articles([spanish, german, english]))
    assert [r.language for r in results] == ["es", "de", "en"]
    assert results[0].people == results[0].counts == [] and "'es'" in results[0].skipped[0]
    assert results[1].skipped and not results[2].skipped
    assert results[2].counts and results[2].counts[0].number == 16
    assert language_of(spanish) == "es"


def test_the_analyzer_version_follows_the_spacy_release(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another spaCy release may choose other lemmas, so stored analyses become stale."""
    import newsdesk.analyze as analyze

    assert analyze._analyzer_version() == ANALYZER_VERSION
    real = analyze.metadata.version
    monkeypatch.setattr(
        analyze.metadata, "version", lambda name: "9.9.9" if name == "spacy" else real(name)
    )
    assert analyze._analyzer_version() != ANALYZER_VERSION
