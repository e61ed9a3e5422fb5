"""The SQL schema: one table description, its migrations, and the plain SQL of the hot
paths written from it.

Saves and loads run as plain SQL on the driver's cursor (`Statements`, generated from
the tables below in the driver's parameter style); everything else uses SQLAlchemy
Core on the same tables. No statement is written per database: what differs between
databases is in their dialects (`coachflow.store._sqlite`, `coachflow.store._postgres`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    inspect,
    select,
    update,
)

from coachflow._values.errors import StoreError
from coachflow.store._records import Erasure, Summary

__all__ = [
    "ERASURE_COLUMNS",
    "EVENT_ROW",
    "MIGRATIONS",
    "REFILLED_BELOW",
    "ROWS_PER_INSERT",
    "SCHEMA_VERSION",
    "Insert",
    "SchemaError",
    "Statements",
    "engagements_table",
    "erasure_of",
    "erasures_table",
    "events_table",
    "metadata",
    "parties_table",
    "positions_table",
    "schema_table",
    "seals_table",
    "summary_values",
    "tracking_table",
    "write_head",
]

#: The schema this version of coachflow writes (see "How documents evolve").
#: 1: coachflow 0.1. 2: each event row records its document format version.
#: 3: erasures are recorded (`coachflow_erasures`).
#: 4: summaries name the parties and the last session; events have a feed position.
#: 5: every party an engagement ever had is indexed (`coachflow_parties`).
#: 6: feed readers' positions are kept (`coachflow_tracking`).
#: 7: an erasure takes a feed position and records the version and the party erased;
#:    a sealed store records its key check value, each engagement's head and each
#:    erasure's mark (`coachflow_seals`).
SCHEMA_VERSION = 7

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
    comment=(
        "one row per event: its engagement and version (unique together), type, time, the"
        " event as JSON in `body` (sealed where the store has a key), the document format"
        " version of that JSON, and its feed position"
    ),
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
    comment=(
        "one row per engagement, kept in the same transaction as its events: the stored "
        "version, phase, start, end, next due day, the current coach, client and sponsor,"
        " the last session"
    ),
)
parties_table = Table(
    "coachflow_parties",
    metadata,
    Column("party_id", String(200), primary_key=True),
    Column("engagement_id", String(200), primary_key=True),
    Column("role", String(16), nullable=False),
    comment=(
        "the parties an engagement had that its summary no longer names (its former coaches),"
        " so that erasure finds them"
    ),
)
positions_table = Table(
    "coachflow_positions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last", BigInteger, nullable=False),
    comment="one row: the last feed position given out (its lock orders the saves)",
)
tracking_table = Table(
    "coachflow_tracking",
    metadata,
    Column("reader", String(200), primary_key=True),
    Column("position", BigInteger, nullable=False),
    comment="each feed reader's position (`store.follow`, `store.track`)",
)
erasures_table = Table(
    "coachflow_erasures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("engagement_id", String(200), nullable=False, index=True),
    Column("erased_at", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("what", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("position", BigInteger, unique=True),
    Column("party_id", String(200)),
    Column("seal", Text),
    comment=(
        "one row per erasure: the engagement, when, why, which kinds of data (never the "
        "data), the engagement's version then, its feed position, and the party erased "
        "(null: the whole engagement), and in a sealed store the mark of the chain it left"
    ),
)
seals_table = Table(
    "coachflow_seals",
    metadata,
    Column("engagement_id", String(200), primary_key=True),
    Column("head", Text, nullable=False),
    comment="in a sealed store, one row per engagement: the MAC of the end of its chain of seals",
)
schema_table = Table(
    "coachflow_schema",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
    Column("key_check", String(64)),
    comment="one row: the schema version, and a sealed store's key check value (never the key)",
)

#: The columns of an event row, in the order a save gives their values: a `StoredEvent`'s
#: fields as they are, then the engagement and the feed position.
EVENT_ROW = ("version", "body", "format_version", "type", "at", "engagement_id", "position")


_SUMMARY_COLUMNS = tuple(c.name for c in list(engagements_table.columns)[1:])


def summary_values(summary: Summary) -> dict[str, Any]:
    """*summary* as the values of its columns after the engagement id, in table order
    (each column is named as `Summary`'s field)."""
    values = {name: getattr(summary, name) for name in _SUMMARY_COLUMNS}
    values["phase"] = summary.phase.value
    return values


def write_head(connection: Connection, engagement_id: str, head: str) -> None:
    """Record *head* as the head of *engagement_id*'s chain of seals (in *connection*'s
    transaction)."""
    connection.execute(delete(seals_table).where(seals_table.c.engagement_id == engagement_id))
    connection.execute(insert(seals_table).values(engagement_id=engagement_id, head=head))


class SchemaError(StoreError):
    """The database holds a coachflow schema this version cannot use."""


SchemaError.__module__ = "coachflow.store"  # tracebacks show the public path


# -- migrations ---------------------------------------------------------------------------


def _format_versions(connection: Connection) -> None:
    """Schema 1 -> 2: each event row records the document format version of its text (the
    rows of schema 1 are of format 1)."""
    connection.exec_driver_sql(
        "ALTER TABLE coachflow_events ADD COLUMN format_version INTEGER NOT NULL DEFAULT 1"
    )


def _erasures(connection: Connection) -> None:
    """Schema 2 -> 3: erasures are recorded, in a table of their own (none happened before)."""
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


def _parties(connection: Connection) -> None:
    """Schema 4 -> 5: the index of every party of every engagement (filled by
    `SQLStore.upgrade` from the events)."""
    parties_table.create(connection, checkfirst=True)


def _tracking(connection: Connection) -> None:
    """Schema 5 -> 6: where each feed reader stands (`EventStore.follow`)."""
    tracking_table.create(connection, checkfirst=True)


def _erasures_in_the_feed(connection: Connection) -> None:
    """Schema 6 -> 7: an erasure takes a feed position (so readers learn of it) and
    records the engagement's version then and the party erased (the erasures before
    have neither: they were never fed). The table is already so where it was created
    by this coachflow (`SQLStore.upgrade` creates the missing tables first)."""
    if "key_check" not in {c["name"] for c in inspect(connection).get_columns("coachflow_schema")}:
        connection.exec_driver_sql("ALTER TABLE coachflow_schema ADD COLUMN key_check VARCHAR(64)")
    if "position" in {c["name"] for c in inspect(connection).get_columns(erasures_table.name)}:
        return
    for column in (
        "version INTEGER NOT NULL DEFAULT 0",
        "position BIGINT",
        "party_id VARCHAR(200)",
        "seal TEXT",
    ):
        connection.exec_driver_sql(f"ALTER TABLE coachflow_erasures ADD COLUMN {column}")
    connection.exec_driver_sql(
        "CREATE UNIQUE INDEX ix_coachflow_erasures_position ON coachflow_erasures (position)"
    )


#: Upgrades: MIGRATIONS[n] turns schema n into n + 1, inside one transaction.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _format_versions,
    2: _erasures,
    3: _parties_and_positions,
    4: _parties,
    5: _tracking,
    6: _erasures_in_the_feed,
}

