"""The features `engagements(features=...)` makes sure of, each made by the public
commands (a mixin of `Builder`)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from coachflow._engagement import Engagement
from coachflow._values.amendment import Amendment
from coachflow._values.enums import CONSENTS, Mode, Role
from coachflow._values.model import Party, Programme
from coachflow._values.results import Plan
from coachflow._values.sessions import Booking, Session
from coachflow.testing import _strategies as cs

__all__ = ["FEATURES", "FEATURE_COMMANDS", "Building", "Features"]

FEATURES = (
    "break",  # an agreed break in the agreement
    "signatures",  # the client signs the agreement too
    "no_show",
    "void_no_show",  # a no-show recorded by mistake, voided
    "late_cancellation",  # a booking cancelled with less notice than agreed
    "reschedule",
    "pause_until",  # a pause with an agreed end, then a resumption
    "extension",
    "amendment",  # an amendment, signed by every signatory
    "consent",  # consent given and withdrawn
    "correction",  # a session corrected
    "void_session",  # a session voided
    "coach_change",
    "follow_up_held",  # a completed engagement's three-party follow-up, held
    "follow_up_skipped",  # ... or skipped
)
"""What `engagements(features=...)` can make sure of, each by construction: ``break`` (an
agreed break), ``signatures`` (the client signs too), ``no_show``, ``void_no_show``,
``late_cancellation``, ``reschedule``, ``pause_until`` (a pause with an agreed end, then a
resumption), ``extension``, ``amendment`` (signed by every signatory), ``consent`` (given
and withdrawn), ``correction``, ``void_session``, ``coach_change``, and for a completed
engagement ``follow_up_held`` or ``follow_up_skipped``."""
_AT_AGREEMENT = ("break", "signatures", "follow_up_held", "follow_up_skipped")
#: The commands a feature needs beyond the process's own.
FEATURE_COMMANDS: dict[str, tuple[str, ...]] = {
    "void_no_show": ("void_no_show",),
    "amendment": ("amend_agreement", "sign_agreement"),
    "consent": ("give_consent", "withdraw_consent"),
    "correction": ("correct_session",),
    "void_session": ("void_session",),
    "coach_change": ("change_coach",),
    "signatures": ("sign_agreement",),
}


class Building(Protocol):
    """What the features need of the builder."""

    draw: st.DrawFn
    engagement: Engagement
    now: dt.datetime
    zone: ZoneInfo
    programme: Programme | None
    features: frozenset[str]
    consents: frozenset[str] | None
    min_sessions: int
    coaches: int
    given: int
    full_length: bool
    last_day: dt.date
    _plan: Plan | None

    @property
    def coach(self) -> str: ...
    def later(
        self, *, days: tuple[int, int] = ..., hours: tuple[int, int] = ...
    ) -> dt.datetime: ...
    def by(self, command: str, *, anyone: bool = ...) -> str: ...
    def may(self, command: str) -> list[str]: ...
    def reason(self) -> str: ...
    def book(self, on: dt.date | None = ...) -> Booking: ...
    def session(self, booking: Booking | None = ...) -> None: ...
    def sign(self) -> None: ...
    def record(self, session: Session, booking: Booking | None = ...) -> None: ...
    def _a_session(self) -> Session: ...
    def _given_ids(self) -> set[str]: ...
    def keep_the_record(self) -> None: ...
    def booked_session(self, on: dt.date | None = ...) -> None: ...
    def paused(self) -> None: ...
    def extended(self) -> None: ...
    def midpoint(self) -> None: ...
    def planned(self) -> Plan: ...
    def deviate(self, day: dt.date, how: str) -> None: ...
    def held_on(
        self, day: dt.date, *, how: str = ..., booking: Booking | None = ...
    ) -> Session: ...


class Features:
    """One method per feature: ``feature_<name>``."""

    def featured(self: Building) -> None:
        """Each feature asked for (`FEATURES`), at least once, in a drawn order; then
        sessions up to the least asked for."""
        todo = [f for f in FEATURES if f in self.features and f not in _AT_AGREEMENT]
        for feature in self.draw(st.permutations(todo)):
            getattr(self, "feature_" + feature)()
        while len(self.engagement.sessions) < self.min_sessions:
            self.session()

    def _a_session(self: Building) -> Session:
        if not self.engagement.sessions:
            self.session()
        return self.draw(st.sampled_from(self.engagement.sessions))

    def feature_no_show(self: Building) -> None:
        booking = self.book()
        self.now = max(self.now, booking.starts_at)
        self.engagement.record_no_show(
            booking.id, at=self.later(days=(0, 0), hours=(1, 2)), by=self.by("record_no_show")
        )

    def feature_void_no_show(self: Building) -> None:
        booking = self.book()
        self.now = max(self.now, booking.starts_at)
        self.engagement.record_no_show(
            booking.id, at=self.later(days=(0, 0), hours=(1, 2)), by=self.by("record_no_show")
        )
        self.engagement.void_no_show(
            booking.id, reason=self.reason(), at=self.later(), by=self.by("void_no_show")
        )
        self.session(booking)

    def feature_late_cancellation(self: Building) -> None:
        booking = self.book()
        programme = self.engagement.programme
        assert programme is not None
        notice = dt.timedelta(
            hours=self.draw(st.integers(0, programme.cancellation_notice_hours - 1))
        )
        self.now = max(self.now, booking.starts_at - notice).astimezone(self.zone)
        self.engagement.cancel_session(
            booking.id,
            at=self.now,
            by=self.by("cancel_session", anyone=True),
            reason=self.reason(),
        )

    def feature_reschedule(self: Building) -> None:
        booking = self.book()
        moved = booking.starts_at + dt.timedelta(days=self.draw(st.integers(1, 7)))
        self.engagement.reschedule_session(
            booking.id,
            starts_at=moved,
            at=self.later(days=(0, 0)),
            by=self.by("reschedule_session"),
        )
        self.session(next(b for b in self.engagement.bookings if b.id == booking.id))

    def feature_pause_until(self: Building) -> None:
        days = self.draw(st.integers(7, 60))
        until = self.now.astimezone(self.zone).date() + dt.timedelta(days=days)
        self.engagement.pause(
            at=self.later(), by=self.by("pause", anyone=True), reason=self.reason(), until=until
        )
        self.engagement.resume(at=self.later(days=(1, days)), by=self.by("resume", anyone=True))

    def feature_extension(self: Building) -> None:
        programme, agreement = self.engagement.programme, self.engagement.agreement
        assert programme is not None and agreement is not None
        if programme.months < 36:
            months = self.draw(st.integers(1, min(3, 36 - programme.months)))
        else:  # the longest series: one month shorter, the breaks cleared first
            months = -1
            if agreement.breaks:
                self.engagement.amend_agreement(
                    Amendment(breaks=()), at=self.later(), by=self.by("amend_agreement")
                )
                self.sign()
        self.engagement.extend(months, at=self.later(), by=self.by("extend"))

    def feature_amendment(self: Building) -> None:
        agreement, programme = self.engagement.agreement, self.engagement.programme
        assert agreement is not None and programme is not None
        amendment = Amendment(
            practicalities=f"{agreement.practicalities} (amended)",
            sessions=None if self.programme is not None else programme.allotted + 2,
        )
        self.engagement.amend_agreement(
            amendment, at=self.later(), by=self.by("amend_agreement", anyone=True)
        )
        self.sign()

    def feature_consent(self: Building) -> None:
        topic = self.draw(st.sampled_from(CONSENTS))
        engagement, client = self.engagement, self.by("give_consent")
        if topic in engagement.consent:  # withdrawn, then given again
            engagement.withdraw_consent({topic}, at=self.later(), by=self.by("withdraw_consent"))
            engagement.give_consent({topic}, at=self.later(), by=client)
        else:
            engagement.give_consent({topic}, at=self.later(), by=client)
            engagement.withdraw_consent({topic}, at=self.later(), by=self.by("withdraw_consent"))

    def feature_correction(self: Building) -> None:
        held = self._a_session()
        fixed = attrs.evolve(held, minutes=held.minutes + 5, homework=())
        self.engagement.correct_session(
            held.held_at,
            fixed,
            reason=self.reason(),
            at=self.later(),
            by=self.by("correct_session"),
        )

    def feature_void_session(self: Building) -> None:
        held = self._a_session()
        self.engagement.void_session(
            held.held_at, reason=self.reason(), at=self.later(), by=self.by("void_session")
        )

    def feature_coach_change(self: Building) -> None:
        self.coaches += 1
        coach = Party(f"coach-{self.coaches}", self.draw(st.sampled_from(cs.NAMES)), Role.COACH)
        self.engagement.change_coach(
            coach,
            reason=self.reason(),
            at=self.later(),
            by=self.by("change_coach", anyone=True),
        )

    def keep_the_record(self: Building) -> None:
        """One of the changes the parties make to the record: an amendment, consent given
        or withdrawn, a session corrected or voided, another coach."""
        change = self.draw(
            st.sampled_from(("consent", "amend", "consent", "correct", "void", "coach"))
        )
        engagement = self.engagement
        needed = {
            "amend": "amend_agreement",
            "consent": "give_consent",
            "correct": "correct_session",
            "void": "void_session",
            "coach": "change_coach",
        }
        pinned = change == "consent" and self.consents is not None
        fewest = change == "void" and len(engagement.sessions) <= self.min_sessions
        if not self.may(needed[change]) or pinned or fewest:
            return  # the policy lets no one, or the consent is pinned: nothing to record
        if change == "amend":
            agreement, programme = engagement.agreement, engagement.programme
            assert agreement is not None and programme is not None
            pinned = self.programme is not None  # a programme given stays as given
            amendment = Amendment(
                modes=frozenset(Mode),
                practicalities=f"{agreement.practicalities} (amended)",
                sessions=None if pinned else programme.allotted + 2,
            )
            engagement.amend_agreement(
                amendment, at=self.later(), by=self.by("amend_agreement", anyone=True)
            )
            self.sign()
        elif change == "consent":
            topic = self.draw(st.sampled_from(CONSENTS))
            if topic in engagement.consent:
                engagement.withdraw_consent(
                    {topic}, at=self.later(), by=self.by("withdraw_consent")
                )
            else:
                engagement.give_consent({topic}, at=self.later(), by=self.by("give_consent"))
        elif change in ("correct", "void") and engagement.sessions:
            held = self.draw(st.sampled_from(engagement.sessions))
            if change == "void":
                engagement.void_session(
                    held.held_at,
                    reason=self.reason(),
                    at=self.later(),
                    by=self.by("void_session"),
                )
            else:
                fixed = attrs.evolve(held, minutes=held.minutes + 5, homework=())
                engagement.correct_session(
                    held.held_at,
                    fixed,
                    reason=self.reason(),
                    at=self.later(),
                    by=self.by("correct_session"),
                )
        elif change == "coach":
            self.coaches += 1
            coach = Party(
                f"coach-{self.coaches}", self.draw(st.sampled_from(cs.NAMES)), Role.COACH
            )
            by = self.by("change_coach", anyone=True)
            engagement.change_coach(coach, reason=self.reason(), at=self.later(), by=by)
