"""The next actions a host system should take, as of a day."""

from __future__ import annotations

import bisect
import datetime as dt

from coachflow._engine.contract import Contract
from coachflow._engine.state import State
from coachflow._rules.bookings import unconfirmed
from coachflow._rules.plan import in_breaks, plan
from coachflow._values.enums import Phase
from coachflow._values.i18n import t
from coachflow._values.model import Party
from coachflow._values.results import Action
from coachflow._values.rhythm import rhythm
from coachflow._values.wording import date_words

__all__ = ["next_actions"]

_CONFIRMABLE = (Phase.ACTIVE, Phase.MIDPOINT_REVIEW, Phase.PAUSED, Phase.CLOSING)


def next_actions(state: Contract, today: dt.date) -> tuple[Action, ...]:
    """What is due next as of *today*, soonest first (see `Engagement.next_actions`)."""
    phase = state.phase
    actions: list[Action] = []
    unsigned = state.unsigned
    if phase is Phase.AGREEMENT and not unsigned:
        actions.append(
            Action(
                "agreement.make",
                state.phase_since,
                t("hold the start-up meeting and record the coaching agreement"),
            )
        )
    elif phase is Phase.AGREEMENT:
        pass  # the agreement awaits its signatures (below)
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
    if unsigned:
        actions.extend(_signatures(state, unsigned))
    if phase in _CONFIRMABLE:  # where a booking can still be recorded or cancelled
        actions.extend(_unconfirmed(state, today))
    return tuple(sorted(actions, key=lambda a: (a.due, a.code)))


def _signatures(state: Contract, unsigned: tuple[Party, ...]) -> list[Action]:
    """One ``agreement.sign`` per signatory yet to sign, due the day it was proposed."""
    proposed = state.proposed_at
    assert proposed is not None
    due = state.day_of(proposed)
    return [
        Action(
            "agreement.sign",
            due,
            t("{name} is to sign the agreement", name=party.name)
            if state.pending_amendment is None
            else t("{name} is to sign the amendment", name=party.name),
            party.id,
        )
        for party in unsigned
    ]


def _unconfirmed(state: State, today: dt.date) -> list[Action]:
    return [
        Action(
            "booking.confirm",
            day,
            t(
                "confirm booking {booking_id!r} for {day}: record the session held, a no-show "
                "or a cancellation",
                booking_id=booking.id,
                day=date_words(day),
            ),
        )
        for day, booking in unconfirmed(state, today)
    ]


def _last_held(state: State, today: dt.date) -> dt.date | None:
    """The day of the last session held by *today*: usually the last session's (a
    session is recorded once held), else found among every session's day by bisection."""
    sessions = state.sessions
    if not sessions:
        return None
    last = state.day_of(sessions[-1].held_at)
    if last <= today:
        return last
    days = state.session_days  # never decreasing
    index = bisect.bisect_right(days, today)
    return days[index - 1] if index else None


def _running(state: State, today: dt.date) -> list[Action]:
    programme, start, end = state.programme, state.start, state.end
    assert programme is not None and start is not None and end is not None
    actions = []
    held = _last_held(state, today)
    booked = [state.day_of(booking.starts_at) for booking in state.bookings]
    last = max([*booked, held] if held is not None else booked, default=None)
    # ^ the latest session held or booked
    agreement = state.agreement
    assert agreement is not None
    schedule = plan(state)
    assert schedule is not None
    breaks = agreement.breaks
    due: dt.date | None
    if agreement.rhythm is None:  # the planned interval after it, past any break
        due = start if last is None else last + dt.timedelta(days=round(programme.interval_days))
        while in_breaks(due, breaks):
            due += dt.timedelta(days=1)
    else:  # the next planned session after it, else the rhythm's next day outside a break
        planned = schedule.sessions  # in order: the first after the last, by bisection
        after = 0 if last is None else bisect.bisect_right(planned, last)
        due = planned[after] if after < len(planned) else None
        if due is None:
            days = rhythm(agreement.rhythm).days(start, end, state.time_zone)
            later = (m.date() for m in days if last is None or m.date() > last)
            due = next((day for day in later if not in_breaks(day, breaks)), None)
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
        if schedule.midpoint is not None and not state.midpoint_reviewed:
            actions.append(
                Action("midpoint.begin", schedule.midpoint, t("begin the midpoint review"))
            )
        actions.append(Action("closing.begin", schedule.closing, t("begin the closing session")))
    return actions
