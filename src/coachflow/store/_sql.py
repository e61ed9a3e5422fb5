"""`SQLStore`: events in SQLite (embedded, WAL) or PostgreSQL, on SQLAlchemy 2 Core."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from coachflow._checks import describe
from coachflow._errors import ConcurrencyConflict, StoreError
from coachflow._model import Phase
from coachflow.store._base import EventStore, StoredEvent, Summary

__all__ = ["SCHEMA_VERSION", "SQLStore", "SchemaError"]

#: The schema this version of coachflow writes. See the docs' upgrade path.
#: 1: coachflow 0.1. 2: each event row records its document format version.
SCHEMA_VERSION = 2

metadata = MetaData()
events_table = Table(
    "coachflow_events",
    metadata,
    Column("engagement_id", String(200), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("type", String(64), nullable=False),
    Column("at", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("format_version", Integer, nullable=False, server_default="1"),
)
engagements_table = Table(
    "coachflow_engagements",
    metadata,
    Column("engagement_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("phase", String(32), nullable=False, index=True),
    Column("start", Date),
    Column("end", Date),
    Column("next_due", Date, index=True),
)
schema_table = Table(
    "coachflow_schema",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)


def _format_versions(connection: Connection) -> None:
    """Schema 1 -> 2: rows of schema 1 hold events of document format 1."""
    connection.exec_driver_sql(
        "ALTER TABLE coachflow_events ADD COLUMN format_version INTEGER NOT NULL DEFAULT 1"
    )


#: Upgrades: MIGRATIONS[n] turns schema n into n + 1, inside one transaction.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _format_versions}


class SchemaError(StoreError):
    """The database holds a coachflow schema this version cannot use."""


def _database_url(url: object) -> str:
    """A SQLAlchemy URL, or a path to a SQLite file turned into one."""
    if isinstance(url, os.PathLike):
        return f"sqlite:///{os.fspath(url)}"
    if not isinstance(url, str):
        raise TypeError(
            f"'url' must be a database URL or a path to a SQLite file (got {describe(url)})"
        )
    if "://" not in url and url.strip():
        return f"sqlite:///{url}"  # a path: the embedded default
    return url


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        raise ValueError(
            "'url' must be a database URL such as sqlite:///coaching.db or "
            f"postgresql+psycopg://user:password@host/database, or a path (got {url!r})"
        ) from None


@contextlib.contextmanager
def _database(what: str) -> Iterator[None]:
    """Turn the database's own errors into `StoreError`, naming what was being done."""
    try:
        yield
    except SQLAlchemyError as error:
        detail = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise StoreError(f"{what}: {detail[0] if detail else type(error).__name__}") from error


