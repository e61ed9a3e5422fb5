"""The rules of the plan itself: one the agreed rhythm cannot fill, and one that puts
sessions on weekends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from coachflow._engine.state import State
from coachflow._rules.plan import plan
from coachflow._rules.registry import Found, rule
from coachflow._values.enums import Severity
from coachflow._values.i18n import t
from coachflow._values.sessions import Session

__all__: list[str] = []

_WEEKEND = ("SA", "SU")


def _agreed_on(state: State, today: dt.date) -> dt.date | None:
    agreed = state.agreed_at
    if agreed is None:
        return None
    day = state.day_of(agreed)
    return day if day <= today else None


@rule(
    "plan.short",
    Severity.WARNING,
    judged_in="from the agreement on",
    raised_when="the plan holds fewer sessions than the allotment",
)
def plan_short(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """The plan (`Engagement.plan`) spreads the allotted sessions over the series on the
    days the rhythm allows, at most `sessions_per_month` in a calendar month. Raised, on
    the day the agreement in force was made, when it holds fewer sessions than
    `Programme.allotted`: the rhythm has too few days (an ``UNTIL`` or ``COUNT`` that ends
    it early, a monthly rhythm for two sessions a month, breaks that leave too little).
    `params`: `planned`, `allotted`, `short` (how many are missing).
    """
    on = _agreed_on(state, today)
    programme, schedule = state.programme, plan(state)
    if on is None or programme is None or schedule is None:
        return
    planned, allotted = len(schedule.sessions), programme.allotted
    if planned < allotted:
        yield (
            on,
            t(
                "the plan holds {planned} of the {allotted} sessions allotted: the rhythm "
                "has too few days in the series",
                planned=planned,
                allotted=allotted,
            ),
            {"planned": planned, "allotted": allotted, "short": allotted - planned},
        )


@rule(
    "plan.weekend",
    Severity.INFO,
    judged_in="from the agreement on",
    raised_when="the rhythm plans sessions on a Saturday or a Sunday",
)
def plan_weekend(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Raised, on the day the agreement in force was made, when the plan puts sessions on
    a Saturday or a Sunday (only a rhythm does: without one, sessions are planned on
    weekdays). Maybe agreed so; worth a look. `params`: `weekdays` (``"SA"``, ``"SU"``),
    `sessions` (how many fall on them).
    """
    on = _agreed_on(state, today)
    schedule = plan(state)
    if on is None or schedule is None:
        return
    weekend = [day for day in schedule.sessions if day.weekday() >= 5]
    if weekend:
        which = sorted({_WEEKEND[day.weekday() - 5] for day in weekend})
        yield (
            on,
            t(
                "the rhythm plans {count} sessions on weekends ({days})",
                count=len(weekend),
                days=", ".join(which),
            ),
            {"weekdays": which, "sessions": len(weekend)},
        )
