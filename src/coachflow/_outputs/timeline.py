"""A readable, plain-text timeline of an engagement: what happened, against the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from coachflow._engagement import Engagement
from coachflow._outputs.plan_table import plan_against_actual
from coachflow._values.amendment import Amendment
from coachflow._values.enums import CONSENTS, Phase
from coachflow._values.events import (
    Agreed,
    AgreementAmended,
    AgreementSigned,
    Closed,
    ClosingBegun,
    CoachChanged,
    ConsentGiven,
    ConsentWithdrawn,
    Event,
    Extended,
    FollowUpHeld,
    FollowUpSkipped,
    MidpointReviewBegun,
    MidpointReviewCompleted,
    NoShowRecorded,
    NoShowVoided,
    Opened,
    Paused,
    Resumed,
    SessionBooked,
    SessionCancelled,
    SessionCorrected,
    SessionRecorded,
    SessionRescheduled,
    SessionVoided,
    Terminated,
)
from coachflow._values.i18n import current_locale, speaking, t, tn
from coachflow._values.model import AddGoal, ReformulateGoal
from coachflow._values.names import name
from coachflow._values.rhythm_words import rhythm_words
from coachflow._values.wording import date_words, decimal_words, list_words, moment_words

__all__ = ["Entry", "entries", "timeline"]

_INDENT = " " * 12


def timeline(engagement: Engagement, today: dt.date, *, locale: str = "en") -> str:
    """Render *engagement* as a timeline, then plan against actual, findings and outcome,
    in *locale* (``"en"`` or ``"sv"``)."""
    with speaking(locale):
        return "\n".join(_lines(engagement, today)) + "\n"


def _lines(engagement: Engagement, today: dt.date) -> Iterator[str]:
    parties = [engagement.coach, engagement.client]
    if engagement.sponsor is not None:
        parties.append(engagement.sponsor)
    yield t("Engagement {id}", id=engagement.id)
    line = " · ".join(f"{name(p.role.value)} {p.name}" for p in parties)
    former = [engagement.parties[coach_id].name for coach_id in engagement.former_coaches]
    if former:
        line += " · " + t("before: {names}", names=list_words(former))
    yield "  " + line
    yield ""
    yield t("Timeline")
    for entry in entries(engagement):
        yield f"{entry.day.isoformat()}  {entry.lines[0]}"
        yield from (_INDENT + line for line in entry.lines[1:])
    yield ""
    yield from plan_against_actual(engagement)
    if engagement.agreement is not None:
        a = engagement.allocation
        yield "  " + t(
            "sessions   {allotted} allotted, {held} held, {forfeited} forfeited, "
            "{remaining} remaining",
            allotted=a.allotted,
            held=a.held,
            forfeited=a.forfeited,
            remaining=a.remaining,
        )
        for booking in engagement.bookings:
            when = _local(booking.starts_at, engagement)
            yield "  " + t("booked     {when}  {id}", when=when, id=booking.id)
    yield ""
    findings = engagement.check(today, locale=current_locale())
    yield t(
        "Findings as of {today}: {count}",
        today=date_words(today),
        count=len(findings) or t("none"),
    )
    for finding in findings:
        on = finding.on.isoformat() if finding.on else "-"
        yield f"  {on}  {name(finding.severity.value):<7}  {finding.code:<25} {finding.message}"
    actions = engagement.next_actions(today, locale=current_locale())
    if actions:
        yield ""
        yield t("Next actions")
        for action in actions:
            due = t("due {day}", day=date_words(action.due))
            yield f"  {due}  {action.code:<18} {action.message}"
    closed = engagement.closed
    if closed is not None:
        yield ""
        score = engagement.gas_t_score
        if score is None:
            yield t("Goal attainment: discussed, not scored")
        else:
            yield t(
                "Goal attainment (GAS T-score): {score} "
                "(50 = attained as expected; above 50, better than expected)",
                score=decimal_words(score, 2),
            )
        levels = {goal.id: goal.levels for goal in engagement.goals}
        for item in closed.attainment:
            yield f"  {item.goal_id}: {item.score:+d}  {item.comment}".rstrip()
            goal_levels = levels.get(item.goal_id)
            if goal_levels is not None:
                yield _INDENT + t("level: {level}", level=goal_levels[item.score + 2])
        if closed.action_plan is not None:
            yield t("Action plan")
            for number, step in enumerate(closed.action_plan.steps, start=1):
                yield f"  {number}. {step}"


@attrs.frozen
class Entry:
    """One event of the timeline: its `index` in the history, the `event`, its local
    `day`, the `lines` that say it (the first says what happened, the rest add to it),
    and the `phase` it led into (None: the phase stayed)."""

    index: int
    event: Event
    day: dt.date
    lines: tuple[str, ...]
    phase: Phase | None


def entries(engagement: Engagement) -> list[Entry]:
    """The timeline's entries, one an event, in the current locale."""
    found = []
    count = 0
    late = {id(c.event): c.late for c in engagement.cancellations}
    entered = dict(engagement.phases_entered)
    for index, event in enumerate(engagement.events):
        if isinstance(event, SessionRecorded):
            count += 1
        day = engagement.day_of(event.at)
        head = f"{day.isoformat()}  "
        lines = [
            line.removeprefix(head).removeprefix(_INDENT)
            for line in _event(event, count, engagement)
        ]
        if isinstance(event, SessionCancelled) and late[id(event)]:
            notice = _notice(engagement)
            lines.append(t("late: less than {hours} hours' notice", hours=notice))
        phase = entered.get(index)
        if phase is not None:
            lines.append(t("-> phase {phase}", phase=name(phase.value)))
        found.append(Entry(index, event, day, tuple(lines), phase))
    return found