def _sqlite_setup(engine: Engine) -> None:
    """WAL, a busy timeout, and transactions that take the write lock up front."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let BEGIN below start transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class SQLStore(EventStore):
    """An event store in a SQL database, through SQLAlchemy 2 Core.

    ``SQLStore("sqlite:///coaching.db")`` is the embedded default (WAL mode);
    ``SQLStore("postgresql+psycopg://user:pw@host/db")`` serves many app servers.
    Tables are created when missing, and an older schema is upgraded, unless
    ``create=False``. Extra keyword arguments go to `sqlalchemy.create_engine`.
    """

    def __init__(
        self, url: str | os.PathLike[str], *, create: bool = True, **engine_options: Any
    ) -> None:
        self.url = url = _database_url(url)
        parsed = _parse(url)
        sqlite = parsed.get_backend_name() == "sqlite"
        if sqlite:
            engine_options.setdefault("connect_args", {"timeout": 60})
            path = parsed.database
            if not create and path and path != ":memory:" and not Path(path).exists():
                raise StoreError(f"no SQLite database at {path} (create=False creates none)")
        try:
            self.engine = create_engine(parsed, **engine_options)
        except ModuleNotFoundError as error:
            extra = "postgres" if parsed.get_backend_name() == "postgresql" else "the driver"
            raise ImportError(
                f"{parsed.drivername} needs the {error.name!r} package: "
                f'pip install "coachflow[{extra}]"'
            ) from error
        self._postgres = self.engine.dialect.name == "postgresql"
        if sqlite:
            _sqlite_setup(self.engine)
        if create:
            self.upgrade()

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"SQLStore({self.engine.url.render_as_string(hide_password=True)!r})"

    # -- schema ------------------------------------------------------------------------

    def schema_version(self) -> int | None:
        """The schema version recorded in the database (None before it is created)."""
        with _database("reading the schema version"), self.engine.connect() as connection:
            if not self.engine.dialect.has_table(connection, schema_table.name):
                return None
            return connection.execute(select(schema_table.c.version)).scalar()

    def upgrade(self) -> int:
        """Create the tables, or bring an older schema up to `SCHEMA_VERSION`."""
        with _database("creating or upgrading the tables"), self.engine.begin() as connection:
            metadata.create_all(connection, checkfirst=True)
            found = connection.execute(select(schema_table.c.version)).scalar()
            if found is None:
                connection.execute(insert(schema_table).values(id=1, version=SCHEMA_VERSION))
                return SCHEMA_VERSION
            if found > SCHEMA_VERSION:
                raise SchemaError(
                    f"the database has coachflow schema {found}; this coachflow knows "
                    f"up to {SCHEMA_VERSION}: upgrade coachflow"
                )
            for version in range(found, SCHEMA_VERSION):
                MIGRATIONS[version](connection)
            connection.execute(update(schema_table).values(version=SCHEMA_VERSION))
            return SCHEMA_VERSION

    # -- the store -----------------------------------------------------------------------

    def _read(self, engagement_id: str) -> list[StoredEvent]:
        columns = events_table.c
        query = (
            select(columns.version, columns.body, columns.format_version)
            .where(columns.engagement_id == engagement_id)
            .order_by(columns.version)
        )
        with _database(f"reading engagement {engagement_id!r}"), self.engine.connect() as c:
            return [StoredEvent(*row) for row in c.execute(query)]

    def _version(self, connection: Connection, engagement_id: str, *, lock: bool) -> int | None:
        query = select(engagements_table.c.version).where(
            engagements_table.c.engagement_id == engagement_id
        )
        if lock and self._postgres:
            query = query.with_for_update()
        return connection.execute(query).scalar()

    def _write(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        expected_version: int,
        summary: Summary,
    ) -> None:
        with _database(f"saving engagement {engagement_id!r}"):
            try:
                with self.engine.begin() as connection:
                    actual = self._version(connection, engagement_id, lock=True) or 0
                    if actual != expected_version:
                        raise ConcurrencyConflict(expected_version, actual, engagement_id)
                    if rows:
                        connection.execute(
                            insert(events_table),
                            [
                                {
                                    "engagement_id": engagement_id,
                                    "version": row.version,
                                    "type": _type_of(row.body),
                                    "at": _at_of(row.body),
                                    "body": row.body,
                                    "format_version": row.format_version,
                                }
                                for row in rows
                            ],
                        )
                    self._write_summary(connection, summary, expected_version)
            except IntegrityError:
                # someone else wrote the same versions first (a new engagement, say)
                with self.engine.connect() as connection:
                    actual = self._version(connection, engagement_id, lock=False) or 0
                raise ConcurrencyConflict(expected_version, actual, engagement_id) from None

    def _write_summary(self, connection: Connection, summary: Summary, expected: int) -> None:
        values = {
            "version": summary.version,
            "phase": summary.phase.value,
            "start": summary.start,
            "end": summary.end,
            "next_due": summary.next_due,
        }
        if expected == 0:
            connection.execute(
                insert(engagements_table).values(engagement_id=summary.engagement_id, **values)
            )
            return
        done = connection.execute(
            update(engagements_table)
            .where(engagements_table.c.engagement_id == summary.engagement_id)
            .where(engagements_table.c.version == expected)
            .values(**values)
        )
        if done.rowcount != 1:  # pragma: no cover - the lock above makes this unreachable
            raise ConcurrencyConflict(expected, -1)

    def ids(self, *, phase: Phase | None = None, due_by: dt.date | None = None) -> list[str]:
        query = select(engagements_table.c.engagement_id).order_by(
            engagements_table.c.engagement_id
        )
        if phase is not None:
            query = query.where(engagements_table.c.phase == Phase(phase).value)
        if due_by is not None:
            query = query.where(engagements_table.c.next_due <= due_by)
        with _database("listing engagements"), self.engine.connect() as connection:
            return list(connection.execute(query).scalars())


def _type_of(body: str) -> str:
    return body[9 : body.index('"', 9)] if body.startswith('{"type":"') else "?"


def _at_of(body: str) -> str:
    marker = '"at":"'
    start = body.find(marker)
    if start < 0:  # pragma: no cover - every event has an 'at'
        return ""
    start += len(marker)
    return body[start : body.index('"', start)]
