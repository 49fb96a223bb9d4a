"""Every error newsdesk raises on purpose, grouped by who has to act.

    NewsdeskError            the root: the CLI prints it as "Error: <message>", no traceback
    ├── ConfigError          the operator: a setting or flag has a value that is not allowed
    ├── SourceError          the input: a file, line or page that cannot become an article
    └── StoreError           the operator: the database cannot be reached or is not migrated

Each message names the input and, where there is one, the fix.
"""


class NewsdeskError(Exception):
    """Root of newsdesk's own errors."""


class ConfigError(NewsdeskError):
    """A setting has a value that is not allowed; the message names the key and the value."""


class SourceError(NewsdeskError):
    """One input cannot become an article (unreadable, empty, too large, no article in it)."""


class StoreError(NewsdeskError):
    """The database cannot be opened, migrated or written."""
