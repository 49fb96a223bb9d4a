"""People and organisations: the reference article, real BBC and ECB+ articles, one rule each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc

from newsdesk.analyze.entities import find_entities
from newsdesk.analyze.nlp import parse, parse_many
from newsdesk.extract import extract_text
from newsdesk.models import Entity

CATEGORIES = ("business", "politics", "sport", "tech", "entertainment")


def _bbc_body(shared_data: Path, name: str) -> str:
    """A BBC article's body: the file without its headline line (some files are not UTF-8)."""
    raw = (shared_data / "summaries" / "bbc" / "articles" / name).read_bytes()
    return raw.decode("utf-8", errors="replace").partition("\n")[2].strip()


@pytest.fixture(scope="module")
def real_docs(shared_data: Path) -> list[Doc]:
    """A fixed sample of real articles: BBC News and ECB+ disaster and crime stories."""
    folder = shared_data / "summaries" / "bbc" / "articles"
    names = [f"{c}/{p.name}" for c in CATEGORIES for p in sorted((folder / c).glob("*.txt"))[:5]]
    texts = [_bbc_body(shared_data, name) for name in names]
    with (shared_data / "stories" / "ecbplus.jsonl").open(encoding="utf-8") as lines:
        texts += [json.loads(line)["text"] for _, line in zip(range(12), lines, strict=False)]
    return list(parse_many(texts))


def _names(entities: list[Entity]) -> set[str]:
    return {entity.name for entity in entities}


def test_reference_article_people_and_organisations(reference_article: Path) -> None:
    """Standfirst and body: "the US Senate" is in the standfirst, "Senate" in the body."""
    article = extract_text(reference_article.read_text(encoding="utf-8"))
    people, organisations = find_entities(parse(f"{article.standfirst}\n\n{article.body}"))
    assert _names(people) == {
        "Barack Obama",
        "Felipe Calderon",
        "George W. Bush",
        "Hillary Clinton",
    }
    assert people[0].name == "Barack Obama" and people[0].mentions >= 10
    senate = next(org for org in organisations if org.name == "US Senate")
    assert senate.mentions == 2
    assert "White House" in _names(organisations)
    assert not {"REUTERS", "Calderon", "State", "Senate"} & _names(organisations)


def test_body_alone(reference_article: Path) -> None:
    """What the analyzer sees of the body: the same people, "Senate" unmerged."""
    people, organisations = find_entities(
        parse(extract_text(reference_article.read_text(encoding="utf-8")).body)
    )
    assert _names(people) == {
        "Barack Obama",
        "Felipe Calderon",
        "George W. Bush",
        "Hillary Clinton",
    }
    assert {"Senate", "White House"} <= _names(organisations)
    assert not {"Calderon", "State", "U.S.-Mexico"} & _names(organisations)


def test_dateline_is_no_organisation(reference_article: Path) -> None:
    """The raw wire text keeps its `REUTERS -` dateline: it is no mention of anyone."""
    doc = parse(reference_article.read_text(encoding="utf-8"))
    people, organisations = find_entities(doc)
    assert not any("REUTERS" in name for name in _names(organisations) | _names(people))
    assert "marijuana" not in {n.lower() for n in _names(people)}


@pytest.mark.parametrize(
    ("text", "person", "forms"),
    [
        (
            "Prime Minister Tony Blair met union leaders. Mr Blair's plan was rejected "
            "by Blair's critics.",
            "Tony Blair",
            {"Tony Blair", "Blair"},
        ),
        (
            "Secretary of State Hillary Clinton flew to Paris. Clinton said the talks went well.",
            "Hillary Clinton",
            {"Hillary Clinton", "Clinton"},
        ),
    ],
)
def test_titles_and_possessives_are_not_names(text: str, person: str, forms: set[str]) -> None:
    doc = parse(text)
    people, organisations = find_entities(doc)
    entity = next(e for e in people if e.name == person)
    assert {doc.text[start:end] for start, end in entity.offsets} == forms
    assert "State" not in _names(organisations)


def test_shared_surname_goes_to_the_nearest_full_name() -> None:
    doc = parse(
        "Bill Clinton spoke first. Clinton praised the plan. Later Hillary Clinton arrived, "
        "and Clinton thanked the crowd."
    )
    people, _ = find_entities(doc)
    spans = {e.name: [doc.text[s:e] for s, e in e.offsets] for e in people}
    assert spans["Bill Clinton"] == ["Bill Clinton", "Clinton"]
    assert spans["Hillary Clinton"] == ["Hillary Clinton", "Clinton"]


def test_acronym_joins_its_organisation() -> None:
    doc = parse("The United Nations sent aid on Monday. The UN said more would follow.")
    _, organisations = find_entities(doc)
    assert [(o.name, o.mentions) for o in organisations] == [("United Nations", 2)]


def test_real_articles_hand_checked(shared_data: Path) -> None:
    """Facts checked by hand on two BBC articles."""
    people, organisations = find_entities(parse(_bbc_body(shared_data, "business/008.txt")))
    assert people[0].name == "Palaniappan Chidambaram" and people[0].mentions == 3
    assert {"IMF", "World Bank", "United Nations"} <= _names(organisations)
    people, _ = find_entities(parse(_bbc_body(shared_data, "politics/001.txt")))
    assert people[0].name == "Patricia Hewitt"
    assert {"Gordon Brown", "Tony Blair"} <= _names(people)


def test_sanity_over_real_articles(real_docs: list[Doc]) -> None:
    for doc in real_docs:
        people, organisations = find_entities(doc)
        for entity in people + organisations:
            assert entity.mentions == len(entity.offsets) > 0
            for start, end in entity.offsets:
                mention = doc.text[start:end]
                assert mention and mention == mention.strip()
                assert not mention.endswith(("'s", "’s", "-")), mention
            assert set(doc.text[s:e].lower().replace(".", "") for s, e in entity.offsets)
        for person in people:
            assert not (" " not in person.name and person.name.islower()), person.name
        assert not _names(people) & _names(organisations)
        mentions = [m for e in people + organisations for m in e.offsets]
        assert len(mentions) == len(set(mentions))
        assert [e.mentions for e in people] == sorted((e.mentions for e in people), reverse=True)
