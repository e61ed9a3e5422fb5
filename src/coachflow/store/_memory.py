"""`MemoryStore`: the event store for tests and single-process use, and its recorder."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from coachflow._values.enums import Phase
from coachflow._values.errors import ConcurrencyConflict
from coachflow._values.failures import InvalidValue
from coachflow.store._mapper import Sealing
from coachflow.store._recorder import Party, Recorder, erased_conflict
from coachflow.store._records import Copied, Erasure, StoredEvent, Summary
from coachflow.store._store import EventStore

__all__ = ["MemoryRecorder", "MemoryStore"]


class MemoryRecorder(Recorder):
    """Rows in dictionaries, guarded by one lock. It keeps no key: nothing to seal (a
    *sealing* given is not used)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, list[StoredEvent]] = {}
        self._summaries: dict[str, Summary] = {}
        self._parties: dict[str, set[str]] = {}  # party id -> engagement ids
        self._erasures: list[Erasure] = []
        # by position: (engagement id, version) of an event, or an erasure's record
        self._feed: list[tuple[str, int] | Erasure] = []
        self._positions: dict[str, int] = {}  # each feed reader's position

    def position(self, reader: str) -> int:
        with self._lock:
            return self._positions.get(reader, 0)

    def track(self, reader: str, position: int) -> None:
        with self._lock:
            self._positions[reader] = position

    def read(self, engagement_id: str) -> list[StoredEvent]:
        with self._lock:
            return list(self._rows.get(engagement_id, ()))

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
        with self._lock:
            actual = len(self._rows.get(engagement_id, ()))
            if actual != expected_version:
                raise ConcurrencyConflict(expected_version, actual, engagement_id)
            if actual and erasures != sum(
                e.engagement_id == engagement_id for e in self._erasures
            ):
                raise erased_conflict(expected_version, engagement_id)
            self._rows.setdefault(engagement_id, []).extend(rows)
            self._feed.extend((engagement_id, row.version) for row in rows)
            for party_id, _ in parties:
                self._parties.setdefault(party_id, set()).add(engagement_id)
            self._summaries[engagement_id] = summary

    def rewrite(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        erasure: Erasure,
        *,
        forget: bool = True,
        sealing: Sealing | None = None,
    ) -> int:
        with self._lock:
            stored = self._rows.get(engagement_id, [])
            if len(stored) != len(rows):
                raise ConcurrencyConflict(len(rows), len(stored), engagement_id)
            self._rows[engagement_id] = list(rows)  # the old texts are no longer referenced
            erasure = attrs.evolve(erasure, position=len(self._feed) + 1)
            self._erasures.append(erasure)
            self._feed.append(erasure)
            return len(self._feed)

    def readers(self) -> dict[str, int]:
        with self._lock:
            return dict(self._positions)

    def restore(
        self,
        copies: Sequence[Copied],
        erasures: Sequence[Erasure],
        readers: Mapping[str, int],
        *,
        after: Callable[[Any], None] | None = None,
    ) -> None:
        entries: dict[int, tuple[str, int] | Erasure] = {}
        for copy in copies:
            for row, position in zip(copy.rows, copy.positions, strict=True):
                entries[position] = (copy.engagement_id, row.version)
        entries.update({e.position: e for e in erasures if e.position is not None})
        if sorted(entries) != list(range(1, len(entries) + 1)):
            raise InvalidValue(
                "a MemoryStore numbers its feed without gaps: the source's positions have some"
            )
        with self._lock:
            if self._rows or self._feed:
                raise InvalidValue("the store to copy into must be empty")
            for copy in copies:
                self._rows[copy.engagement_id] = list(copy.rows)
                self._summaries[copy.engagement_id] = copy.summary
                for party_id, _ in copy.parties:
                    self._parties.setdefault(party_id, set()).add(copy.engagement_id)
            self._erasures = list(erasures)
            self._feed = [entries[position] for position in sorted(entries)]
            self._positions = dict(readers)

    def erasures(self, engagement_id: str | None = None) -> list[Erasure]:
        with self._lock:
            return [e for e in self._erasures if engagement_id in (None, e.engagement_id)]

    def engagements_of(self, party_id: str) -> list[str]:
        with self._lock:
            return sorted(self._parties.get(party_id, ()))

    def summaries(
        self,
        *,
        phase: Phase | None = None,
        coach: str | None = None,
        client: str | None = None,
        sponsor: str | None = None,
        due_by: dt.date | None = None,
    ) -> list[Summary]:
        with self._lock:
            found = list(self._summaries.values())
        return sorted(
            (
                s
                for s in found
                if s.matches(
                    phase=phase, coach=coach, client=client, sponsor=sponsor, due_by=due_by
                )
            ),
            key=lambda s: s.engagement_id,
        )

    def feed(self, after: int, limit: int) -> list[tuple[int, str, StoredEvent | Erasure]]:
        with self._lock:
            return [
                (position, *self._item(entry))
                for position, entry in enumerate(self._feed[after : after + limit], after + 1)
            ]

    def _item(self, entry: tuple[str, int] | Erasure) -> tuple[str, StoredEvent | Erasure]:
        if isinstance(entry, Erasure):
            return entry.engagement_id, entry
        engagement_id, version = entry
        return engagement_id, self._rows[engagement_id][version - 1]


class MemoryStore(EventStore):
    """Keeps events in memory; thread-safe; gone when the process ends."""

    def __init__(self) -> None:
        super().__init__(MemoryRecorder())
