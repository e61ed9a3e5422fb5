"""The plan of an engagement: the sessions spread over the series, the midpoint review
and the closing conversation."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterator

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
    Worked out once per state of the engagement (`State.remembered`).

    The sessions are `planned_sessions`. The midpoint review, when the programme expects
    one, is planned on the middle of the series (`State.middle`, never in a break), or
    the first weekday after it outside a break. The closing conversation is held at the
    last planned session, moved to the Monday after a weekend, or to the Friday before
    when that Monday is past ``end``; when none is planned, on ``end``, or the Friday
    before a weekend ``end``. So both fall on weekdays. The closing is never planned
    before the midpoint review.
    """
    return state.remembered("plan", functools.partial(_plan, state))


def _plan(state: State) -> Plan | None:
    programme, end = state.programme, state.end
    if programme is None or end is None:
        return None
    start, middle = state.start, state.middle
    assert start is not None and middle is not None
    sessions = tuple([moment.date() for moment in planned_sessions(state)])
    midpoint = None
    if programme.expects_midpoint_review:
        midpoint = next_weekday(middle)
        breaks = state.agreement.breaks if state.agreement is not None else ()
        while in_breaks(midpoint, breaks):  # a break that began on the weekend after it
            midpoint = next_weekday(midpoint + dt.timedelta(days=1))
    if sessions:
        closing = next_weekday(sessions[-1])
        if closing > end:  # a last session on the weekend the series ends: the Friday before
            closing = sessions[-1] - dt.timedelta(days=sessions[-1].weekday() - 4)
    else:
        closing = end - dt.timedelta(days=max(0, end.weekday() - 4))
    if midpoint is not None and closing < midpoint:  # a plan too thin to close after it
        closing = midpoint
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
    for the sessions still to come (at most ``sessions_per_month`` a month); among those
    it prefers the ones that keep within ``cadence.bunched``'s limit
    (`Programme.max_sessions_in_window` in `Programme.bunching_window_days`), and takes a
    bunched one only when no other fits. So the plan holds the whole allotment whenever
    the candidates can; when they cannot, it holds what they can and is short
    (``plan.short``).

    Then, while a stretch without a session is longer than ``cadence.gap`` allows or
    sessions are bunched, one planned session at a time is moved to another candidate,
    the smallest move first, when that leaves fewer of one and no more of the other
    within the month cap (judging at most 200,000 picks in all, so the work is bounded
    whatever the rhythm: under 0.1 s for 120 sessions). What remains is ``plan.uneven``.
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
        (programme.bunching_window_days, programme.max_sessions_in_window, programme.max_gap_days),
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
    spacing: tuple[int, int, int],
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
    days = [moment.date() for moment in candidates]
    picks = _pick(days, active, count, per_month, spacing[:2])
    return tuple(candidates[k] for k in _ease(picks, days, start, active, per_month, spacing))


