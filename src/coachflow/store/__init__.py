"""Event stores with optimistic concurrency: `MemoryStore` and `SQLStore`.

Inside, eventsourcing-style: a store (`EventStore`: save, load, erase, the feed) maps
events to rows (`_mapper`: JSON, upcasting, sealing) and hands them to one recorder per
database (`_memory`; `_sql` with a dialect per SQL database: `_sqlite`, `_postgres`),
over one table description (`_tables`).

``SQLStore`` runs on SQLAlchemy, imported only when `SQLStore` is first used.
SQLite needs nothing more; PostgreSQL needs psycopg 3 (``pip install
"coachflow[postgres]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coachflow._values.errors import StoreError, UnknownEngagement
from coachflow.store._memory import MemoryStore
from coachflow.store._records import Erasure, FeedItem, Summary
from coachflow.store._store import EventStore

if TYPE_CHECKING:
    from coachflow.store._sqlstore import MIGRATIONS, SCHEMA_VERSION, SchemaError, SQLStore

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Erasure",
    "EventStore",
    "FeedItem",
    "MemoryStore",
    "SQLStore",
    "SchemaError",
    "StoreError",
    "Summary",
    "UnknownEngagement",
]

_LAZY = {"SQLStore", "SchemaError", "SCHEMA_VERSION", "MIGRATIONS"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from coachflow.store import _sqlstore

        return getattr(_sqlstore, name)
    raise AttributeError(f"module 'coachflow.store' has no attribute {name!r}")
