"""`EngagementMachine`: a hypothesis state machine over the public commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from coachflow._engagement import Engagement
from coachflow._values.enums import EndReason, Role
from coachflow._values.errors import CoachflowError
from coachflow._values.events import (
    Event,
)
from coachflow._values.model import Party
from coachflow._values.outcomes import ActionPlan, Attainment
from coachflow._values.sessions import Booking, Session
from coachflow.testing import _strategies as cs
from coachflow.testing._advance import Advance
from coachflow.testing._clock import Step, moved, steps
from coachflow.testing._contract_rules import ContractRules
from coachflow.testing._history import History
from coachflow.testing._invariants import Invariants, observed
from coachflow.testing._pacing import (
    bookings,
    in_turn,
    new_booking_ids,
    open_booking_ids,
)

__all__ = ["EngagementMachine", "Step", "steps"]

_ACTORS = ("coach", "coach", "coach", "client", "sponsor", "stranger")
_ZONE = ZoneInfo("Europe/Stockholm")

actors = st.sampled_from(_ACTORS)


reasons = st.sampled_from(("illness", "parental leave", "reorganisation", "new role"))


class EngagementMachine(RuleBasedStateMachine, ContractRules, Advance, Invariants):
    """A state machine with one rule per public command, for testing an integration.

    Each rule draws a valid or invalid command (random actor, random values, a time
    that sometimes runs backwards), issues it, and reports the outcome to the hooks
    below. A rule runs while the phase allows its command, and on every seventh
    command whatever the phase (`OUT_OF_TURN`: a refusal to test); the changes to
    the record (signatures, amendments, consent, corrections, a change of coach) on
    one command in three; the rule ``next_step`` takes the process's next step as
    people do (one time in three with a slip the engagement refuses), so that most
    runs go from the agreement through the midpoint review and the closing to the
    follow-up and every refusal code comes up. Its own invariants check, after every step,
    that a refused command changed nothing and that replay and the JSON round trip
    give back an equal engagement; a failing run prints the engagement's `history`.
    Subclass it, override the hooks, add ``@invariant``s of your own, and run it
    with ``TestMine = MyMachine.TestCase``.

    Attributes:
        with_sponsor: False (the default): one run in five opens without a sponsor;
            True: every run has one.
        engagement: the engagement under test.
        now: the time of the last accepted command.
        calls: the commands issued so far.
    """

    engagement: Engagement
    now: dt.datetime
    #: True: every run has a sponsor (for a model of your own that assumes one).
    with_sponsor: bool = False

    def __init__(self) -> None:
        super().__init__()
        self.now = dt.datetime(2027, 1, 4, 8, tzinfo=_ZONE)
        self.engagement = Engagement.open(
            "eng-machine",
            coach=Party("coach", "Anna Lind", Role.COACH),
            client=Party("client", "Kim Berg", Role.CLIENT),
            sponsor=Party("sponsor", "Mia Ek", Role.SPONSOR),
            at=self.now,
        )
        self._refused_unchanged = True
        self.calls = 0

    # -- hooks ------------------------------------------------------------------------

    def before_command(self, command: str, arguments: Mapping[str, Any]) -> None:
        """Called before every command with its keyword arguments (``at``, ``by``, ...)."""

    def on_event(self, event: Event) -> None:
        """Called with every event an accepted command appended."""

    def on_refused(self, command: str, error: Exception) -> None:
        """Called when a command was refused, with the error it raised."""

    # -- the one place commands are issued ---------------------------------------------

    def issue(self, command: str, call: Callable[..., Event], **arguments: Any) -> Event | None:
        """Issue *command* with *arguments*, report the outcome, and return the event.

        ``by="coach"`` stands for the coach in charge (another after `change_coach`)."""
        if arguments.get("by") == "coach":
            arguments["by"] = self.engagement.coach.id
        self.calls += 1
        self.before_command(command, arguments)
        before = observed(self.engagement)
        try:
            event = call(**arguments)
        except (CoachflowError, ValueError, TypeError) as error:
            self._refused_unchanged = observed(self.engagement) == before
            self.on_refused(command, error)
            return None
        # a command returns the event it appended: the one in-process observer there is
        assert event is self.engagement.events[-1], f"{command} returned another event"
        given = arguments.get("at")  # as given (in its zone); the event keeps its offset
        self.now = given if isinstance(given, dt.datetime) else event.at
        self.on_event(event)
        return event

    def at(self, step: int | Step) -> dt.datetime:
        """The time of the next command: *step* hours after `now` (an int), or as a
        `Step` says: in a real zone, by wall clock or by instant, or next to a
        daylight-saving change, in its gap or its repeated hour."""
        return moved(self.now, step)

    def teardown(self) -> None:
        """Notes the engagement's `history` (printed when a run fails); an override
        should call ``super().teardown()``."""
        note(History(self.engagement))

    # -- one rule per command ------------------------------------------------------------

    @in_turn("agree")
    @rule(
        by=actors,
        hours=steps,
        start_in=st.integers(-10, 30),
        programme=cs.programmes(months=None),
        follow_up=st.booleans(),
        data=st.data(),
    )
    def agree(
        self, by: str, hours: Step, start_in: int, programme: Any, follow_up: bool, data: Any
    ) -> None:
        when = self.at(hours)
        start = when.date() + dt.timedelta(days=start_in)
        agreement = data.draw(
            cs.agreements(programme=programme, start=start, three_party_follow_up=follow_up)
        )
        self.issue("agree", self.engagement.agree, agreement=agreement, at=when, by=by)

    @in_turn("record_session")
    @rule(
        by=actors,
        hours=steps,
        held_hours_before=st.integers(-5, 24 * 30),
        booking_id=st.none() | open_booking_ids,
        data=st.data(),
    )
    def record_session(
        self, by: str, hours: Step, held_hours_before: int, booking_id: str | None, data: Any
    ) -> None:
        when = self.at(hours)
        drawn: Session = data.draw(cs.sessions())
        held = (when - dt.timedelta(hours=held_hours_before)).astimezone(drawn.held_at.tzinfo)
        session = Session(
            held, drawn.minutes, drawn.mode, drawn.homework, drawn.reviewed, drawn.notes
        )
        self.issue(
            "record_session",
            self.engagement.record_session,
            session=session,
            at=when,
            by=by,
            booking_id=booking_id,
        )

    @in_turn("book_session")
    @rule(
        by=actors,
        hours=steps,
        booking_id=new_booking_ids,
        starts_in=steps,
        data=st.data(),
    )
    def book_session(
        self, by: str, hours: Step, booking_id: str, starts_in: Step, data: Any
    ) -> None:
        when = self.at(hours)
        drawn: Booking = data.draw(cs.bookings(id=booking_id))
        starts = self._after(when, starts_in)
        booking = Booking(booking_id, starts, drawn.minutes, drawn.mode)
        self.issue("book_session", self.engagement.book_session, booking=booking, at=when, by=by)

    @in_turn("reschedule_session", needs=bookings)
    @rule(by=actors, hours=steps, booking_id=open_booking_ids, starts_in=steps)
    def reschedule_session(self, by: str, hours: Step, booking_id: str, starts_in: Step) -> None:
        when = self.at(hours)
        self.issue(
            "reschedule_session",
            self.engagement.reschedule_session,
            booking_id=booking_id,
            starts_at=self._after(when, starts_in),
            at=when,
            by=by,
        )

    @in_turn("cancel_session", needs=bookings)
    @rule(
        by=actors,
        booking_id=open_booking_ids,
        hours_before=st.integers(-3, 72),
        hours=steps,
        reason=reasons,
    )
    def cancel_session(
        self, by: str, booking_id: str, hours_before: int, hours: Step, reason: str
    ) -> None:
        """Mostly near the booked start, so that the notice falls either side of the limit."""
        booking = next((b for b in self.engagement.bookings if b.id == booking_id), None)
        when = self.at(hours)
        if booking is not None and hours_before < 60:
            near = booking.starts_at - dt.timedelta(hours=hours_before)
            when = near.astimezone(self.now.tzinfo) if near > self.now else when
        self.issue(
            "cancel_session",
            self.engagement.cancel_session,
            booking_id=booking_id,
            at=when,
            by=by,
            reason=reason,
        )

    @in_turn("record_no_show", needs=bookings)
    @rule(by=actors, hours=steps, booking_id=open_booking_ids)
    def record_no_show(self, by: str, hours: Step, booking_id: str) -> None:
        self.issue(
            "record_no_show",
            self.engagement.record_no_show,
            booking_id=booking_id,
            at=self.at(hours),
            by=by,
        )

    def _after(self, when: dt.datetime, step: Step) -> dt.datetime:
        """A start *step* after *when* (a booking's time: in a real zone, maybe at a DST
        change, now and then before *when*)."""
        now, self.now = self.now, when
        try:
            return self.at(step)
        finally:
            self.now = now

    @in_turn("begin_midpoint_review")
    @rule(by=actors, hours=steps)
    def begin_midpoint_review(self, by: str, hours: Step) -> None:
        self.issue(
            "begin_midpoint_review",
            self.engagement.begin_midpoint_review,
            at=self.at(hours),
            by=by,
        )

    @in_turn("complete_midpoint_review")
    @rule(by=actors, hours=steps, revisions=st.lists(cs.revisions(), max_size=2))
    def complete_midpoint_review(self, by: str, hours: Step, revisions: list[Any]) -> None:
        self.issue(
            "complete_midpoint_review",
            self.engagement.complete_midpoint_review,
            at=self.at(hours),
            by=by,
            revisions=revisions,
        )

    @in_turn("pause")
    @rule(by=actors, hours=steps, reason=reasons, until_in=st.none() | st.integers(-3, 200))
    def pause(self, by: str, hours: Step, reason: str, until_in: int | None) -> None:
        when = self.at(hours)
        until = None if until_in is None else when.date() + dt.timedelta(days=until_in)
        self.issue("pause", self.engagement.pause, at=when, by=by, reason=reason, until=until)

    @in_turn("resume")
    @rule(by=actors, hours=steps)
    def resume(self, by: str, hours: Step) -> None:
        self.issue("resume", self.engagement.resume, at=self.at(hours), by=by)

    @in_turn("extend")
    @rule(by=actors, hours=steps, months=st.integers(-12, 12).filter(bool))
    def extend(self, by: str, hours: Step, months: int) -> None:
        self.issue("extend", self.engagement.extend, months=months, at=self.at(hours), by=by)

    @in_turn("begin_closing")
    @rule(by=actors, hours=steps)
    def begin_closing(self, by: str, hours: Step) -> None:
        self.issue("begin_closing", self.engagement.begin_closing, at=self.at(hours), by=by)

    @in_turn("close")
    @rule(
        by=actors,
        hours=steps,
        scores=st.lists(st.integers(-2, 2), min_size=4, max_size=4),
        mistake=st.sampled_from((None, None, None, "drop", "extra", "twice")),
        action_plan=cs.action_plans(),
    )
    def close(
        self, by: str, hours: Step, scores: list[int], mistake: str | None, action_plan: ActionPlan
    ) -> None:
        ids = [goal.id for goal in self.engagement.goals]
        if mistake:  # the coach's, so that the scores are refused, not the actor
            by = "coach"
        if mistake == "drop":
            ids = ids[1:]
        elif mistake == "extra":
            ids.append("g-unknown")
        elif mistake == "twice" and ids:
            ids.append(ids[0])
        attainment = [Attainment(g, scores[i % 4]) for i, g in enumerate(ids)]
        self.issue(
            "close",
            self.engagement.close,
            at=self.at(hours),
            by=by,
            attainment=attainment,
            action_plan=action_plan,
        )

    @in_turn("hold_follow_up")
    @rule(
        by=actors,
        hours=steps,
        participants=st.sampled_from(
            (("coach", "client", "sponsor"), ("client", "sponsor", "hr"), ("coach", "client"), ())
        ),
    )
    def hold_follow_up(self, by: str, hours: Step, participants: tuple[str, ...]) -> None:
        if len(participants) < 3:  # the coach's mistake, so that the participants are refused
            by = "coach"
        self.issue(
            "hold_follow_up",
            self.engagement.hold_follow_up,
            at=self.at(hours),
            by=by,
            participants=participants,
        )

    @in_turn("skip_follow_up")
    @rule(by=actors, hours=steps, reason=reasons)
    def skip_follow_up(self, by: str, hours: Step, reason: str) -> None:
        self.issue(
            "skip_follow_up",
            self.engagement.skip_follow_up,
            at=self.at(hours),
            by=by,
            reason=reason,
        )

    @in_turn("terminate")
    @rule(
        by=actors,
        hours=steps,
        reason=reasons,
        really=st.integers(0, 9),
        end_reason=st.sampled_from(EndReason),
    )
    def terminate(
        self, by: str, hours: Step, reason: str, really: int, end_reason: EndReason
    ) -> None:
        if really == 5:  # rarely (not the value draws favour), so that runs go deep
            self.issue(
                "terminate",
                self.engagement.terminate,
                at=self.at(hours),
                by=by,
                reason=reason,
                end_reason=end_reason,
            )
