"""The plan of an engagement: the sessions spread over the series, the midpoint review
and the closing conversation."""

from __future__ import annotations

import bisect
import datetime as dt
import functools

from coachflow._engine.state import State
from coachflow._values.calendar import Pause, active_days, add_months, zone
from coachflow._values.model import Break
from coachflow._values.results import Plan
from coachflow._values.rhythm import rhythm

__all__ = ["in_breaks", "next_weekday", "plan", "planned_sessions"]


def _span(state: State) -> tuple[dt.date, int]:
    start, programme = state.start, state.programme
    assert start is not None and programme is not None
    return start, (add_months(start, programme.months) - start).days


def in_breaks(day: dt.date, breaks: tuple[Break, ...]) -> bool:
    """Whether *day* is a day of one of the agreed *breaks*."""
    return any(item.start <= day <= item.end for item in breaks)


def next_weekday(day: dt.date) -> dt.date:
    """*day*, or the Monday after it when it falls on a Saturday or Sunday."""
    return day + dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def plan(state: State) -> Plan | None:
    """The planned session days, the midpoint and the closing (None before the agreement).

    The sessions are `planned_sessions`. The closing conversation is held at the last
    planned session (``end`` when none is planned); the midpoint review, when the
    programme expects one, on the middle of the series (`State.middle`). Both are moved
    to the Monday after when they fall on a weekend.
    """
    programme, end = state.programme, state.end
    if programme is None or end is None:
        return None
    start, middle = state.start, state.middle
    assert start is not None and middle is not None
    sessions = tuple(moment.date() for moment in planned_sessions(state))
    midpoint = next_weekday(middle) if programme.expects_midpoint_review else None
    closing = next_weekday(sessions[-1]) if sessions else end
    return Plan(start=start, end=end, sessions=sessions, midpoint=midpoint, closing=closing)


def planned_sessions(state: State) -> tuple[dt.datetime, ...]:
    """The planned sessions as local (naive) datetimes in the engagement's zone.

    The *candidates* are the days a session may be held: with a rhythm
    (`Agreement.rhythm`) its occurrences, at its time of day; without one, the working
    days (Monday to Friday), at midnight. Neither falls in a pause or an agreed break.
    The *active calendar* is every day from ``start`` to ``end`` that is in neither.

    The ``n = Programme.allotted`` sessions are spread over the whole active calendar:
    with ``A`` its days in order, session ``i`` (0-based) aims at day
    ``A[floor(i * len(A) / n)]`` and takes the candidate nearest it (the earlier on a
    tie) among those that are later than the session before, in a calendar month that
    holds fewer than ``Programme.sessions_per_month`` sessions yet, and that leave room
    for the sessions still to come (at most ``sessions_per_month`` a month). So the plan
    holds the whole allotment whenever the candidates can; when they cannot, it holds
    what they can and is short (``plan.short``).
    """
    programme, end, agreement = state.programme, state.end, state.agreement
    assert programme is not None and end is not None and agreement is not None
    start, span = _span(state)
    return _spread(
        agreement.rhythm,
        agreement.time_zone,
        start,
        span,
        end,
        state.pauses,
        agreement.breaks,
        programme.allotted,
        programme.sessions_per_month,
    )


@functools.lru_cache(maxsize=4096)
def _spread(
    text: str | None,
    zone_name: str | None,
    start: dt.date,
    span: int,
    end: dt.date,
    pauses: tuple[Pause, ...],
    breaks: tuple[Break, ...],
    count: int,
    per_month: int,
) -> tuple[dt.datetime, ...]:
    active = [day for day in active_days(start, span, pauses) if not in_breaks(day, breaks)]
    if text is None:
        midnight = dt.time()
        candidates = [dt.datetime.combine(day, midnight) for day in active if day.weekday() < 5]
    else:
        local = zone(zone_name) if zone_name else None
        candidates = [
            moment
            for moment in rhythm(text).days(start, end, local)
            if not in_breaks(moment.date(), breaks)
            and not any(began <= moment.date() < resumed for began, resumed in pauses)
        ]
    if not active or not candidates:
        return ()
    return tuple(_pick(candidates, active, count, per_month))


def _pick(
    candidates: list[dt.datetime], active: list[dt.date], count: int, per_month: int
) -> list[dt.datetime]:
    """*count* of the *candidates*, each nearest its aim, within the month cap, leaving
    room for the ones still to come (see `planned_sessions`)."""
    days = [moment.date() for moment in candidates]
    months = [(day.year, day.month) for day in days]
    last: dict[tuple[int, int], int] = {}
    for index, month in enumerate(months):
        last[month] = index
    # how many sessions the months after each month can still take
    later: dict[tuple[int, int], int] = {}
    room = 0
    for month in sorted(last, reverse=True):
        later[month] = room
        room += min(per_month, sum(1 for m in months if m == month))
    count = min(count, room)  # what the candidates can hold at most, month by month
    used: dict[tuple[int, int], int] = {}
    picks: list[dt.datetime] = []
    previous = -1
    for i in range(count):
        aim = active[i * len(active) // count]
        rest = count - i - 1

        def fits(k: int, rest: int = rest) -> bool:
            month = months[k]
            taken = used.get(month, 0)
            if taken >= per_month:
                return False
            after = min(per_month - taken - 1, last[month] - k) + later[month]
            return after >= rest

        at = bisect.bisect_left(days, aim, lo=previous + 1)
        before = next((k for k in range(at - 1, previous, -1) if fits(k)), None)
        after = next((k for k in range(at, len(days)) if fits(k)), None)
        if before is None and after is None:
            break
        if before is None or (after is not None and days[after] - aim < aim - days[before]):
            chosen = after
        else:
            chosen = before
        assert chosen is not None
        picks.append(candidates[chosen])
        used[months[chosen]] = used.get(months[chosen], 0) + 1
        previous = chosen
    return picks
