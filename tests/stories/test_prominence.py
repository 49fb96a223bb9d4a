"""Prominent actors: heads of state and government by their title, international bodies."""

from __future__ import annotations

import pytest

from newsdesk.models import Analysis, Entity
from newsdesk.stories.prominence import international_body, prominent_actors


def _person(body: str, name: str, mention: str) -> Entity:
    start = body.index(mention)
    return Entity(name, 1, [(start, start + len(mention))])


@pytest.mark.parametrize(
    ("body", "mention", "prominent"),
    [
        ("President Barack Obama said on Monday.", "Barack Obama", True),
        ("Prime Minister Narendra Modi visited Dhaka.", "Narendra Modi", True),
        ("U.N. Secretary-General Ban Ki-moon urged calm.", "Ban Ki-moon", True),
        ("President Felipe Calderon said the war goes on.", "Calderon", True),
        ("Vice President Joe Biden spoke to reporters.", "Joe Biden", False),
        ("Former President George W. Bush attended.", "George W. Bush", False),
        ("Deputy Prime Minister Nick Clegg met them.", "Nick Clegg", False),
        ("The actor Lindsay Lohan entered rehab.", "Lindsay Lohan", False),
    ],
)
def test_a_head_of_state_or_government_is_named_by_title(
    body: str, mention: str, prominent: bool
) -> None:
    analysis = Analysis(language="en", people=[_person(body, mention, mention)])
    assert (mention in prominent_actors(body, analysis)) is prominent


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("the U.N.", "United Nations"),
        ("UN Security Council", "United Nations"),
        ("Nato", "NATO"),
        ("the European Commission", "European Union"),
        ("IMF", "International Monetary Fund"),
        ("Ministry of Health", None),
        ("Reuters", None),
    ],
)
def test_international_bodies_by_any_of_their_names(name: str, body: str | None) -> None:
    assert international_body(name) == body
