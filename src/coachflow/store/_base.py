"""What every event store shares: the protocol, save and load on top of append."""

from __future__ import annotations

import abc
import datetime as dt
import json
from collections.abc import Iterable, Sequence

import attrs
from orjson import dumps as _orjson_dumps

from coachflow._documents.documents import event_to_dict, events_from_list, load_events, load_usual
from coachflow._documents.upcast import FORMAT_VERSION, upcast_events, version_problem
from coachflow._engagement import Engagement
from coachflow._engine.fold import mark_saved
from coachflow._privacy.views import REDACTED, erased, erased_kinds
from coachflow._values.enums import Phase
from coachflow._values.errors import ConcurrencyConflict, InvalidDocument, UnknownEngagement
from coachflow._values.events import Event
from coachflow._values.validation import describe, require_aware, require_text


def parties_of(first_row_body: str) -> set[str]:
    """The party ids of an engagement, from the text of its first (``opened``) row."""
    data = json.loads(first_row_body)
    return {
        party["id"]
        for party in (data.get("coach"), data.get("client"), data.get("sponsor"))
        if isinstance(party, dict) and isinstance(party.get("id"), str)
    }


def erased_conflict(expected: int, engagement_id: str) -> ConcurrencyConflict:
    """The conflict of a save whose history was erased in the store since it was loaded."""
    conflict = ConcurrencyConflict(expected, expected, engagement_id)
    conflict.add_note("it was erased since it was loaded: load it again to go on")
    return conflict


__all__ = [
    "Erasure",
    "EventStore",
    "FeedItem",
    "StoredEvent",
    "Summary",
    "UnknownEngagement",
    "decode",
    "encode",
]


@attrs.frozen
class Erasure:
    """The record of one erasure: when, why, and what kind of data, never the data.

    ``what`` names the personal fields whose texts were erased (``"Session.notes"``,
    ``"Party.name"``, ...), from their `Visibility` declarations.
    """

    engagement_id: str
    erased_at: dt.datetime
    reason: str
    what: tuple[str, ...]


@attrs.frozen
class StoredEvent:
    """One stored row: an event's version, its JSON text, and the document format
    version the text is in (older rows are upcast when loaded, never rewritten)."""

    version: int
    body: str
    format_version: int = FORMAT_VERSION


@attrs.frozen
class Summary:
    """What a store keeps beside the events, so hosts can list without loading:
    the phase, the dates, what is due next, the parties, the last session."""

    engagement_id: str
    version: int
    phase: Phase
    start: dt.date | None
    end: dt.date | None
    next_due: dt.date | None
    coach_id: str | None = None
    client_id: str | None = None
    sponsor_id: str | None = None
    last_session: dt.date | None = None
    """The day of the last session held (in the engagement's zone), if any."""

    @classmethod
    def of(cls, engagement: Engagement) -> Summary:
        """Summarise *engagement*; ``next_due`` is as of the day of its last event."""
        today = engagement.day_of(engagement.events[-1].at)
        actions = engagement.next_actions(today)
        sessions = engagement.sessions
        sponsor = engagement.sponsor
        return cls(
            engagement.id,
            engagement.version,
            engagement.phase,
            engagement.start,
            engagement.end,
            actions[0].due if actions else None,
            engagement.coach.id,
            engagement.client.id,
            sponsor.id if sponsor is not None else None,
            engagement.day_of(sessions[-1].held_at) if sessions else None,
        )

    def matches(
        self,
        *,
        phase: Phase | None = None,
        coach: str | None = None,
        client: str | None = None,
        sponsor: str | None = None,
        due_by: dt.date | None = None,
    ) -> bool:
        """Whether this summary passes every filter given."""
        return (
            (phase is None or self.phase is phase)
            and (coach is None or self.coach_id == coach)
            and (client is None or self.client_id == client)
            and (sponsor is None or self.sponsor_id == sponsor)
            and (due_by is None or (self.next_due is not None and self.next_due <= due_by))
        )


@attrs.frozen
class FeedItem:
    """One stored event as the feed gives it: its position in the store (strictly
    increasing, never reused), its engagement, its version there, and the event."""

    position: int
    engagement_id: str
    version: int
    event: Event


def check_feed(after: object, limit: object) -> tuple[int, int]:
    """*after* and *limit* of `EventStore.feed`, or a clear error."""
    if type(after) is not int or after < 0:
        raise ValueError(f"'after' must be a position, an int >= 0 (got {after!r})")
    if type(limit) is not int or not 1 <= limit <= 100_000:
        raise ValueError(f"'limit' must be an int in 1..100000 (got {limit!r})")
    return after, limit


def decode_event(engagement_id: str, row: StoredEvent) -> Event:
    """One stored row's event (upcast from its format), or `InvalidDocument`."""
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


