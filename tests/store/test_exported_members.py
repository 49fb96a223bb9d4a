"""newsdesk.store's `__all__` lists exactly its public names."""

from __future__ import annotations

import inspect

import newsdesk.store


def test_all_lists_every_public_name() -> None:
    public = {
        name
        for name, value in vars(newsdesk.store).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(newsdesk.store.__all__)