def _event(event: Event, count: int, engagement: Engagement) -> Iterator[str]:
    day_of = engagement.day_of
    day = day_of(event.at).isoformat()
    if isinstance(event, Opened):
        yield f"{day}  " + t("engagement opened")
    elif isinstance(event, Agreed):
        agreement = event.agreement
        programme = agreement.programme
        low, high = programme.session_minutes
        modes = list_words(sorted(name(mode.value) for mode in agreement.modes))
        yield f"{day}  " + t(
            "start-up meeting: coaching agreement, {months} months from {start}, "
            "{per_month} sessions a month of {low}-{high} min ({modes})",
            months=programme.months,
            start=date_words(agreement.start),
            per_month=programme.sessions_per_month,
            low=low,
            high=high,
            modes=modes,
        )
        if agreement.rhythm is not None:
            yield _INDENT + t("rhythm: {rhythm}", rhythm=rhythm_words(agreement.rhythm))
        for goal in agreement.goals:
            yield _INDENT + t("goal {id}: {statement}", id=goal.id, statement=goal.statement)
            if goal.levels is not None:
                yield (
                    _INDENT
                    + "  "
                    + t("levels, -2 to +2: {levels}", levels=" | ".join(goal.levels))
                )
        for item in agreement.breaks:
            yield _INDENT + t(
                "break: {start} to {end}", start=date_words(item.start), end=date_words(item.end)
            )
        if agreement.three_party_follow_up:
            yield _INDENT + t("a three-party follow-up with the manager is agreed")
        yield _INDENT + _signed(event, engagement)
    elif isinstance(event, SessionRecorded):
        session = event.session
        held = day_of(session.held_at).isoformat()
        line = t(
            "session {number}: {minutes} min, {mode}",
            number=count,
            minutes=session.minutes,
            mode=name(session.mode.value),
        )
        if event.booking_id:
            line += " " + t("(booked: {id})", id=event.booking_id)
        yield f"{held}  {line}"
        for assignment in session.homework:
            yield _INDENT + t(
                "practice {id}: {description}",
                id=assignment.id,
                description=assignment.description,
            )
        if session.reviewed:
            yield _INDENT + t("followed up: {ids}", ids=list_words(session.reviewed))
    elif isinstance(event, SessionBooked):
        booking = event.booking
        yield f"{day}  " + t(
            "booked {id}: {when}, {minutes} min, {mode}",
            id=booking.id,
            when=_local(booking.starts_at, engagement),
            minutes=booking.minutes,
            mode=name(booking.mode.value),
        )
    elif isinstance(event, SessionRescheduled):
        when = _local(event.starts_at, engagement)
        yield f"{day}  " + t("moved {id} to {when}", id=event.booking_id, when=when)
    elif isinstance(event, MidpointReviewCompleted):
        yield f"{day}  " + t("midpoint review completed")
        for revision in event.revisions:
            if isinstance(revision, ReformulateGoal):
                yield _INDENT + t(
                    "goal {id} reformulated: {statement}",
                    id=revision.goal_id,
                    statement=revision.statement,
                )
            elif isinstance(revision, AddGoal):
                yield _INDENT + t(
                    "goal {id} added: {statement}",
                    id=revision.goal.id,
                    statement=revision.goal.statement,
                )
    elif isinstance(event, Closed):
        scored, planned = bool(event.attainment), event.action_plan is not None
        if scored and planned:
            yield f"{day}  " + t("closing: goal attainment scored, action plan made")
        elif scored:
            yield f"{day}  " + t("closing: goal attainment scored, no action plan")
        elif planned:
            yield f"{day}  " + t("closing: goal attainment discussed, action plan made")
        else:
            yield f"{day}  " + t("closing: goal attainment discussed")
        if event.celebration:
            yield _INDENT + t("celebrated: {celebration}", celebration=event.celebration)
    elif isinstance(event, AgreementAmended):
        proposer = engagement.parties[event.by]
        yield f"{day}  " + t("amendment proposed by {name}", name=proposer.name)
        yield from _amendment(event.amendment, engagement)
    elif isinstance(event, SessionCorrected):
        session = event.session
        yield f"{day}  " + t(
            "session of {day} corrected: held {held}, {minutes} min, {mode}",
            day=date_words(day_of(event.held_at)),
            held=_local(session.held_at, engagement),
            minutes=session.minutes,
            mode=name(session.mode.value),
        )
        yield _INDENT + t("why: {reason}", reason=event.reason)
    elif isinstance(event, FollowUpHeld):
        known = engagement.parties
        who = list_words(known[p].name if p in known else p for p in event.participants)
        yield f"{day}  " + t("three-party follow-up with {participants}", participants=who)
        if event.summary:
            yield f"{_INDENT}{event.summary}"
    elif isinstance(event, AgreementSigned):
        yield f"{day}  " + _signed(event, engagement)
    elif isinstance(event, SessionVoided):
        yield f"{day}  " + t(
            "session of {day} voided: {reason}",
            day=date_words(day_of(event.held_at)),
            reason=event.reason,
        )
    else:
        yield f"{day}  {_SIMPLE[type(event)](event)}"
    if isinstance(event, AgreementSigned | AgreementAmended) and event.at in _amended_at(
        engagement
    ):
        yield _INDENT + t("the amendment is in force")


