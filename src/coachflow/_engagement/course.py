"""The commands of the process's course: the agreement, the midpoint review, pauses,
extensions, the closing, the follow-up and ending early."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import attrs

from coachflow._engine.fold import Fold, replay
from coachflow._rules.judging import judge
from coachflow._rules.ruleset import RuleSet
from coachflow._values.enums import EndReason, Severity
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
    Paused,
    Resumed,
    Terminated,
)
from coachflow._values.failures import InvalidType
from coachflow._values.model import AddGoal, Agreement, ReformulateGoal
from coachflow._values.outcomes import ActionPlan, Attainment
from coachflow._values.validation import describe

__all__ = ["CourseCommands"]


class CourseCommands(Fold):
    """The commands that move an engagement through its phases (see `Engagement`)."""

    __slots__ = ()

    def agree(self, agreement: Agreement, *, at: dt.datetime, by: str) -> Agreed:
        """Record the coaching agreement of the start-up meeting, the coach's signature:
        AGREEMENT -> ACTIVE, or, while other signatories (`Agreement.signatories`) have
        yet to sign (`sign_agreement`), AGREEMENT still; agreeing again then replaces
        the proposal and its signatures.

        A three-party follow-up needs a sponsor: else `RuleViolation`
        (``agreement.sponsor_missing``); so does `Role.SPONSOR` among the signatories
        (`ValueError`). An agreement without a ``time_zone`` gets
        the zone of *at*: its `zoneinfo.ZoneInfo` key, else ``"UTC"``; the event
        records the name, so ``e.agreement.time_zone`` is never None afterwards.
        """
        self._guard("agree", by)
        if isinstance(agreement, Agreement) and agreement.time_zone is None:
            zone = getattr(at, "tzinfo", None)
            key = zone.key if isinstance(zone, ZoneInfo) else None
            agreement = attrs.evolve(agreement, time_zone=key or "UTC")
        return self._commit(Agreed(at=at, by=by, agreement=agreement))

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
        attainment: Iterable[Attainment] = (),
        action_plan: ActionPlan | None = None,
        celebration: str = "",
        rules: RuleSet | None = None,
    ) -> Closed:
        """Close: goal attainment discussed (and perhaps scored), progress celebrated, and
        usually an action plan made. CLOSING -> FOLLOW_UP when the agreement has a
        three-party follow-up, else COMPLETED.

        *attainment* scores every goal in force or none: a partial list is a
        `RuleViolation` (``closing.attainment_missing``, ``closing.attainment_unknown``,
        ``closing.attainment_duplicate``). Without scores, or without *action_plan*,
        the closing is recorded and judged (``closing.not_scored``,
        ``closing.no_action_plan``): the method says coach and client *discuss* goal
        attainment and *usually* make an action plan. An organisation that requires
        them passes its *rules*: a `RuleSet` that makes those codes errors refuses the
        close with a `RuleViolation` naming them.
        """
        self._guard("close", by)
        event = Closed(
            at=at,
            by=by,
            attainment=attainment,
            action_plan=action_plan,
            celebration=celebration,
        )
        if rules is not None:
            self._refuse_what_rules_forbid(event, rules)
        return self._commit(event)

    def _refuse_what_rules_forbid(self, event: Event, rules: RuleSet) -> None:
        """Raise `RuleViolation` when *event* would bring findings that *rules* make
        errors (as of its day), changing nothing."""
        if not isinstance(rules, RuleSet):
            raise InvalidType(f"'rules' must be a RuleSet or None (got {describe(rules)})")
        day = self.day_of(event.at)
        before = {(f.code, f.on) for f in rules.escalate(judge(self, day))}
        probe = replay(type(self), [*self._events, event])  # refuses what the command would
        errors = [
            f
            for f in rules.escalate(judge(probe, day))
            if f.severity is Severity.ERROR and (f.code, f.on) not in before
        ]
        if errors:
            raise RuleViolation(errors)

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

    def terminate(
        self,
        *,
        at: dt.datetime,
        by: str,
        reason: str,
        end_reason: EndReason = EndReason.OTHER,
    ) -> Terminated:
        """End the engagement early, from any phase that is not terminal: -> TERMINATED.

        *reason* says why in words (the coach and the client see it); *end_reason*, an
        `EndReason`, is what reports count. Goals met early may rather begin the closing:
        see the process explanation.
        """
        self._guard("terminate", by)
        event = Terminated(at=at, by=by, reason=reason, end_reason=end_reason)
        return self._commit(event)
