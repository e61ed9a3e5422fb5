"""A readable, plain-text timeline of an engagement: what happened, against the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from coachflow._engagement import Engagement
from coachflow._events import (
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
from coachflow._gas import gas_t_score
from coachflow._machine import FOLLOW_UP, PROCESS
from coachflow._model import AddGoal, ReformulateGoal

__all__ = ["timeline"]

_INDENT = " " * 12


def timeline(engagement: Engagement, today: dt.date) -> str:
    """Render *engagement* as a timeline, then plan against actual, findings and outcome."""
    return "\n".join(_lines(engagement, today)) + "\n"


def _lines(engagement: Engagement, today: dt.date) -> Iterator[str]:
    parties = [engagement.coach, engagement.client]
    if engagement.sponsor is not None:
        parties.append(engagement.sponsor)
    yield f"Engagement {engagement.id}"
    yield "  " + " · ".join(f"{p.role.value} {p.name}" for p in parties)
    yield ""
    yield "Timeline"
    count, phase = 0, PROCESS.initial
    agreement = engagement.agreement
    flags = FOLLOW_UP if agreement and agreement.three_party_follow_up else frozenset()
    late = {id(c.event): c.late for c in engagement._cancellations}
    for event in engagement.events:
        if isinstance(event, SessionRecorded):
            count += 1
        if isinstance(event, SessionCancelled) and late[id(event)]:
            yield from _event(event, count, engagement)
            yield f"{_INDENT}late: less than {_notice(engagement)} hours' notice"
        else:
            yield from _event(event, count, engagement)
        if not isinstance(event, Opened):
            before, phase = phase, PROCESS.fire(event.command, phase, flags)
            if phase is not before:
                yield f"{_INDENT}-> phase {phase.value}"
    yield ""
    yield from _plan_against_actual(engagement)
    if engagement.agreement is not None:
        a = engagement.allocation
        yield (
            f"  sessions   {a.allotted} allotted, {a.held} held, {a.forfeited} forfeited, "
            f"{a.remaining} remaining"
        )
        for booking in engagement.bookings:
            yield f"  booked     {_local(booking.starts_at, engagement)}  {booking.id}"
    yield ""
    findings = engagement.check(today)
    yield f"Findings as of {today.isoformat()}: {len(findings) or 'none'}"
    for finding in findings:
        on = finding.on.isoformat() if finding.on else "-"
        yield f"  {on}  {finding.severity.value:<7}  {finding.code:<25} {finding.message}"
    actions = engagement.next_actions(today)
    if actions:
        yield ""
        yield "Next actions"
        for action in actions:
            yield f"  due {action.due.isoformat()}  {action.code:<18} {action.message}"
    closed = next((e for e in engagement.events if isinstance(e, Closed)), None)
    if closed is not None:
        yield ""
        score = gas_t_score(closed.attainment)
        yield (
            f"Goal attainment (GAS T-score): {score:.2f} "
            "(50 = attained as expected; above 50, better than expected)"
        )
        for item in closed.attainment:
            yield f"  {item.goal_id}: {item.score:+d}  {item.comment}".rstrip()
        yield "Action plan"
        for number, step in enumerate(closed.action_plan.steps, start=1):
            yield f"  {number}. {step}"


def _event(event: Event, count: int, engagement: Engagement) -> Iterator[str]:
    day_of = engagement.day_of
    day = day_of(event.at).isoformat()
    if isinstance(event, Opened):
        yield f"{day}  engagement opened"
    elif isinstance(event, Agreed):
        agreement = event.agreement
        programme = agreement.programme
        low, high = programme.session_minutes
        modes = ", ".join(sorted(mode.value for mode in agreement.modes))
        yield (
            f"{day}  start-up meeting: coaching agreement, {programme.months} months from "
            f"{agreement.start.isoformat()}, {programme.sessions_per_month} sessions a month "
            f"of {low}-{high} min ({modes})"
        )
        if agreement.rhythm is not None:
            yield f"{_INDENT}rhythm: {agreement.rhythm}"
        for goal in agreement.goals:
            yield f"{_INDENT}goal {goal.id}: {goal.statement}"
        if agreement.three_party_follow_up:
            yield f"{_INDENT}a three-party follow-up with the manager is agreed"
    elif isinstance(event, SessionRecorded):
        session = event.session
        booked = f" (booked: {event.booking_id})" if event.booking_id else ""
        yield (
            f"{day_of(session.held_at).isoformat()}  session {count}: {session.minutes} min, "
            f"{session.mode.value}{booked}"
        )
        for assignment in session.homework:
            yield f"{_INDENT}homework {assignment.id}: {assignment.description}"
        if session.reviewed:
            yield f"{_INDENT}followed up: {', '.join(session.reviewed)}"
    elif isinstance(event, SessionBooked):
        booking = event.booking
        yield (
            f"{day}  booked {booking.id}: {_local(booking.starts_at, engagement)}, "
            f"{booking.minutes} min, {booking.mode.value}"
        )
    elif isinstance(event, SessionRescheduled):
        yield f"{day}  moved {event.booking_id} to {_local(event.starts_at, engagement)}"
    elif isinstance(event, MidpointReviewCompleted):
        yield f"{day}  midpoint review completed"
        for revision in event.revisions:
            if isinstance(revision, ReformulateGoal):
                yield f"{_INDENT}goal {revision.goal_id} reformulated: {revision.statement}"
            elif isinstance(revision, AddGoal):
                yield f"{_INDENT}goal {revision.goal.id} added: {revision.goal.statement}"
    elif isinstance(event, Closed):
        yield f"{day}  closing: goal attainment scored, action plan made"
        if event.celebration:
            yield f"{_INDENT}celebrated: {event.celebration}"
    elif isinstance(event, FollowUpHeld):
        yield f"{day}  three-party follow-up with {', '.join(event.participants)}"
        if event.summary:
            yield f"{_INDENT}{event.summary}"
    else:
        yield f"{day}  {_SIMPLE[type(event)](event)}"


_SIMPLE: dict[type[Event], Callable[[Any], str]] = {
    MidpointReviewBegun: lambda e: "midpoint review begun",
    Paused: lambda e: f"paused: {e.reason}",
    Resumed: lambda e: "resumed",
    Extended: lambda e: f"extended by {e.months:+d} months",
    ClosingBegun: lambda e: "closing session begun",
    FollowUpSkipped: lambda e: f"follow-up skipped: {e.reason}",
    Terminated: lambda e: f"terminated: {e.reason}",
    SessionCancelled: lambda e: f"cancelled {e.booking_id}: {e.reason}",
    NoShowRecorded: lambda e: f"no-show: the client did not come to {e.booking_id}",
}


def _notice(engagement: Engagement) -> int:
    programme = engagement.programme
    assert programme is not None
    return programme.cancellation_notice_hours


def _local(moment: dt.datetime, engagement: Engagement) -> str:
    """*moment* on the wall clock of the engagement's zone."""
    zone = engagement.time_zone
    local = moment.astimezone(zone) if zone is not None else moment
    return local.strftime("%Y-%m-%d %H:%M")


