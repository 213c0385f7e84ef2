"""The journal's storage: one engine per journal, one session per unit of work.

`Store` and `open_store` are imported from store.py on first use, so that
`relog.store.names`, which reads client names without SQLAlchemy, can be
imported without loading SQLAlchemy first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from relog.store.store import Store, open_store

__all__ = ["Store", "open_store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from relog.store import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
