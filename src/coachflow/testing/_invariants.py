"""The invariants `EngagementMachine` checks after every step."""

from __future__ import annotations

import datetime as dt

from hypothesis.stateful import invariant

from coachflow._documents.documents import from_json, to_json
from coachflow._engagement import Engagement
from coachflow._values.events import (
    NoShowRecorded,
    NoShowVoided,
    SessionCancelled,
    SessionCorrected,
    SessionRecorded,
    SessionVoided,
)

__all__ = ["Invariants", "observed"]


def observed(engagement: Engagement) -> tuple[object, ...]:
    """What a refused command must leave as it was: the history, and what the state
    derived from it answers (a refusal that half-applied a change would show here)."""
    return (
        to_json(engagement),
        engagement.version,
        engagement.phase,
        engagement.agreement,
        engagement.time_zone,
        engagement.unsigned,
        engagement.consent,
        engagement.bookings,
        engagement.sessions,
        engagement.coach,
    )


class Invariants:
    """A refused command changes nothing; replay, documents and a loaded copy agree; the
    allocation adds up; the version counts the events."""

    engagement: Engagement
    now: dt.datetime
    _refused_unchanged: bool

    @invariant()
    def refused_commands_change_nothing(self) -> None:
        assert self._refused_unchanged, "a refused command changed the engagement"

    @invariant()
    def replay_and_documents_round_trip(self) -> None:
        assert Engagement.replay(self.engagement.events) == self.engagement
        assert from_json(to_json(self.engagement)) == self.engagement

    @invariant()
    def a_loaded_copy_answers_alike(self) -> None:
        live = self.engagement
        loaded = from_json(to_json(live))
        assert loaded.end == live.end
        assert loaded.plan() == live.plan()
        assert loaded.phase_since == live.phase_since
        today = live.day_of(self.now)
        for day in (today, today + dt.timedelta(days=40)):
            assert loaded.check(day) == live.check(day)
            assert loaded.next_actions(day) == live.next_actions(day)

    @invariant()
    def allocation_adds_up(self) -> None:
        """``remaining = allotted - held - forfeited``; an open booking is never also
        held, cancelled or missed."""
        live = self.engagement
        allocation = live.allocation
        assert allocation.remaining == allocation.allotted - allocation.held - allocation.forfeited
        assert allocation.held == len(live.sessions)
        settled: set[str] = set()
        fulfilled: dict[dt.datetime, list[str | None]] = {}  # by instant held: bookings
        missed = 0
        for event in live.events:  # settled by a session, a cancellation or a no-show
            if isinstance(event, SessionRecorded):
                held = event.session.held_at.astimezone(dt.UTC)
                fulfilled.setdefault(held, []).append(event.booking_id)
            elif isinstance(event, SessionCorrected):
                booking = fulfilled[event.held_at.astimezone(dt.UTC)].pop(0)
                held = event.session.held_at.astimezone(dt.UTC)
                fulfilled.setdefault(held, []).append(booking)
            elif isinstance(event, SessionVoided):  # its booking is open again
                settled.discard(fulfilled[event.held_at.astimezone(dt.UTC)].pop(0) or "")
            elif isinstance(event, NoShowVoided):
                settled.discard(event.booking_id)
                missed -= 1
            missed += isinstance(event, NoShowRecorded)
            if isinstance(event, SessionRecorded | SessionCancelled | NoShowRecorded):
                settled.add(event.booking_id or "")
        assert not settled & {booking.id for booking in live.bookings}
        assert missed <= allocation.forfeited

    @invariant()
    def version_counts_events(self) -> None:
        assert self.engagement.version == len(self.engagement.events)
