"""PostgreSQL, through psycopg 3: many app servers on one database."""

from __future__ import annotations

from sqlalchemy import Engine

from coachflow.store._dialect import Dialect

__all__ = ["PostgreSQL"]


class PostgreSQL(Dialect):
    """Row locks with ``FOR UPDATE``; psycopg begins its transactions by itself."""

    def forget_old_pages(self, engine: Engine) -> None:
        """The dead row versions an erasure left are vacuumed."""
        autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        with autocommit.connect() as connection:
            connection.exec_driver_sql("VACUUM coachflow_events")
