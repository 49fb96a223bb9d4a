"""Online story clustering: same event joins, same kind elsewhere or another year does not."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.stories import ClusterOptions, StoryClusterer, StoryItem
from newsdesk.stories.cluster import _counted_numbers, _terms

DAY = datetime(2026, 1, 1, tzinfo=UTC)


_REPORTS = {
    ("L'Aquila", "2009"): (
        "Earthquake kills dozens in L'Aquila",
        "A strong earthquake struck the mountain city of L'Aquila before dawn, killing dozens "
        "and collapsing medieval churches. Prime Minister Silvio Berlusconi declared a state "
        "of emergency in 2009 as firefighters searched the rubble of student dormitories.",
    ),
    ("Port-au-Prince", "2010"): (
        "Quake flattens Port-au-Prince",
        "A magnitude 7.0 quake flattened much of Port-au-Prince, burying thousands under "
        "collapsed slums in 2010. The presidential palace crumbled and the United Nations "
        "mission lost its headquarters; aid flights queued at the damaged airport.",
    ),
    ("Tabriz", "2012"): (
        "Twin earthquakes kill hundreds near Tabriz",
        "Twin earthquakes struck villages near Tabriz in August 2012, killing hundreds of "
        "people in mud-brick homes. The Red Crescent set up tents for thousands of survivors "
        "as rescuers dug through the rubble of collapsed villages.",
    ),
    ("Tabriz", "2005"): (
        "Tremor shakes Tabriz, schools closed",
        "A moderate tremor shook Tabriz in 2005, cracking walls and sending residents into "
        "the streets overnight. The governor closed schools for two days while engineers "
        "inspected bridges; two people were treated for minor injuries.",
    ),
}
_COUNTRIES = {"L'Aquila": "IT", "Port-au-Prince": "HT", "Tabriz": "IR"}


def _quake(place: str, year: str, day: int = 0, lead: str = "") -> StoryItem:
    title, text = _REPORTS[(place, year)]
    return StoryItem(
        title=title,
        text=lead + text,
        places=(place, _COUNTRIES[place]),
        dates=(year,),
        published=DAY + timedelta(days=day),
    )


def test_same_event_joins_and_another_place_opens_a_story() -> None:
    clusterer = StoryClusterer()
    first = clusterer.add(_quake("L'Aquila", "2009"))
    again = clusterer.add(_quake("L'Aquila", "2009", day=1, lead="Aftershocks rattled Rome. "))
    other = clusterer.add(_quake("Port-au-Prince", "2010"))
    assert (first, again) == (0, 0)
    assert other == 1


def test_a_grown_story_asks_more_of_a_newcomer() -> None:
    """The same follow-up joins a one-report story but not one grown to 64 reports."""
    follow_up = _quake("L'Aquila", "2009", day=1, lead="Aftershocks rattled Rome. ")
    for size, joins in ((1, True), (64, False)):
        clusterer = StoryClusterer(ClusterOptions(growth=0.2))
        for _ in range(size):
            clusterer.join(_quake("L'Aquila", "2009"), 0)
        assert (clusterer.add(follow_up) == 0) is joins


def test_same_place_another_year_opens_a_story() -> None:
    clusterer = StoryClusterer()
    assert clusterer.add(_quake("Tabriz", "2012")) == 0
    assert clusterer.add(_quake("Tabriz", "2005")) == 1


def test_quiet_story_retires_after_the_window() -> None:
    clusterer = StoryClusterer(ClusterOptions(quiet_days=7))
    clusterer.add(_quake("L'Aquila", "2009"))
    assert clusterer.active_stories == [0]
    late = clusterer.add(_quake("L'Aquila", "2009", day=30))
    assert late == 1
    assert clusterer.active_stories == [1]


def test_candidates_come_from_the_index() -> None:
    clusterer = StoryClusterer()
    clusterer.add(_quake("L'Aquila", "2009"))
    clusterer.add(
        StoryItem(
            title="Central bank raises interest rates",
            text="The central bank raised its benchmark rate by a quarter point on Thursday.",
            organizations=("European Central Bank",),
        )
    )
    assert clusterer.candidates(_quake("L'Aquila", "2009")) == {0}
    budget = StoryItem(title="Parliament passes budget", text="Lawmakers voted the budget.")
    assert clusterer.candidates(budget) == set()


_PIRATES = "The navy said its commandos captured the pirates after they attacked a merchant ship."


def _pirates(
    title: str = "Navy captures pirates",
    people: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
    published: datetime | None = None,
) -> StoryItem:
    """The same words each time (digits are not terms): only the evidence differs."""
    return StoryItem(
        title, _PIRATES, people=people, places=places, dates=dates, published=published
    )


def _scores(
    first: StoryItem, *probes: StoryItem, options: ClusterOptions | None = None
) -> list[float]:
    """Scores of the probes against the story the first item opened."""
    clusterer = StoryClusterer(options)
    story = clusterer.add(first)
    return [clusterer.score(probe, story) for probe in probes]


def test_a_name_counts_more_than_a_word_that_opens_a_sentence() -> None:
    counts = _terms(
        StoryItem(title="", text="Rescuers reached Qeshm. Rescuers said Qeshm was hit."),
        ClusterOptions(name_weight=3.0),
    )
    assert counts["qeshm"] == 6.0
    assert counts["rescuers"] == 2.0


def test_people_by_surname_count_for_and_other_people_against() -> None:
    options = ClusterOptions()
    agree, alone, other = _scores(
        _pirates(people=("Tara Reid",)),
        _pirates(people=("Reid",)),
        _pirates(),
        _pirates(people=("Lindsay Lohan",)),
    )
    assert agree - alone == pytest.approx(options.people_weight)
    assert alone - other == pytest.approx(options.people_penalty)


def test_places_count_for_and_against_but_countries_alone_do_not() -> None:
    options = ClusterOptions()
    agree, alone, other, country = _scores(
        _pirates(places=("Aden", "YE")),
        _pirates(places=("Aden",)),
        _pirates(),
        _pirates(places=("Mombasa", "KE")),
        _pirates(places=("YE",)),
    )
    assert agree - alone == pytest.approx(options.place_weight)
    assert alone - other == pytest.approx(options.place_penalty)
    assert country == pytest.approx(alone)


def test_a_lead_number_in_common_counts_for_and_another_against() -> None:
    options = ClusterOptions()
    same, none, other, body_same, body_other = _scores(
        _pirates("Navy captures 23 pirates"),
        _pirates("Navy captures 23 pirates"),
        _pirates("Navy captures pirates"),
        _pirates("Navy captures 26 pirates"),
        StoryItem("Navy captures pirates", f"{_PIRATES}\nAnother 23 fled."),
        StoryItem("Navy captures pirates", f"{_PIRATES}\nAnother 26 fled."),
    )
    assert same - none == pytest.approx(options.number_weight)
    assert none - other == pytest.approx(options.number_penalty)
    assert body_same == pytest.approx(body_other)  # the lead is the headline and first sentence


def test_a_figure_counts_against_within_a_news_cycle_only() -> None:
    """The next day's report may carry a risen toll: differing figures are no conflict then."""
    options = ClusterOptions()
    first = _pirates("Navy captures 23 pirates", published=DAY)
    for hours, conflict in ((2, True), (36, False)):
        later = DAY + timedelta(hours=hours)
        other, none = _scores(
            first,
            _pirates("Navy captures 26 pirates", published=later),
            _pirates("Navy captures pirates", published=later),
        )
        factor = 0.5 ** (hours / 24 / options.half_life_days)
        assert none - other == pytest.approx(options.number_penalty * factor if conflict else 0)


