"""`SQLStore`: events in SQLite (embedded, WAL) or PostgreSQL, on SQLAlchemy 2 Core."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
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
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from coachflow._values.enums import Phase
from coachflow._values.errors import ConcurrencyConflict, StoreError
from coachflow._values.validation import describe
from coachflow.store._base import (
    Erasure,
    EventStore,
    FeedItem,
    StoredEvent,
    Summary,
    check_feed,
    decode,
    decode_event,
    erased_conflict,
    parties_of,
)
from coachflow.store._seal import SEALED, Sealer

__all__ = ["SCHEMA_VERSION", "SQLStore", "SchemaError"]

#: The schema this version of coachflow writes. See the docs' upgrade path.
#: 1: coachflow 0.1. 2: each event row records its document format version.
#: 3: erasures are recorded (`coachflow_erasures`).
#: 4: summaries name the parties and the last session; events have a feed position.
SCHEMA_VERSION = 4

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
    Column("position", BigInteger, unique=True),
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
    Column("coach_id", String(200), index=True),
    Column("client_id", String(200), index=True),
    Column("sponsor_id", String(200), index=True),
    Column("last_session", Date),
)
positions_table = Table(
    "coachflow_positions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last", BigInteger, nullable=False),
)
erasures_table = Table(
    "coachflow_erasures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("engagement_id", String(200), nullable=False, index=True),
    Column("erased_at", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("what", Text, nullable=False),
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


def _erasures(connection: Connection) -> None:
    """Schema 2 -> 3: the table of erasures (none happened before)."""
    erasures_table.create(connection, checkfirst=True)


def _parties_and_positions(connection: Connection) -> None:
    """Schema 3 -> 4: the summaries' party and last-session columns (filled by
    `SQLStore.upgrade` from the events), and each event's feed position, numbered in
    the order of (engagement, version) for the events already stored."""
    for column in ("coach_id", "client_id", "sponsor_id"):
        connection.exec_driver_sql(
            f"ALTER TABLE coachflow_engagements ADD COLUMN {column} VARCHAR(200)"
        )
        connection.exec_driver_sql(
            f"CREATE INDEX ix_coachflow_engagements_{column} ON coachflow_engagements ({column})"
        )
    connection.exec_driver_sql("ALTER TABLE coachflow_engagements ADD COLUMN last_session DATE")
    connection.exec_driver_sql("ALTER TABLE coachflow_events ADD COLUMN position BIGINT")
    rows = connection.execute(
        select(events_table.c.engagement_id, events_table.c.version).order_by(
            events_table.c.engagement_id, events_table.c.version
        )
    ).all()
    for position, (engagement_id, version) in enumerate(rows, start=1):
        connection.execute(
            update(events_table)
            .where(events_table.c.engagement_id == engagement_id)
            .where(events_table.c.version == version)
            .values(position=position)
        )
    connection.exec_driver_sql(
        "CREATE UNIQUE INDEX ix_coachflow_events_position ON coachflow_events (position)"
    )
    connection.execute(delete(positions_table))
    connection.execute(insert(positions_table).values(id=1, last=len(rows)))


#: Upgrades: MIGRATIONS[n] turns schema n into n + 1, inside one transaction.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _format_versions,
    2: _erasures,
    3: _parties_and_positions,
}


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
def _database(what: str, driver: type[Exception] | None = None) -> Iterator[None]:
    """Turn the database's own errors into `StoreError`, naming what was being done:
    SQLAlchemy's, and the *driver*'s own where its cursor is used directly."""
    errors = (SQLAlchemyError,) if driver is None else (SQLAlchemyError, driver)
    try:
        yield
    except errors as error:
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
        cursor.execute("PRAGMA secure_delete=ON")  # freed bytes are overwritten, not left
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # a writer takes the write lock up front (no deadlock upgrading a read lock);
        # a reader begins deferred and, in WAL mode, never waits behind a writer
        writes = connection.get_execution_options().get("coachflow_writes", False)
        driver: Any = connection.connection.driver_connection
        driver.execute("BEGIN IMMEDIATE" if writes else "BEGIN")


class SQLStore(EventStore):
    """An event store in a SQL database, through SQLAlchemy 2 Core.

    ``SQLStore("sqlite:///coaching.db")`` is the embedded default (WAL mode);
    ``SQLStore("postgresql+psycopg://user:pw@host/db")`` serves many app servers.
    Tables are created when missing, and an older schema is upgraded, unless
    ``create=False``. Extra keyword arguments go to `sqlalchemy.create_engine`.

    With a *key* (32 random bytes, e.g. ``os.urandom(32)``, kept apart from the
    database), every event's text is encrypted at rest with AES-256-GCM from the
    ``cryptography`` package (``pip install "coachflow[encryption]"``), bound to its
    engagement and version; a wrong key is a `StoreError`, never garbage. The summary
    table (ids, phases, dates) stays readable for listing. Without a key, rows that
    are encrypted cannot be read (`StoreError`).
    """

    def __init__(
        self,
        url: str | os.PathLike[str],
        *,
        create: bool = True,
        key: bytes | None = None,
        **engine_options: Any,
    ) -> None:
        self._sealer = None if key is None else Sealer(key)
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
        self._writer = self.engine.execution_options(coachflow_writes=True)
        driver = self.engine.dialect.dbapi  # the plain SQL of saves and loads raises its errors
        self._driver_error: type[Exception] = driver.Error  # type: ignore[union-attr]
        self._driver_integrity_error: type[Exception] = driver.IntegrityError  # type: ignore[union-attr]
        self._sql = _Statements(
            "?" if self.engine.dialect.paramstyle == "qmark" else "%s", self._postgres
        )
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
        with _database("creating or upgrading the tables"), self._writer.begin() as connection:
            metadata.create_all(connection, checkfirst=True)
            found = connection.execute(select(schema_table.c.version)).scalar()
            if found is None:
                connection.execute(insert(schema_table).values(id=1, version=SCHEMA_VERSION))
                connection.execute(insert(positions_table).values(id=1, last=0))
                return SCHEMA_VERSION
            if found > SCHEMA_VERSION:
                raise SchemaError(
                    f"the database has coachflow schema {found}; this coachflow knows "
                    f"up to {SCHEMA_VERSION}: upgrade coachflow"
                )
            for version in range(found, SCHEMA_VERSION):
                MIGRATIONS[version](connection)
            if found < 4:
                self._refill_summaries(connection)
            connection.execute(update(schema_table).values(version=SCHEMA_VERSION))
            return SCHEMA_VERSION

    def _refill_summaries(self, connection: Connection) -> None:
        """Summarise every stored engagement again (the columns a migration added)."""
        columns = events_table.c
        ids = connection.execute(select(engagements_table.c.engagement_id)).scalars().all()
        for engagement_id in ids:
            query = (
                select(columns.version, columns.body, columns.format_version)
                .where(columns.engagement_id == engagement_id)
                .order_by(columns.version)
            )
            rows = [
                self._opened(engagement_id, StoredEvent(*row)) for row in connection.execute(query)
            ]
            summary = Summary.of(decode(engagement_id, rows))
            connection.execute(
                update(engagements_table)
                .where(engagements_table.c.engagement_id == engagement_id)
                .values(**_summary_values(summary))
            )

    # -- the store -----------------------------------------------------------------------

    def _read(self, engagement_id: str) -> list[StoredEvent]:
        # plain SQL on the driver's cursor, as a save: every load takes this path
        with (
            _database(f"reading engagement {engagement_id!r}", self._driver_error),
            self.engine.connect() as c,
        ):
            cursor: Any = c.connection.driver_connection.cursor()  # type: ignore[union-attr]
            found = cursor.execute(self._sql.read, (engagement_id,)).fetchall()
        rows = [StoredEvent(*row) for row in found]
        if self._sealer is None and not any(row.body.startswith(SEALED) for row in rows):
            return rows
        return [self._opened(engagement_id, row) for row in rows]

    def _opened(self, engagement_id: str, row: StoredEvent) -> StoredEvent:
        if not row.body.startswith(SEALED):
            return row
        if self._sealer is None:
            raise StoreError(
                f"engagement {engagement_id!r} is encrypted at rest: open the store with "
                "its key (SQLStore(url, key=...))"
            )
        body = self._sealer.open(row.body, engagement_id, row.version)
        return StoredEvent(row.version, body, row.format_version)

    def _sealed(self, engagement_id: str, row: StoredEvent) -> str:
        if self._sealer is None:
            return row.body
        return self._sealer.seal(row.body, engagement_id, row.version)

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
        personal: bool = True,
    ) -> None:
        with _database(f"saving engagement {engagement_id!r}", self._driver_error):
            try:
                self._transaction(engagement_id, rows, expected_version, summary, personal)
            except (IntegrityError, self._driver_integrity_error):
                # someone else wrote the same versions first (a new engagement, say)
                with self.engine.connect() as connection:
                    actual = self._version(connection, engagement_id, lock=False) or 0
                raise ConcurrencyConflict(expected_version, actual, engagement_id) from None

    def _transaction(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        expected: int,
        summary: Summary,
        personal: bool,
    ) -> None:
        """One save's transaction on a pooled driver connection, begun, committed or
        rolled back here: the path every save takes, without SQLAlchemy's Connection
        and Transaction objects around it."""
        pooled = self.engine.raw_connection()
        driver: Any = pooled.driver_connection
        try:
            if not self._postgres:
                driver.execute("BEGIN IMMEDIATE")  # psycopg begins by itself
            self._save_rows(driver.cursor(), engagement_id, rows, expected, summary, personal)
            driver.commit()
        except BaseException:
            driver.rollback()
            raise
        finally:
            pooled.close()  # back to the pool

    def _save_rows(
        self,
        cursor: Any,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        expected: int,
        summary: Summary,
        personal: bool,
    ) -> None:
        """The body of a save, as plain SQL on the driver's *cursor* (the schema is the
        tables above, by name)."""
        sql = self._sql
        run = cursor.execute
        found = run(sql.version, (engagement_id,)).fetchone()
        actual = found[0] if found is not None else 0
        if actual != expected:
            raise ConcurrencyConflict(expected, actual, engagement_id)
        if personal and actual and run(sql.erased, (engagement_id,)).fetchone() is not None:
            raise erased_conflict(expected, engagement_id)
        values = _summary_values(summary)
        if not self._postgres:  # SQLite keeps dates as ISO 8601 text, as SQLAlchemy does
            values = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
        if expected == 0:
            run(sql.insert_summary, (summary.engagement_id, *values.values()))
        else:
            run(sql.update_summary, (*values.values(), summary.engagement_id, expected))
        if not rows:
            return
        # positions are taken under the counter's row lock, held until commit: a later
        # position never commits before an earlier one
        last = run(sql.take_positions, (len(rows),)).fetchone()[0]
        first = last - len(rows) + 1
        cursor.executemany(
            sql.insert_events,
            [
                (
                    engagement_id,
                    row.version,
                    _type_of(row.body),
                    _at_of(row.body),
                    self._sealed(engagement_id, row),
                    row.format_version,
                    first + n,
                )
                for n, row in enumerate(rows)
            ],
        )

    def _rewrite(self, engagement_id: str, rows: Sequence[StoredEvent], erasure: Erasure) -> None:
        with _database(f"erasing engagement {engagement_id!r}"):
            with self._writer.begin() as connection:
                actual = self._version(connection, engagement_id, lock=True) or 0
                if actual != len(rows):
                    raise ConcurrencyConflict(len(rows), actual, engagement_id)
                for row in rows:
                    connection.execute(
                        update(events_table)
                        .where(events_table.c.engagement_id == engagement_id)
                        .where(events_table.c.version == row.version)
                        .values(
                            body=self._sealed(engagement_id, row),
                            format_version=row.format_version,
                        )
                    )
                connection.execute(
                    insert(erasures_table).values(
                        engagement_id=engagement_id,
                        erased_at=erasure.erased_at.isoformat(),
                        reason=erasure.reason,
                        what=json.dumps(list(erasure.what)),
                    )
                )
            self._forget_old_pages()

    def _forget_old_pages(self) -> None:
        """Leave no copy of rewritten rows: SQLite's write-ahead log is checkpointed
        into the file (whose freed bytes ``secure_delete`` zeroed) and truncated;
        PostgreSQL's dead row versions are vacuumed."""
        if self.engine.dialect.name == "sqlite":
            raw = self.engine.raw_connection()  # outside any transaction, as a checkpoint must be
            try:
                busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                raw.close()
            if busy:  # pragma: no cover - a reader held the log open throughout
                raise StoreError("erased, but a reader kept the old pages in the write-ahead log")
        elif self._postgres:
            autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            with autocommit.connect() as connection:
                connection.exec_driver_sql("VACUUM coachflow_events")

    def erasures(self, engagement_id: str | None = None) -> list[Erasure]:
        columns = erasures_table.c
        query = select(columns.engagement_id, columns.erased_at, columns.reason, columns.what)
        if engagement_id is not None:
            query = query.where(columns.engagement_id == engagement_id)
        with _database("reading erasures"), self.engine.connect() as connection:
            return [
                Erasure(id, dt.datetime.fromisoformat(at), reason, tuple(json.loads(what)))
                for id, at, reason, what in connection.execute(query.order_by(columns.id))
            ]

    def feed(self, after: int = 0, limit: int = 1000) -> list[FeedItem]:
        after, limit = check_feed(after, limit)
        c = events_table.c
        query = (
            select(c.position, c.engagement_id, c.version, c.body, c.format_version)
            .where(c.position > after)
            .order_by(c.position)
            .limit(limit)
        )
        with _database("reading the feed"), self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            FeedItem(
                position,
                engagement_id,
                version,
                decode_event(
                    engagement_id, self._opened(engagement_id, StoredEvent(version, body, fv))
                ),
            )
            for position, engagement_id, version, body, fv in rows
        ]

    def _party_engagements(self, party_id: str) -> list[str]:
        columns = events_table.c
        query = select(
            columns.engagement_id, columns.version, columns.body, columns.format_version
        )
        query = query.where(columns.version == 1)
        with _database("finding a party's engagements"), self.engine.connect() as connection:
            rows = list(connection.execute(query))
        found = []
        for engagement_id, version, body, format_version in rows:
            first = self._opened(engagement_id, StoredEvent(version, body, format_version))
            if party_id in parties_of(first.body):
                found.append(engagement_id)
        return found

    def summaries(
        self,
        *,
        phase: Phase | None = None,
        coach: str | None = None,
        client: str | None = None,
        sponsor: str | None = None,
        due_by: dt.date | None = None,
    ) -> list[Summary]:
        c = engagements_table.c
        query = select(
            c.engagement_id,
            c.version,
            c.phase,
            c.start,
            c.end,
            c.next_due,
            c.coach_id,
            c.client_id,
            c.sponsor_id,
            c.last_session,
        ).order_by(c.engagement_id)
        query = self._filtered(query, phase=phase, due_by=due_by)
        for column, value in ((c.coach_id, coach), (c.client_id, client), (c.sponsor_id, sponsor)):
            if value is not None:
                query = query.where(column == value)  # each an indexed column
        with _database("listing summaries"), self.engine.connect() as connection:
            return [
                Summary(row[0], row[1], Phase(row[2]), *row[3:])
                for row in connection.execute(query)
            ]

    @staticmethod
    def _filtered(query: Any, *, phase: Phase | None, due_by: dt.date | None) -> Any:
        if phase is not None:
            query = query.where(engagements_table.c.phase == Phase(phase).value)
        if due_by is not None:
            query = query.where(engagements_table.c.next_due <= due_by)
        return query

    def ids(self, *, phase: Phase | None = None, due_by: dt.date | None = None) -> list[str]:
        query = select(engagements_table.c.engagement_id).order_by(
            engagements_table.c.engagement_id
        )
        query = self._filtered(query, phase=phase, due_by=due_by)
        with _database("listing engagements"), self.engine.connect() as connection:
            return list(connection.execute(query).scalars())


