"""The journal's storage: one engine per journal, one session per unit of work."""

from relog.store.store import Store, open_store

__all__ = ["Store", "open_store"]
