"""Summaries: sentence splitting, article summaries, story summaries and key facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from newsdesk.briefing import story_facts, summarize_article, summarize_story
from newsdesk.briefing.summarize import split_sentences
from newsdesk.extract import extract_text
from newsdesk.models import Analysis, Article, Count, Quote

WIRE = (
    "A magnitude 6.3 earthquake struck central Italy early on Monday, killing at least 150 "
    "people and leaving tens of thousands homeless in the mountain city of L'Aquila, "
    "officials said.\n\n"
    "Rescue teams worked through the night to free survivors trapped under collapsed "
    "buildings as aftershocks rattled the region.\n\n"
    "Prime Minister Silvio Berlusconi declared a state of emergency and cancelled a trip "
    "to Moscow.\n\n"
    "The quake was felt as far away as Rome, about 95 km to the southwest, where residents "
    "fled their homes in panic.\n\n"
    "It was the strongest earthquake to hit the area in decades, seismologists said."
)
FOLLOW_UP = (
    "Rescuers in L'Aquila pulled two more survivors from the rubble on Tuesday as the death "
    "toll from the earthquake in central Italy rose above 150.\n\n"
    "He said the earthquake in L'Aquila had killed at least 150 people and left tens of "
    "thousands homeless across central Italy.\n\n"
    '"We will rebuild every house," Berlusconi told reporters in L\'Aquila.\n\n'
    "The government promised 30 million euros for tents and field kitchens."
)


def _article(
    body: str, outlet: str, title: str = "Earthquake kills 150 in central Italy"
) -> Article:
    return Article(title=title, body=body, outlet=outlet)


def _story() -> list[Article]:
    """Two outlets running the same wire copy (one lightly edited) and a follow-up report."""
    edited = WIRE.replace("officials said", "authorities said").replace(" early", "")
    return [
        _article(WIRE, "Daily Courier"),
        _article(edited, "Morning Herald"),
        _article(FOLLOW_UP, "World Radio", "Survivors pulled from rubble in L'Aquila"),
    ]


SPLITS = [
    (
        'Mr. Smith met George W. Bush in Washington. "It went well." Then he left.',
        ["Mr. Smith met George W. Bush in Washington.", '"It went well."', "Then he left."],
    ),
    ("Profits rose 5.5% to $1.2bn. Shares fell.", ["Profits rose 5.5% to $1.2bn.", "Shares fell."]),
    (
        "A heading\nThe first line. 2005 was a record year.",
        ["A heading", "The first line.", "2005 was a record year."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("count", [1, 2, 4])
def test_article_summary_has_the_sentences_asked_for_in_article_order(count: int) -> None:
    sentences = split_sentences(WIRE)
    summary = summarize_article(_article(WIRE, "Daily Courier"), sentences=count)
    chosen = split_sentences(summary)
    assert len(chosen) == count
    assert [sentences.index(s) for s in chosen] == sorted(sentences.index(s) for s in chosen)


def test_article_summary_of_a_short_article_is_the_whole_article() -> None:
    summary = summarize_article(_article(WIRE, "Daily Courier"), sentences=20)
    assert split_sentences(summary) == split_sentences(WIRE)


def test_article_summary_of_an_empty_article_is_empty() -> None:
    assert summarize_article(_article("", "Daily Courier")) == ""


def test_story_summary_gives_copied_sentences_once() -> None:
    summary = summarize_story(_story()).text
    assert summary.count("magnitude 6.3") == 1
    assert summary.count("state of emergency") <= 1
    assert summary.count("strongest earthquake") <= 1


def test_story_summary_never_opens_with_a_pronoun_or_a_quotation() -> None:
    story = _story()
    summary = summarize_story(story).text
    assert not summary.startswith(("He ", "It ", "They ", '"'))
    assert split_sentences(summary)[0] in [s for a in story for s in split_sentences(a.body)]


def test_story_summary_moves_a_central_pronoun_sentence_off_the_opening() -> None:
    central = "He said the earthquake in L'Aquila killed 150 people in central Italy."
    bodies = [
        f"{central}\n\nThe earthquake in L'Aquila was strong.",
        f"{central}\n\nSchools in L'Aquila opened to 150 families.",
    ]
    summary = summarize_story([_article(b, f"Outlet {i}") for i, b in enumerate(bodies)]).text
    assert central in summary
    assert not summary.startswith("He ")


def test_story_summary_opens_with_a_long_sentence_rather_than_a_pronoun() -> None:
    body = "He said the quake was strong.\n\n" + split_sentences(WIRE)[0]
    summary = summarize_story([_article(body, "Daily Courier")], words=10).text
    assert summary.startswith("A magnitude 6.3 earthquake")


def test_story_summary_is_about_the_word_budget() -> None:
    summary = summarize_story(_story(), words=60).text
    assert 48 <= len(summary.split()) <= 72


def test_story_summary_prefers_sentences_with_facts() -> None:
    vague = "The flooding damaged many homes in the valley, officials said."
    factual = "The flooding damaged 300 homes in the valley, Mayor Rossi said."
    story = [_article(vague, "Daily Courier"), _article(factual, "Morning Herald")]
    assert summarize_story(story, words=10).text == factual


def test_story_summary_lists_the_outlets_of_its_sentences() -> None:
    story = _story()
    summary = summarize_story(story)
    assert summary.outlets[:2] == ["Daily Courier", "Morning Herald"]
    assert set(summary.outlets) <= {"Daily Courier", "Morning Herald", "World Radio"}


def test_story_summary_of_no_articles_is_empty() -> None:
    summary = summarize_story([])
    assert (summary.text, summary.outlets) == ("", [])


def _count(number: int, event: str, text: str, where: str | None) -> Count:
    return Count(number, approximate=text.startswith(("at", "nearly")), unit="people",
                 event=event, where=where, when=None, text=text)  # fmt: skip


def test_story_facts_give_largest_counts_a_quote_and_countries() -> None:
    first = Analysis(
        language="en",
        counts=[
            _count(100, "killed", "100 people were killed", None),
            _count(1500, "injured", "nearly 1,500 people were injured", None),
            _count(3, "arrested", "3 people were arrested", "Rome"),
        ],
        quotes=[
            Quote("This is a tragedy for our country", "Silvio Berlusconi", "said", "direct", 0, 9),
            Quote("rescue work will go on", "a fireman", "said", "indirect", 10, 20),
        ],
        focus_countries=["IT", "IR"],
    )
    second = Analysis(
        language="en",
        counts=[_count(150, "killed", "at least 150 people killed", "L'Aquila")],
        quotes=[Quote("We will rebuild", "Silvio Berlusconi", "told", "direct", 0, 5)],
        focus_countries=["IT"],
    )
    assert story_facts([first, second]) == [  # the dead first, though fewer than the injured
        "At least 150 people killed in L'Aquila",
        "Nearly 1,500 people injured",
        "Silvio Berlusconi: “This is a tragedy for our country”",
        "Countries: Italy, Iran",
    ]


def test_story_facts_of_analyses_without_facts_are_empty() -> None:
    assert story_facts([Analysis(language="en")]) == []


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _bbc_pairs(shared_data: Path) -> list[tuple[Article, str]]:
    """Three held-out BBC articles per category (numbers multiple of 3) and references."""
    folder = shared_data / "summaries" / "bbc"
    pairs = []
    for category in ("business", "entertainment", "politics", "sport", "tech"):
        for number in (3, 6, 9):
            name = f"{category}/{number:03}.txt"
            article = extract_text(_read(folder / "articles" / name))
            pairs.append((article, _read(folder / "summaries" / name)))
    return pairs


def _mean_rouge1(pairs: list[tuple[Article, str]], summaries: list[str]) -> float:
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    scores = [
        scorer.score(ref, s)["rouge1"].fmeasure
        for (_, ref), s in zip(pairs, summaries, strict=True)
    ]
    return sum(scores) / len(scores)


# On these articles ours scores 0.82, their first k sentences 0.66 and their last k 0.53.
ROUGE1_FLOOR = 0.75


def test_bbc_summaries_pass_a_rouge1_floor_that_lead_and_tail_fail(shared_data: Path) -> None:
    pairs = _bbc_pairs(shared_data)
    picks = []
    for article, reference in pairs:
        compact = "".join(reference.split())
        picks.append(sum("".join(s.split()) in compact for s in split_sentences(article.body)))
    ours = [summarize_article(a, sentences=k) for (a, _), k in zip(pairs, picks, strict=True)]
    bodies = [split_sentences(a.body) for a, _ in pairs]
    leads = [" ".join(b[:k]) for b, k in zip(bodies, picks, strict=True)]
    tails = [" ".join(b[-k:]) for b, k in zip(bodies, picks, strict=True)]
    assert _mean_rouge1(pairs, ours) >= ROUGE1_FLOOR
    assert _mean_rouge1(pairs, leads) < ROUGE1_FLOOR
    assert _mean_rouge1(pairs, tails) < ROUGE1_FLOOR