@pytest.mark.parametrize(
    ("lead", "numbers"),
    [
        ("Indian Navy foils attack, nabs 26 pirates", {"26"}),
        ("Quake of magnitude 5.6 hits Qeshm", {"5.6"}),
        ("Navy captures pirates in 2008", set()),
        ("Updated: November 11, 2011 20: 09 IST", set()),
        ("POSTED: 04 / 02 / 07, 9: 00 PM PDT", set()),
        ("18 September 2013 Last updated at 13:59 GMT", set()),
        ("Mumbai, Nov 11 - the navy captured 26 pirates", {"26"}),
    ],
)
def test_years_dates_and_times_are_no_counted_numbers(lead: str, numbers: set[str]) -> None:
    """They tell when a report was filed, not what happened."""
    assert _counted_numbers(lead) == numbers


def test_the_people_a_lead_names_count_for_and_other_lead_people_against() -> None:
    """Whom the report is about: "Reid" and "Lohan" are in the headline, "Nambiar" is not."""
    options = ClusterOptions()
    title = "Navy captures pirates, Reid and Lohan watch"
    agree, alone, other, body = _scores(
        _pirates(title, people=("Tara Reid",)),
        _pirates(title, people=("Reid",)),
        _pirates(title),
        _pirates(title, people=("Lindsay Lohan",)),
        _pirates(title, people=("Manohar Nambiar",)),
    )
    assert agree - alone == pytest.approx(options.people_weight + options.lead_weight)
    assert alone - other == pytest.approx(options.people_penalty + options.lead_penalty)
    assert alone - body == pytest.approx(options.people_penalty)


