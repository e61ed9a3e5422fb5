"""Event stores with optimistic concurrency: `MemoryStore` and `SQLStore`.

``SQLStore`` runs on SQLAlchemy, imported only when `SQLStore` is first used.
SQLite needs nothing more; PostgreSQL needs psycopg 3 (``pip install
"coachflow[postgres]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coachflow._values.errors import StoreError, UnknownEngagement
from coachflow.store._base import Erasure, EventStore, FeedItem, Summary
from coachflow.store._memory import MemoryStore

if TYPE_CHECKING:
    from coachflow.store._sql import MIGRATIONS, SCHEMA_VERSION, SchemaError, SQLStore

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
        from coachflow.store import _sql

        return getattr(_sql, name)
    raise AttributeError(f"module 'coachflow.store' has no attribute {name!r}")
