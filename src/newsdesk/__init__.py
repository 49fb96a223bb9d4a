"""newsdesk: essential international news, every morning.

The package is a pipeline of stages (extract, ingest, store, ...) over the models in
:mod:`newsdesk.models`; the command line in :mod:`newsdesk.cli` is a thin shell over them.
"""

from newsdesk.errors import ConfigError, DeliveryError, NewsdeskError, SourceError, StoreError
from newsdesk.models import Article

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ConfigError",
    "DeliveryError",
    "NewsdeskError",
    "SourceError",
    "StoreError",
    "__version__",
]