def _amendment(amendment: Amendment, engagement: Engagement) -> Iterator[str]:
    if amendment.modes is not None:
        modes = list_words(sorted(name(mode.value) for mode in amendment.modes))
        yield _INDENT + t("modes: {modes}", modes=modes)
    if amendment.rhythm is not None:
        yield _INDENT + (
            t("rhythm: {rhythm}", rhythm=rhythm_words(amendment.rhythm))
            if amendment.rhythm
            else t("no rhythm")
        )
    if amendment.practicalities is not None:
        yield _INDENT + t("practicalities: {text}", text=amendment.practicalities)
    if amendment.expectations is not None:
        yield _INDENT + t("expectations: {text}", text=amendment.expectations)
    if amendment.three_party_follow_up is not None:
        yield _INDENT + (
            t("a three-party follow-up with the manager is agreed")
            if amendment.three_party_follow_up
            else t("no three-party follow-up")
        )
    if amendment.sessions is not None:
        yield _INDENT + t("sessions allotted: {sessions}", sessions=amendment.sessions)
    if amendment.breaks is not None:
        if not amendment.breaks:
            yield _INDENT + t("no breaks")
        for item in amendment.breaks:
            yield _INDENT + t(
                "break: {start} to {end}", start=date_words(item.start), end=date_words(item.end)
            )


def _signed(event: AgreementSigned | Agreed, engagement: Engagement) -> str:
    party = engagement.parties[event.by]
    return t("signed by {name} ({role})", name=party.name, role=name(party.role.value))


def _topics(topics: frozenset[str]) -> str:
    return list_words(name(topic) for topic in CONSENTS if topic in topics)


_SIMPLE: dict[type[Event], Callable[[Any], str]] = {
    MidpointReviewBegun: lambda e: t("midpoint review begun"),
    Paused: lambda e: t("paused: {reason}", reason=e.reason),
    Resumed: lambda e: t("resumed"),
    Extended: lambda e: (
        tn("extended by {n} month", "extended by {n} months", e.months)
        if e.months > 0
        else tn("shortened by {n} month", "shortened by {n} months", -e.months)
    ),
    ClosingBegun: lambda e: t("closing session begun"),
    FollowUpSkipped: lambda e: t("follow-up skipped: {reason}", reason=e.reason),
    Terminated: lambda e: t(
        "terminated ({end_reason}): {reason}", end_reason=name(e.end_reason.value), reason=e.reason
    ),
    ConsentGiven: lambda e: t(
        "the client consents to show the sponsor: {topics}", topics=_topics(e.topics)
    ),
    ConsentWithdrawn: lambda e: t(
        "the client withdrew consent to show the sponsor: {topics}", topics=_topics(e.topics)
    ),
    NoShowVoided: lambda e: t(
        "no-show at {id} voided: {reason}", id=e.booking_id, reason=e.reason
    ),
    CoachChanged: lambda e: t(
        "the coach changed to {name}: {reason}", name=e.coach.name, reason=e.reason
    ),
    SessionCancelled: lambda e: t("cancelled {id}: {reason}", id=e.booking_id, reason=e.reason),
    NoShowRecorded: lambda e: t("no-show: the client did not come to {id}", id=e.booking_id),
}


def _amended_at(engagement: Engagement) -> frozenset[dt.datetime]:
    """The instants amendments took effect (not the agreement's first)."""
    return frozenset(at for at, _ in engagement.amendments_in_force[1:])


def _notice(engagement: Engagement) -> int:
    programme = engagement.programme
    assert programme is not None
    return programme.cancellation_notice_hours


def _local(moment: dt.datetime, engagement: Engagement) -> str:
    """*moment* on the wall clock of the engagement's zone, in words."""
    return moment_words(moment, engagement.time_zone)
