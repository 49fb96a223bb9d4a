"""`newsdesk serve`: registered, documented, and its --hash-password helper."""

from __future__ import annotations

from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.web.security import verify_password


def test_hash_password_prints_a_hash_of_what_was_typed():
    result = CliRunner().invoke(app, ["serve", "--hash-password"], input="s3cret\ns3cret\n")
    assert result.exit_code == 0, result.output
    printed = result.output.strip().splitlines()[-1]
    assert printed.startswith("scrypt$")
    assert verify_password("s3cret", printed)
    assert not verify_password("other", printed)


def test_hash_password_wants_the_password_twice_alike():
    result = CliRunner().invoke(app, ["serve", "--hash-password"], input="one\ntwo\n")
    assert result.exit_code == 1
    assert "scrypt$" not in result.output


def test_serve_is_documented():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output
    assert "/openapi.json" in result.output
