"""The gazetteer is built once and kept in the user's cache folder; a bad cache only costs a
rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.analyze import gazetteer as module
from newsdesk.analyze.gazetteer import Gazetteer, gazetteer, name_key


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[int]]:
    """A cache folder of this test's own; counts the builds."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    builds: list[int] = []
    real_build = module._build

    def counting_build() -> Gazetteer:
        builds.append(1)
        return real_build()

    monkeypatch.setattr(module, "_build", counting_build)
    gazetteer.cache_clear()
    yield builds
    gazetteer.cache_clear()


def _mexico(found: Gazetteer) -> str | None:
    return next(entry.country_code for entry in found.names[name_key("Mexico")])


def test_the_built_gazetteer_is_read_back_from_the_cache(fresh: list[int]) -> None:
    built = gazetteer()
    assert module._cache_file().exists() and len(fresh) == 1
    gazetteer.cache_clear()
    cached = gazetteer()
    assert len(fresh) == 1  # read, not built again
    assert cached.names.keys() == built.names.keys() and _mexico(cached) == "MX"


def test_a_damaged_cache_file_is_rebuilt(fresh: list[int]) -> None:
    path = module._cache_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert _mexico(gazetteer()) == "MX" and len(fresh) == 1
    gazetteer.cache_clear()
    gazetteer()
    assert len(fresh) == 1  # the rebuilt one replaced the damaged file


def test_an_unwritable_cache_folder_only_means_building(
    fresh: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _mexico(gazetteer()) == "MX"
    assert not module._cache_file().exists() and len(fresh) == 1
