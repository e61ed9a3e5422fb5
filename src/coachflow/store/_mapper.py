"""Events to stored rows and back (eventsourcing's mapper): JSON text, upcasting and,
with a key, sealing. Every way of storing and reading passes through here."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from orjson import dumps as _orjson_dumps

from coachflow._documents.documents import (
    events_from_list,
    load_events,
    load_usual,
)
from coachflow._documents.upcast import FORMAT_VERSION, upcast_events, version_problem
from coachflow._documents.writers import NATIVE_WRITERS, event_to_native
from coachflow._engagement import Engagement
from coachflow._engine.fold import mark_saved
from coachflow._values.errors import InvalidDocument, StoreError
from coachflow._values.events import Event
from coachflow._values.redaction import hiding
from coachflow.store._records import StoredEvent
from coachflow.store._seal import Sealer, is_sealed

__all__ = ["Mapper", "Sealing", "dumps", "encode", "encode_all"]

_new_tuple = tuple.__new__

Sealing = Callable[[str, Sequence[StoredEvent], "str | None"], tuple[list[StoredEvent], str]]
"""``sealing(engagement_id, rows, head)``: *rows* sealed after *head*, and the new head."""


def dumps(event: Event) -> str:
    """*event* as the JSON text a store keeps: compact, UTF-8 as it is (orjson writes
    exactly what ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` does for
    `event_to_dict`'s plain types; it is given datetimes, dates and enum members as they
    are, `event_to_native`, and writes them in C)."""
    return _orjson_dumps(event_to_native(event)).decode()


def encode(event: Event, version: int) -> StoredEvent:
    """*event* as the row a store keeps at *version* (its text as `dumps` writes it), its
    type and time beside it."""
    return encode_all([event], version)[0]


def encode_all(events: Sequence[Event], first: int) -> list[StoredEvent]:
    """*events* as the rows of versions *first*, *first* + 1, ... (see `encode`)."""
    writers, rows = NATIVE_WRITERS, []  # event_to_native, one call fewer an event
    for version, event in enumerate(events, start=first):
        data = writers[type(event)](event)
        text = _orjson_dumps(data).decode()
        tag = data["type"]
        start = len(tag) + 17  # the text begins {"type":"<tag>","at":"<at>", as written
        at = text[start : text.index('"', start)]
        # StoredEvent(version, text, ...) without its Python-level __new__: half the time
        rows.append(_new_tuple(StoredEvent, (version, text, FORMAT_VERSION, tag, at)))
    return rows


class Mapper:
    """Turns events into rows and rows into engagements, sealing with *sealer* if given."""

    __slots__ = ("sealer",)

    def __init__(self, sealer: Sealer | None = None) -> None:
        self.sealer = sealer

    # -- writing ------------------------------------------------------------------------

    def rows(self, engagement_id: str, events: Sequence[Event], first: int) -> list[StoredEvent]:
        """*events* as (plain) rows of versions *first*, *first* + 1, ... (a sealed
        store seals them as it writes them, in the chain it finds: `sealing`)."""
        return encode_all(events, first)

    def sealing(self) -> Sealing | None:
        """How the recorder seals rows in the transaction that writes them: after the
        engagement's *head* (None: the first rows); None for a store without a key."""
        return None if self.sealer is None else self.sealer.chain

    # -- reading ------------------------------------------------------------------------

    def opened(self, engagement_id: str, row: StoredEvent) -> StoredEvent:
        """*row* with its text readable: opened with the key, or `StoreError`."""
        if self.sealer is not None:
            return self.sealer.open_one(engagement_id, row)[0]
        if is_sealed(row.body):
            raise StoreError(
                f"engagement {engagement_id!r} is encrypted at rest: open the store with "
                "its key (SQLStore(url, key=...))"
            )
        return row

    def opened_all(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        head: str | None = None,
        erased: str | None = None,
    ) -> list[StoredEvent]:
        """Every row of *rows* opened; in a sealed store the chain, its *head* and the
        mark of the last erasure (*erased*) checked (see `Sealer.open_chain`)."""
        if self.sealer is not None:
            return self.sealer.open_chain(engagement_id, rows, head, erased)
        return [self.opened(engagement_id, row) for row in rows]

    def engagement(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        head: str | None = None,
        erased: str | None = None,
    ) -> Engagement:
        """The engagement of its stored *rows* (in a sealed store, with its *head* and
        the mark of its last erasure), replayed through the rules and marked as saved at
        its version; `InvalidDocument` names the engagement and the version of a damaged
        row, `StoreError` a seal that does not hold."""
        rows = self.opened_all(engagement_id, rows, head, erased)
        with hiding():  # a store keeps what erasure left: texts that read REDACTED
            return self._engagement(engagement_id, rows)

    def _engagement(self, engagement_id: str, rows: Sequence[StoredEvent]) -> Engagement:
        where = f"engagement {engagement_id!r}"
        for expected, row in enumerate(rows, start=1):
            if row.version != expected:
                raise InvalidDocument(
                    [
                        f"{where}: versions must run 1, 2, 3, ...; "
                        f"expected {expected}, found {row.version}"
                    ]
                )
        try:
            engagement = load_usual((row.format_version, row.body) for row in rows)
        except Exception:  # not the usual shape, or not loadable: the exact way decides
            engagement = _exactly(where, rows)
        if engagement.id != engagement_id:
            raise InvalidDocument([f"{where}: its events belong to {engagement.id!r}"])
        mark_saved(engagement, engagement.version)
        return engagement

    def event(self, engagement_id: str, row: StoredEvent) -> Event:
        """One stored row's event (upcast from its format), or `InvalidDocument`."""
        with hiding():
            return self._event(engagement_id, row)

    def _event(self, engagement_id: str, row: StoredEvent) -> Event:
        row = self.opened(engagement_id, row)
        where = f"engagement {engagement_id!r} version {row.version}"
        problem = version_problem(row.format_version)
        if problem:
            raise InvalidDocument([f"{where}: {problem}"])
        try:
            data = json.loads(row.body)
        except (ValueError, RecursionError) as exc:
            raise InvalidDocument([f"{where}: not valid JSON ({exc})"]) from None
        try:
            return events_from_list(upcast_events([data], row.format_version), path="$")[0]
        except InvalidDocument as exc:
            raise InvalidDocument(
                [_name_version(f"engagement {engagement_id!r}", e) for e in exc.errors]
            ) from None


def _exactly(where: str, rows: Sequence[StoredEvent]) -> Engagement:
    """The engagement of plain *rows* the exact way (json, the converter), explaining
    what is wrong with a damaged one."""
    data = []
    for row in rows:
        problem = version_problem(row.format_version)
        if problem:
            raise InvalidDocument([f"{where} version {row.version}: {problem}"])
        try:
            item = json.loads(row.body)
        except (ValueError, RecursionError) as exc:
            raise InvalidDocument(
                [f"{where} version {row.version}: not valid JSON ({exc})"]
            ) from None
        data.extend(upcast_events([item], row.format_version))
    try:
        return load_events(events_from_list(data, path="$"), "$")
    except InvalidDocument as exc:
        raise InvalidDocument([_name_version(where, e) for e in exc.errors]) from None


def _name_version(where: str, error: str) -> str:
    """Turn ``... @ $[2].session`` into ``engagement 'x' version 3: ... @ session``."""
    message, _, path = error.rpartition(" @ ")
    if path.startswith("$[") and "]" in path:
        index, _, rest = path[2:].partition("]")
        if index.isdigit():
            return f"{where} version {int(index) + 1}: {message}" + (
                f" @ {rest.lstrip('.')}" if rest else ""
            )
    return f"{where}: {error}"
