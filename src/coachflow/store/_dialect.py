"""What differs between SQL databases, behind one small interface: a dialect.

The store's logic (`coachflow.store._sql`) never asks which database it runs on; it
asks its dialect. One module per database says how that one behaves
(`coachflow.store._sqlite`, `coachflow.store._postgres`); this base is plain SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import URL

__all__ = ["Dialect"]


class Dialect:
    """How one kind of database is driven. The defaults are plain SQL."""

    #: What ends a save's read of the stored version: a row lock held to commit, where
    #: the database locks rows that way (a concurrent save then waits, then conflicts).
    lock = " FOR UPDATE"

    def configure(self, url: URL, options: dict[str, Any], *, create: bool) -> None:
        """Adjust the engine *options* for *url* (and refuse what cannot work) before the
        engine is made; *create* says whether a new database may be made."""

    def prepare(self, engine: Engine) -> None:
        """Set up *engine* once it is made (connection settings, transaction begins)."""

    def begin(self, driver: Any) -> None:
        """Begin a save's transaction on the *driver*'s connection, where the driver
        does not begin one by itself."""

    def value(self, value: object) -> object:
        """A value as the driver's plain SQL takes it (dates as the database keeps them)."""
        return value

    def lock_writes(self, connection: Any) -> None:
        """Keep other writers out of the store until *connection*'s transaction ends
        (a writer's transaction on SQLite does so already)."""

    def before_erasure(self, engine: Engine, timeout: float) -> None:
        """Before an erasure writes anything: wait up to *timeout* seconds for the
        transactions that could keep the old rows readable to end; `StoreError` naming
        them when they do not (nothing is written then)."""

    def mark(self, connection: Any) -> str | None:
        """Inside an erasure's transaction: what `forget_old_pages` needs to know of it."""
        return None

    def forget_old_pages(self, engine: Engine, timeout: float, mark: str | None = None) -> None:
        """After an erasure (its *mark*): leave no copy of the rewritten rows in the
        database's files, waiting up to *timeout* seconds for older snapshots to end."""
