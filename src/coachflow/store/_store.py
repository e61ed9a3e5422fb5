"""`EventStore`: what every store does the same way, on top of its recorder.

Saving, loading, erasing, the feed and the summaries are written once here; a store
is this class with a recorder for its database (`MemoryStore`, `SQLStore`) and a
mapper that turns events into rows and back (sealing them where there is a key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from coachflow._engagement import Engagement
from coachflow._engine.fold import mark_saved
from coachflow._privacy.views import erased, erased_for, erased_kinds
from coachflow._values.enums import Phase, Role
from coachflow._values.errors import ConcurrencyConflict, UnknownEngagement
from coachflow._values.events import Event, parties_in, parties_of
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.validation import describe, require_aware, require_text
from coachflow.store._mapper import Mapper, dumps
from coachflow.store._recorder import Recorder, erased_conflict
from coachflow.store._records import Copied, Erasure, FeedItem, Summary, check_feed

__all__ = ["EventStore", "reader_name"]


class EventStore:
    """An append-only store of engagements' events with optimistic concurrency.

    `save` appends what the store does not have yet and refuses, with
    `ConcurrencyConflict`, when someone else appended first; `load` replays, so the
    rules hold for whatever comes out. `MemoryStore` and `SQLStore` are the two kinds.
    """

    def __init__(self, recorder: Recorder, mapper: Mapper | None = None) -> None:
        self._recorder = recorder
        self._mapper = mapper if mapper is not None else Mapper()

    # -- engagements --------------------------------------------------------------------

    def save(self, engagement: Engagement) -> int:
        """Append the events the store does not have yet; return the stored version.

        Raises `ConcurrencyConflict` and writes nothing when the stored version is
        not `Engagement.saved_version` (the version this engagement was loaded or
        last saved at). An engagement loaded from or saved in another store, whose id
        this store has never stored, is saved whole, as new here.
        """
        if not isinstance(engagement, Engagement):
            raise InvalidType(
                f"'engagement' must be an Engagement (got {describe(engagement)}); "
                "to change a stored one, load it, issue commands, then save it"
            )
        if engagement.view is not None:
            raise InvalidValue(
                f"this is {engagement.view!r}'s view of engagement {engagement.id!r}, with "
                "texts redacted: a store keeps the engagement itself"
            )
        try:
            self._append(engagement, engagement.saved_version)
        except ConcurrencyConflict as conflict:
            if conflict.actual != 0 or engagement.saved_version == 0:
                raise
            # saved in (or loaded from) another store, new to this one: its whole history
            self._append(engagement, 0)
        mark_saved(engagement, engagement.version)
        return engagement.version

    def _append(self, engagement: Engagement, expected: int) -> None:
        new = engagement.events[expected:]
        rows = self._mapper.rows(engagement.id, new, expected + 1)
        parties = [(party.id, party.role) for party in parties_in(new)]
        # a former coach, whom the summary no longer names: indexed apart (`Recorder.write`)
        parties += [(coach_id, Role.COACH) for coach_id in engagement.former_coaches]
        summary = Summary.of(engagement)
        sealing = self._mapper.sealing()

        def write(erasures: int) -> None:
            self._recorder.write(
                engagement.id,
                rows,
                expected,
                summary,
                erasures=erasures,
                parties=parties,
                sealing=sealing,
            )

        try:
            write(0)
        except ConcurrencyConflict as conflict:
            if conflict.actual != conflict.expected:
                raise
            # erased before: a copy loaded before the erasure still holds what was erased
            # and its save conflicts; a copy loaded since goes on
            write(self._erasures_reflected(engagement, expected))

    def _erasures_reflected(self, engagement: Engagement, expected: int) -> int:
        """How many erasures *engagement* (saved up to *expected*) was loaded after: all
        of the store's, when its history is the stored one; else `erased_conflict`."""
        stored = self._loaded(engagement.id)
        kept = stored.events if stored is not None else ()
        if list(kept[:expected]) != list(engagement.events[:expected]):
            raise erased_conflict(expected, engagement.id)
        return len(self._recorder.erasures(engagement.id))

    def load(self, engagement_id: str) -> Engagement:
        """The stored engagement, replayed through the rules.

        Raises `UnknownEngagement` (a `KeyError`) for an unknown id and
        `InvalidDocument` naming the engagement and version for a damaged row.
        """
        engagement = self._loaded(engagement_id)
        if engagement is None:
            raise UnknownEngagement(engagement_id)
        return engagement

    def head(self, engagement_id: str) -> str:
        """A digest of the whole stored history of *engagement_id* (SHA-256, hex): keep
        it elsewhere after each save and erasure, and compare it later, so that a
        database restored from an older copy does not pass for the truth. It is the
        same in every store and under every key; it changes with every event and every
        erasure. `UnknownEngagement` for an unknown id."""
        digest = hashlib.sha256(f"coachflow history\x1f{engagement_id}".encode())
        for event in self.load(engagement_id).events:
            digest.update(b"\x1e" + dumps(event).encode())
        return digest.hexdigest()

    def _loaded(self, engagement_id: str) -> Engagement | None:
        """The stored engagement (None if unknown): its rows read, with the seals that
        vouch for them in a sealed store, and replayed."""
        if self._mapper.sealer is None:
            rows, head, erased = self._recorder.read(engagement_id), None, None
        else:
            rows, head, erased = self._recorder.read_sealed(engagement_id)
        return self._mapper.engagement(engagement_id, rows, head, erased) if rows else None

    def append(self, engagement_id: str, events: Iterable[Event], expected_version: int) -> int:
        """Append *events* after *expected_version*; return the new version.

        The events are checked by replaying them after the stored ones, so the
        store never holds an impossible history.
        """
        new = list(events)
        stored = self._loaded(engagement_id)
        version = 0 if stored is None else stored.version
        if version != expected_version:
            raise ConcurrencyConflict(expected_version, version, engagement_id)
        before = stored.events if stored is not None else ()
        engagement = Engagement.replay([*before, *new])
        if engagement.id != engagement_id:
            raise InvalidValue(f"the events belong to {engagement.id!r}, not {engagement_id!r}")
        mark_saved(engagement, expected_version)
        return self.save(engagement)

    # -- erasure ------------------------------------------------------------------------

    def erase(self, engagement_id: str, *, reason: str, at: dt.datetime) -> Erasure:
        """Erase every personal text of an engagement from everywhere this store keeps it.

        Afterwards `load` gives the engagement with `coachflow.REDACTED` for every
        personal text (the parties' names, goals, notes, homework, comments, reasons,
        the action plan, summaries) and the same phases, dates, durations, modes, scores
        and ids, so reports still count it. The rows are rewritten in place, in one
        transaction; SQLite overwrites the freed bytes (``secure_delete``) and empties
        its write-ahead log. The erasure is recorded (`erasures`): *at* (when, aware, as
        every command takes it: coachflow never reads the clock), *reason* (why, e.g. the
        request's reference; no personal data) and which kinds of data were erased; and
        the feed gets an item of kind ``"erased"`` so that its readers forget too. A
        save of a copy loaded before the erasure then conflicts.
        Raises `UnknownEngagement` for an unknown id.
        """
        return self._erase(engagement_id, _reason(reason), _when(at), None)

    def _erase(
        self,
        engagement_id: str,
        reason: str,
        when: dt.datetime,
        party_id: str | None,
        *,
        forget: bool = True,
    ) -> Erasure:
        for _ in range(10):  # a save may come between reading and rewriting: try again
            stored = self._loaded(engagement_id)
            if stored is None:
                raise UnknownEngagement(engagement_id)
            events = stored.events
            if party_id is None:
                after = erased(events)
            else:
                after = erased_for(events, party_id, _role_of(events, party_id))
            rows = self._mapper.rows(engagement_id, after, 1)
            what = erased_kinds(events, after)
            erasure = Erasure(engagement_id, when, reason, what, len(events), party_id)
            sealing = self._mapper.sealing()
            try:
                position = self._recorder.rewrite(
                    engagement_id, rows, erasure, forget=forget, sealing=sealing
                )
            except ConcurrencyConflict:
                continue
            return attrs.evolve(erasure, position=position)
        raise ConcurrencyConflict(len(events), -1, engagement_id)  # pragma: no cover

    def erase_party(self, party_id: str, *, reason: str, at: dt.datetime) -> list[Erasure]:
        """Erase what is *party_id*'s in every stored engagement they took part in (as
        coach, client or sponsor, now or before); return the records, by engagement id.

        A client's erasure takes every personal text of their engagements but the other
        parties' names (the goals, notes, homework, comments and plan are about the
        client); a coach's or a sponsor's takes their name (a coach's notes are about
        the client and stay until the client's erasure). Each engagement's erasure is
        recorded and fed to the feed's readers as `erase` does.
        """
        if not isinstance(party_id, str):
            raise InvalidType(f"'party_id' must be a party's id (got {describe(party_id)})")
        reason, when = _reason(reason), _when(at)
        try:  # the files are rewritten once, after the last engagement's rows
            return [
                self._erase(engagement_id, reason, when, party_id, forget=False)
                for engagement_id in sorted(self._recorder.engagements_of(party_id))
            ]
        finally:
            self._recorder.forget()

    def erasures(self, engagement_id: str | None = None) -> list[Erasure]:
        """The records of erasures (of one engagement, when given), oldest first."""
        return self._recorder.erasures(engagement_id)

    # -- listing and the feed -------------------------------------------------------------

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
        phase = None if phase is None else Phase(phase)
        return self._recorder.summaries(
            phase=phase, coach=coach, client=client, sponsor=sponsor, due_by=due_by
        )

    def ids(self, *, phase: Phase | None = None, due_by: dt.date | None = None) -> list[str]:
        """The stored engagements' ids, sorted; only those in *phase* and with
        something due on or before *due_by*, when given."""
        phase = None if phase is None else Phase(phase)
        return self._recorder.ids(phase=phase, due_by=due_by)

    def feed(self, after: int = 0, limit: int = 1000) -> list[FeedItem]:
        """Up to *limit* feed items after position *after*, in position order.

        Every stored event has one position, strictly increasing in the order the
        saves committed, so a reader that remembers the last position it handled and
        polls with ``after=`` that position sees every event exactly once, even while
        writers race (see the how-to on publishing the feed). Each erasure takes the
        next position too: an item of kind ``"erased"`` (no event; the kinds of data
        erased) telling readers to forget what they kept of the engagement. The events
        the feed gives are as they are stored now: erased texts read `REDACTED`.
        """
        after, limit = check_feed(after, limit)
        return [
            FeedItem(position, engagement_id, row.version, None, "erased", row.what)
            if isinstance(row, Erasure)
            else FeedItem(
                position, engagement_id, row.version, self._mapper.event(engagement_id, row)
            )
            for position, engagement_id, row in self._recorder.feed(after, limit)
        ]

    # -- copying -----------------------------------------------------------------------------

    def copy_from(self, source: EventStore) -> int:
        """Copy every engagement of *source* into this empty store, as it is stored
        there: the erased texts erased, every event and erasure at its feed position,
        the erasure records and the feed readers' positions. Each engagement is loaded
        (so its rules and seals are checked) and written in one transaction; a sealed
        store seals it with its own key. Returns how many engagements were copied;
        `ValueError` when this store is not empty (nothing is written)."""
        if not isinstance(source, EventStore):
            raise InvalidType(f"'source' must be an event store (got {describe(source)})")
        positions: dict[tuple[str, int], int] = {}
        after = 0
        while page := source.feed(after=after, limit=10_000):
            for item in page:
                if item.kind == "event":
                    positions[item.engagement_id, item.version] = item.position
            after = page[-1].position
        copies = []
        for engagement_id in source.ids():
            engagement = source.load(engagement_id)
            rows = self._mapper.rows(engagement_id, engagement.events, 1)
            parties = [(p.id, p.role) for p in parties_in(engagement.events)]
            copies.append(
                Copied(
                    engagement_id,
                    rows,
                    [positions[engagement_id, row.version] for row in rows],
                    Summary.of(engagement),
                    parties,
                )
            )
        self._recorder.restore(copies, source.erasures(), source.readers(), after=self._copied)
        return len(copies)

    def _copied(self, connection: Any) -> None:
        """Inside a copy's transaction, after the rows are written (a sealed store seals
        them here)."""

    # -- readers of the feed ----------------------------------------------------------------

    def readers(self) -> dict[str, int]:
        """Every feed reader's position (`follow`, `track`), by name."""
        return self._recorder.readers()

    def position(self, reader: str) -> int:
        """The feed position *reader* has handled up to, as `follow` and `track` keep it
        in the store (0 for a reader never seen)."""
        return self._recorder.position(reader_name(reader))

    def track(self, reader: str, position: int) -> None:
        """Record that *reader* has handled the feed up to *position* (`follow` does this
        after each item; call it yourself to move a reader, e.g. to skip history)."""
        after, _ = check_feed(position, 1)
        self._recorder.track(reader_name(reader), after)

    def follow(
        self, reader: str, handler: Callable[[FeedItem], object], *, limit: int = 100
    ) -> int:
        """Hand each feed item after *reader*'s saved position to *handler*, in order,
        saving the position in the store after each; return how many were handled.

        At most *limit* items a call: call it again (on a timer, or until it returns 0)
        to catch up. Delivery is at least once: when *handler* raises, the error
        propagates and the position stays before that item, so the next call hands it
        over again; a crash between the handler and the save does the same. Make the
        handler idempotent on ``(item.engagement_id, item.version)``, or, on a
        `SQLStore`, save the position in the handler's own transaction
        (`SQLStore.track` with ``connection=``). One follower per reader at a time.
        """
        name = reader_name(reader)
        if not callable(handler):
            raise InvalidType(f"'handler' must be callable (got {describe(handler)})")
        handled = 0
        for item in self.feed(after=self._recorder.position(name), limit=limit):
            handler(item)
            self._recorder.track(name, item.position)
            handled += 1
        return handled


def _reason(reason: object) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidValue(f"'reason' must be a non-blank text (got {reason!r})")
    require_text("reason", reason)
    return reason


def _when(at: object) -> dt.datetime:
    require_aware("at", at)
    assert isinstance(at, dt.datetime)
    return at


def _role_of(events: Iterable[Event], party_id: str) -> Role:
    """The role *party_id* took in *events* (a sponsor's, a name only, when none)."""
    for event in events:
        for party in parties_of(event):
            if party.id == party_id:
                return party.role
    return Role.SPONSOR


def reader_name(reader: object) -> str:
    """A reader's name: a non-blank text of at most 200 characters."""
    if not isinstance(reader, str):
        raise InvalidType(f"'reader' must be a reader's name, a str (got {describe(reader)})")
    if not reader.strip() or len(reader) > 200:
        raise InvalidValue(
            f"'reader' must be a non-blank name of at most 200 characters (got {reader!r})"
        )
    return reader
