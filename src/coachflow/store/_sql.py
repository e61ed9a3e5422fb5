"""`SQLRecorder`: the one recorder of every SQL database, on SQLAlchemy 2 Core.

Plain SQL on the driver's cursor for saves and loads, SQLAlchemy Core for the rest,
and a dialect for what differs between databases (`SQLStore` is built on it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import create_engine, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from coachflow._values.enums import Phase
from coachflow._values.errors import ConcurrencyConflict, StoreError
from coachflow._values.failures import InvalidValue, MissingExtra
from coachflow._values.limits import LIMITS
from coachflow.store._database import DIALECTS, Dialect, database, database_url, parse
from coachflow.store._mapper import Sealing
from coachflow.store._recorder import Party, Recorder, erased_conflict
from coachflow.store._records import Copied, Erasure, StoredEvent, Summary
from coachflow.store._restore import restore
from coachflow.store._tables import (
    ERASURE_COLUMNS,
    ROWS_PER_INSERT,
    Insert,
    Statements,
    engagements_table,
    erasure_of,
    erasures_table,
    events_table,
    parties_table,
    positions_table,
    summary_values,
    tracking_table,
    write_head,
)

__all__ = ["SQLRecorder", "database", "database_url"]

_flat = itertools.chain.from_iterable


class SQLRecorder(Recorder):
    """The recorder of a SQL database: *url* and SQLAlchemy *engine_options*."""

    def __init__(
        self, url: str, *, create: bool, erase_timeout: float = 60.0, **engine_options: Any
    ) -> None:
        self.erase_timeout = erase_timeout
        self.unforgotten: list[str | None] = []  # the marks of rewrites not yet forgotten
        parsed = parse(url)
        self.dialect = DIALECTS.get(parsed.get_backend_name(), Dialect)()
        self.dialect.configure(parsed, engine_options, create=create)
        try:
            self.engine = create_engine(parsed, **engine_options)
        except ModuleNotFoundError as error:
            extra = "postgres" if parsed.get_backend_name() == "postgresql" else "the driver"
            raise MissingExtra(
                f"{parsed.drivername} needs the {error.name!r} package: "
                f'pip install "coachflow[{extra}]"'
            ) from error
        self.dialect.prepare(self.engine)
        self.writer = self.engine.execution_options(coachflow_writes=True)
        driver = self.engine.dialect.dbapi  # the plain SQL of saves and loads raises its errors
        self.driver_error: type[Exception] = driver.Error  # type: ignore[union-attr]
        self.driver_conflict: type[Exception] = driver.IntegrityError  # type: ignore[union-attr]
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        self.sql = Statements(mark, self.dialect.lock)

    def read(self, engagement_id: str) -> list[StoredEvent]:
        # plain SQL on the driver's cursor, as a save: every load takes this path
        with (
            database(f"reading engagement {engagement_id!r}", self.driver_error),
            self.engine.connect() as c,
        ):
            cursor: Any = c.connection.driver_connection.cursor()  # type: ignore[union-attr]
            found = cursor.execute(self.sql.read, (engagement_id,)).fetchmany(LIMITS.events + 1)
        if len(found) > LIMITS.events:  # never read a history beyond the limit whole
            raise StoreError(
                f"engagement {engagement_id!r} has more than {LIMITS.events} events stored, "
                "more than coachflow keeps (coachflow.LIMITS.events)"
            )
        return [StoredEvent(*row) for row in found]

    def read_sealed(self, engagement_id: str) -> tuple[list[StoredEvent], str | None, str | None]:
        with (
            database(f"reading engagement {engagement_id!r}", self.driver_error),
            self.engine.connect() as c,
        ):  # one statement: the rows, the head and the last erasure's mark in one snapshot
            cursor: Any = c.connection.driver_connection.cursor()  # type: ignore[union-attr]
            query = self.sql.read_sealed
            found = cursor.execute(query, (engagement_id,) * 3).fetchmany(LIMITS.events + 1)
        if len(found) > LIMITS.events:
            raise StoreError(
                f"engagement {engagement_id!r} has more than {LIMITS.events} events stored, "
                "more than coachflow keeps (coachflow.LIMITS.events)"
            )
        head, erased = (found[0][3], found[0][4]) if found else (None, None)
        return [StoredEvent(*row[:3]) for row in found], head, erased

    def write(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        expected_version: int,
        summary: Summary,
        *,
        erasures: int,
        parties: Sequence[Party],
        sealing: Sealing | None = None,
    ) -> None:
        with database(f"saving engagement {engagement_id!r}", self.driver_error):
            pooled = self.engine.raw_connection()
            driver: Any = pooled.driver_connection
            try:
                self.dialect.begin(driver)
                self.save_rows(
                    driver.cursor(),
                    engagement_id,
                    rows,
                    expected_version,
                    summary,
                    erasures,
                    parties,
                    sealing,
                )
                driver.commit()
            except (IntegrityError, self.driver_conflict):
                # someone else wrote the same versions first (a new engagement, say)
                driver.rollback()
                actual = self.version(engagement_id)
                raise ConcurrencyConflict(expected_version, actual, engagement_id) from None
            except BaseException:
                driver.rollback()
                raise
            finally:
                pooled.close()  # back to the pool

    def version(self, engagement_id: str) -> int:
        """The stored version of *engagement_id* (0 if none)."""
        query = select(engagements_table.c.version).where(
            engagements_table.c.engagement_id == engagement_id
        )
        with self.engine.connect() as connection:
            return connection.execute(query).scalar() or 0

    def save_rows(
        self,
        cursor: Any,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        expected: int,
        summary: Summary,
        erasures: int,
        parties: Sequence[Party],
        sealing: Sealing | None = None,
    ) -> None:
        """The body of a save's transaction, as plain SQL on the driver's *cursor*; in a
        sealed store the rows are sealed here, after the head the transaction reads."""
        sql, value = self.sql, self.dialect.value
        run = cursor.execute
        if expected:
            found = run(sql.version, (engagement_id,)).fetchone()
            actual = found[0] if found is not None else 0
            if actual != expected:
                raise ConcurrencyConflict(expected, actual, engagement_id)
            if run(sql.erasures, (engagement_id,)).fetchone()[0] != erasures:
                raise erased_conflict(expected, engagement_id)
        values = [value(v) for v in summary_values(summary).values()]
        if expected == 0:  # stored already: the summary's primary key refuses it (`write`)
            run(sql.insert_summary, (summary.engagement_id, *values))
        else:
            run(sql.update_summary, (*values, summary.engagement_id, expected))
        # the summary indexes the parties it names; the table, the ones it no longer does
        named = (summary.coach_id, summary.client_id, summary.sponsor_id)
        former = [(p, engagement_id, r.value) for p, r in parties if p not in named]
        if former:
            self.insert(run, sql.insert_party, former)
        if not rows:
            return
        if sealing is not None:
            found = run(sql.head, (engagement_id,)).fetchone()
            rows, head = sealing(engagement_id, rows, found[0] if found else None)
            run(sql.upsert_head, (engagement_id, head))
        # positions are taken under the counter's row lock, held until commit: a later
        # position never commits before an earlier one
        last = run(sql.take_positions, (len(rows),)).fetchone()[0]
        first = last - len(rows) + 1
        self.insert(
            run,
            sql.insert_events,  # a row's fields, then the engagement and position: EVENT_ROW
            [(*row, engagement_id, first + n) for n, row in enumerate(rows)],
        )

    def insert(self, run: Any, insert: Insert, rows: Sequence[tuple[object, ...]]) -> None:
        """Insert *rows* with *insert* (`Statements.many`), as few statements as can."""
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            run(self.sql.many(insert, len(chunk)), list(_flat(chunk)))

    def rewrite(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        erasure: Erasure,
        *,
        forget: bool = True,
        sealing: Sealing | None = None,
    ) -> int:
        with database(f"erasing engagement {engagement_id!r}"):
            self.dialect.before_erasure(self.engine, self.erase_timeout)
            with self.writer.begin() as connection:
                query = select(engagements_table.c.version).where(
                    engagements_table.c.engagement_id == engagement_id
                )
                if self.dialect.lock:
                    query = query.with_for_update()
                actual = connection.execute(query).scalar() or 0
                if actual != len(rows):
                    raise ConcurrencyConflict(len(rows), actual, engagement_id)
                mark = self.dialect.mark(connection)
                seal = None
                if sealing is not None:  # sealed anew from the start: a new chain
                    rows, seal = sealing(engagement_id, rows, None)
                    write_head(connection, engagement_id, seal)
                for row in rows:
                    connection.execute(
                        update(events_table)
                        .where(events_table.c.engagement_id == engagement_id)
                        .where(events_table.c.version == row.version)
                        .values(body=row.body, format_version=row.format_version)
                    )
                # the erasure's feed position, under the counter's lock as a save takes it
                position = connection.execute(
                    update(positions_table)
                    .where(positions_table.c.id == 1)
                    .values(last=positions_table.c.last + 1)
                    .returning(positions_table.c.last)
                ).scalar_one()
                connection.execute(
                    insert(erasures_table).values(
                        engagement_id=engagement_id,
                        erased_at=erasure.erased_at.isoformat(),
                        reason=erasure.reason,
                        what=json.dumps(list(erasure.what)),
                        version=erasure.version,
                        position=position,
                        party_id=erasure.party_id,
                        seal=seal,
                    )
                )
            self.unforgotten.append(mark)
            if forget:
                self.forget()
            return int(position)

    def forget(self) -> None:
        if not self.unforgotten:
            return
        mark = self.unforgotten[-1]  # the latest: older snapshots than it cover the rest
        self.unforgotten = []
        with database("erasing"):
            self.dialect.forget_old_pages(self.engine, self.erase_timeout, mark)

    def erasures(self, engagement_id: str | None = None) -> list[Erasure]:
        columns = erasures_table.c
        query = select(*ERASURE_COLUMNS)
        if engagement_id is not None:
            query = query.where(columns.engagement_id == engagement_id)
        with database("reading erasures"), self.engine.connect() as connection:
            return [erasure_of(row) for row in connection.execute(query.order_by(columns.id))]

    def engagements_of(self, party_id: str) -> list[str]:
        # a current party is in the summary (each column indexed), a former coach in the
        # parties table (as is every party in a store written before 0.3)
        c, former = engagements_table.c, parties_table.c
        current = select(c.engagement_id).where(
            or_(c.coach_id == party_id, c.client_id == party_id, c.sponsor_id == party_id)
        )
        before = select(former.engagement_id).where(former.party_id == party_id)
        with database("finding a party's engagements"), self.engine.connect() as connection:
            found = set(connection.execute(current).scalars())
            found.update(connection.execute(before).scalars())
        return sorted(found)

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
        query = _filtered(select(*engagements_table.columns), phase=phase, due_by=due_by)
        for column, value in ((c.coach_id, coach), (c.client_id, client), (c.sponsor_id, sponsor)):
            if value is not None:
                query = query.where(column == value)  # each an indexed column
        with database("listing summaries"), self.engine.connect() as connection:
            return [
                Summary(row[0], row[1], Phase(row[2]), *row[3:])
                for row in connection.execute(query.order_by(c.engagement_id))
            ]

    def ids(self, *, phase: Phase | None = None, due_by: dt.date | None = None) -> list[str]:
        query = select(engagements_table.c.engagement_id).order_by(
            engagements_table.c.engagement_id
        )
        query = _filtered(query, phase=phase, due_by=due_by)
        with database("listing engagements"), self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def feed(self, after: int, limit: int) -> list[tuple[int, str, StoredEvent | Erasure]]:
        c, e = events_table.c, erasures_table.c
        query = (
            select(c.position, c.engagement_id, c.version, c.body, c.format_version)
            .where(c.position > after)
            .order_by(c.position)
            .limit(limit)
        )
        erased = select(*ERASURE_COLUMNS).where(e.position > after)
        with database("reading the feed"), self.engine.connect() as connection:
            rows = connection.execute(query).all()
            if len(rows) == limit:  # a full page: the erasures among its events
                erased = erased.where(e.position <= rows[-1][0])
            erasures = connection.execute(erased.order_by(e.position).limit(limit)).all()
        items: list[tuple[int, str, StoredEvent | Erasure]] = [
            (position, engagement_id, StoredEvent(version, body, format_version))
            for position, engagement_id, version, body, format_version in rows
        ]
        items += [(row[-1], row[0], erasure_of(row)) for row in erasures]
        return sorted(items, key=lambda item: item[0])[:limit]

    def readers(self) -> dict[str, int]:
        query = select(tracking_table.c.reader, tracking_table.c.position)
        with database("reading the feed's readers"), self.engine.connect() as connection:
            return {row[0]: row[1] for row in connection.execute(query)}

    def restore(
        self,
        copies: Sequence[Copied],
        erasures: Sequence[Erasure],
        readers: Mapping[str, int],
        *,
        after: Callable[[Any], None] | None = None,
    ) -> None:
        with database("copying into the store"), self.writer.begin() as connection:
            if connection.execute(select(events_table.c.engagement_id).limit(1)).first():
                raise InvalidValue("the store to copy into must be empty")
            restore(connection, copies, erasures, readers)
            if after is not None:
                after(connection)

    def position(self, reader: str) -> int:
        query = select(tracking_table.c.position).where(tracking_table.c.reader == reader)
        with database(f"reading the position of {reader!r}"), self.engine.connect() as c:
            return c.execute(query).scalar() or 0

    def track(self, reader: str, position: int, connection: Any = None) -> None:
        if connection is not None:  # the caller's transaction, on this database
            self.record_position(connection, reader, position)
            return
        with database(f"saving the position of {reader!r}"), self.writer.begin() as c:
            self.record_position(c, reader, position)

    def record_position(self, connection: Any, reader: str, position: int) -> None:
        """Upsert *reader*'s *position* on *connection*: an update, else an insert."""
        found = connection.execute(
            update(tracking_table)
            .where(tracking_table.c.reader == reader)
            .values(position=position)
        )
        if not found.rowcount:
            connection.execute(insert(tracking_table).values(reader=reader, position=position))


def _filtered(query: Any, *, phase: Phase | None, due_by: dt.date | None) -> Any:
    if phase is not None:
        query = query.where(engagements_table.c.phase == phase.value)
    if due_by is not None:
        query = query.where(engagements_table.c.next_due <= due_by)
    return query
