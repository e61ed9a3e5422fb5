"""The course of a series as people run it: sessions after the plan, over the whole
series, with the deviations people make (a mixin of `Builder`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from coachflow._values.enums import Mode
from coachflow._values.results import Plan
from coachflow._values.sessions import Assignment, Booking, Session
from coachflow.testing import _strategies as cs

if TYPE_CHECKING:
    from coachflow.testing._features import Building

__all__ = ["DEVIATIONS", "Course"]

#: How a planned session goes: booked ahead and held, as hosts' calendars do it, most
#: often; recorded without a booking (the first: what examples shrink to); or with one
#: of the deviations people make.
DEVIATIONS = (
    "planned",  # recorded, not booked
    *("booked",) * 16,  # booked ahead, then held (now and then moved, cancelled or missed)
    *("planned",) * 2,
    "later",  # a few days after the planned day
    "skipped",  # not held: the next one is planned as usual
    "twice",  # another session a few days later
    "record",  # a change to the record first: an amendment, consent, a correction ...
    "record",
    "pause",
    "mode",  # held in a mode the agreement does not name
    "abroad",  # its time given in another zone (a client travelling)
    "duplicate",  # recorded twice
    "in_break",  # held in an agreed break after all (if one lies ahead)
    "extend",
)
#: What becomes of a booking: held mostly; now and then moved (then held), cancelled
#: or missed.
_OUTCOMES = st.sampled_from(("held", "held", "held", "held", "moved", "cancelled", "no-show"))
_DEVIATIONS = st.sampled_from(DEVIATIONS)
_QUARTERS = st.integers(0, 39)  # a quarter of an hour from 08:00 to 17:45
#: How long sessions last: mostly 60-90 minutes, now and then shorter or longer.
_MINUTES = st.sampled_from((60, 75, 90, 60, 90, 45, 120, 30))
_NOTES = st.sampled_from(("", "Good energy today"))
#: How far a series runs: the whole of it (the first), or now and then a few steps.
#: Generation favours first choices, so the first is the realistic one; examples then
#: shrink to the plain plan (sessions as planned, no deviations) rather than to a few
#: steps, and an engagement left active shrinks to one a little way into its series.
PACES = ("full", *("full",) * 8, "short")


class Course:
    """Walk the plan: one step per planned session day."""

    _plan: Plan | None = None

    def planned(self: Building) -> Plan:
        """The plan, kept until a step changes what it depends on."""
        if self._plan is None:
            self._plan = self.engagement.plan()
        assert self._plan is not None
        return self._plan

    def walk(self: Building, until: dt.date | None, *, midpoint: bool) -> None:
        """Hold the planned sessions after the last one up to *until* (a day in the
        engagement's zone; None: the planned closing, as the plan stands at each step),
        deviating as drawn; begin and complete the midpoint review
        on the way when *midpoint* and the programme expects one (now and then not)."""
        zone = self.zone
        while True:
            today, plan = self.now.astimezone(zone).date(), self.planned()
            day = next((d for d in plan.sessions if d > self.last_day and d >= today), None)
            if day is None or day > (plan.closing if until is None else until):
                return
            self.last_day = day
            middle = self.engagement.middle
            programme = self.engagement.programme
            assert middle is not None and programme is not None
            due = midpoint and not self.engagement.midpoint_reviewed and day >= middle
            if due and (programme.expects_midpoint_review or self.draw(st.integers(0, 5)) == 5):
                if programme.requires_midpoint_review or self.draw(st.integers(0, 7)) != 7:
                    self.midpoint()
                midpoint = False  # passed by: held, or not this time
            self.deviate(day, self.draw(_DEVIATIONS))

    def deviate(self: Building, day: dt.date, how: str) -> None:
        """One planned session day, gone *how* (one of `DEVIATIONS`)."""
        if how == "booked":
            self.booked_session(day)
        elif how == "skipped":
            return
        elif how == "record":
            self.keep_the_record()
            self._plan = None
            self.held_on(day)
        elif how == "pause":
            self.paused()
            self._plan = None
        elif how == "extend":
            self.extended()
            self._plan = None
            self.held_on(day)
        elif how == "later":
            self.held_on(day + dt.timedelta(days=self.draw(st.integers(2, 9))))
        elif how == "twice":
            self.held_on(day)
            self.held_on(day + dt.timedelta(days=self.draw(st.integers(1, 4))))
        elif how == "in_break":
            agreement = self.engagement.agreement
            assert agreement is not None
            soon = [b.start for b in agreement.breaks if 0 <= (b.start - day).days <= 30]
            self.held_on(soon[0] if soon else day)
        elif how == "duplicate":  # the same session recorded twice (its homework once)
            held = self.held_on(day)
            self.engagement.record_session(
                attrs.evolve(held, homework=()),
                at=self.later(days=(0, 0)),
                by=self.by("record_session"),
            )
        else:
            self.held_on(day, how=how)

    def held_on(
        self: Building, day: dt.date, *, how: str = "planned", booking: Booking | None = None
    ) -> Session:
        """A session held on *day* (or the day after the last step, if that is later),
        or as *booking* booked it: mostly 60-90 minutes in an agreed mode, following up
        the homework of the one before and giving new (few draws each, so that a whole
        series stays cheap)."""
        agreement = self.engagement.agreement
        assert agreement is not None
        zone = self.zone
        if booking is not None:
            held_at, minutes, mode = booking.starts_at, booking.minutes, booking.mode
        else:
            day = max(day, self.now.astimezone(zone).date() + dt.timedelta(days=1))
            modes = agreement.modes
            if how == "mode" and len(modes) < len(Mode):
                modes = frozenset(Mode) - modes
            quarter = self.draw(_QUARTERS)
            held_at = dt.datetime.combine(day, dt.time(8 + quarter // 4, 15 * (quarter % 4)), zone)
            minutes = self.draw(_MINUTES)
            mode = self.draw(st.sampled_from(sorted(modes, key=lambda m: m.value)))
        if how == "abroad":
            held_at = held_at.astimezone(ZoneInfo(self.draw(st.sampled_from(cs.ZONE_NAMES))))
        before = self.engagement.sessions
        homework = []
        for _ in range(self.draw(st.integers(0, 2))):
            self.given += 1
            homework.append(
                Assignment(f"p{self.given}", cs.PRACTICE[self.given % len(cs.PRACTICE)])
            )
        followed = {  # the last session's homework followed up; now and then not, or a slip
            14: (),
            15: ("p0",),  # one never given
        }.get(
            self.draw(st.integers(0, 15)),
            tuple(a.id for a in before[-1].homework) if before else (),
        )
        session = Session(
            held_at,
            minutes,
            mode,
            homework=tuple(homework),
            reviewed=followed,
            notes=self.draw(_NOTES),
        )
        self.record(session, booking)
        return session

    def booked_session(self: Building, on: dt.date | None = None) -> None:
        """A session booked (for day *on*, if given), then maybe moved, and then held,
        cancelled or missed."""
        booking = self.book(on)
        outcome = self.draw(_OUTCOMES)
        if outcome == "moved":
            moved = booking.starts_at + dt.timedelta(days=self.draw(st.integers(1, 7)))
            self.engagement.reschedule_session(
                booking.id,
                starts_at=moved,
                at=self.later(days=(0, 0)),
                by=self.by("reschedule_session", anyone=True),
            )
            booking = next(b for b in self.engagement.bookings if b.id == booking.id)
            outcome = "held"
        if outcome == "held":
            self.held_on(booking.starts_at.date(), booking=booking)
        elif outcome == "cancelled":
            notice = dt.timedelta(hours=self.draw(st.integers(0, 72)))
            when = max(self.now, booking.starts_at - notice)
            self.now = when.astimezone(self.zone)
            reason = self.draw(st.sampled_from(("illness", "a clash at work")))
            self.engagement.cancel_session(
                booking.id, at=self.now, by=self.by("cancel_session", anyone=True), reason=reason
            )
        else:
            self.now = max(self.now, booking.starts_at)
            self.engagement.record_no_show(
                booking.id, at=self.later(days=(0, 0), hours=(1, 2)), by=self.by("record_no_show")
            )
            if self.draw(st.integers(0, 3)) == 0:  # recorded by mistake: the client came
                self.engagement.void_no_show(
                    booking.id,
                    reason=self.reason(),
                    at=self.later(),
                    by=self.by("void_no_show"),
                )
                self.held_on(booking.starts_at.date(), booking=booking)

    def paused(self: Building) -> None:
        """A pause (now and then until an agreed day), then the resumption."""
        days, at = self.draw(st.integers(1, 30)), self.later()
        until = None
        if self.draw(st.integers(0, 2)) == 2:
            until = at.astimezone(self.zone).date() + dt.timedelta(days=days)
        self.engagement.pause(
            at=at, by=self.by("pause", anyone=True), reason=self.reason(), until=until
        )
        self.engagement.resume(at=self.later(days=(1, days)), by=self.by("resume", anyone=True))

    def extended(self: Building) -> None:
        """The series extended by one to three months (not past 36)."""
        programme = self.engagement.programme
        assert programme is not None
        if programme.months < 36:
            months = self.draw(st.integers(1, min(3, 36 - programme.months)))
            self.engagement.extend(months, at=self.later(), by=self.by("extend"))

    def midpoint(self: Building) -> None:
        self.engagement.begin_midpoint_review(at=self.later(), by=self.by("begin_midpoint_review"))
        current = {goal.id for goal in self.engagement.goals}
        chosen = []
        for revision in self.draw(st.lists(cs.revisions(), max_size=2)):
            target = getattr(revision, "goal_id", None)
            if target is not None and target not in current:
                continue
            added = getattr(revision, "goal", None)
            if added is not None:
                if added.id in current:
                    continue
                current.add(added.id)
            chosen.append(revision)
        self.engagement.complete_midpoint_review(
            at=self.later(), by=self.by("complete_midpoint_review"), revisions=chosen
        )
