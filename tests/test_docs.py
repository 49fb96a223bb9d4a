"""The README documents every command and setting, in prose and in the generated reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.config import settings_help
from newsdesk.docs import cli_reference, command_paths, settings_reference

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
_PROSE = README.split("### Reference")[0]


@pytest.mark.parametrize("path", [" ".join(p) for p in command_paths()])
def test_every_command_is_described_in_prose(path: str) -> None:
    assert f"newsdesk {path}" in _PROSE, f"README describes no `newsdesk {path}`"


def test_generated_reference_is_current() -> None:
    assert cli_reference() in README, "run `make docs` to regenerate the CLI reference"
    assert settings_reference() in README, "run `make docs` to regenerate the settings table"


@pytest.mark.parametrize("name", [name for name, _, _ in settings_help()])
def test_every_setting_has_help(name: str) -> None:
    assert f"`NEWSDESK_{name.upper()}`" in README
