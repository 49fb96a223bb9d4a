"""Each package's `__all__` lists exactly its public names (httpx does the same)."""

from __future__ import annotations

import importlib
import inspect

import pytest

PACKAGES = [
    "newsdesk",
    "newsdesk.briefing",
    "newsdesk.deliver",
    "newsdesk.extract",
    "newsdesk.ingest",
    "newsdesk.store",
    "newsdesk.stories",
    "newsdesk.web",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_lists_every_public_name(name: str) -> None:
    package = importlib.import_module(name)
    public = {
        attribute
        for attribute, value in vars(package).items()
        if not attribute.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(package.__all__) - {"__version__"}
