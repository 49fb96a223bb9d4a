"""A story's headline: the title most like the others."""

from __future__ import annotations

from newsdesk.stories.headline import representative_title


def test_the_medoid_title_wins_over_an_outlier() -> None:
    titles = [
        "BREAKING: Strong quake shakes region",
        "Earthquake kills 150 in central Italy",
        "Italy earthquake kills at least 150",
        "Central Italy earthquake: 150 killed, thousands homeless",
    ]
    assert representative_title(titles) == "Earthquake kills 150 in central Italy"


def test_ties_go_to_the_first_title_and_no_titles_give_none() -> None:
    assert representative_title(["Alpha beta", "Gamma delta"]) == "Alpha beta"
    assert representative_title([]) == ""
