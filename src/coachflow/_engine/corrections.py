"""Corrections of the record, made openly: a session corrected or voided, a no-show
voided. The original events stay in the history; the state holds what is true now."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping

from coachflow._engine.contract import Contract, refuse
from coachflow._values.calendar import day_of
from coachflow._values.changes import NoShowVoided, SessionCorrected, SessionVoided
from coachflow._values.containers import EMPTY_MAP, writable
from coachflow._values.failures import InvalidTime, InvalidValue
from coachflow._values.i18n import t
from coachflow._values.redaction import hiding
from coachflow._values.sessions import Booking, Session
from coachflow._values.wording import list_words, moment_words

__all__ = ["Corrections"]


def _held_at(session: Session) -> dt.datetime:
    return session.held_at  # a fixed offset: sessions sort by instant


class Corrections(Contract):
    """The sessions held and the booking each fulfilled, kept in order as sessions are
    recorded, corrected and voided; the rules and effects of the corrections."""

    __slots__ = ("_fulfilled", "_session_bookings")

    _session_bookings: list[str | None] | None  # the booking each of `_sessions` fulfilled
    # (None while no session has fulfilled one: most engagements never book)
    _fulfilled: Mapping[str, Booking]  # the bookings sessions fulfilled, by id

    def _begin_corrections(self) -> None:
        self._session_bookings = None
        self._fulfilled = EMPTY_MAP  # a dict from the first booking a session fulfils

    # -- the sessions, in order ---------------------------------------------------------

    def _as_held(self, session: Session) -> Session:
        """*session* with the coach who held it: a coach of the engagement, by default
        (once the coach has changed) the one in charge at ``held_at``; `ValueError` for
        an id that is no coach's."""
        coach_id = session.coach_id
        if coach_id is None:  # the first coach's, unless the coach has changed
            if not self._former:
                return session
            with hiding():  # a session of the record may hold erased texts
                return session.held_by(self.coach_at(session.held_at))
        if coach_id != self._coach.id and coach_id not in self._former:
            coaches = ", ".join(repr(c) for c in (*self._former, self._coach.id))
            raise InvalidValue(
                t(
                    "'coach_id' must name a coach of the engagement ({coaches}; got {coach_id!r})",
                    coaches=coaches,
                    coach_id=coach_id,
                )
            )
        return session

    def _insert_session(self, session: Session, booking: Booking | None) -> None:
        sessions, bookings = self._sessions, self._session_bookings
        booking_id = None if booking is None else booking.id
        if booking is not None:
            fulfilled = self._fulfilled = writable(self._fulfilled)
            fulfilled[booking.id] = booking
            if bookings is None:  # the first session to fulfil a booking
                bookings = self._session_bookings = [None] * len(sessions)
        held_at = session.held_at
        if not sessions or sessions[-1].held_at <= held_at:
            sessions.append(session)  # the usual case: recorded in the order held
            if bookings is not None:
                bookings.append(booking_id)
            return
        index = bisect.bisect_right(sessions, held_at, key=_held_at)  # ties: recording order
        sessions.insert(index, session)
        if bookings is not None:
            bookings.insert(index, booking_id)
        self._session_days = self._session_days[:index]  # the days from here on: again

    def _remove_session(self, index: int) -> str | None:
        del self._sessions[index]
        self._session_days = self._session_days[:index]
        bookings = self._session_bookings
        return None if bookings is None else bookings.pop(index)

    def _session_index(self, held_at: dt.datetime, at: dt.datetime) -> int:
        """The index of the first session held at the instant *held_at*, else
        `RuleViolation` (``session.unknown``)."""
        sessions = self._sessions
        index = bisect.bisect_left(sessions, held_at, key=_held_at)
        if index < len(sessions) and sessions[index].held_at == held_at:
            return index
        raise refuse(
            "session.unknown",
            t(
                "no session recorded was held on {held_at}",
                held_at=moment_words(held_at, self._zone),
            ),
            day_of(at, self._zone),
            held_at=held_at.isoformat(),
        )

    def _taken(self) -> set[str]:
        """The ids of the homework the sessions held gave: derived from them when first
        needed after a replay, which drops it (a loaded engagement is mostly read, and
        the set is the largest of its state), then kept up to date by the commands."""
        taken = self._assignments
        if taken is None:
            taken = self._assignments = {
                assignment.id for session in self._sessions for assignment in session.homework
            }
        return taken

    def _homework_ids(self, session: Session, taken: set[str]) -> list[str]:
        """The ids of *session*'s homework, none of them *taken* (else `RuleViolation`
        ``homework.duplicate_id``)."""
        ids = [assignment.id for assignment in session.homework]
        if taken.isdisjoint(ids):
            return ids  # the usual case
        again = sorted(taken.intersection(ids))
        raise refuse(
            "homework.duplicate_id",
            t(
                "assignment ids must be unique in an engagement; already given: {ids}",
                ids=list_words(again),
            ),
            day_of(session.held_at, self._zone),
            ids=again,
        )

    # -- the commands' rules and effects ------------------------------------------------

    def _on_correct_session(self, event: SessionCorrected) -> None:
        index = self._session_index(event.held_at, event.at)
        original = self._sessions[index]
        session = event.session
        if session.coach_id is None and original.coach_id is not None:
            with hiding():
                session = session.held_by(original.coach_id)
        session = self._as_held(session)
        self._require_held_by(session, event.at)
        previous = {assignment.id for assignment in original.homework}
        taken = self._taken() - previous
        ids = self._homework_ids(session, taken)
        booking_id = self._remove_session(index)
        self._assignments = taken | set(ids)
        booking = None if booking_id is None else self._fulfilled[booking_id]
        self._insert_session(session, booking)

    def _require_held_by(self, session: Session, at: dt.datetime) -> None:
        """A session held no later than *at* and not before the start (`ValueError`)."""
        held_at = session.held_at
        if held_at > at:
            raise InvalidTime(
                t(
                    "'held_at' must not be later than 'at' {at} (got {held_at})",
                    at=at.isoformat(),
                    held_at=held_at.isoformat(),
                )
            )
        self._require_from_start("held_at", held_at)

    def _require_from_start(self, name: str, moment: dt.datetime) -> None:
        agreement = self._agreement
        assert agreement is not None
        start = agreement.start
        # a day in another offset is at most two days off the day in the zone
        if (
            moment.date() < self._surely_after_start
            and moment.astimezone(self._zone).date() < start
        ):
            raise InvalidTime(
                t(
                    "{name!r} must fall on or after the agreement's start {start} in {zone} "
                    "(got {moment})",
                    name=name,
                    start=start.isoformat(),
                    zone=agreement.time_zone,
                    moment=moment.isoformat(),
                )
            )

    def _on_void_session(self, event: SessionVoided) -> None:
        index = self._session_index(event.held_at, event.at)
        voided = self._sessions[index]
        booking_id = self._remove_session(index)
        if self._assignments is not None:  # else derived without it when next needed
            self._assignments -= {assignment.id for assignment in voided.homework}
        if booking_id is not None:  # open again
            self._bookings[booking_id] = writable(self._fulfilled).pop(booking_id)

    def _on_void_no_show(self, event: NoShowVoided) -> None:
        for index, booking in enumerate(no_shows := self._no_shows):
            if booking.id == event.booking_id:
                self._no_shows = [*no_shows[:index], *no_shows[index + 1 :]]
                self._bookings[booking.id] = booking  # open again
                return
        known = ", ".join(repr(b.id) for b in self._no_shows) or t("none")
        raise refuse(
            "no_show.unknown",
            t(
                "no no-show was recorded for booking {booking_id!r} (no-shows: {known})",
                booking_id=event.booking_id,
                known=known,
            ),
            day_of(event.at, self._zone),
            booking_id=event.booking_id,
        )
