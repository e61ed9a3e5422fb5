"""`MemoryStore`: the event store for tests and single-process use."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from coachflow._values.enums import Phase
from coachflow._values.errors import ConcurrencyConflict
from coachflow.store._base import (
    Erasure,
    EventStore,
    FeedItem,
    StoredEvent,
    Summary,
    check_feed,
    decode_event,
    erased_conflict,
    parties_of,
)

__all__ = ["MemoryStore"]


class MemoryStore(EventStore):
    """Keeps events in memory; thread-safe; gone when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, list[StoredEvent]] = {}
        self._summaries: dict[str, Summary] = {}
        self._erasures: list[Erasure] = []
        self._feed: list[tuple[str, int]] = []  # (engagement id, version) by position

    def _read(self, engagement_id: str) -> list[StoredEvent]:
        with self._lock:
            return list(self._rows.get(engagement_id, ()))

    def _write(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        expected_version: int,
        summary: Summary,
        personal: bool = True,
    ) -> None:
        with self._lock:
            stored = self._rows.setdefault(engagement_id, [])
            if len(stored) != expected_version:
                actual = len(stored)
                if not stored:
                    del self._rows[engagement_id]
                raise ConcurrencyConflict(expected_version, actual, engagement_id)
            if personal and any(e.engagement_id == engagement_id for e in self._erasures):
                raise erased_conflict(expected_version, engagement_id)
            stored.extend(rows)
            self._feed.extend((engagement_id, row.version) for row in rows)
            self._summaries[engagement_id] = summary

    def _rewrite(self, engagement_id: str, rows: Sequence[StoredEvent], erasure: Erasure) -> None:
        with self._lock:
            stored = self._rows.get(engagement_id, [])
            if len(stored) != len(rows):
                raise ConcurrencyConflict(len(rows), len(stored), engagement_id)
            self._rows[engagement_id] = list(rows)  # the old texts are no longer referenced
            self._erasures.append(erasure)

    def erasures(self, engagement_id: str | None = None) -> list[Erasure]:
        with self._lock:
            return [e for e in self._erasures if engagement_id in (None, e.engagement_id)]

    def feed(self, after: int = 0, limit: int = 1000) -> list[FeedItem]:
        after, limit = check_feed(after, limit)
        with self._lock:
            found = [
                (position, engagement_id, self._rows[engagement_id][version - 1])
                for position, (engagement_id, version) in enumerate(
                    self._feed[after : after + limit], start=after + 1
                )
            ]
        return [
            FeedItem(position, engagement_id, row.version, decode_event(engagement_id, row))
            for position, engagement_id, row in found
        ]

    def _party_engagements(self, party_id: str) -> list[str]:
        with self._lock:
            firsts = {id: rows[0].body for id, rows in self._rows.items() if rows}
        return [id for id, body in firsts.items() if party_id in parties_of(body)]

    def summaries(
        self,
        *,
        phase: Phase | None = None,
        coach: str | None = None,
        client: str | None = None,
        sponsor: str | None = None,
        due_by: dt.date | None = None,
    ) -> list[Summary]:
        phase = None if phase is None else Phase(phase)
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
