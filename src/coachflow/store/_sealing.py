"""A sealed store as a whole: its key check value, and sealing every row anew.

`SQLStore` opens a store only with the key that sealed it (fail closed), seals a store
of coachflow 0.2 in the chain the first time it is opened with its key, and `rekey`
seals every row anew under another key. All of it runs in one transaction on the
store's own tables.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, func, select, update

from coachflow._values.errors import StoreError
from coachflow.store._records import StoredEvent
from coachflow.store._seal import CHAINED, SEALED, Sealer
from coachflow.store._tables import (
    erasures_table,
    events_table,
    schema_table,
    seals_table,
    write_head,
)

__all__ = ["key_check", "opened_rows", "reseal", "row_kinds", "stored_rows"]


def key_check(connection: Connection) -> str | None:
    """The key check value the store records (None: the store is not sealed)."""
    value: str | None = connection.execute(select(schema_table.c.key_check)).scalar()
    return value


def row_kinds(connection: Connection) -> set[str]:
    """The kinds of the stored rows: ``"plain"``, ``"legacy"`` (sealed by coachflow 0.2),
    ``"chained"``."""
    body = events_table.c.body
    counts = {
        kind: connection.execute(
            select(func.count()).select_from(events_table).where(condition)
        ).scalar()
        for kind, condition in (
            ("legacy", body.like(f"{SEALED}%")),
            ("chained", body.like(f"{CHAINED}%")),
            ("plain", ~body.like("aead%")),
        )
    }
    return {kind for kind, count in counts.items() if count}


_REWRITE = (
    update(events_table)
    .where(events_table.c.engagement_id == bindparam("id"))
    .where(events_table.c.version == bindparam("v"))
    .values(body=bindparam("body"))
)


def reseal(connection: Connection, old: Sealer | None, new: Sealer) -> int:
    """Every stored row opened (with *old*: the chain and its head checked; rows of
    coachflow 0.2 and plain rows as they are) and sealed anew with *new* in a new chain;
    each engagement's head and each erasure's mark written anew; the store's key check
    value set to *new*'s. Positions, versions, erasure records stay. Returns how many
    engagements were sealed."""
    columns = events_table.c
    ids = connection.execute(select(columns.engagement_id).distinct()).scalars().all()
    for engagement_id in ids:
        plain = opened_rows(connection, old, engagement_id, stored_rows(connection, engagement_id))
        sealed, head = new.chain(engagement_id, plain, None)
        connection.execute(
            _REWRITE, [{"id": engagement_id, "v": row.version, "body": row.body} for row in sealed]
        )
        write_head(connection, engagement_id, head)
        _mark_erasures(connection, new, engagement_id, sealed)
    connection.execute(update(schema_table).values(key_check=new.check_value()))
    return len(ids)


def stored_rows(connection: Connection, engagement_id: str) -> list[StoredEvent]:
    """The rows of *engagement_id* as stored, by version, read on *connection*."""
    columns = events_table.c
    query = (
        select(columns.version, columns.body, columns.format_version)
        .where(columns.engagement_id == engagement_id)
        .order_by(columns.version)
    )
    return [StoredEvent(*row) for row in connection.execute(query)]


def opened_rows(
    connection: Connection, old: Sealer | None, engagement_id: str, rows: list[StoredEvent]
) -> list[StoredEvent]:
    """The rows of an engagement as plain text: a sealed chain opened and checked with
    *old* (its head, its last erasure's mark), rows of coachflow 0.2 opened with it."""
    if any(row.body.startswith(CHAINED) for row in rows):
        if old is None:
            raise StoreError(f"engagement {engagement_id!r} is sealed: open the store with a key")
        head = connection.execute(
            select(seals_table.c.head).where(seals_table.c.engagement_id == engagement_id)
        ).scalar()
        erased = connection.execute(
            select(erasures_table.c.seal)
            .where(erasures_table.c.engagement_id == engagement_id)
            .order_by(erasures_table.c.id.desc())
            .limit(1)
        ).scalar()
        return old.open_chain(engagement_id, rows, head, erased)
    opened = []
    for row in rows:
        if row.body.startswith(SEALED):
            if old is None:
                raise StoreError(
                    f"engagement {engagement_id!r} is encrypted at rest: open the store "
                    "with its key"
                )
            row = old.open_legacy(engagement_id, row)
        opened.append(row)
    return opened


def _mark_erasures(
    connection: Connection, sealer: Sealer, engagement_id: str, sealed: list[StoredEvent]
) -> None:
    """Each erasure record of the engagement marked anew on the new chain."""
    seals = ["", *(sealer.seal_of(row) for row in sealed)]
    records = connection.execute(
        select(erasures_table.c.id, erasures_table.c.version).where(
            erasures_table.c.engagement_id == engagement_id
        )
    ).all()
    for record_id, version in records:
        if 0 < version < len(seals):
            connection.execute(
                update(erasures_table)
                .where(erasures_table.c.id == record_id)
                .values(seal=sealer.mark(engagement_id, version, seals[version]))
            )
