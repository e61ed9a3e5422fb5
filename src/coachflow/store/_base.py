"""What every event store shares: the protocol, save and load on top of append."""

from __future__ import annotations

import abc
import datetime as dt
import json
from collections.abc import Iterable, Sequence

import attrs

from coachflow._checks import describe
from coachflow._engagement import Engagement
from coachflow._errors import ConcurrencyConflict, InvalidDocument, UnknownEngagement
from coachflow._events import Event
from coachflow._model import Phase
from coachflow._serialization import event_to_dict, events_from_list, load_events, load_usual
from coachflow._upcast import FORMAT_VERSION, upcast_events, version_problem

__all__ = ["EventStore", "StoredEvent", "Summary", "UnknownEngagement", "decode", "encode"]


@attrs.frozen
class StoredEvent:
    """One stored row: an event's version, its JSON text, and the document format
    version the text is in (older rows are upcast when loaded, never rewritten)."""

    version: int
    body: str
    format_version: int = FORMAT_VERSION


@attrs.frozen
class Summary:
    """What a store keeps beside the events, so hosts can list without loading."""

    engagement_id: str
    version: int
    phase: Phase
    start: dt.date | None
    end: dt.date | None
    next_due: dt.date | None

    @classmethod
    def of(cls, engagement: Engagement) -> Summary:
        """Summarise *engagement*; ``next_due`` is as of the day of its last event."""
        today = engagement.day_of(engagement.events[-1].at)
        actions = engagement.next_actions(today)
        return cls(
            engagement.id,
            engagement.version,
            engagement.phase,
            engagement.start,
            engagement.end,
            actions[0].due if actions else None,
        )


def encode(event: Event) -> str:
    """An event as the JSON text a store keeps."""
    return json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":"))


def decode(engagement_id: str, rows: Sequence[StoredEvent]) -> Engagement:
    """Rebuild an engagement from its stored rows, or raise `InvalidDocument` naming
    the engagement and the version that is damaged."""
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
        engagement = _decode_exactly(where, rows)
    if engagement.id != engagement_id:
        raise InvalidDocument([f"{where}: its events belong to {engagement.id!r}"])
    engagement._saved_version = engagement.version
    return engagement


def _decode_exactly(where: str, rows: Sequence[StoredEvent]) -> Engagement:
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


class EventStore(abc.ABC):
    """An append-only store of engagements' events with optimistic concurrency.

    `save` appends what the store does not have yet and refuses, with
    `ConcurrencyConflict`, when someone else appended first; `load` replays, so the
    rules hold for whatever comes out.
    """

    # -- what an implementation provides --------------------------------------------

    @abc.abstractmethod
    def _read(self, engagement_id: str) -> list[StoredEvent]:
        """The stored rows of one engagement in version order ([] if unknown)."""

    @abc.abstractmethod
    def _write(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        expected_version: int,
        summary: Summary,
    ) -> None:
        """Atomically: check the stored version is *expected_version*, add *rows*,
        store *summary*; raise `ConcurrencyConflict` (writing nothing) otherwise."""

    @abc.abstractmethod
    def ids(self, *, phase: Phase | None = None, due_by: dt.date | None = None) -> list[str]:
        """The stored engagements' ids, sorted; only those in *phase* and with
        something due on or before *due_by*, when given."""

    # -- what every store does the same way -------------------------------------------------

    def save(self, engagement: Engagement) -> int:
        """Append the events the store does not have yet; return the stored version.

        Raises `ConcurrencyConflict` and writes nothing when the stored version is
        not `Engagement.saved_version` (the version this engagement was loaded or
        last saved at).
        """
        if not isinstance(engagement, Engagement):
            raise TypeError(
                f"'engagement' must be an Engagement (got {describe(engagement)}); "
                "to change a stored one, load it, issue commands, then save it"
            )
        if engagement.view is not None:
            raise ValueError(
                f"this is {engagement.view!r}'s view of engagement {engagement.id!r}, with "
                "texts redacted: a store keeps the engagement itself"
            )
        expected = engagement.saved_version
        rows = [
            StoredEvent(version, encode(event))
            for version, event in enumerate(engagement.events[expected:], start=expected + 1)
        ]
        self._write(engagement.id, rows, expected, Summary.of(engagement))
        engagement._saved_version = engagement.version
        return engagement.version

    def load(self, engagement_id: str) -> Engagement:
        """The stored engagement, replayed through the rules.

        Raises `UnknownEngagement` (a `KeyError`) for an unknown id and
        `InvalidDocument` naming the engagement and version for a damaged row.
        """
        rows = self._read(engagement_id)
        if not rows:
            raise UnknownEngagement(engagement_id)
        return decode(engagement_id, rows)

    def append(self, engagement_id: str, events: Iterable[Event], expected_version: int) -> int:
        """Append *events* after *expected_version*; return the new version.

        The events are checked by replaying them after the stored ones, so the
        store never holds an impossible history.
        """
        new = list(events)
        stored = self._read(engagement_id)
        if len(stored) != expected_version:
            raise ConcurrencyConflict(expected_version, len(stored), engagement_id)
        before = decode(engagement_id, stored).events if stored else ()
        engagement = Engagement.replay([*before, *new])
        if engagement.id != engagement_id:
            raise ValueError(f"the events belong to {engagement.id!r}, not {engagement_id!r}")
        engagement._saved_version = expected_version
        return self.save(engagement)