def encode(event: Event) -> str:
    """An event as the JSON text a store keeps: compact, UTF-8 as it is (orjson writes
    exactly what ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` does
    for the plain types a document holds, in half the time)."""
    return _orjson_dumps(event_to_dict(event)).decode()


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
    mark_saved(engagement, engagement.version)
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
        personal: bool = True,
    ) -> None:
        """Atomically: check the stored version is *expected_version* and, when the
        saver's history holds *personal* texts, that the engagement was never erased;
        add *rows*, store *summary*; raise `ConcurrencyConflict` (writing nothing)
        otherwise."""

    @abc.abstractmethod
    def _rewrite(self, engagement_id: str, rows: Sequence[StoredEvent], erasure: Erasure) -> None:
        """Atomically: check the stored version is ``len(rows)``, replace every stored
        row's body by *rows*' and record *erasure*, leaving no copy of the old texts;
        raise `ConcurrencyConflict` (changing nothing) otherwise."""

    @abc.abstractmethod
    def erasures(self, engagement_id: str | None = None) -> list[Erasure]:
        """The records of erasures (of one engagement, when given), oldest first."""

    @abc.abstractmethod
    def _party_engagements(self, party_id: str) -> list[str]:
        """The ids of the stored engagements *party_id* takes part in."""

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
        """The stored engagements' summaries, by id, without loading any events: only
        those in *phase*, of the coach, client or sponsor with that id, and with
        something due on or before *due_by*, as given ("my clients, due this week")."""

    @abc.abstractmethod
    def feed(self, after: int = 0, limit: int = 1000) -> list[FeedItem]:
        """Up to *limit* stored events after position *after*, in position order.

        Every stored event has one position, strictly increasing in the order the
        saves committed, so a reader that remembers the last position it handled and
        polls with ``after=`` that position sees every event exactly once, even while
        writers race (see the how-to on publishing the feed).
        """

    def ids(self, *, phase: Phase | None = None, due_by: dt.date | None = None) -> list[str]:
        """The stored engagements' ids, sorted; only those in *phase* and with
        something due on or before *due_by*, when given."""
        return [s.engagement_id for s in self.summaries(phase=phase, due_by=due_by)]

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
        # a copy loaded before an erasure still holds what was erased: its save conflicts
        personal = engagement.coach.name != REDACTED
        self._write(engagement.id, rows, expected, Summary.of(engagement), personal)
        mark_saved(engagement, engagement.version)
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

    def erase(self, engagement_id: str, *, reason: str, at: dt.datetime | None = None) -> Erasure:
        """Erase every personal text of an engagement from everywhere this store keeps it.

        Afterwards `load` gives the engagement with `coachflow.REDACTED` for every
        personal text (the parties' names, goals, notes, homework, comments, reasons,
        the action plan, summaries) and the same phases, dates, durations, modes, scores
        and ids, so reports still count it. The rows are rewritten in place, in one
        transaction; SQLite overwrites the freed bytes (``secure_delete``) and empties
        its write-ahead log. The erasure is recorded (`erasures`): *at* (default: now),
        *reason* (why, e.g. the request's reference; no personal data) and which kinds
        of data were erased. A save of a copy loaded before the erasure then conflicts.
        Raises `UnknownEngagement` for an unknown id.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"'reason' must be a non-blank text (got {reason!r})")
        require_text("reason", reason)
        when = at if at is not None else dt.datetime.now(dt.UTC)
        require_aware("at", when)
        for _ in range(10):  # a save may come between reading and rewriting: try again
            stored = self._read(engagement_id)
            if not stored:
                raise UnknownEngagement(engagement_id)
            events = decode(engagement_id, stored).events
            kept = erased(events)
            rows = [StoredEvent(n, encode(event)) for n, event in enumerate(kept, start=1)]
            erasure = Erasure(engagement_id, when, reason, erased_kinds(events))
            try:
                self._rewrite(engagement_id, rows, erasure)
            except ConcurrencyConflict:
                continue
            return erasure
        raise ConcurrencyConflict(len(stored), -1, engagement_id)  # pragma: no cover

    def erase_party(
        self, party_id: str, *, reason: str, at: dt.datetime | None = None
    ) -> list[Erasure]:
        """`erase` every stored engagement *party_id* takes part in (as coach, client or
        sponsor); return the records, by engagement id."""
        if not isinstance(party_id, str):
            raise TypeError(f"'party_id' must be a party's id (got {describe(party_id)})")
        return [
            self.erase(engagement_id, reason=reason, at=at)
            for engagement_id in sorted(self._party_engagements(party_id))
        ]

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
        mark_saved(engagement, expected_version)
        return self.save(engagement)
