"""SQLite: the embedded default, in WAL mode."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL

from coachflow._values.errors import StoreError
from coachflow.store._dialect import Dialect

__all__ = ["SQLite"]


class SQLite(Dialect):
    """WAL, a busy timeout (``connect_args={"timeout": seconds}``, default 60),
    transactions that take the write lock up front, and freed bytes overwritten
    (``secure_delete``)."""

    lock = ""  # a save's BEGIN IMMEDIATE holds the one write lock already

    def __init__(self) -> None:
        self.busy_ms = 60_000

    def configure(self, url: URL, options: dict[str, Any], *, create: bool) -> None:
        arguments = options.setdefault("connect_args", {})
        arguments.setdefault("timeout", 60)  # how long to wait for the write lock, in seconds
        self.busy_ms = round(float(arguments["timeout"]) * 1000)
        path = url.database
        if not create and path and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"no SQLite database at {path} (create=False creates none)")

    def prepare(self, engine: Engine) -> None:
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # let BEGIN below start transactions
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={self.busy_ms}")
            cursor.execute("PRAGMA secure_delete=ON")  # freed bytes are overwritten, not left
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            # a writer takes the write lock up front (no deadlock upgrading a read lock);
            # a reader begins deferred and, in WAL mode, never waits behind a writer
            writes = connection.get_execution_options().get("coachflow_writes", False)
            driver: Any = connection.connection.driver_connection
            driver.execute("BEGIN IMMEDIATE" if writes else "BEGIN")

    def begin(self, driver: Any) -> None:
        driver.execute("BEGIN IMMEDIATE")

    def value(self, value: object) -> object:
        # SQLite keeps dates as ISO 8601 text, as SQLAlchemy writes them
        return value.isoformat() if isinstance(value, dt.date) else value

    def before_erasure(self, engine: Engine, timeout: float) -> None:
        """Empty the write-ahead log first, waiting up to *timeout* seconds for its
        readers (a reader's snapshot keeps the pages it began with): `StoreError`,
        with nothing written, when a reader stays."""
        self._checkpoint(engine, timeout, "the erasure was not begun")

    def forget_old_pages(self, engine: Engine, timeout: float, mark: str | None = None) -> None:
        """The write-ahead log is checkpointed into the file (whose freed bytes
        ``secure_delete`` zeroed) and truncated."""
        self._checkpoint(engine, timeout, "erased, but the old pages are still in the log")

    def _checkpoint(self, engine: Engine, timeout: float, what: str) -> None:
        raw = engine.raw_connection()  # outside any transaction, as a checkpoint must be
        try:
            raw.execute(f"PRAGMA busy_timeout={round(timeout * 1000)}")
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.execute(f"PRAGMA busy_timeout={self.busy_ms}")
            raw.close()
        if busy:
            raise StoreError(
                f"{what}: a reader held an older snapshot of the database for more than "
                f"{timeout:g} s (erase_timeout); end its transaction and erase again"
            )
