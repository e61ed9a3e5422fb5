"""A copy into an empty SQL store: every row at its feed position, the erasure records,
the readers' positions, in the copying transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, delete, insert

from coachflow.store._records import Copied, Erasure
from coachflow.store._tables import (
    engagements_table,
    erasures_table,
    events_table,
    parties_table,
    positions_table,
    summary_values,
    tracking_table,
)

__all__ = ["restore"]


def restore(
    connection: Connection,
    copies: Sequence[Copied],
    erasures: Sequence[Erasure],
    readers: Mapping[str, int],
) -> None:
    """Write *copies*, *erasures* and *readers* as they were, positions included, and set
    the feed's counter past the last position."""
    last = 0
    for copy in copies:
        connection.execute(
            insert(events_table),
            [
                {
                    "engagement_id": copy.engagement_id,
                    "version": row.version,
                    "type": row.type,
                    "at": row.at,
                    "body": row.body,
                    "format_version": row.format_version,
                    "position": position,
                }
                for row, position in zip(copy.rows, copy.positions, strict=True)
            ],
        )
        last = max(last, *copy.positions)
        values = summary_values(copy.summary)
        connection.execute(
            insert(engagements_table).values(engagement_id=copy.engagement_id, **values)
        )
        if copy.parties:
            connection.execute(
                insert(parties_table),
                [
                    {"party_id": p, "engagement_id": copy.engagement_id, "role": role.value}
                    for p, role in dict(copy.parties).items()
                ],
            )
    for erasure in erasures:
        connection.execute(
            insert(erasures_table).values(
                engagement_id=erasure.engagement_id,
                erased_at=erasure.erased_at.isoformat(),
                reason=erasure.reason,
                what=json.dumps(list(erasure.what)),
                version=erasure.version,
                position=erasure.position,
                party_id=erasure.party_id,
            )
        )
        last = max(last, erasure.position or 0)
    for reader, position in readers.items():
        connection.execute(insert(tracking_table).values(reader=reader, position=position))
    connection.execute(delete(positions_table))
    connection.execute(insert(positions_table).values(id=1, last=last))