def _plan_against_actual(engagement: Engagement) -> Iterator[str]:
    plan = engagement.plan()
    if plan is None:
        yield "Plan: none yet (no agreement)"
        return
    # what became of each planned session, in the order of time: held, or used up
    used = [(s.held_at, "") for s in engagement.sessions]
    used += [(b.starts_at, "no-show") for b in engagement._no_shows]
    used += [
        (c.booking.starts_at, "cancelled late") for c in engagement._cancellations if c.forfeits
    ]
    used.sort(key=lambda item: item[0])
    yield f"Plan against actual ({plan.start.isoformat()} to {plan.end.isoformat()})"
    yield f"  {'#':>3}  {'planned':<10}  {'actual':<10}  difference"
    for index in range(max(len(plan.sessions), len(used))):
        planned = plan.sessions[index] if index < len(plan.sessions) else None
        actual, note = used[index] if index < len(used) else (None, "")
        day = engagement.day_of(actual) if actual is not None else None
        diff = note or _difference(planned, day)
        yield (
            f"  {index + 1:>3}  {planned.isoformat() if planned else '-':<10}  "
            f"{day.isoformat() if day else '-':<10}  {diff}".rstrip()
        )
    day_of, events = engagement.day_of, engagement.events
    reviews = [day_of(e.at) for e in events if isinstance(e, MidpointReviewBegun)]
    closings = [day_of(e.at) for e in events if isinstance(e, ClosingBegun)]
    if plan.midpoint is not None:
        actual_mid = reviews[0].isoformat() if reviews else "not yet"
        yield f"  midpoint   planned {plan.midpoint.isoformat()}  held {actual_mid}"
    actual_close = closings[0].isoformat() if closings else "not yet"
    yield f"  closing    planned {plan.closing.isoformat()}  held {actual_close}"


def _difference(planned: dt.date | None, actual: dt.date | None) -> str:
    if planned is None or actual is None:
        return ""
    days = (actual - planned).days
    return "on plan" if days == 0 else f"{days:+d} days"
