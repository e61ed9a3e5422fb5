"""`MemoryStore`: the event store for tests and single-process use."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from coachflow._errors import ConcurrencyConflict
from coachflow._model import Phase
from coachflow.store._base import EventStore, StoredEvent, Summary

__all__ = ["MemoryStore"]


class MemoryStore(EventStore):
    """Keeps events in memory; thread-safe; gone when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, list[StoredEvent]] = {}
        self._summaries: dict[str, Summary] = {}

    def _read(self, engagement_id: str) -> list[StoredEvent]:
        with self._lock:
            return list(self._rows.get(engagement_id, ()))

    def _write(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        expected_version: int,
        summary: Summary,
    ) -> None:
        with self._lock:
            stored = self._rows.setdefault(engagement_id, [])
            if len(stored) != expected_version:
                actual = len(stored)
                if not stored:
                    del self._rows[engagement_id]
                raise ConcurrencyConflict(expected_version, actual, engagement_id)
            stored.extend(rows)
            self._summaries[engagement_id] = summary

    def ids(self, *, phase: Phase | None = None, due_by: dt.date | None = None) -> list[str]:
        with self._lock:
            summaries = list(self._summaries.values())
        return sorted(
            s.engagement_id
            for s in summaries
            if (phase is None or s.phase is phase)
            and (due_by is None or (s.next_due is not None and s.next_due <= due_by))
        )
