"""The rules of the sessions themselves: their length, their mode, what was practised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from coachflow._engine.contract import Contract
from coachflow._engine.state import State
from coachflow._rules.registry import Found, rule
from coachflow._values.enums import Severity
from coachflow._values.i18n import t
from coachflow._values.names import name
from coachflow._values.sessions import Session
from coachflow._values.wording import date_words, list_words, moment_words

__all__: list[str] = []


@rule(
    "session.duration",
    Severity.INFO,
    raised_when="minutes outside `session_minutes`",
    tolerance="`session_minutes` (60, 90)",
)
def session_duration(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Raised, on the session's day, for every session whose `minutes` fall outside
    `Programme.session_minutes` (inclusive; default 60 to 90). The method says sessions may
    be shorter or longer, so this is information, not a warning.
    `params`: `minutes`, `min`, `max`.
    """
    programme = state.programme
    assert programme is not None
    low, high = programme.session_minutes
    for session, day in zip(held, days, strict=True):
        if not low <= session.minutes <= high:
            yield (
                day,
                t(
                    "a {minutes}-minute session (normally {min}-{max})",
                    minutes=session.minutes,
                    min=low,
                    max=high,
                ),
                {"minutes": session.minutes, "min": low, "max": high},
            )


@rule("session.mode", Severity.WARNING, raised_when="a mode the agreement does not name")
def session_mode(
    state: Contract, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Raised, on the session's day, for every session held in a mode that the `modes`
    of the agreement in force when it was held (`Engagement.agreement_at`: an amendment
    counts from the instant it took effect) do not name. `params`: `mode`, `agreed`
    (sorted mode values).
    """
    agreement = state.agreement
    assert agreement is not None
    amended = len(state.amendments_in_force) > 1
    for session, day in zip(held, days, strict=True):
        modes = (
            (state.agreement_at(session.held_at) or agreement).modes
            if amended
            else agreement.modes
        )
        if session.mode not in modes:
            agreed = sorted(mode.value for mode in modes)
            yield (
                day,
                t(
                    "a session held {mode}, not in an agreed mode ({agreed})",
                    mode=name(session.mode),
                    agreed=list_words(name(mode) for mode in agreed),
                ),
                {"mode": session.mode.value, "agreed": agreed},
            )


@rule(
    "session.in_break",
    Severity.INFO,
    raised_when="a session held on a day of an agreed break",
)
def session_in_break(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """No session is planned in an agreed break (`Agreement.breaks`), but one held there
    really happened: it is recorded and noted, on its day. `params`: `break_start`,
    `break_end`.
    """
    agreement = state.agreement
    assert agreement is not None
    for day in days:
        for item in agreement.breaks:
            if item.start <= day <= item.end:
                yield (
                    day,
                    t(
                        "a session held during the agreed break from {start} to {end}",
                        start=date_words(item.start),
                        end=date_words(item.end),
                    ),
                    {"break_start": item.start.isoformat(), "break_end": item.end.isoformat()},
                )


@rule(
    "homework.unreviewed",
    Severity.INFO,
    raised_when="no later session lists an assignment in `reviewed`",
)
def homework_unreviewed(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """For every assignment given in a session: raised, on that session's day, when a
    later session exists (one with a later `held_at`) and no later session lists the
    assignment's id in `reviewed`. A session at the same moment is not later.
    `params`: `assignment_id`.
    """
    if not held:
        return
    last = held[-1].held_at  # sessions are in the order of their instants
    reviewed_last: dict[str, dt.datetime] = {}  # each id: the latest session reviewing it
    for session in held:
        for assignment_id in session.reviewed:
            reviewed_last[assignment_id] = session.held_at
    for session, day in zip(held, days, strict=True):
        # held_at has a fixed offset: Python compares it by instant
        if session.homework and session.held_at < last:  # a later session exists
            for assignment in session.homework:
                reviewed = reviewed_last.get(assignment.id)
                if reviewed is None or reviewed <= session.held_at:  # none later lists it
                    yield _unreviewed(day, assignment.id)


def _unreviewed(day: dt.date, assignment_id: str) -> Found:
    message = t(
        "assignment {assignment_id!r} from {day} was not followed up in a later session",
        assignment_id=assignment_id,
        day=date_words(day),
    )
    return day, message, {"assignment_id": assignment_id}


@rule(
    "homework.unknown",
    Severity.WARNING,
    raised_when="a session lists in `reviewed` an assignment no earlier session gave",
)
def homework_unknown(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """For every id in a session's `reviewed`: raised, on that session's day, when no
    session held before it (an earlier `held_at`; a session at the same moment is not
    earlier) gave an assignment with that id. A typing mistake in an id, or a follow-up
    recorded before the session that gave the assignment, shows up here.
    `params`: `assignment_id`.
    """
    given_first: dict[str, dt.datetime] = {}  # each id: the first session giving it
    for session in held:  # in the order of their instants
        for assignment in session.homework:
            given_first.setdefault(assignment.id, session.held_at)
    for session, day in zip(held, days, strict=True):
        for assignment_id in session.reviewed:
            given = given_first.get(assignment_id)
            if given is None or not given < session.held_at:  # fixed offsets: by instant
                yield (
                    day,
                    t(
                        "assignment {assignment_id!r} was followed up on {day} but no "
                        "earlier session gave it",
                        assignment_id=assignment_id,
                        day=date_words(day),
                    ),
                    {"assignment_id": assignment_id},
                )


@rule(
    "session.duplicate",
    Severity.WARNING,
    raised_when="a session held at the same instant as the one before it",
)
def session_duplicate(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Sessions are kept in the order held. Raised, on its day, for every session held at
    the same instant as the session before it: most likely one session recorded twice.
    Two sessions on one day at different times are not duplicates. `params`: `held_at`.
    """
    previous: Session | None = None
    for session, day in zip(held, days, strict=True):
        if previous is not None and session.held_at == previous.held_at:
            yield (
                day,
                t(
                    "two sessions held on {held_at}: the same session recorded twice?",
                    held_at=moment_words(session.held_at, state.time_zone),
                ),
                {"held_at": session.held_at.isoformat()},
            )
        previous = session