def test_a_weekday_in_common_counts_for_and_another_against() -> None:
    """Scored with and without weekday evidence: the weekday is also a word of the text."""
    first = StoryItem("Navy captures pirates", f"{_PIRATES} It happened on Saturday.")
    probes = [
        StoryItem("Navy captures pirates", f"{_PIRATES} It happened on {day}.")
        for day in ("Saturday", "Sunday")
    ]
    options = ClusterOptions()
    plain = ClusterOptions(weekday_weight=0.0, weekday_penalty=0.0)
    same, other = _scores(first, *probes, options=options)
    same_plain, other_plain = _scores(first, *probes, options=plain)
    assert same - same_plain == pytest.approx(options.weekday_weight)
    assert other_plain - other == pytest.approx(options.weekday_penalty)


def test_a_year_in_common_counts_for_and_a_later_era_against() -> None:
    options = ClusterOptions()
    same, alone, next_year, later, headline = _scores(
        _pirates(dates=("2008-11-18",)),
        _pirates(dates=("2008",)),
        _pirates(),
        _pirates(dates=("2009-01",)),
        _pirates(dates=("2011", "2013")),
        _pirates("Navy captures pirates in 2013"),
    )
    assert same - alone == pytest.approx(options.year_weight)
    assert next_year == pytest.approx(alone)  # written within a year: no conflict
    assert alone - later == pytest.approx(options.era_penalty)
    assert headline == pytest.approx(later)  # the headline's year counts as one mentioned


def _bcubed_f1(pred: list[int], gold: list[str]) -> float:
    spec = importlib.util.spec_from_file_location(
        "eval_stories", Path(__file__).parents[3] / "shared" / "eval" / "eval_stories.py"
    )
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    return float(scorer.bcubed(pred, gold)[2])


def test_ecbplus_topics_one_to_five_on_words_alone(shared_data: Path) -> None:
    """Title and text only (no analysis, to stay fast); each topic holds two events."""
    with (shared_data / "stories" / "ecbplus.jsonl").open(encoding="utf8") as f:
        records = [r for r in map(json.loads, f) if r["topic"] <= 5]
    clusterer = StoryClusterer()
    pred = [clusterer.add(StoryItem(title=r["title"], text=r["text"])) for r in records]
    assert _bcubed_f1(pred, [r["story"] for r in records]) >= 0.82  # reaches 0.829


def test_only_the_stories_sharing_the_most_keys_are_candidates() -> None:
    """However many stories share a word with the item, at most `max_candidates` are scored,
    and the one sharing the most keys is among them."""
    clusterer = StoryClusterer(ClusterOptions(max_candidates=3))
    for day in range(10):
        clusterer.join(_insurers(day), day)
    clusterer.join(_quake("L'Aquila", "2009"), 10)
    item = _quake("L'Aquila", "2009", day=1)
    assert len(StoryClusterer().candidates(item)) == 0  # (nothing to find in an empty one)
    assert len(clusterer.candidates(item)) == 3 and 10 in clusterer.candidates(item)
    wide = StoryClusterer(ClusterOptions(max_candidates=50))
    for story_id in range(10):
        wide.join(_insurers(story_id), story_id)
    assert len(wide.candidates(item)) == 10


def _insurers(day: int) -> StoryItem:
    """A market report that names the quake's city, and little else of it."""
    title = f"Insurers' shares fall, day {day}"
    return StoryItem(title=title, text="Claims weigh on insurers.", places=("L'Aquila",))


def test_a_tie_at_the_candidate_cut_goes_to_the_newer_stories() -> None:
    """Ten stories share the same keys with the item: the three newest are scored, whatever
    order string hashing lists the keys in."""
    clusterer = StoryClusterer(ClusterOptions(max_candidates=3))
    for story_id in range(10):
        clusterer.join(_insurers(story_id), story_id)
    assert clusterer.candidates(_insurers(99)) == {7, 8, 9}
