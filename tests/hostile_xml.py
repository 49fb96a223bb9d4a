"""Hostile XML for the tests: the same attacks wrapped in whatever document each parser reads."""

from __future__ import annotations


def billion_laughs(doctype: str, body: str) -> bytes:
    """A "billion laughs" document: nine levels of entities, ten each, expanding to 10⁹ "lol"s.

    `doctype` is the root element's name; `body` is the document after the DOCTYPE and may
    use `&lol9;` wherever a parser would expand it.
    """
    entities = ['<!ENTITY lol "lol">', '<!ENTITY lol1 "' + "&lol;" * 10 + '">']
    entities += [f'<!ENTITY lol{n} "' + f"&lol{n - 1};" * 10 + '">' for n in range(2, 10)]
    declarations = "\n  ".join(entities)
    return f'<?xml version="1.0"?>\n<!DOCTYPE {doctype} [\n  {declarations}\n]>\n{body}'.encode()
