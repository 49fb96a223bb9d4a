"""The web desk: the briefing, stories, articles, people and places, search, subscriptions.

`create_app(store, settings)` builds the FastAPI app that `newsdesk serve` runs under
uvicorn: server-rendered pages that need no JavaScript (`pages`, `search`, `readers`,
`owner`), a JSON API under `/api/` (`api`), and the security around them (`security`,
`guards`).
"""

from newsdesk.web.app import create_app

__all__ = ["create_app"]
