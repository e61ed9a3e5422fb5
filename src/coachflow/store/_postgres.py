"""PostgreSQL, through psycopg 3: many app servers on one database."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from coachflow._values.errors import StoreError
from coachflow.store._dialect import Dialect

__all__ = ["PostgreSQL"]

# The other sessions of this database whose snapshot or transaction began before the
# transaction id given (as text) ended: while one lives, the row versions that
# transaction replaced stay readable to it, and no vacuum may remove them.
_OLDER = """
SELECT pid, state, xact_start, left(query, 80)
FROM pg_stat_activity
WHERE pid <> pg_backend_pid() AND datname = current_database()
  AND (age(backend_xmin) >= age(CAST(%(xid)s AS xid))
       OR age(backend_xid) >= age(CAST(%(xid)s AS xid)))
ORDER BY xact_start
"""


def _autocommit(engine: Engine) -> Engine:
    """*engine* outside any transaction (as ``VACUUM`` needs)."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")


class PostgreSQL(Dialect):
    """Row locks with ``FOR UPDATE``; psycopg begins its transactions by itself."""

    def lock_writes(self, connection: Any) -> None:
        """Saves wait (``EXCLUSIVE`` lets reads through) until the transaction ends."""
        connection.exec_driver_sql("LOCK TABLE coachflow_events IN EXCLUSIVE MODE")

    def before_erasure(self, engine: Engine, timeout: float) -> None:
        """Wait for the transactions begun before now to end (their snapshots would keep
        the rows about to be erased), or `StoreError` before anything is written."""
        with _autocommit(engine).connect() as connection:
            now = connection.exec_driver_sql(
                "SELECT CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text)"
            ).scalar_one()
            _wait(connection, now, timeout, "the erasure was not begun")

    def mark(self, connection: Connection) -> str | None:
        """The erasure's transaction id (the snapshots to outwait are those before it)."""
        return str(connection.exec_driver_sql("SELECT pg_current_xact_id()").scalar_one())

    def forget_old_pages(self, engine: Engine, timeout: float, mark: str | None = None) -> None:
        """Rewrite the events table and its TOAST table (``VACUUM FULL``) once no older
        snapshot can read the erased rows: a plain vacuum marks their space free but
        leaves their bytes in the files."""
        with _autocommit(engine).connect() as connection:
            started = time.monotonic()
            if mark is not None:
                _wait(connection, mark, timeout, "erased, but the old rows are still in the files")
            left = max(timeout - (time.monotonic() - started), 0.001)
            connection.exec_driver_sql(f"SET lock_timeout = {round(left * 1000)}")
            try:
                connection.exec_driver_sql("VACUUM FULL coachflow_events")
            except OperationalError as error:
                raise StoreError(
                    "erased, but the old rows are still in the files: another session held "
                    f"the events table for more than {timeout:g} s ({_holders(connection)}); "
                    "erase again once it is done"
                ) from error
            finally:
                connection.exec_driver_sql("RESET lock_timeout")


def _wait(connection: Connection, xid: str, timeout: float, what: str) -> None:
    """Poll until no other session is older than *xid*; `StoreError` after *timeout*."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        older = connection.exec_driver_sql(_OLDER, {"xid": xid}).all()
        if not older:
            return
        if time.monotonic() >= deadline:
            raise StoreError(
                f"{what}: {_described(older)} held a snapshot older than the erasure for "
                f"more than {timeout:g} s (erase_timeout); end it and erase again"
            )
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _described(sessions: Sequence[Any]) -> str:
    return "; ".join(
        f"session {pid} ({state or 'idle'}, in a transaction since "
        f"{start.isoformat(timespec='seconds') if start else 'unknown'}: {query!r})"
        for pid, state, start, query in sessions[:3]
    )


def _holders(connection: Connection) -> str:
    rows = connection.exec_driver_sql(
        "SELECT a.pid, a.state, a.xact_start, left(a.query, 80) FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.relation = CAST('coachflow_events' AS regclass) AND a.pid <> pg_backend_pid()"
    ).all()
    return _described(rows) if rows else "a session that has since ended"
