"""Prominent actors: heads of state and government, and international bodies.

A person is prominent in an article when a head-of-state or head-of-government title stands
right before one of their mentions ("President Barack Obama", "Prime Minister Modi"), and
neither "former", "vice" nor "deputy" qualifies it. An organisation is prominent when it is
one of the international bodies listed in `data/international_bodies.txt`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from newsdesk.models import Analysis

_TITLE_BEFORE_NAME = re.compile(
    r"(?<![Vv]ice )(?<![Vv]ice-)(?<![Dd]eputy )(?<![Ff]ormer )(?<![Ee]x-)"
    r"\b(?:President|Prime Minister|Premier|Chancellor|King|Queen|Emperor|Pope|"
    r"Supreme Leader|Crown Prince|Emir|Sultan|Secretary[- ]General)"
    r"\s+(?:[A-Z][\w.'-]*\s+){0,2}$"
)
_LOOK_BACK = 60  # characters before a mention searched for a title


@cache
def _bodies() -> dict[str, str]:
    """Every name and alias of the listed bodies, lower-cased, to the body's name."""
    text = resources.files("newsdesk.stories").joinpath("data/international_bodies.txt")
    names: dict[str, str] = {}
    for line in text.read_text(encoding="utf8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        aliases = [alias.strip() for alias in line.split("|")]
        for alias in aliases:
            names[alias.lower()] = aliases[0]
    return names


def international_body(name: str) -> str | None:
    """The listed international body this organisation name is, if any.

    Args:
        name: an organisation's name as the analysis gives it.

    Returns:
        The body's main name ("United Nations" for "the U.N."), or None.
    """
    key = name.strip().lower().removeprefix("the ").strip()
    return _bodies().get(key)


def prominent_actors(body: str, analysis: Analysis) -> set[str]:
    """The heads of state or government and international bodies one article involves.

    Args:
        body: the article's body (the analysis' offsets refer to it).
        analysis: its analysis.

    Returns:
        Names of the prominent people and bodies.
    """
    found = {
        body_name for org in analysis.organizations if (body_name := international_body(org.name))
    }
    for person in analysis.people:
        if any(_TITLE_BEFORE_NAME.search(body[max(0, start - _LOOK_BACK) : start])
               for start, _ in person.offsets):  # fmt: skip
            found.add(person.name)
    return found
