"""`SQLStore`: events in SQLite (embedded, WAL) or PostgreSQL, on SQLAlchemy 2 Core."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import insert, select, update

from coachflow._values.errors import StoreError
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.validation import describe
from coachflow.store._mapper import Mapper
from coachflow.store._records import Summary, check_feed
from coachflow.store._seal import Sealer
from coachflow.store._sealing import key_check, opened_rows, reseal, row_kinds, stored_rows
from coachflow.store._sql import SQLRecorder, database, database_url
from coachflow.store._store import EventStore, reader_name
from coachflow.store._tables import (
    MIGRATIONS,
    REFILLED_BELOW,
    SCHEMA_VERSION,
    SchemaError,
    engagements_table,
    metadata,
    parties_table,
    positions_table,
    schema_table,
    summary_values,
)

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SQLStore", "SchemaError"]


class SQLStore(EventStore):
    """An event store in a SQL database, through SQLAlchemy 2 Core.

    ``SQLStore("sqlite:///coaching.db")`` is the embedded default (WAL mode);
    ``SQLStore("postgresql+psycopg://user:pw@host/db")`` serves many app servers.
    Tables are created when missing, and an older schema is upgraded, unless
    ``create=False``. Extra keyword arguments go to `sqlalchemy.create_engine`.

    An erasure waits up to *erase_timeout* seconds for transactions holding an older
    snapshot of the database (which would keep the erased rows readable, and their
    bytes in the files) to end, then raises `StoreError` naming them: before writing
    anything where it can tell beforehand.

    With a *key* (32 random bytes, e.g. ``os.urandom(32)``, kept apart from the
    database) the store is *sealed*: every event's text is encrypted with AES-256-GCM
    from the ``cryptography`` package (``pip install "coachflow[encryption]"``), bound
    to its engagement, its version and the seal of the event before it, and the store
    records a key check value. It fails closed: opened without its key, or with
    another, it is a `StoreError`; so is a row without a valid seal, and rows deleted,
    reordered, replaced or rolled back (see the trust boundary page for what stays
    possible). A new or empty store opened with a key is sealed with it; a store of
    coachflow 0.2 encrypted with the key is sealed in the chain on its first opening.
    A store holding plain rows is sealed with `rekey`, from a store opened without a
    key. A key of one byte value (32 zero bytes, say) is refused. The summary table
    (ids, phases, dates) stays readable for listing.
    """

    def __init__(
        self,
        url: str | os.PathLike[str],
        *,
        create: bool = True,
        key: bytes | None = None,
        erase_timeout: float = 60.0,
        **engine_options: Any,
    ) -> None:
        sealer = None if key is None else Sealer(key)
        self.url = database_url(url)
        self.recorder = SQLRecorder(
            self.url, create=create, erase_timeout=_seconds(erase_timeout), **engine_options
        )
        self.engine = self.recorder.engine
        super().__init__(self.recorder, Mapper(None))  # sealed once the key is checked
        self._key = sealer
        try:
            if create:
                self.upgrade()
            self._open_with(sealer)
        except BaseException:
            self.engine.dispose()  # a store that does not open keeps no connection
            raise

    def _open_with(self, sealer: Sealer | None) -> None:
        """Fail closed: a sealed store only with its key; seal an empty store or one of
        coachflow 0.2 with the key given."""
        with database("opening the store"), self.recorder.writer.begin() as connection:
            if not self.engine.dialect.has_table(connection, schema_table.name):
                if sealer is not None:
                    raise StoreError("the store has no tables to seal: open it with create=True")
                return
            check = key_check(connection)
            if check is not None and sealer is None:
                raise StoreError(
                    "the store is sealed: open it with its key (SQLStore(url, key=...))"
                )
            if check is not None and sealer is not None and check != sealer.check_value():
                raise StoreError(
                    "this key does not open the store: its key check value is another key's"
                )
            if check is None and sealer is not None:
                kinds = row_kinds(connection)
                if "plain" in kinds or "chained" in kinds:
                    raise StoreError(
                        "the store holds rows that are not sealed with this key: open it "
                        "without a key and seal it with store.rekey(key)"
                    )
                reseal(connection, sealer, sealer)  # empty, or coachflow 0.2's rows
        self._mapper.sealer = sealer

    def _copied(self, connection: Any) -> None:
        if self._key is not None:  # the copied rows are plain: sealed in this transaction
            reseal(connection, None, self._key)

    def rekey(self, new_key: bytes) -> int:
        """Seal every row anew with *new_key*, in one transaction: each engagement's
        chain, its head and its erasures' marks, and the store's key check value.
        Versions, feed positions and erasure records stay. A store opened without a key
        (its rows plain) is sealed so. Other processes must then open the store with
        *new_key*. Returns how many engagements were sealed."""
        sealer = Sealer(new_key)
        with database("sealing the store anew"), self.recorder.writer.begin() as connection:
            self.recorder.dialect.lock_writes(connection)
            count = reseal(connection, self._mapper.sealer, sealer)
        self._mapper.sealer = self._key = sealer
        return count

    def track(self, reader: str, position: int, *, connection: Any = None) -> None:
        """Record that *reader* has handled the feed up to *position*.

        With *connection* (a SQLAlchemy ``Connection`` of this store's `engine`, inside
        a transaction you began), the position is written in your transaction: it
        commits with your handler's own work or rolls back with it, so an item's effect
        and the reader's move past it happen together (exactly once in effect).
        """
        after, _ = check_feed(position, 1)
        self.recorder.track(reader_name(reader), after, connection)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"SQLStore({self.engine.url.render_as_string(hide_password=True)!r})"

    def schema_version(self) -> int | None:
        """The schema version recorded in the database (None before it is created)."""
        with database("reading the schema version"), self.engine.connect() as connection:
            if not self.engine.dialect.has_table(connection, schema_table.name):
                return None
            return connection.execute(select(schema_table.c.version)).scalar()

    def upgrade(self) -> int:
        """Create the tables, or bring an older schema up to `SCHEMA_VERSION`."""
        with (
            database("creating or upgrading the tables"),
            self.recorder.writer.begin() as connection,
        ):
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
            if found < max(REFILLED_BELOW.values()):
                self._refill(connection, found)
            connection.execute(update(schema_table).values(version=SCHEMA_VERSION))
            return SCHEMA_VERSION

    def _refill(self, connection: Any, found: int) -> None:
        """Fill from the events what the migrations from schema *found* added: the
        summaries' new columns, the index of parties."""
        ids = connection.execute(select(engagements_table.c.engagement_id)).scalars().all()
        for engagement_id in ids:
            rows = stored_rows(connection, engagement_id)
            rows = opened_rows(connection, self._key, engagement_id, rows)
            engagement = Mapper().engagement(engagement_id, rows)
            if found < REFILLED_BELOW["summaries"]:
                connection.execute(
                    update(engagements_table)
                    .where(engagements_table.c.engagement_id == engagement_id)
                    .values(**summary_values(Summary.of(engagement)))
                )
            if found < REFILLED_BELOW["parties"]:
                connection.execute(
                    insert(parties_table),
                    [
                        {"party_id": p.id, "engagement_id": engagement_id, "role": p.role.value}
                        for p in engagement.parties.values()
                    ],
                )


def _seconds(value: object) -> float:
    """*value* as a positive number of seconds, or a clear error."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidType(f"'erase_timeout' must be a number of seconds (got {describe(value)})")
    if not 0 < value < 86_400:
        raise InvalidValue(f"'erase_timeout' must be between 0 and 86400 seconds (got {value!r})")
    return float(value)
