"""What each event does: its own rules, checked first, then its effect on the state.

`Effects` holds one ``_on_<command>`` method per command. The fold
(`coachflow._engine.fold`) calls it after the phase, the permission and the time
were checked; it raises before it changes anything, so a refused command or a
refused replayed event leaves the state as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from coachflow._engine.contract import refuse
from coachflow._engine.corrections import Corrections
from coachflow._engine.machine import FOLLOW_UP, SIGNED, UNSIGNED
from coachflow._engine.state import Cancellation, Milestone, Review
from coachflow._values.calendar import add_months, day_of, zone
from coachflow._values.commands import PROCESS_COMMANDS
from coachflow._values.containers import EMPTY_SET, appended
from coachflow._values.enums import Role, Severity
from coachflow._values.errors import RuleViolation
from coachflow._values.events import (
    Agreed,
    Closed,
    ClosingBegun,
    Event,
    Extended,
    FollowUpHeld,
    FollowUpSkipped,
    MidpointReviewBegun,
    MidpointReviewCompleted,
    NoShowRecorded,
    Paused,
    Resumed,
    SessionBooked,
    SessionCancelled,
    SessionRecorded,
    SessionRescheduled,
)
from coachflow._values.failures import InvalidTime, InvalidValue
from coachflow._values.i18n import t
from coachflow._values.model import MAX_MONTHS, ReformulateGoal
from coachflow._values.redaction import hiding
from coachflow._values.results import Finding
from coachflow._values.sessions import Booking
from coachflow._values.validation import LAST_DAY
from coachflow._values.wording import list_words

__all__ = ["FLAGGED", "HANDLERS", "NO_FLAGS", "Effects"]

NO_FLAGS: frozenset[str] = EMPTY_SET  # no row condition holds
#: The commands whose row of the process table depends on a flag (`Effects._flags`).
FLAGGED = frozenset({"agree", "sign_agreement", "close"})

_MONTHS = range(1, MAX_MONTHS + 1)
_DAYS_OFF = dt.timedelta(days=3)  # two offsets put one instant at most two days apart


class Effects(Corrections):
    """The per-event rules and effects of the fold, one method per command."""

    __slots__ = ()

    def _on_agree(self, event: Agreed) -> None:
        agreement = event.agreement
        if agreement.three_party_follow_up and self._sponsor is None:
            raise refuse(
                "agreement.sponsor_missing",
                t(
                    "a three-party follow-up needs a sponsor (the client's manager), "
                    "but none was named when the engagement was opened"
                ),
                day_of(event.at),
            )
        self._contract_may_agree(agreement)  # every check before the first change
        self._zone = zone(agreement.time_zone or "UTC")
        self._surely_after_start = agreement.start + _DAYS_OFF
        self._agreement = agreement
        self._agreed_at = event.at
        self._programme = agreement.programme
        self._goals = agreement.goals
        self._contract_agreed(event)

    def _on_record_session(self, event: SessionRecorded) -> None:
        session = event.session
        if self._former or session.coach_id is not None:  # else: the only coach's
            session = self._as_held(session)
        held_at = session.held_at
        if held_at > event.at:
            self._require_held_by(session, event.at)  # raises
        if held_at.date() < self._surely_after_start:  # else surely not before the start
            self._require_from_start("held_at", held_at)
        booking_id = event.booking_id
        booking = None if booking_id is None else self._open_booking(booking_id, event.at)
        if session.homework:
            taken = self._taken()
            taken.update(self._homework_ids(session, taken))
        if booking is not None:
            del self._bookings[booking.id]
        sessions = self._sessions
        if booking is None and (not sessions or sessions[-1].held_at <= held_at):
            sessions.append(session)  # the usual case: recorded in the order held
            if (bookings := self._session_bookings) is not None:
                bookings.append(None)
        else:
            self._insert_session(session, booking)

    def _open_booking(self, booking_id: str, at: dt.datetime) -> Booking:
        """The open booking *booking_id*: else `RuleViolation` (``booking.unknown``,
        ``booking.settled``)."""
        booking = self._bookings.get(booking_id)
        if booking is not None:
            return booking
        if booking_id in self._booked:
            raise refuse(
                "booking.settled",
                t(
                    "booking {booking_id!r} is settled already: held, cancelled or missed",
                    booking_id=booking_id,
                ),
                day_of(at, self._zone),
                booking_id=booking_id,
            )
        known = ", ".join(repr(b) for b in self._bookings) or t("none")
        raise refuse(
            "booking.unknown",
            t(
                "no booking has id {booking_id!r} (open bookings: {known})",
                booking_id=booking_id,
                known=known,
            ),
            day_of(at, self._zone),
            booking_id=booking_id,
        )

    def _on_book_session(self, event: SessionBooked) -> None:
        booking = event.booking
        self._require_from_start("starts_at", booking.starts_at)
        if booking.id in self._booked:
            raise refuse(
                "booking.duplicate_id",
                t(
                    "booking ids must be unique in an engagement; {booking_id!r} was booked "
                    "before",
                    booking_id=booking.id,
                ),
                day_of(event.at, self._zone),
                booking_id=booking.id,
            )
        if isinstance(self._booked, frozenset):  # the first booking: the shared empties
            self._booked, self._bookings = set(), {}  # till now (EMPTY_SET, EMPTY_MAP)
        self._booked.add(booking.id)
        self._bookings[booking.id] = booking

    def _on_reschedule_session(self, event: SessionRescheduled) -> None:
        booking = self._open_booking(event.booking_id, event.at)
        self._require_from_start("starts_at", event.starts_at)
        self._bookings[booking.id] = attrs.evolve(booking, starts_at=event.starts_at)

    def _on_cancel_session(self, event: SessionCancelled) -> None:
        booking = self._open_booking(event.booking_id, event.at)
        programme = self._programme
        assert programme is not None
        notice = booking.starts_at - event.at  # instants: a DST change counts as it is
        late = notice < dt.timedelta(hours=programme.cancellation_notice_hours)
        by_client = self._parties[event.by].role is Role.CLIENT
        forfeits = late and by_client and programme.late_cancellation_counts
        del self._bookings[booking.id]
        cancelled = Cancellation(booking, event, late, forfeits)
        self._cancellations = appended(self._cancellations, cancelled)

    def _on_record_no_show(self, event: NoShowRecorded) -> None:
        booking = self._open_booking(event.booking_id, event.at)
        if event.at < booking.starts_at:
            raise InvalidTime(
                t(
                    "'at' must not be before the booked start {starts_at}: a no-show is "
                    "recorded once the time has come (got {at})",
                    starts_at=booking.starts_at.isoformat(),
                    at=event.at.isoformat(),
                )
            )
        del self._bookings[booking.id]
        self._no_shows = appended(self._no_shows, booking)

    def _on_begin_midpoint_review(self, event: MidpointReviewBegun) -> None:
        middle = self.middle
        assert middle is not None
        self._midpoint_reviews = appended(self._midpoint_reviews, Review(event.at, middle))

    def _on_complete_midpoint_review(self, event: MidpointReviewCompleted) -> None:
        goals = {goal.id: goal for goal in self._goals}
        problems = []
        for revision in event.revisions:
            if isinstance(revision, ReformulateGoal):
                if revision.goal_id not in goals:
                    problems.append(("midpoint.unknown_goal", revision.goal_id))
                    continue
                with hiding():  # the goal of the record may hold erased texts
                    goals[revision.goal_id] = attrs.evolve(
                        goals[revision.goal_id], statement=revision.statement
                    )
            elif revision.goal.id in goals:
                problems.append(("midpoint.duplicate_goal", revision.goal.id))
            else:
                goals[revision.goal.id] = revision.goal
        if problems:
            on = day_of(event.at, self._zone)
            raise RuleViolation(
                Finding(
                    code,
                    Severity.ERROR,
                    t("no current goal has id {goal_id!r}", goal_id=goal_id)
                    if code == "midpoint.unknown_goal"
                    else t("a goal with id {goal_id!r} exists already", goal_id=goal_id),
                    on,
                    {"goal_id": goal_id},
                )
                for code, goal_id in problems
            )
        self._goals = tuple(goals.values())
        self._midpoint_done = True
        *before, begun = self._midpoint_reviews
        revised = bool(event.revisions)
        self._midpoint_reviews = [*before, Review(begun.at, begun.middle, event.at, revised)]

    def _on_pause(self, event: Paused) -> None:
        until = event.until
        if until is not None:
            day = day_of(event.at, self._zone)
            if until < day:
                raise InvalidTime(
                    t(
                        "'until' must not be before the day the pause begins, {day} (got {until})",
                        day=day.isoformat(),
                        until=until.isoformat(),
                    )
                )
        self._paused_at, self._pause_until = event.at, until

    def _on_resume(self, event: Resumed) -> None:
        paused_at, agreement = self._paused_at, self._agreement
        assert paused_at is not None and agreement is not None
        pause = (day_of(paused_at, self._zone), day_of(event.at, self._zone))
        days = self._pause_days + (pause[1] - pause[0]).days
        if (LAST_DAY - add_months(agreement.start, 36)).days < days:
            raise InvalidTime(
                t(
                    "'at' would move the series' end past {last}, the last day coachflow "
                    "plans for (got {at})",
                    last=LAST_DAY.isoformat(),
                    at=event.at.isoformat(),
                )
            )
        self._pauses = appended(self._pauses, pause)
        self._pause_days = days
        self._paused_at = self._pause_until = None

    def _on_extend(self, event: Extended) -> None:
        programme = self._programme
        assert programme is not None
        total = programme.months + event.months
        if total not in _MONTHS:
            raise InvalidValue(
                t(
                    "'months' must keep the series within 1..36 months in total "
                    "(got {months:+d} on {before}, making {total})",
                    months=event.months,
                    before=programme.months,
                    total=total,
                )
            )
        agreement = self._agreement
        assert agreement is not None
        last = add_months(agreement.start, total) - dt.timedelta(days=1)
        pending = self._pending  # an amendment awaiting signatures must still fit
        proposed = pending.breaks if pending is not None and pending.breaks else ()
        beyond = [b for b in (*agreement.breaks, *proposed) if b.end > last]
        if beyond:
            raise InvalidValue(
                t(
                    "'months' would end the series on {last}, before the agreed break "
                    "{start} to {end} ends: amend the breaks first",
                    last=last.isoformat(),
                    start=beyond[0].start.isoformat(),
                    end=beyond[0].end.isoformat(),
                )
            )
        self._programme = attrs.evolve(programme, months=total)

    def _on_begin_closing(self, event: ClosingBegun) -> None:
        programme = self._programme
        assert programme is not None
        if programme.requires_midpoint_review and not self._midpoint_done:
            raise refuse(
                "midpoint.missing",
                t(
                    "a {months}-month series needs a completed midpoint review before closing",
                    months=programme.months,
                ),
                day_of(event.at, self._zone),
                months=programme.months,
            )
        middle = self.middle
        assert middle is not None
        self._closing_begun = Milestone(event.at, middle)

    def _on_close(self, event: Closed) -> None:
        current = [goal.id for goal in self._goals]
        given = [a.goal_id for a in event.attainment]
        on = day_of(event.at, self._zone)
        findings = []
        missing = [g for g in current if g not in given] if given else []  # all or none
        if missing:
            findings.append(
                Finding(
                    "closing.attainment_missing",
                    Severity.ERROR,
                    t(
                        "every current goal needs an attainment score; missing: {ids}",
                        ids=list_words(missing),
                    ),
                    on,
                    {"goal_ids": missing},
                )
            )
        unknown = sorted({g for g in given if g not in current})
        if unknown:
            findings.append(
                Finding(
                    "closing.attainment_unknown",
                    Severity.ERROR,
                    t(
                        "attainment names goals the engagement does not have: {ids}",
                        ids=list_words(unknown),
                    ),
                    on,
                    {"goal_ids": unknown},
                )
            )
        twice = sorted({g for g in given if given.count(g) > 1})
        if twice:
            findings.append(
                Finding(
                    "closing.attainment_duplicate",
                    Severity.ERROR,
                    t(
                        "each goal takes exactly one attainment score; given twice: {ids}",
                        ids=list_words(twice),
                    ),
                    on,
                    {"goal_ids": twice},
                )
            )
        if findings:
            raise RuleViolation(findings)
        self._closed = event

    def _on_hold_follow_up(self, event: FollowUpHeld) -> None:
        sponsor = self._sponsor
        assert sponsor is not None
        missing = [p for p in (self._client.id, sponsor.id) if p not in event.participants]
        if missing:
            raise refuse(
                "follow_up.participants_missing",
                t(
                    "the three-party follow-up needs the client and the sponsor; missing: {ids}",
                    ids=list_words(self._parties[p].name for p in missing),
                ),
                day_of(event.at, self._zone),
                party_ids=missing,
            )
        self._follow_up = event

    def _on_skip_follow_up(self, event: FollowUpSkipped) -> None:
        pass

    def _flags(self, event: Event) -> frozenset[str]:  # see `_FLAGGED`
        """The flags of the process table's rows that hold for *event* (see
        `coachflow._engine.machine`): where `agree`, `sign_agreement` and `close` lead."""
        command = event.command
        if command == "close":
            agreement = self._agreement
            return FOLLOW_UP if agreement and agreement.three_party_follow_up else NO_FLAGS
        if command == "agree":
            signatories = event.agreement.signatories  # type: ignore[attr-defined]
            return UNSIGNED if len(signatories) > 1 else NO_FLAGS
        if command == "sign_agreement":
            return SIGNED if self._completes(event.by) else NO_FLAGS
        return NO_FLAGS


HANDLERS: dict[str, Callable[[Effects, Any], None]] = {
    command: getattr(Effects, f"_on_{command}") for command in PROCESS_COMMANDS
}
"""Each command's ``_on_<command>``: its own rules and its effect on the state."""
