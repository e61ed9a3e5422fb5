"""The plan of an engagement and the next actions a host system should take."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from coachflow._calendar import add_months, day_of, shift_past_pauses
from coachflow._model import Action, Phase, Plan

if TYPE_CHECKING:
    from coachflow._fold import Fold

__all__ = ["midpoint", "next_actions", "plan"]


def _span(fold: Fold) -> tuple[dt.date, int]:
    start, programme = fold.start, fold._programme
    assert start is not None and programme is not None
    return start, (add_months(start, programme.months) - start).days


def midpoint(fold: Fold) -> dt.date:
    """The middle of the series: half its active days after ``start``, moved past pauses."""
    start, span = _span(fold)
    return shift_past_pauses(start + dt.timedelta(days=span // 2), fold._pauses)


def plan(fold: Fold) -> Plan | None:
    """Session dates spread at the programme's cadence, the midpoint and the closing.

    With ``n = months * sessions_per_month`` and ``span`` the days from ``start``
    to ``start + months``, session ``i`` (0-based) falls ``floor(i * span / n)``
    active days after ``start``; finished pauses push later dates aside. The
    closing falls on ``end``; the midpoint (only when required) on `midpoint`.
    """
    programme, end = fold._programme, fold.end
    if programme is None or end is None:
        return None
    start, span = _span(fold)
    count = programme.months * programme.sessions_per_month
    pauses = fold._pauses
    sessions = tuple(
        shift_past_pauses(start + dt.timedelta(days=i * span // count), pauses)
        for i in range(count)
    )
    middle = midpoint(fold) if programme.requires_midpoint_review else None
    return Plan(start=start, end=end, sessions=sessions, midpoint=middle, closing=end)


def next_actions(fold: Fold, today: dt.date) -> tuple[Action, ...]:
    """What is due next as of *today*, soonest first (see `Engagement.next_actions`)."""
    phase = fold._phase
    actions: list[Action] = []
    if phase is Phase.AGREEMENT:
        actions.append(
            Action(
                "agreement.make",
                fold.phase_since,
                "hold the start-up meeting and record the coaching agreement",
            )
        )
    elif phase in (Phase.ACTIVE, Phase.MIDPOINT_REVIEW):
        actions.extend(_running(fold, today))
    elif phase is Phase.PAUSED:
        programme, since = fold._programme, fold._paused_at
        assert programme is not None and since is not None
        until = fold._pause_until  # the agreed day, else the longest gap the rules allow
        due = until or day_of(since, fold._zone) + dt.timedelta(days=programme.max_gap_days)
        actions.append(Action("engagement.resume", due, "resume the paused sessions or end"))
    elif phase is Phase.CLOSING:
        actions.append(
            Action(
                "closing.close",
                fold.phase_since,
                "finish the closing: score goal attainment, celebrate, agree an action plan",
            )
        )
    elif phase is Phase.FOLLOW_UP:
        programme = fold._programme
        assert programme is not None
        due = fold.phase_since + dt.timedelta(days=programme.follow_up_within_days)
        actions.append(
            Action("follow_up.hold", due, "hold the three-party follow-up with the manager")
        )
    return tuple(sorted(actions, key=lambda a: (a.due, a.code)))


def _running(fold: Fold, today: dt.date) -> list[Action]:
    programme, start, end = fold._programme, fold.start, fold.end
    assert programme is not None and start is not None and end is not None
    actions = []
    held = [day for day in fold._days() if day <= today]
    due = max(held) + dt.timedelta(days=round(programme.interval_days)) if held else start
    if due < end:
        actions.append(Action("session.book", due, "book the next session"))
    if fold._phase is Phase.MIDPOINT_REVIEW:
        actions.append(
            Action(
                "midpoint.complete",
                fold.phase_since,
                "complete the midpoint review: keep, reformulate or add goals",
            )
        )
    else:
        if programme.requires_midpoint_review and not fold._midpoint_done:
            actions.append(Action("midpoint.begin", midpoint(fold), "begin the midpoint review"))
        actions.append(Action("closing.begin", end, "begin the closing session"))
    return actions