def _pick(
    days: list[dt.date],
    active: list[dt.date],
    count: int,
    per_month: int,
    bunching: tuple[int, int],
) -> list[int]:
    """The indices of *count* of the candidate *days*, each nearest its aim, within the
    month cap, leaving room for the ones still to come, and not bunched where it can (see
    `planned_sessions`)."""
    window, limit = bunching
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
    picks: list[int] = []
    previous = -1
    for i in range(count):
        aim = active[i * len(active) // count]
        rest = count - i - 1

        def fits(k: int, rest: int = rest, spaced: bool = True) -> bool:
            if spaced and len(picks) >= limit and (days[k] - days[picks[-limit]]).days < window:
                return False  # one more in the window than cadence.bunched allows
            month = months[k]
            taken = used.get(month, 0)
            if taken >= per_month:
                return False
            after = min(per_month - taken - 1, last[month] - k) + later[month]
            return after >= rest

        at = bisect.bisect_left(days, aim, lo=previous + 1)
        before = next((k for k in range(at - 1, previous, -1) if fits(k)), None)
        after = next((k for k in range(at, len(days)) if fits(k)), None)
        if before is None and after is None:  # bunched, if it must be, rather than short
            before = next((k for k in range(at - 1, previous, -1) if fits(k, spaced=False)), None)
            after = next((k for k in range(at, len(days)) if fits(k, spaced=False)), None)
        if before is None and after is None:
            break
        if before is None or (after is not None and days[after] - aim < aim - days[before]):
            chosen = after
        else:
            chosen = before
        assert chosen is not None
        picks.append(chosen)
        used[months[chosen]] = used.get(months[chosen], 0) + 1
        previous = chosen
    return picks


#: How many picks `_ease` may judge in all (a rearranged plan costs the picks whose
#: stretches and windows a move shifts): the work is bounded whatever the rhythm.
_EASE_WORK = 200_000


def _ease(
    picks: list[int],
    days: list[dt.date],
    start: dt.date,
    active: list[dt.date],
    per_month: int,
    spacing: tuple[int, int, int],
) -> list[int]:
    """*picks* with a pick moved, one at a time and by the least, while a move leaves
    fewer stretches without a session longer than ``cadence.gap`` allows
    (`Programme.max_gap_days` active days) or fewer sessions bunched beyond
    ``cadence.bunched``'s limit, and no more of the other, within the month cap. Once
    `_EASE_WORK` picks have been judged, the best plan so far stands."""
    window, limit, most = spacing

    # each candidate's place among the active days, and its day number, looked up once
    left = [bisect.bisect_left(active, day) for day in days]
    right = [bisect.bisect_right(active, day) for day in days]
    ordinal = [day.toordinal() for day in days]
    first = bisect.bisect_right(active, start)

    def silent(s: list[int], i: int) -> bool:  # the stretch before pick i is too long
        return left[s[i]] - (right[s[i - 1]] if i else first) > most

    def crowded(s: list[int], i: int) -> bool:  # pick i is one too many in its window
        return ordinal[s[i]] - ordinal[s[i - limit]] < window

    def capped(seq: list[int]) -> bool:
        months = [(days[k].year, days[k].month) for k in seq]
        return all(months.count(month) <= per_month for month in set(months))

    size = len(picks)
    seq = list(picks)
    score = (
        sum(silent(seq, i) for i in range(size)),
        sum(crowded(seq, i) for i in range(limit, size)),
    )
    budget = _EASE_WORK
    while any(score) and budget > 0:
        for j, moved, trial in _moves(seq, len(days)):
            # only the picks from the moved one's old place to its new one shift: the
            # stretches and windows that hold them are all that can change
            lo, hi = sorted((j, trial.index(moved)))
            quiet = range(lo, min(hi + 1, size - 1) + 1)
            close = range(max(lo, limit), min(hi + limit, size - 1) + 1)
            budget -= 2 + len(quiet) + len(close)  # the move itself, and the picks judged
            if budget < 0:
                break
            tried = (
                score[0] + sum(silent(trial, i) - silent(seq, i) for i in quiet),
                score[1] + sum(crowded(trial, i) - crowded(seq, i) for i in close),
            )
            better = tried[0] <= score[0] and tried[1] <= score[1] and tried != score
            if better and (budget := budget - size) >= 0 and capped(trial):
                seq, score = trial, tried
                break
        else:
            break  # no single move helps: the candidates allow no better
    return seq


def _moves(seq: list[int], size: int) -> Iterator[tuple[int, int, list[int]]]:
    """Every way of moving one pick to another of the *size* candidates not picked, in
    order of time, the smallest moves first: the index of the pick moved, the candidate
    it moves to, and the picks after the move."""
    taken = set(seq)
    for j, k in enumerate(seq):
        for step in range(1, size):
            for moved in (k - step, k + step):
                if 0 <= moved < size and moved not in taken:
                    yield j, moved, sorted([*seq[:j], moved, *seq[j + 1 :]])
