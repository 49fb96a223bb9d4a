"""How person names are compared: within an article (analysis) and across a story's articles.

Its own module, free of spaCy, so that the stories and the web desk can use it without
loading the language pipeline.
"""

from __future__ import annotations


def name_words(name: str) -> tuple[str, ...]:
    """A name's words as names are compared: lower case, without full stops."""
    return tuple(word.lower().strip(".") for word in name.split())


def person_joins(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """A person mention joins a fuller name that contains all its words ("Obama")."""
    return len(short) < len(full) and set(short) <= set(full)
