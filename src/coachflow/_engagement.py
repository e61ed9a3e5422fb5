"""The aggregate: an engagement is the fold of its events; each command appends one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import attrs

from coachflow._engine.fold import Fold, ReplayError
from coachflow._engine.machine import PROCESS
from coachflow._privacy.views import redacted, seer
from coachflow._rules.judging import judge
from coachflow._rules.plan import next_actions, plan
from coachflow._rules.ruleset import RuleSet
from coachflow._values.enums import Role
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
    Opened,
    Paused,
    Resumed,
    SessionBooked,
    SessionCancelled,
    SessionRecorded,
    SessionRescheduled,
    Terminated,
)
from coachflow._values.i18n import speaking
from coachflow._values.model import (
    ActionPlan,
    AddGoal,
    Agreement,
    Attainment,
    Booking,
    Party,
    ReformulateGoal,
    Session,
)
from coachflow._values.policy import DEFAULT_POLICY, Policy
from coachflow._values.results import Action, Finding, Plan
from coachflow._values.validation import describe, require_date

__all__ = ["Engagement"]


class Engagement(Fold):
    """One coaching engagement: a coach, a client, maybe a sponsor, and its history.

    Create one with `Engagement.open` or rebuild one with `Engagement.replay`.
    Every command checks, in order, the phase (`TransitionNotAllowed`), the
    acting party's permission (`PermissionDenied`), the time (`ValueError`) and
    its own rules (`RuleViolation`); only then does it append exactly one event
    and return it. A refused command raises and leaves the engagement as it was.

    Commands take ``at``, the aware datetime when the command happens (never
    earlier than the previous event), and ``by``, the acting party's id.
    Two engagements are equal when their histories are; they are unhashable.
    """

    __slots__ = ()

    def __init__(self) -> None:
        raise TypeError("create an engagement with Engagement.open(...) or Engagement.replay(...)")

    @classmethod
    def open(
        cls,
        id: str,
        *,
        coach: Party,
        client: Party,
        sponsor: Party | None = None,
        at: dt.datetime,
        by: str | None = None,
        policy: Policy = DEFAULT_POLICY,
    ) -> Engagement:
        """Open an engagement; its first event is `Opened` (``version == 1``).

        Each party must have the role of its slot (`Role.COACH`, `Role.CLIENT`,
        `Role.SPONSOR`) and the ids must differ, else `ValueError`. ``by``
        defaults to the coach's id; under the default policy only the coach may open.
        *policy* says who may issue which command (`Policy`); it is recorded in the
        `Opened` event, so the engagement's document keeps it and replays with it.
        """
        if by is None and isinstance(coach, Party):
            by = coach.id
        event = Opened(
            at=at,
            by=by,
            engagement_id=id,
            coach=coach,
            client=client,
            sponsor=sponsor,
            policy=policy,
        )
        return cls._begin(event)

    @classmethod
    def replay(cls, events: Iterable[Event]) -> Engagement:
        """Rebuild an engagement from its events, enforcing the same rules as the commands.

        ``Engagement.replay(e.events) == e``. An impossible history raises what
        the offending command would have raised, with a note naming the event.
        """
        try:
            return cls._replay(events)
        except ReplayError as err:
            err.cause.add_note(f"while replaying event {err.index} ({err.kind})")
            raise err.cause from None

    def seen_by(self, party_id: str) -> Engagement:
        """The engagement as the party *party_id* may see it.

        Each personal text the party may not see reads `REDACTED`: the coach sees
        everything (``e.seen_by(coach_id) == e``); the client everything but the
        coach's own notes; the sponsor the parties' names and the three-party
        follow-up's summary, and what the client consented to show
        (`Agreement.sponsor_sees`: goals, attainment comments, the action plan).
        Phases, dates, durations, modes, scores and counts are visible to every
        party. The view answers every query; its document says whose view it is
        (``"view"``) and loads back as that view; commands and stores refuse it.
        An id that is no party of the engagement is a `ValueError`.
        """
        party = self._parties.get(party_id) if isinstance(party_id, str) else None
        if party is None:
            known = ", ".join(sorted(self._parties))
            raise ValueError(f"{party_id!r} is not a party to this engagement (parties: {known})")
        saved = self._saved_version
        if party.role is Role.COACH:
            return self._replay(self._events, saved_version=saved)
        consents = self._agreement.sponsor_sees if self._agreement else frozenset()
        sees = seer(party.role, consents)
        events = [redacted(event, sees) for event in self._events]
        return self._replay(events, view=party.id, saved_version=saved)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Engagement):
            return NotImplemented
        return self.events == other.events and self._view == other.view

    def __repr__(self) -> str:
        seen = f" view={self._view!r}" if self._view is not None else ""
        return (
            f"<Engagement {self._id!r} phase={self._phase.value} "
            f"version={len(self._events)}{seen}>"
        )

    # -- commands ---------------------------------------------------------------------

    def agree(self, agreement: Agreement, *, at: dt.datetime, by: str) -> Agreed:
        """Record the coaching agreement of the start-up meeting: AGREEMENT -> ACTIVE.

        A three-party follow-up needs a sponsor: else `RuleViolation`
        (``agreement.sponsor_missing``). An agreement without a ``time_zone`` gets
        the zone of *at*: its `zoneinfo.ZoneInfo` key, else ``"UTC"``; the event
        records the name, so ``e.agreement.time_zone`` is never None afterwards.
        """
        self._guard("agree", by)
        if isinstance(agreement, Agreement) and agreement.time_zone is None:
            zone = getattr(at, "tzinfo", None)
            key = zone.key if isinstance(zone, ZoneInfo) else None
            agreement = attrs.evolve(agreement, time_zone=key or "UTC")
        return self._commit(Agreed(at=at, by=by, agreement=agreement))

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
        """
        self._guard("record_session", by)
        event = SessionRecorded(at=at, by=by, session=session, booking_id=booking_id)
        return self._commit(event)

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

    def begin_midpoint_review(self, *, at: dt.datetime, by: str) -> MidpointReviewBegun:
        """Begin the midpoint review: ACTIVE -> MIDPOINT_REVIEW."""
        self._guard("begin_midpoint_review", by)
        return self._commit(MidpointReviewBegun(at=at, by=by))

    def complete_midpoint_review(
        self,
        *,
        at: dt.datetime,
        by: str,
        revisions: Iterable[ReformulateGoal | AddGoal] = (),
    ) -> MidpointReviewCompleted:
        """Complete the midpoint review, reformulating or adding goals: -> ACTIVE.

        Revisions apply in order. Reformulating an unknown goal or adding a goal
        whose id exists raises `RuleViolation` (``midpoint.unknown_goal``,
        ``midpoint.duplicate_goal``) and applies none of them.
        """
        self._guard("complete_midpoint_review", by)
        event = MidpointReviewCompleted(at=at, by=by, revisions=revisions)
        return self._commit(event)

    def pause(
        self, *, at: dt.datetime, by: str, reason: str, until: dt.date | None = None
    ) -> Paused:
        """Suspend the sessions: ACTIVE -> PAUSED. Once resumed, ``end`` moves by the pause.

        *until*, the day sessions are to resume, makes ``engagement.resume`` fall due
        then; it may not be before the day of *at* (in the engagement's zone):
        `ValueError`.
        """
        self._guard("pause", by)
        return self._commit(Paused(at=at, by=by, reason=reason, until=until))

    def resume(self, *, at: dt.datetime, by: str) -> Resumed:
        """Resume the sessions: PAUSED -> ACTIVE."""
        self._guard("resume", by)
        return self._commit(Resumed(at=at, by=by))

    def extend(self, months: int, *, at: dt.datetime, by: str) -> Extended:
        """Lengthen the series by *months* (negative shortens it) while ACTIVE.

        The total must stay within 1..36 months: else `ValueError`.
        """
        self._guard("extend", by)
        return self._commit(Extended(at=at, by=by, months=months))

    def begin_closing(self, *, at: dt.datetime, by: str) -> ClosingBegun:
        """Begin the closing session: ACTIVE -> CLOSING.

        When the programme requires a midpoint review and none was completed:
        `RuleViolation` whose findings include ``midpoint.missing``.
        """
        self._guard("begin_closing", by)
        return self._commit(ClosingBegun(at=at, by=by))

    def close(
        self,
        *,
        at: dt.datetime,
        by: str,
        attainment: Iterable[Attainment],
        action_plan: ActionPlan,
        celebration: str = "",
    ) -> Closed:
        """Close with goal attainment, an action plan and a celebration of progress.

        CLOSING -> FOLLOW_UP when the agreement has a three-party follow-up, else
        COMPLETED. Exactly one `Attainment` per current goal: else
        `RuleViolation` (``closing.attainment_missing``,
        ``closing.attainment_unknown``, ``closing.attainment_duplicate``).
        """
        self._guard("close", by)
        event = Closed(
            at=at,
            by=by,
            attainment=attainment,
            action_plan=action_plan,
            celebration=celebration,
        )
        return self._commit(event)

    def hold_follow_up(
        self, *, at: dt.datetime, by: str, participants: Iterable[str], summary: str = ""
    ) -> FollowUpHeld:
        """Record the three-party follow-up: FOLLOW_UP -> COMPLETED.

        The participants (party ids; others may attend too) must include the
        client and the sponsor: else `RuleViolation`
        (``follow_up.participants_missing``).
        """
        self._guard("hold_follow_up", by)
        event = FollowUpHeld(at=at, by=by, participants=participants, summary=summary)
        return self._commit(event)

    def skip_follow_up(self, *, at: dt.datetime, by: str, reason: str) -> FollowUpSkipped:
        """Decide against the three-party follow-up: FOLLOW_UP -> COMPLETED."""
        self._guard("skip_follow_up", by)
        return self._commit(FollowUpSkipped(at=at, by=by, reason=reason))

    def terminate(self, *, at: dt.datetime, by: str, reason: str) -> Terminated:
        """End the engagement early, from any phase that is not terminal: -> TERMINATED."""
        self._guard("terminate", by)
        return self._commit(Terminated(at=at, by=by, reason=reason))

    # -- queries ----------------------------------------------------------------------

    def allowed(self) -> tuple[str, ...]:
        """The commands legal in the current phase (empty once terminal)."""
        return PROCESS.allowed(self._phase)

    def check(
        self, today: dt.date, *, rules: RuleSet | None = None, locale: str = "en"
    ) -> tuple[Finding, ...]:
        """Judge the process rules as of *today*; see the rules reference for each code.

        Each built-in rule has a stable code, listed with its exact definition in the
        rules reference. Nothing is judged before the agreement.

        *rules*, an organisation's `RuleSet`, overrides severities, leaves codes out
        and adds rules of its own (those are judged in every phase). *locale*
        (``"en"`` or ``"sv"``) is the language of the messages; codes and ``params``
        are the same in every language.
        """
        require_date("today", today)
        if rules is not None and not isinstance(rules, RuleSet):
            raise TypeError(f"'rules' must be a RuleSet or None (got {describe(rules)})")
        with speaking(locale):
            findings = judge(self, today)
            return findings if rules is None else rules.judge(self, today, findings)

    def plan(self) -> Plan | None:
        """The planned session dates, midpoint and closing (None before `agree`)."""
        return plan(self)

    def next_actions(self, today: dt.date, *, locale: str = "en") -> tuple[Action, ...]:
        """What the host should get done next as of *today*, soonest due first.

        Codes: ``agreement.make``, ``session.book``, ``midpoint.begin``,
        ``midpoint.complete``, ``engagement.resume``, ``closing.begin``,
        ``closing.close``, ``follow_up.hold``, ``booking.confirm``. Empty once
        terminal. *locale* (``"en"`` or ``"sv"``) is the language of the messages.
        """
        require_date("today", today)
        with speaking(locale):
            return next_actions(self, today)