#: What `SQLStore.upgrade` fills from the events after migrating from below a version.
REFILLED_BELOW = {"summaries": 4, "parties": 5}


# -- the plain SQL of saves and loads --------------------------------------------------------


def _names(table: Table, *, skip: int = 0) -> list[str]:
    return [f'"{column.name}"' for column in list(table.columns)[skip:]]


Insert = tuple[str, str, str]
"""An INSERT of any number of rows: its head, the marks of one row, its tail."""

ROWS_PER_INSERT = 100
"""The rows one INSERT writes at most: 700 values, within the 999 parameters the oldest
SQLite builds allow a statement."""


class Statements:
    """The SQL of a save and a load in the driver's parameter style (*mark*), written
    from the table description; *lock* ends the version read of a save
    (``" FOR UPDATE"`` where rows are locked that way)."""

    def __init__(self, mark: str, lock: str) -> None:
        def marks(count: int) -> str:
            return ", ".join([mark] * count)

        events, summary = [f'"{name}"' for name in EVENT_ROW], _names(engagements_table)
        sets = ", ".join(f"{name} = {mark}" for name in _names(engagements_table, skip=1))
        parties = _names(parties_table)
        self.version = (
            f"SELECT version FROM {engagements_table.name} WHERE engagement_id = {mark}{lock}"
        )
        self.erasures = f"SELECT COUNT(*) FROM {erasures_table.name} WHERE engagement_id = {mark}"
        self.read = (
            f"SELECT version, body, format_version FROM {events_table.name} "
            f"WHERE engagement_id = {mark} ORDER BY version"
        )
        self.read_sealed = (
            f"SELECT version, body, format_version, "
            f"(SELECT head FROM {seals_table.name} WHERE engagement_id = {mark}), "
            f"(SELECT seal FROM {erasures_table.name} WHERE engagement_id = {mark} "
            f"ORDER BY id DESC LIMIT 1) "
            f"FROM {events_table.name} WHERE engagement_id = {mark} ORDER BY version"
        )
        self.head = f"SELECT head FROM {seals_table.name} WHERE engagement_id = {mark}"
        self.upsert_head = (
            f"INSERT INTO {seals_table.name} (engagement_id, head) VALUES ({mark}, {mark}) "
            "ON CONFLICT (engagement_id) DO UPDATE SET head = excluded.head"
        )
        self.insert_summary = (
            f"INSERT INTO {engagements_table.name} ({', '.join(summary)}) "
            f"VALUES ({marks(len(summary))})"
        )
        self.update_summary = (
            f"UPDATE {engagements_table.name} SET {sets} "
            f"WHERE engagement_id = {mark} AND version = {mark}"
        )
        self.take_positions = (
            f"UPDATE {positions_table.name} SET last = last + {mark} WHERE id = 1 RETURNING last"
        )
        # the INSERTs of several rows: the statement's head, one row's marks, its tail
        self.insert_events: Insert = (
            f"INSERT INTO {events_table.name} ({', '.join(events)}) VALUES ",
            f"({marks(len(events))})",
            "",
        )
        self.insert_party: Insert = (
            f"INSERT INTO {parties_table.name} ({', '.join(parties)}) VALUES ",
            f"({marks(len(parties))})",
            " ON CONFLICT DO NOTHING",
        )
        self._many: dict[tuple[Insert, int], str] = {}

    def many(self, insert: Insert, count: int) -> str:
        """*insert* (`insert_events`, `insert_party`) as one statement of *count* rows
        (faster than a statement run for each row; at most `ROWS_PER_INSERT`)."""
        found = self._many.get((insert, count))
        if found is None:
            head, row, tail = insert
            found = self._many[insert, count] = f"{head}{', '.join([row] * count)}{tail}"
        return found


ERASURE_COLUMNS = (
    erasures_table.c.engagement_id,
    erasures_table.c.erased_at,
    erasures_table.c.reason,
    erasures_table.c.what,
    erasures_table.c.version,
    erasures_table.c.party_id,
    erasures_table.c.position,
)


def erasure_of(row: Any) -> Erasure:
    """An erasure's record from its row (the columns of `ERASURE_COLUMNS`)."""
    engagement_id, at, reason, what, version, party_id, position = row
    when = dt.datetime.fromisoformat(at)
    kinds = tuple(json.loads(what))
    return Erasure(engagement_id, when, reason, kinds, version, party_id, position)
