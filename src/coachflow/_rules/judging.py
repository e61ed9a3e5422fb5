"""Judging an engagement: every built-in rule as of a day, and the codes they report."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

from coachflow._engine.contract import Contract
from coachflow._rules import (
    bookings,
    cadence,
    consent,
    milestones,
    outcomes,
    planning,
    sessions,
)
from coachflow._rules.registry import BuiltinRule, registered
from coachflow._values.enums import Severity
from coachflow._values.results import Finding

__all__ = ["CODES", "RULES", "in_order", "judge"]

RULES: tuple[BuiltinRule, ...] = (
    cadence.cadence_behind,
    cadence.cadence_gap,
    cadence.cadence_bunched,
    sessions.session_duration,
    sessions.session_mode,
    milestones.midpoint_missing,
    milestones.midpoint_timing,
    milestones.midpoint_empty,
    milestones.length_overrun,
    sessions.homework_unreviewed,
    sessions.homework_unknown,
    sessions.session_duplicate,
    sessions.session_in_break,
    milestones.closing_early,
    milestones.follow_up_coach_absent,
    milestones.agreement_incomplete,
    consent.consent_unconfirmed,
    outcomes.closing_not_scored,
    outcomes.closing_no_action_plan,
    outcomes.gas_levels_undefined,
    planning.plan_short,
    planning.plan_weekend,
    planning.plan_uneven,
    bookings.booking_unconfirmed,
    bookings.session_no_show,
    bookings.session_late_cancellation,
    bookings.allocation_exceeded,
)
"""Every built-in rule, in the order `judge` reports them."""
if set(RULES) != set(registered()):  # pragma: no cover - a declared rule left out
    raise AssertionError("judging.RULES must list every declared rule once")

CODES: dict[str, Severity] = {declared.code: declared.severity for declared in RULES}
"""Every code the built-in rules report, with its severity."""


def judge(state: Contract, today: dt.date) -> tuple[Finding, ...]:
    """Judge every built-in rule as of *today* (nothing before the agreement)."""
    if state.agreement is None:
        return ()
    # sessions are in the order of their instants, so their days never decrease
    days = state.session_days
    count = len(days) if not days or days[-1] <= today else bisect.bisect_right(days, today)
    held, days = state.sessions[:count], days[:count]
    found: list[Finding] = []
    for declared in RULES:
        found += declared(state, today, held, days)
    return tuple(found)


#: Errors first, then warnings, then information.
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def in_order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """*findings* ordered as people read them: by day (findings of no day last), then
    severity (errors first), then code; findings alike keep their order."""
    return tuple(
        sorted(
            findings,
            key=lambda f: (f.on is None, f.on or dt.date.min, _RANK[f.severity], f.code),
        )
    )
