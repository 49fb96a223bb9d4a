"""Fixtures for extraction tests: the shared scorer, and every shared page extracted once.

The scorer is loaded from `../shared/eval/eval_extraction.py` so that the F1 we assert is
the figure the shared scorer reports, not a re-implementation of it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from newsdesk.errors import SourceError
from newsdesk.extract import extract_html
from newsdesk.models import Article

SHARED = Path(__file__).resolve().parent.parent.parent.parent / "shared"
SCORER = SHARED / "eval" / "eval_extraction.py"


def load_scorer() -> ModuleType:
    """Import the shared scorer from its path."""
    if not SCORER.exists():
        pytest.fail(f"shared scorer missing: {SCORER}")
    spec = importlib.util.spec_from_file_location("eval_extraction", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def scorer() -> ModuleType:
    """The shared extraction scorer (`load_pages`, `evaluate`)."""
    return load_scorer()


def _extract_set(scorer: ModuleType, folder: Path) -> dict[str, tuple[Article | None, str]]:
    """Every page of a shared set: our article (None when we refused it) and the reference."""
    _, pages = scorer.load_pages(str(folder))
    results: dict[str, tuple[Article | None, str]] = {}
    for key, load, reference in pages:
        try:
            results[key] = (extract_html(load()), reference)
        except SourceError:
            results[key] = (None, reference)
    return results


@pytest.fixture(scope="session")
def readability_pages(
    scorer: ModuleType, shared_data: Path
) -> dict[str, tuple[Article | None, str]]:
    """The 32 readability test pages, extracted."""
    return _extract_set(scorer, shared_data / "html" / "readability")


@pytest.fixture(scope="session")
def newspaper_pages(scorer: ModuleType, shared_data: Path) -> dict[str, tuple[Article | None, str]]:
    """The newspaper test pages that have a reference text, extracted."""
    return _extract_set(scorer, shared_data / "html" / "newspaper")