class _Statements:
    """The SQL of a save, in the driver's parameter style."""

    def __init__(self, mark: str, postgres: bool) -> None:
        summary = ", ".join(f'"{c}"' for c in _SUMMARY_COLUMNS)
        sets = ", ".join(f'"{c}" = {mark}' for c in _SUMMARY_COLUMNS)
        self.version = (
            f"SELECT version FROM coachflow_engagements WHERE engagement_id = {mark}"
            + (" FOR UPDATE" if postgres else "")
        )
        self.erased = f"SELECT 1 FROM coachflow_erasures WHERE engagement_id = {mark} LIMIT 1"
        self.read = (
            "SELECT version, body, format_version FROM coachflow_events "
            f"WHERE engagement_id = {mark} ORDER BY version"
        )
        self.insert_summary = (
            f"INSERT INTO coachflow_engagements (engagement_id, {summary}) "
            f"VALUES ({', '.join([mark] * (len(_SUMMARY_COLUMNS) + 1))})"
        )
        self.update_summary = (
            f"UPDATE coachflow_engagements SET {sets} "
            f"WHERE engagement_id = {mark} AND version = {mark}"
        )
        self.take_positions = (
            f"UPDATE coachflow_positions SET last = last + {mark} WHERE id = 1 RETURNING last"
        )
        self.insert_events = (
            "INSERT INTO coachflow_events "
            "(engagement_id, version, type, at, body, format_version, position) "
            f"VALUES ({', '.join([mark] * 7)})"
        )


_SUMMARY_COLUMNS = (
    "version",
    "phase",
    "start",
    "end",
    "next_due",
    "coach_id",
    "client_id",
    "sponsor_id",
    "last_session",
)


def _summary_values(summary: Summary) -> dict[str, Any]:
    return {
        "version": summary.version,
        "phase": summary.phase.value,
        "start": summary.start,
        "end": summary.end,
        "next_due": summary.next_due,
        "coach_id": summary.coach_id,
        "client_id": summary.client_id,
        "sponsor_id": summary.sponsor_id,
        "last_session": summary.last_session,
    }


def _type_of(body: str) -> str:
    return body[9 : body.index('"', 9)] if body.startswith('{"type":"') else "?"


def _at_of(body: str) -> str:
    marker = '"at":"'
    start = body.find(marker)
    if start < 0:  # pragma: no cover - every event has an 'at'
        return ""
    start += len(marker)
    return body[start : body.index('"', start)]
