"""The commands of sessions as they happen (record, book, move, cancel, miss) and of
their corrections."""

from __future__ import annotations

import datetime as dt

from coachflow._engine.fold import Fold
from coachflow._values.changes import NoShowVoided, SessionCorrected, SessionVoided
from coachflow._values.events import (
    NoShowRecorded,
    SessionBooked,
    SessionCancelled,
    SessionRecorded,
    SessionRescheduled,
)
from coachflow._values.initializers import maker
from coachflow._values.sessions import Booking, Session

__all__ = ["SessionCommands"]

_session_recorded = maker(SessionRecorded)  # SessionRecorded(**fields), by position


class SessionCommands(Fold):
    """The commands that record sessions and manage bookings (see `Engagement`)."""

    __slots__ = ()

    def record_session(
        self, session: Session, *, at: dt.datetime, by: str, booking_id: str | None = None
    ) -> SessionRecorded:
        """Record a session that was held (ACTIVE, MIDPOINT_REVIEW or CLOSING).

        ``session.held_at`` may not be after ``at`` nor on a day (in the engagement's
        zone) before the agreed start: `ValueError`. Sessions may be recorded late, in
        any order. Assignment ids must be new to the engagement: else
        `RuleViolation` (``homework.duplicate_id``). Duration and mode are judged
        by `check`, never refused.

        *booking_id* names the open booking the session fulfils (it may have begun at
        another time than booked): an unknown id or a settled booking is a
        `RuleViolation` (``booking.unknown``, ``booking.settled``).

        The session records the coach who held it (`Session.coach_id`): once the
        engagement has changed coach, the coach in charge at ``held_at`` unless the
        session names another coach of the engagement.
        """
        self._guard("record_session", by)
        return self._commit(_session_recorded(at, by, session, booking_id))

    def book_session(self, booking: Booking, *, at: dt.datetime, by: str) -> SessionBooked:
        """Book a session (ACTIVE, MIDPOINT_REVIEW, CLOSING or PAUSED; coach or client).

        ``booking.starts_at`` may lie in the future or, for a booking entered late, in
        the past; not on a day before the agreed start: `ValueError`. The booking's id
        must be new to the engagement: else `RuleViolation` (``booking.duplicate_id``).
        """
        self._guard("book_session", by)
        return self._commit(SessionBooked(at=at, by=by, booking=booking))

    def reschedule_session(
        self, booking_id: str, *, starts_at: dt.datetime, at: dt.datetime, by: str
    ) -> SessionRescheduled:
        """Move an open booking to *starts_at* (coach or client).

        An unknown or settled booking: `RuleViolation` (``booking.unknown``,
        ``booking.settled``). The calendar shows the move (`to_ics`: a higher
        ``SEQUENCE``).
        """
        self._guard("reschedule_session", by)
        event = SessionRescheduled(at=at, by=by, booking_id=booking_id, starts_at=starts_at)
        return self._commit(event)

    def cancel_session(
        self, booking_id: str, *, at: dt.datetime, by: str, reason: str
    ) -> SessionCancelled:
        """Cancel an open booking (coach or client).

        The cancellation is late when *at* is less than the programme's
        ``cancellation_notice_hours`` (real hours, by instant) before the booked
        start; a late cancellation by the client uses up a session when
        ``late_cancellation_counts`` (see `allocation`). An unknown or settled
        booking: `RuleViolation` (``booking.unknown``, ``booking.settled``).
        """
        self._guard("cancel_session", by)
        event = SessionCancelled(at=at, by=by, booking_id=booking_id, reason=reason)
        return self._commit(event)

    def record_no_show(self, booking_id: str, *, at: dt.datetime, by: str) -> NoShowRecorded:
        """Record that the client did not turn up for a booking (the coach alone).

        A no-show uses up a session (see `allocation`). *at* may not be before the
        booked start: `ValueError`. An unknown or settled booking: `RuleViolation`
        (``booking.unknown``, ``booking.settled``).
        """
        self._guard("record_no_show", by)
        return self._commit(NoShowRecorded(at=at, by=by, booking_id=booking_id))

    def correct_session(
        self, held_at: dt.datetime, session: Session, *, reason: str, at: dt.datetime, by: str
    ) -> SessionCorrected:
        """Correct the session recorded as held at *held_at*: from now on *session*
        counts in its place (every phase after AGREEMENT; the coach alone).

        The original record stays in the history, and the timeline shows both with
        *reason* (visible to the client). A session held by a former coach keeps its
        `Session.coach_id` unless *session* names another. No session held at
        *held_at*: `RuleViolation` (``session.unknown``); the corrected session obeys
        `record_session`'s rules.
        """
        self._guard("correct_session", by)
        event = SessionCorrected(at=at, by=by, held_at=held_at, session=session, reason=reason)
        return self._commit(event)

    def void_session(
        self, held_at: dt.datetime, *, reason: str, at: dt.datetime, by: str
    ) -> SessionVoided:
        """Void the session recorded as held at *held_at*, recorded by mistake: it counts
        nowhere from now on, and the booking it fulfilled (if any) is open again.

        No session held at *held_at*: `RuleViolation` (``session.unknown``).
        """
        self._guard("void_session", by)
        return self._commit(SessionVoided(at=at, by=by, held_at=held_at, reason=reason))

    def void_no_show(
        self, booking_id: str, *, reason: str, at: dt.datetime, by: str
    ) -> NoShowVoided:
        """Void the no-show recorded for *booking_id*: the booking is open again (and
        the session it used up is not).

        No no-show for that booking: `RuleViolation` (``no_show.unknown``).
        """
        self._guard("void_no_show", by)
        return self._commit(NoShowVoided(at=at, by=by, booking_id=booking_id, reason=reason))
