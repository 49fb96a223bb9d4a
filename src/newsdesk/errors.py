"""Every error newsdesk raises on purpose, grouped by who has to act.

    NewsdeskError            the root: the CLI prints it as "Error: <message>", no traceback
    ├── ConfigError          the operator: a setting or flag has a value that is not allowed
    ├── SourceError          the input: a file, line or page that cannot become an article
    ├── StoreError           the operator: the database cannot be reached or is not migrated
    └── DeliveryError        the operator or the reader: the SMTP server cannot be reached,
                             an address or preference is refused, a link is bad or expired

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


class DeliveryError(NewsdeskError):
    """Email cannot go out, or a subscriber's request cannot be honoured.

    The SMTP server refuses the login or cannot be reached; an address, time zone or other
    preference is not allowed; an emailed link is altered, expired or for a subscription
    that no longer exists. The message says which and what to do.
    """
