"""`newsdesk.deliver` lists exactly its public names in `__all__` (as every package does)."""

from __future__ import annotations

import inspect

import newsdesk.deliver


def test_all_lists_every_public_name() -> None:
    public = {
        name
        for name, value in vars(newsdesk.deliver).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(newsdesk.deliver.__all__)
