"""Drive an engagement through the public commands to a phase, drawing every choice."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import strategies as st

from coachflow._engagement import Engagement
from coachflow._values.amendment import Amendment
from coachflow._values.enums import CONSENTS, EndReason, Mode, Phase, Role
from coachflow._values.model import Party, Programme
from coachflow._values.outcomes import Attainment
from coachflow._values.sessions import Booking, Session
from coachflow.testing import _strategies as cs

__all__ = ["Builder"]

COACH_ID, CLIENT_ID, SPONSOR_ID = "coach", "client", "sponsor"


class Builder:
    """Builds one engagement, step by step, each step a real command.

    Every value is drawn, so hypothesis can shrink a failing engagement to a small
    one: few sessions, no pauses, no revisions, the simplest zone and texts.
    """

    def __init__(
        self, draw: st.DrawFn, *, programme: Programme | None, needs_sponsor: bool
    ) -> None:
        self.draw = draw
        self.zone = draw(cs.zones())
        opened_on = draw(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
        self.now = dt.datetime.combine(opened_on, dt.time(8), self.zone)
        sponsor = needs_sponsor or draw(st.booleans())
        self.engagement = Engagement.open(
            draw(st.sampled_from(("eng-1", "eng-2027-001", "coaching-42"))),
            coach=Party(COACH_ID, draw(st.sampled_from(cs.NAMES)), Role.COACH),
            client=Party(CLIENT_ID, draw(st.sampled_from(cs.NAMES[1:])), Role.CLIENT),
            sponsor=Party(SPONSOR_ID, "Mia Ek", Role.SPONSOR) if sponsor else None,
            at=self.now,
        )
        self.programme = programme
        self.needs_follow_up = needs_sponsor
        self.given = 0
        self.booked = 0
        self.coaches = 1

    # -- time ---------------------------------------------------------------------------

    def later(
        self, *, days: tuple[int, int] = (0, 3), hours: tuple[int, int] = (1, 4)
    ) -> dt.datetime:
        step = dt.timedelta(
            days=self.draw(st.integers(*days)), hours=self.draw(st.integers(*hours))
        )
        # step in absolute time, so a daylight-saving change can never run the clock back
        self.now = (self.now.astimezone(dt.UTC) + step).astimezone(self.zone)
        return self.now

    # -- the steps ------------------------------------------------------------------------

    def reach(self, target: Phase) -> None:
        """Run commands until the engagement is in *target* (not TERMINATED)."""
        if target is Phase.AGREEMENT:
            return
        self.agree()
        if target in (Phase.ACTIVE, Phase.PAUSED):
            self.run_sessions(midpoint_allowed=True)
            if self.draw(st.booleans()):
                self.book()  # left open: a session booked ahead
            if target is Phase.PAUSED:
                self.engagement.pause(at=self.later(), by=self.actor(), reason="parental leave")
            return
        if target is Phase.MIDPOINT_REVIEW:
            self.run_sessions(midpoint_allowed=False)
            self.engagement.begin_midpoint_review(at=self.later(), by=self.coach)
            if self.draw(st.booleans()):
                self.session()
            return
        self.run_sessions(midpoint_allowed=True)
        programme = self.engagement.programme
        assert programme is not None
        if programme.requires_midpoint_review and not self.engagement.midpoint_reviewed:
            self.midpoint()
            self.run_sessions(midpoint_allowed=False)
        self.engagement.begin_closing(at=self.later(), by=self.coach)
        if self.draw(st.booleans()):
            self.session()
        if target is Phase.CLOSING:
            return
        self.close()
        if target is Phase.COMPLETED and self.engagement.phase is Phase.FOLLOW_UP:
            self.follow_up()

    @property
    def coach(self) -> str:
        """The id of the coach in charge (another after `change_coach`)."""
        return self.engagement.coach.id

    def actor(self) -> str:
        return self.draw(st.sampled_from((self.coach, CLIENT_ID)))

    def agree(self) -> None:
        start = self.now.date() + dt.timedelta(days=self.draw(st.integers(0, 21)))
        follow_up = True if self.needs_follow_up else None
        if self.engagement.sponsor is None:
            follow_up = False
        agreement = self.draw(
            cs.agreements(
                programme=self.programme,
                start=start,
                three_party_follow_up=follow_up,
                time_zone=self.zone.key,
                sponsor_signs=None if self.engagement.sponsor is not None else False,
            )
        )
        self.engagement.agree(agreement, at=self.later(), by=self.coach)
        self.sign()
        self.now = max(self.now, dt.datetime.combine(start, dt.time(8), self.zone))

    def sign(self) -> None:
        """Every signature the agreement or the pending amendment awaits, in turn."""
        for party in self.engagement.unsigned:
            self.engagement.sign_agreement(at=self.later(days=(0, 2)), by=party.id)

    def session(self, booking: Booking | None = None) -> None:
        agreement = self.engagement.agreement
        assert agreement is not None
        if booking is None:
            day = self.later(days=(1, 21), hours=(0, 0)).date()
        else:
            day = booking.starts_at.astimezone(self.zone).date()
        session: Session = self.draw(cs.sessions(on=day, zone=self.zone, modes=agreement.modes))
        fresh = tuple(a for a in session.homework if a.id not in self._given_ids())
        session = Session(
            session.held_at if booking is None else booking.starts_at,
            session.minutes,
            session.mode,
            homework=fresh,
            reviewed=session.reviewed,
            notes=session.notes,
        )
        self.now = max(self.now, session.held_at)
        self.engagement.record_session(
            session,
            at=self.later(days=(0, 0), hours=(2, 3)),
            by=self.coach,
            booking_id=None if booking is None else booking.id,
        )

    def book(self) -> Booking:
        """Book a session one to three weeks ahead (by the coach or the client)."""
        agreement = self.engagement.agreement
        assert agreement is not None
        self.booked += 1
        day = self.now.astimezone(self.zone).date() + dt.timedelta(
            days=self.draw(st.integers(1, 21))
        )
        booking: Booking = self.draw(
            cs.bookings(id=f"b{self.booked}", on=day, zone=self.zone, modes=agreement.modes)
        )
        self.engagement.book_session(booking, at=self.later(days=(0, 0)), by=self.actor())
        return booking

    def booked_session(self) -> None:
        """A session booked, then maybe moved, and then held, cancelled or missed."""
        booking = self.book()
        outcome = self.draw(st.sampled_from(("held", "held", "moved", "cancelled", "no-show")))
        if outcome == "moved":
            moved = booking.starts_at + dt.timedelta(days=self.draw(st.integers(1, 7)))
            self.engagement.reschedule_session(
                booking.id, starts_at=moved, at=self.later(days=(0, 0)), by=self.actor()
            )
            booking = next(b for b in self.engagement.bookings if b.id == booking.id)
            outcome = "held"
        if outcome == "held":
            self.session(booking)
        elif outcome == "cancelled":
            notice = dt.timedelta(hours=self.draw(st.integers(0, 72)))
            when = max(self.now, booking.starts_at - notice)
            self.now = when.astimezone(self.zone)
            reason = self.draw(st.sampled_from(("illness", "a clash at work")))
            self.engagement.cancel_session(booking.id, at=self.now, by=self.actor(), reason=reason)
        else:
            self.now = max(self.now, booking.starts_at)
            self.engagement.record_no_show(
                booking.id, at=self.later(days=(0, 0), hours=(1, 2)), by=self.coach
            )
            if self.draw(st.integers(0, 3)) == 0:  # recorded by mistake: the client came
                self.engagement.void_no_show(
                    booking.id, reason="the client came late", at=self.later(), by=self.coach
                )
                self.session(booking)

    def _given_ids(self) -> set[str]:
        return {a.id for s in self.engagement.sessions for a in s.homework}

    def run_sessions(self, *, midpoint_allowed: bool) -> None:
        for _ in range(self.draw(st.integers(0, 4))):
            step = self.draw(
                st.sampled_from(
                    ("session", "session", "booking", "pause", "midpoint", "extend", "record")
                )
            )
            programme = self.engagement.programme
            assert programme is not None
            if step == "extend" and programme.months < 36:
                months = self.draw(st.integers(1, min(3, 36 - programme.months)))
                self.engagement.extend(months, at=self.later(), by=self.coach)
            elif step == "pause":
                self.engagement.pause(at=self.later(), by=self.actor(), reason="illness")
                self.engagement.resume(at=self.later(days=(1, 30)), by=self.actor())
            elif step == "midpoint" and midpoint_allowed and not self.engagement.midpoint_reviewed:
                self.midpoint()
            elif step == "booking":
                self.booked_session()
            elif step == "record":
                self.keep_the_record()
            else:
                self.session()

    def keep_the_record(self) -> None:
        """One of the changes the parties make to the record: an amendment, consent given
        or withdrawn, a session corrected or voided, another coach."""
        change = self.draw(st.sampled_from(("amend", "consent", "correct", "void", "coach")))
        engagement = self.engagement
        if change == "amend":
            agreement, programme = engagement.agreement, engagement.programme
            assert agreement is not None and programme is not None
            pinned = self.programme is not None  # a programme given stays as given
            amendment = Amendment(
                modes=frozenset(Mode),
                practicalities=f"{agreement.practicalities} (amended)",
                sessions=None if pinned else programme.allotted + 2,
            )
            engagement.amend_agreement(amendment, at=self.later(), by=self.actor())
            self.sign()
        elif change == "consent":
            topic = self.draw(st.sampled_from(CONSENTS))
            if topic in engagement.consent:
                engagement.withdraw_consent({topic}, at=self.later(), by=CLIENT_ID)
            else:
                engagement.give_consent({topic}, at=self.later(), by=CLIENT_ID)
        elif change in ("correct", "void") and engagement.sessions:
            held = self.draw(st.sampled_from(engagement.sessions))
            if change == "void":
                engagement.void_session(
                    held.held_at, reason="recorded twice", at=self.later(), by=self.coach
                )
            else:
                fixed = attrs.evolve(held, minutes=held.minutes + 5, homework=())
                engagement.correct_session(
                    held.held_at, fixed, reason="it ran over", at=self.later(), by=self.coach
                )
        elif change == "coach":
            self.coaches += 1
            coach = Party(
                f"coach-{self.coaches}", self.draw(st.sampled_from(cs.NAMES)), Role.COACH
            )
            parties = [self.coach, CLIENT_ID] + ([SPONSOR_ID] if engagement.sponsor else [])
            by = self.draw(st.sampled_from(parties))
            engagement.change_coach(coach, reason="the coach moved on", at=self.later(), by=by)

    def midpoint(self) -> None:
        self.engagement.begin_midpoint_review(at=self.later(), by=self.coach)
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
        self.engagement.complete_midpoint_review(at=self.later(), by=self.coach, revisions=chosen)

    def close(self) -> None:
        attainment = [self.draw(cs.attainments(goal_id=goal.id)) for goal in self.engagement.goals]
        self.engagement.close(
            at=self.later(),
            by=self.coach,
            attainment=attainment,
            action_plan=self.draw(cs.action_plans()),
            celebration=self.draw(st.sampled_from(("", "Lunch with the team"))),
        )
        assert all(isinstance(a, Attainment) for a in attainment)

    def follow_up(self) -> None:
        when = self.later(days=(7, 45))
        if self.draw(st.booleans()):
            self.engagement.hold_follow_up(
                at=when, by=self.coach, participants=(self.coach, CLIENT_ID, SPONSOR_ID)
            )
        else:
            self.engagement.skip_follow_up(at=when, by=self.coach, reason="the manager moved on")

    def terminate(self) -> None:
        parties = [self.coach, CLIENT_ID] + ([SPONSOR_ID] if self.engagement.sponsor else [])
        self.engagement.terminate(
            at=self.later(),
            by=self.draw(st.sampled_from(parties)),
            reason="reorganisation",
            end_reason=self.draw(st.sampled_from(EndReason)),
        )
