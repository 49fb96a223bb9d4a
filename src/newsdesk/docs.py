"""Generated documentation: the CLI reference and the settings table in the README.

`cog` runs these from README.md (`make docs` rewrites, CI checks with `cog --check`), so
the manual cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.config import settings_help

_WIDTH = 100


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as the words a user types after `newsdesk`."""
    root = typer.main.get_command(app)
    return [path for path in _walk(root, []) if path]


def _walk(command: Any, path: list[str]) -> list[list[str]]:
    """The paths of a command and, for a group, of everything below it."""
    paths = [path]
    subcommands = getattr(command, "commands", {})
    for name in sorted(subcommands):
        paths.extend(_walk(subcommands[name], [*path, name]))
    return paths


def cli_reference() -> str:
    """Markdown: the `--help` of the root and of every command, in order."""
    runner = CliRunner()
    sections = []
    for path in [[], *command_paths()]:
        result = runner.invoke(
            app, [*path, "--help"], prog_name="newsdesk", terminal_width=_WIDTH, color=False
        )
        title = " ".join(["newsdesk", *path])
        sections.append(f"#### `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n" + "\n".join(sections)


def settings_reference() -> str:
    """Markdown: a table of every setting, its environment variable, default and help."""
    rows = ["| setting | environment | default | what it does |", "|---|---|---|---|"]
    for name, default, help_text in settings_help():
        shown = f"`{default}`" if default != "" else "(empty)"
        rows.append(f"| `{name}` | `NEWSDESK_{name.upper()}` | {shown} | {help_text} |")
    return "\n" + "\n".join(rows) + "\n"


def default_sources_table() -> str:
    """Markdown: the default feeds, by region."""
    from newsdesk.ingest.registry import default_sources

    rows = ["| region | source | feed |", "|---|---|---|"]
    for source in sorted(default_sources(), key=lambda s: (s["region"], s["name"])):
        rows.append(f"| {source['region']} | {source['name']} | <{source['url']}> |")
    return "\n" + "\n".join(rows) + "\n"
