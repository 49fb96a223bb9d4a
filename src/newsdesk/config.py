"""Settings: each declared once with its default and help; later sources override earlier.

Order of precedence, lowest first: the defaults below, a TOML file (`--config FILE` or
`NEWSDESK_CONFIG`), `NEWSDESK_<NAME>` environment variables, command-line flags. A file
that sets some keys leaves the others at their defaults. Values are checked on load and a
bad one raises :class:`ConfigError` naming the key, the value and what is allowed.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from newsdesk.errors import ConfigError


def default_database_url() -> str:
    """A SQLite file under the user's data directory (created on first use)."""
    data_dir = Path(platformdirs.user_data_dir("newsdesk"))
    return f"sqlite:///{data_dir / 'newsdesk.db'}"


def _setting(default: Any, help: str) -> Any:
    """Declare a setting: its default and the one line of help the README shows."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The settings in force, after defaults, file, environment and flags are merged.

    Each field is one setting; its metadata carries the help line (see `settings_help`).
    """

    db: str = _setting(
        "", "database URL: sqlite:///PATH or postgresql://...; empty = user data dir"
    )
    max_input_bytes: int = _setting(20_000_000, "inputs larger than this many bytes are refused")
    workers: int = _setting(0, "extraction processes for batches; 0 = one per core")
    fetch_allow: str = _setting(
        "", "hosts or CIDR ranges that may be fetched though private, comma-separated"
    )
    fetch_contact: str = _setting(
        "https://github.com/newsdesk/newsdesk", "contact URL sent in the User-Agent"
    )
    fetch_timeout: float = _setting(20.0, "seconds before a request is given up")
    fetch_max_bytes: int = _setting(10_000_000, "responses larger than this are refused")
    fetch_min_delay: float = _setting(1.0, "seconds between two requests to the same host")
    base_url: str = _setting(
        "http://localhost:8000", "public address of the web desk, for links in emails"
    )
    secret_key: str = _setting(
        "", "key that signs email links; empty = one generated and kept in the database"
    )
    mail_from: str = _setting("newsdesk <newsdesk@localhost>", "From address of every email")
    smtp_host: str = _setting("localhost", "SMTP server that sends the briefings")
    smtp_port: int = _setting(25, "SMTP port (587 for STARTTLS, 465 for TLS)")
    smtp_security: str = _setting("none", "starttls, tls or none")
    smtp_user: str = _setting("", "SMTP user name; empty = no login")
    smtp_password: str = _setting("", "SMTP password (better set as NEWSDESK_SMTP_PASSWORD)")
    smtp_rate: float = _setting(5.0, "most emails sent per second")
    owner_password_hash: str = _setting(
        "", "scrypt hash of the owner's password (`newsdesk serve --hash-password`); empty = none"
    )
    subscribe_per_hour: int = _setting(
        5, "subscribe requests the web desk takes per client address per hour; 0 = no limit"
    )
    login_per_hour: int = _setting(
        10, "owner login attempts the web desk takes per client address per hour; 0 = no limit"
    )

    @property
    def database_url(self) -> str:
        """The database to use: the `db` setting, else the default SQLite file."""
        return self.db or default_database_url()


def settings_help() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every setting, in declaration order."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(Settings)]


def load_settings(
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge defaults, the TOML file, `NEWSDESK_*` variables and flag overrides.

    Args:
        config_file: a TOML file; None reads `NEWSDESK_CONFIG` if set.
        environ: the environment to read (default: `os.environ`).
        overrides: values from flags; None values are ignored.

    Returns:
        The validated settings.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or environ.get("NEWSDESK_CONFIG")
    if path:
        values.update(_read_toml(Path(path)))
    for name in _SETTING_TYPES:
        env_value = environ.get(f"NEWSDESK_{name.upper()}")
        if env_value is not None:
            values[name] = env_value
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return replace(Settings(), **{k: _coerce(k, v) for k, v in values.items()})


def _read_toml(path: Path) -> dict[str, Any]:
    """Read a config file, naming it in any error."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"config file {path} cannot be read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from error
    unknown = sorted(set(data) - set(_SETTING_TYPES))
    if unknown:
        known = ", ".join(_SETTING_TYPES)
        raise ConfigError(f"config file {path}: unknown setting {unknown[0]!r}; known: {known}")
    return data


def _coerce(name: str, value: Any) -> Any:
    """Convert a value to its setting's type, or explain what is allowed."""
    kind = _SETTING_TYPES[name]
    if kind not in _NUMBERS:
        allowed = _CHOICES.get(name)
        if allowed and str(value) not in allowed:
            raise ConfigError(f"setting {name}={value!r}: expected one of {', '.join(allowed)}")
        return str(value)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name}={value!r}: expected {_NUMBERS[kind]}") from None
    if number < 0:
        raise ConfigError(f"setting {name}={value!r}: must not be negative")
    return number


_NUMBERS: dict[type, str] = {int: "a whole number", float: "a number"}
_CHOICES: dict[str, tuple[str, ...]] = {"smtp_security": ("starttls", "tls", "none")}
_SETTING_TYPES: dict[str, type] = {f.name: type(f.default) for f in fields(Settings)}
