"""The rules of the plan itself: one the agreed rhythm cannot fill, one that puts
sessions on weekends, and one that cannot keep the cadence."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from coachflow._engine.state import State
from coachflow._rules.cadence import break_days
from coachflow._rules.plan import plan
from coachflow._rules.registry import Found, rule
from coachflow._values.enums import Severity
from coachflow._values.i18n import t
from coachflow._values.sessions import Session
from coachflow._values.wording import day_name, days_words, list_words, sessions_words

__all__: list[str] = []

_WEEKEND = ("SA", "SU")
_DAY = dt.timedelta(days=1)


def _most_in_window(days: tuple[dt.date, ...], window: int) -> int:
    """The most of *days* (in order) within *window* days of one another: the days from
    each back to the first less than *window* days before it, by two fingers."""
    most, first = 0, 0
    for last, day in enumerate(days):
        while (day - days[first]).days >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


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
                "the rhythm plans {count} on weekends ({days})",
                count=sessions_words(len(weekend)),
                days=list_words(day_name(n) for n in sorted({d.weekday() for d in weekend})),
            ),
            {"weekdays": which, "sessions": len(weekend)},
        )


@rule(
    "plan.uneven",
    Severity.WARNING,
    judged_in="from the agreement on",
    raised_when="the rhythm's days leave the plan bunched or with too long a silence",
    tolerance="`max_gap_days` and `max_sessions_in_window`",
)
def plan_uneven(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """The plan keeps the cadence rules where the rhythm's days allow it (see
    `planned_sessions`). Raised, on the day the agreement in force was made, when they do
    not: keeping this plan exactly would still raise ``cadence.gap`` (a stretch before a
    planned session, from ``start`` or the last resume, longer than
    `Programme.max_gap_days` outside breaks) or ``cadence.bunched`` (more than
    `Programme.max_sessions_in_window` planned sessions in `Programme.bunching_window_days`).
    `params`: `longest_gap` (days), `gap_limit`, `most_in_window`, `window_limit`.
    """
    on = _agreed_on(state, today)
    programme, schedule = state.programme, plan(state)
    if on is None or programme is None or schedule is None or not schedule.sessions:
        return
    edges = [schedule.start, *schedule.sessions]
    resumes = [resumed for _, resumed in state.pauses]
    breaks = state.agreement is not None and state.agreement.breaks
    longest = 0
    for since, day in itertools.pairwise(edges):
        if resumes:
            since = max([since, *(resumed for resumed in resumes if resumed < day)])
        quiet = (day - since).days - 1
        if breaks:
            quiet -= break_days(state, since + _DAY, day - _DAY)
        longest = max(longest, quiet)
    window = programme.bunching_window_days
    most = _most_in_window(schedule.sessions, window)
    gap_limit, window_limit = programme.max_gap_days, programme.max_sessions_in_window
    if longest > gap_limit or most > window_limit:
        yield (
            on,
            t(
                "the rhythm's days leave the plan uneven: up to {gap} without a session "
                "(at most {gap_limit}), up to {most} in {window} (at most {window_limit})",
                gap=days_words(longest),
                gap_limit=gap_limit,
                most=sessions_words(most),
                window=days_words(window),
                window_limit=window_limit,
            ),
            {
                "longest_gap": longest,
                "gap_limit": gap_limit,
                "most_in_window": most,
                "window_limit": window_limit,
            },
        )
