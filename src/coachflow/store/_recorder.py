"""The recorder interface: what a database must do for an `EventStore`.

One implementation per database (`coachflow.store._memory`, `coachflow.store._sql` with
a dialect per SQL database), as eventsourcing keeps one recorder module per database.
A recorder stores rows as it gets them (sealed already, where the store has a key) and
knows nothing of events, rules or privacy; the store (`coachflow.store._store`) does.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from coachflow._values.enums import Phase, Role
from coachflow._values.errors import ConcurrencyConflict
from coachflow.store._records import Copied, Erasure, StoredEvent, Summary

if TYPE_CHECKING:
    from coachflow.store._mapper import Sealing

__all__ = ["Party", "Recorder", "erased_conflict"]

Party = tuple[str, Role]
"""A party as a recorder indexes it: its id and its role."""


class Recorder(abc.ABC):
    """Rows, summaries, parties, feed positions and erasure records in one database."""

    @abc.abstractmethod
    def read(self, engagement_id: str) -> list[StoredEvent]:
        """The stored rows of one engagement in version order ([] if unknown)."""

    def read_sealed(self, engagement_id: str) -> tuple[list[StoredEvent], str | None, str | None]:
        """The stored rows of one engagement, the head of their chain of seals and the
        mark of its last erasure, read at one instant (a store with a key reads so)."""
        return self.read(engagement_id), None, None

    @abc.abstractmethod
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
        """Atomically: check the stored version is *expected_version* and that the
        engagement has had *erasures* erasures (the saver's copy reflects that many);
        add *rows* at the next feed positions, index *parties* (the ones the rows
        bring in, and the former coaches: `engagements_of` must find each of them; a
        party the summary names may be found through it), store *summary*; raise
        `ConcurrencyConflict` (writing nothing) otherwise (`erased_conflict` for another
        number of erasures). With *sealing*, seal the rows after the head the
        transaction finds and record the new head."""

    @abc.abstractmethod
    def rewrite(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        erasure: Erasure,
        *,
        forget: bool = True,
        sealing: Sealing | None = None,
    ) -> int:
        """Atomically: check the stored version is ``len(rows)``, replace every stored
        row's text by *rows*' and record *erasure* at the next feed position; raise
        `ConcurrencyConflict` (changing nothing) otherwise. With *forget*, leave no copy
        of the old texts in the database's files; else leave that to `forget`. With
        *sealing*, seal the rows in a new chain and record its head with the erasure.
        Returns the erasure's feed position."""

    def forget(self) -> None:  # noqa: B027 - most databases have nothing left to do
        """Leave no copy of the texts the rewrites since the last `forget` replaced."""

    @abc.abstractmethod
    def erasures(self, engagement_id: str | None = None) -> list[Erasure]:
        """The records of erasures (of one engagement, when given), oldest first."""

    @abc.abstractmethod
    def engagements_of(self, party_id: str) -> list[str]:
        """The ids of the stored engagements *party_id* ever took part in."""

    @abc.abstractmethod
    def summaries(
        self,
        *,
        phase: Phase | None = None,
        coach: str | None = None,
        client: str | None = None,
        sponsor: str | None = None,
        due_by: dt.date | None = None,
    ) -> list[Summary]:
        """The summaries passing every filter given, by engagement id."""

    @abc.abstractmethod
    def feed(self, after: int, limit: int) -> list[tuple[int, str, StoredEvent | Erasure]]:
        """Up to *limit* rows and erasure records after position *after*, in position
        order, each with its position and engagement id (an erasure's version is the
        engagement's when it was erased)."""

    @abc.abstractmethod
    def readers(self) -> dict[str, int]:
        """Every feed reader's position, by name."""

    @abc.abstractmethod
    def restore(
        self,
        copies: Sequence[Copied],
        erasures: Sequence[Erasure],
        readers: Mapping[str, int],
        *,
        after: Callable[[Any], None] | None = None,
    ) -> None:
        """Into this empty store, in one transaction: each engagement's rows at their
        feed positions, its summary and parties; the erasure records at theirs; the
        readers' positions; then *after* (given the transaction's connection).
        `InvalidValue` when the store is not empty (nothing written)."""

    @abc.abstractmethod
    def position(self, reader: str) -> int:
        """The feed position *reader* last recorded (0 for a reader never seen)."""

    @abc.abstractmethod
    def track(self, reader: str, position: int) -> None:
        """Record that *reader* has handled the feed up to *position*."""

    def ids(self, *, phase: Phase | None = None, due_by: dt.date | None = None) -> list[str]:
        """The stored engagements' ids passing the filters, sorted."""
        return [s.engagement_id for s in self.summaries(phase=phase, due_by=due_by)]


def erased_conflict(expected: int, engagement_id: str) -> ConcurrencyConflict:
    """The conflict of a save whose history was erased in the store since it was loaded."""
    conflict = ConcurrencyConflict(expected, expected, engagement_id)
    conflict.add_note("it was erased since it was loaded: load it again to go on")
    return conflict
