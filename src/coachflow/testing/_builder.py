"""Drive an engagement through the public commands to a phase, drawing every choice."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from coachflow._engagement import Engagement
from coachflow._values.calendar import add_months
from coachflow._values.enums import CONSENTS, EndReason, Phase, Role
from coachflow._values.failures import InvalidValue
from coachflow._values.model import Break, Party, Programme
from coachflow._values.outcomes import Attainment
from coachflow._values.policy import DEFAULT_POLICY, Policy
from coachflow._values.sessions import Booking, Session
from coachflow.testing import _strategies as cs
from coachflow.testing._course import PACES, Course
from coachflow.testing._features import FEATURE_COMMANDS, Features

__all__ = ["Builder"]

COACH_ID, CLIENT_ID, SPONSOR_ID = "coach", "client", "sponsor"
#: The ids the first coach and the client are given (shrinking towards the first).
COACH_IDS = (COACH_ID, "coach-anna")
CLIENT_IDS = (CLIENT_ID, "client-kim")
#: The reasons people give for pausing, cancelling, correcting and ending.
REASONS = (
    "illness",
    "parental leave",
    "recorded twice",
    "the coach moved on",
    "a new role abroad",
    "the manager moved on",
)


#: A quarter of an hour from 08:00 to 17:45; a booking's length.
_QUARTERS = st.integers(0, 39)
_BOOKED_MINUTES = st.sampled_from((60, 75, 90))


class Builder(Course, Features):
    """Builds one engagement, step by step, each step a real command.

    Every value is drawn, so hypothesis can shrink a failing engagement to a small
    one: few sessions, no pauses, no revisions, the simplest zone and texts.
    """

    def __init__(
        self,
        draw: st.DrawFn,
        *,
        programme: Programme | None,
        needs_sponsor: bool,
        zone: ZoneInfo | None = None,
        sponsor: bool | None = None,
        policy: Policy | None = None,
        consents: frozenset[str] | None = None,
        features: frozenset[str] = frozenset(),
        min_sessions: int = 0,
        full_length: bool = False,
    ) -> None:
        self.draw = draw
        self.zone = zone if zone is not None else draw(cs.zones())
        opened_on = draw(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
        self.now = dt.datetime.combine(opened_on, dt.time(8), self.zone)
        with_sponsor = needs_sponsor or (draw(st.booleans()) if sponsor is None else sponsor)
        # the default policy, now and then an organisation's own (shrinking to the default)
        if policy is None:
            policy = draw(st.sampled_from((DEFAULT_POLICY, None, DEFAULT_POLICY)))
            if policy is None:
                drawn: Policy = draw(cs.policies())
                needed = {c for f in features for c in FEATURE_COMMANDS.get(f, ())}
                roles = (Role.COACH, Role.CLIENT, Role.SPONSOR)[: 3 if with_sponsor else 2]
                lets = all(any(c in drawn[r] for r in roles) for c in needed)
                policy = drawn if lets else DEFAULT_POLICY
        self.policy = policy
        self.engagement = Engagement.open(
            draw(st.sampled_from(("eng-1", "eng-2027-001", "coaching-42"))),
            coach=Party(
                draw(st.sampled_from(COACH_IDS)), draw(st.sampled_from(cs.NAMES)), Role.COACH
            ),
            client=Party(
                draw(st.sampled_from(CLIENT_IDS)), draw(st.sampled_from(cs.NAMES[1:])), Role.CLIENT
            ),
            sponsor=Party(SPONSOR_ID, "Mia Ek", Role.SPONSOR) if with_sponsor else None,
            at=self.now,
            policy=self.policy,
        )
        self.programme = programme
        self.needs_follow_up = needs_sponsor
        self.consents = consents
        self.features = features
        self.min_sessions = min_sessions
        self.given = 0
        self.booked = 0
        self.prefix = draw(st.sampled_from(("b", "bk-")))  # booking ids: b1, b2 ... or bk-1
        self.coaches = 1
        self.full_length = full_length
        self.last_day = opened_on - dt.timedelta(days=1)  # the last planned day walked

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
        """Run commands until the engagement is in *target* (not TERMINATED): over the
        whole series at its planned pace (``full``), or a few steps (``short``)."""
        if target is Phase.AGREEMENT:
            return
        self.agree()
        self.featured()
        full = self.full_length or self.draw(st.sampled_from(PACES)) == "full"
        start, end = self.engagement.start, self.engagement.end
        assert start is not None and end is not None
        if target in (Phase.ACTIVE, Phase.PAUSED):
            if full:  # some way into the series (a fifth of it, as examples shrink)
                share = self.draw(st.integers(2, 10))
                self.walk(
                    start + dt.timedelta(days=(end - start).days * share // 10), midpoint=True
                )
            else:
                self.run_sessions(midpoint_allowed=True)
            if self.draw(st.booleans()):
                self.book()  # left open: a session booked ahead
            if target is Phase.PAUSED:
                self.engagement.pause(
                    at=self.later(), by=self.by("pause", anyone=True), reason=self.reason()
                )
            return
        if target is Phase.MIDPOINT_REVIEW:
            if full:
                middle = self.engagement.middle
                assert middle is not None
                self.walk(middle, midpoint=False)
            else:
                self.run_sessions(midpoint_allowed=False)
            self.engagement.begin_midpoint_review(
                at=self.later(), by=self.by("begin_midpoint_review")
            )
            if self.draw(st.booleans()):
                self.session()
            return
        early = full and not self.full_length and self.draw(st.integers(0, 11)) == 11
        if early:  # the goals met early: the closing begins before the middle
            middle = self.engagement.middle
            assert middle is not None
            self.walk(middle - dt.timedelta(days=14), midpoint=False)
        elif full:
            self.walk(None, midpoint=True)
            middle = self.engagement.middle
            assert middle is not None
            if self.now.astimezone(self.zone).date() < middle:  # a plan too short for it
                day = middle + dt.timedelta(days=self.draw(st.integers(0, 14)))
                self.now = dt.datetime.combine(day, dt.time(9), self.zone)
        else:
            self.run_sessions(midpoint_allowed=True)
        programme = self.engagement.programme
        assert programme is not None
        if programme.requires_midpoint_review and not self.engagement.midpoint_reviewed:
            self.midpoint()
            if not full:
                self.run_sessions(midpoint_allowed=False)
        self.engagement.begin_closing(at=self.later(), by=self.by("begin_closing"))
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

    def reason(self) -> str:
        """A reason, drawn (so that reasons vary as people's do)."""
        return str(self.draw(st.sampled_from(REASONS)))

    def may(self, command: str) -> list[str]:
        """The parties the policy lets issue *command*, the coach first."""
        parties = [self.engagement.coach, self.engagement.client, self.engagement.sponsor]
        return [p.id for p in parties if p is not None and command in self.policy[p.role]]

    def by(self, command: str, *, anyone: bool = False) -> str:
        """Who issues *command*: the coach where the policy lets them (or, *anyone*, any
        party it lets, drawn); another party it lets otherwise."""
        allowed = self.may(command)
        if not allowed:
            raise InvalidValue(f"the policy lets no party issue {command!r}")
        if anyone or allowed[0] != self.coach:
            return str(self.draw(st.sampled_from(allowed)))
        return allowed[0]

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
        changes: dict[str, Any] = {}
        signers = {Role.COACH} | {r for r in (Role.CLIENT, Role.SPONSOR) if self._signs(r)}
        signatories = agreement.signatories & signers
        if self.consents is not None or "signatures" in self.features:
            if not self._signs(Role.CLIENT):
                raise InvalidValue(
                    "the policy must let the client sign for consents or signatures"
                )
            signatories |= {Role.CLIENT}  # the client's consent: the client signs
        if self.consents is not None:
            changes["sponsor_sees"] = self.consents
        if (
            "late_cancellation" in self.features
            and not agreement.programme.cancellation_notice_hours
        ):
            notice = 24  # a cancellation can only be late where notice is asked for
            changes["programme"] = attrs.evolve(
                agreement.programme, cancellation_notice_hours=notice
            )
        changes["signatories"] = signatories
        if "break" in self.features and not agreement.breaks:
            last = add_months(agreement.start, agreement.programme.months)
            room = (last - agreement.start).days - 15  # a two-week break inside the series
            offset = self.draw(st.integers(min(14, room), min(40, room)))
            first = agreement.start + dt.timedelta(days=offset)
            changes["breaks"] = (Break(first, first + dt.timedelta(days=13)),)
        agreement = attrs.evolve(agreement, **changes)
        self.engagement.agree(agreement, at=self.later(), by=self.by("agree"))
        self.sign()
        sponsor = self.engagement.sponsor
        if sponsor is not None and self.consents is None and self.may("give_consent"):
            # now and then the client consents, at the start-up meeting, to what the
            # sponsor may see (and may withdraw it later)
            topics = set(CONSENTS) - self.engagement.consent
            if topics and self.draw(st.integers(0, 2)) == 2:
                chosen = {self.draw(st.sampled_from(sorted(topics)))}
                by = self.by("give_consent")
                self.engagement.give_consent(chosen, at=self.later(days=(0, 0)), by=by)
        self.now = max(self.now, dt.datetime.combine(start, dt.time(8), self.zone))

    def _signs(self, role: Role) -> bool:
        return "sign_agreement" in self.policy[role]

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
        self.record(session, booking)

    def record(self, session: Session, booking: Booking | None = None) -> None:
        """Record *session* (held for *booking*, if given) two or three hours after it."""
        self.now = max(self.now, session.held_at)
        self.engagement.record_session(
            session,
            at=self.later(days=(0, 0), hours=(2, 3)),
            by=self.by("record_session"),
            booking_id=None if booking is None else booking.id,
        )

    def book(self, on: dt.date | None = None) -> Booking:
        """Book a session on day *on* (if after today), else one to three weeks ahead
        (by the coach or the client)."""
        agreement = self.engagement.agreement
        assert agreement is not None
        self.booked += 1
        today = self.now.astimezone(self.zone).date()
        if on is None or on <= today:
            on = today + dt.timedelta(days=self.draw(st.integers(1, 21)))
        quarter = self.draw(_QUARTERS)  # 08:00 .. 17:45
        starts = dt.datetime.combine(on, dt.time(8 + quarter // 4, 15 * (quarter % 4)), self.zone)
        booking = Booking(
            f"{self.prefix}{self.booked}",
            starts,
            self.draw(_BOOKED_MINUTES),
            self.draw(st.sampled_from(sorted(agreement.modes, key=lambda m: m.value))),
        )
        self.engagement.book_session(
            booking, at=self.later(days=(0, 0)), by=self.by("book_session", anyone=True)
        )
        return booking

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
            if step == "extend":
                self.extended()
            elif step == "pause":
                self.paused()
            elif step == "midpoint" and midpoint_allowed and not self.engagement.midpoint_reviewed:
                self.midpoint()
            elif step == "booking":
                self.booked_session()
            elif step == "record":
                self.keep_the_record()
            else:
                self.session()

    def close(self) -> None:
        """Close: every goal scored and an action plan made; one in four without the
        scores, one in four without the plan."""
        attainment: list[Attainment] = []
        if self.draw(st.integers(0, 3)) != 3:
            attainment = [self.draw(cs.attainments(goal_id=g.id)) for g in self.engagement.goals]
        planless = self.draw(st.integers(0, 3)) == 3
        self.engagement.close(
            at=self.later(),
            by=self.by("close"),
            attainment=attainment,
            action_plan=None if planless else self.draw(cs.action_plans()),
            celebration=self.draw(st.sampled_from(("", "Lunch with the team"))),
        )

    def follow_up(self) -> None:
        when = self.later(days=(7, 45))
        held = "follow_up_held" in self.features or (  # held or skipped, as drawn
            "follow_up_skipped" not in self.features and not self.draw(st.booleans())
        )
        if held:
            self.engagement.hold_follow_up(
                at=when,
                by=self.by("hold_follow_up"),
                # the coach there, now and then not
                participants=(self.coach, self.engagement.client.id, SPONSOR_ID)[
                    1 if self.draw(st.integers(0, 2)) == 2 else 0 :
                ],
                summary=self.draw(st.sampled_from(("", "Steadier meetings; the plan stands"))),
            )
        else:
            self.engagement.skip_follow_up(
                at=when, by=self.by("skip_follow_up"), reason=self.reason()
            )

    def terminate(self) -> None:
        self.engagement.terminate(
            at=self.later(),
            by=self.by("terminate", anyone=True),
            reason=self.reason(),
            end_reason=self.draw(st.sampled_from(EndReason)),
        )
