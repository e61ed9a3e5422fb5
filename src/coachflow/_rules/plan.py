"""The plan of an engagement and the next actions a host system should take."""

from __future__ import annotations

import datetime as dt
import functools

from coachflow._engine.state import State
from coachflow._rules.bookings import unconfirmed
from coachflow._values.calendar import Pause, active_days, add_months, rhythm
from coachflow._values.enums import Phase
from coachflow._values.i18n import t
from coachflow._values.results import Action, Plan

__all__ = ["next_actions", "plan", "planned_sessions"]


def _span(state: State) -> tuple[dt.date, int]:
    start, programme = state.start, state.programme
    assert start is not None and programme is not None
    return start, (add_months(start, programme.months) - start).days


def plan(state: State) -> Plan | None:
    """The planned session dates, the midpoint and the closing (see `planned_sessions`).

    The closing falls on ``end``; the midpoint (only when required) on the middle of
    the series (`State.middle`).
    """
    programme, end = state.programme, state.end
    if programme is None or end is None:
        return None
    start = state.start
    assert start is not None
    sessions = tuple(moment.date() for moment in planned_sessions(state))
    middle = state.middle if programme.requires_midpoint_review else None
    return Plan(start=start, end=end, sessions=sessions, midpoint=middle, closing=end)


def planned_sessions(state: State) -> tuple[dt.datetime, ...]:
    """The planned sessions as local (naive) datetimes in the engagement's zone.

    With a rhythm (`Agreement.rhythm`): its occurrences from ``start`` up to ``end``,
    skipping the days of finished pauses, at most `Programme.allotted` of them; the
    time of day is the rule's (midnight when it names no ``BYHOUR``).

    Without one: ``n = Programme.allotted`` sessions spread evenly over the working
    days (Monday to Friday) of the active calendar, the ``span`` days from ``start``
    to ``start + months`` moved past finished pauses: with ``W`` those weekdays in
    order, session ``i`` (0-based) falls on ``W[floor(i * len(W) / n)]``, at midnight.
    """
    programme, end, agreement = state.programme, state.end, state.agreement
    assert programme is not None and end is not None and agreement is not None
    start, span = _span(state)
    pauses = state.pauses
    if agreement.rhythm is not None:
        return _rhythm_plan(agreement.rhythm, start, end, pauses, programme.allotted)
    return _weekday_plan(start, span, pauses, programme.allotted)


@functools.lru_cache(maxsize=4096)
def _weekday_plan(
    start: dt.date, span: int, pauses: tuple[Pause, ...], count: int
) -> tuple[dt.datetime, ...]:
    weekdays = [day for day in active_days(start, span, pauses) if day.weekday() < 5]
    if not weekdays:  # pragma: no cover - every span of a month or more has weekdays
        return ()
    midnight = dt.time()
    return tuple(
        dt.datetime.combine(weekdays[i * len(weekdays) // count], midnight) for i in range(count)
    )


@functools.lru_cache(maxsize=4096)
def _rhythm_plan(
    text: str, start: dt.date, end: dt.date, pauses: tuple[Pause, ...], count: int
) -> tuple[dt.datetime, ...]:
    occurrences = [
        moment
        for moment in rhythm(text).days(start, end)
        if not any(began <= moment.date() < resumed for began, resumed in pauses)
    ]
    return tuple(occurrences[:count])


def next_actions(state: State, today: dt.date) -> tuple[Action, ...]:
    """What is due next as of *today*, soonest first (see `Engagement.next_actions`)."""
    phase = state.phase
    actions: list[Action] = []
    if phase is Phase.AGREEMENT:
        actions.append(
            Action(
                "agreement.make",
                state.phase_since,
                t("hold the start-up meeting and record the coaching agreement"),
            )
        )
    elif phase in (Phase.ACTIVE, Phase.MIDPOINT_REVIEW):
        actions.extend(_running(state, today))
    elif phase is Phase.PAUSED:
        programme, since = state.programme, state.paused_since
        assert programme is not None and since is not None
        until = state.pause_until  # the agreed day, else the longest gap the rules allow
        due = until or state.day_of(since) + dt.timedelta(days=programme.max_gap_days)
        actions.append(Action("engagement.resume", due, t("resume the paused sessions or end")))
    elif phase is Phase.CLOSING:
        actions.append(
            Action(
                "closing.close",
                state.phase_since,
                t("finish the closing: score goal attainment, celebrate, agree an action plan"),
            )
        )
    elif phase is Phase.FOLLOW_UP:
        programme = state.programme
        assert programme is not None
        due = state.phase_since + dt.timedelta(days=programme.follow_up_within_days)
        actions.append(
            Action("follow_up.hold", due, t("hold the three-party follow-up with the manager"))
        )
    if not phase.is_terminal:
        actions.extend(_unconfirmed(state, today))
    return tuple(sorted(actions, key=lambda a: (a.due, a.code)))


def _unconfirmed(state: State, today: dt.date) -> list[Action]:
    return [
        Action(
            "booking.confirm",
            day,
            t(
                "confirm booking {booking_id!r} of {day}: record the session held, a no-show "
                "or a cancellation",
                booking_id=booking.id,
                day=day.isoformat(),
            ),
        )
        for day, booking in unconfirmed(state, today)
    ]


def _running(state: State, today: dt.date) -> list[Action]:
    programme, start, end = state.programme, state.start, state.end
    assert programme is not None and start is not None and end is not None
    actions = []
    held = [day for day in state.session_days if day <= today]
    booked = [state.day_of(booking.starts_at) for booking in state.bookings]
    last = max(held + booked, default=None)  # the latest session held or booked
    agreement = state.agreement
    assert agreement is not None
    due: dt.date | None
    if agreement.rhythm is not None:  # the rhythm's next day after it
        days = (moment.date() for moment in rhythm(agreement.rhythm).days(start, end))
        due = next((day for day in days if last is None or day > last), None)
    elif last is not None:
        due = last + dt.timedelta(days=round(programme.interval_days))
    else:
        due = start
    if due is not None and due < end:
        actions.append(Action("session.book", due, t("book the next session")))
    if state.phase is Phase.MIDPOINT_REVIEW:
        actions.append(
            Action(
                "midpoint.complete",
                state.phase_since,
                t("complete the midpoint review: keep, reformulate or add goals"),
            )
        )
    else:
        middle = state.middle
        if programme.requires_midpoint_review and not state.midpoint_reviewed:
            assert middle is not None
            actions.append(Action("midpoint.begin", middle, t("begin the midpoint review")))
        actions.append(Action("closing.begin", end, t("begin the closing session")))
    return actions
