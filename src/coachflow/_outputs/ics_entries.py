"""The entries of an engagement's calendar, and how often each moved over its history.

`entries` is the calendar as an engagement stands. `sequences` counts, for each entry,
the events after which it stood elsewhere (start, length or status): its ``SEQUENCE``.
It folds the history once and, after each event, rebuilds only the entries that event
can have changed: the session entries from the first place where the held-or-booked
list differs (after the usual event, the last place), the cancellations and no-shows
added, and the four milestones. So it is linear in the history in the usual case.
"""

from __future__ import annotations

import bisect
import datetime as dt
import urllib.parse
from collections.abc import Iterator, Sequence

import attrs

from coachflow._engagement import Engagement
from coachflow._engine.contract import Contract
from coachflow._engine.fold import unfold
from coachflow._rules.plan import plan, planned_sessions
from coachflow._values.enums import Phase
from coachflow._values.events import (
    Agreed,
    ClosingBegun,
    Event,
    FollowUpHeld,
    FollowUpSkipped,
    MidpointReviewBegun,
    Terminated,
)
from coachflow._values.rhythm import rhythm
from coachflow._values.sessions import Booking, Session
from coachflow._values.validation import utc

__all__ = ["Entry", "entries", "quote", "sequences"]

_CONFIRMED, _TENTATIVE, _CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"
_OVER = (Phase.FOLLOW_UP, Phase.COMPLETED, Phase.TERMINATED)  # no more sessions to come


@attrs.frozen
class Entry:
    """One entry of the calendar."""

    start: dt.datetime
    minutes: int
    summary: str
    description: str
    status: str

    def moved_from(self, other: Entry) -> bool:
        return (utc(self.start), self.minutes, self.status) != (
            utc(other.start),
            other.minutes,
            other.status,
        )


def quote(text: str) -> str:
    """*text* as a part of a UID."""
    return urllib.parse.quote(text, safe="")


@attrs.frozen
class _Marks:
    """The events the milestones' entries read, first of their kind."""

    agreed: Agreed | None = None
    midpoint: MidpointReviewBegun | None = None
    closing: ClosingBegun | None = None
    follow_up: FollowUpHeld | None = None
    skipped: bool = False

    def after(self, event: Event) -> _Marks:
        """These marks after *event*."""
        if isinstance(event, Agreed) and self.agreed is None:
            return attrs.evolve(self, agreed=event)
        if isinstance(event, MidpointReviewBegun) and self.midpoint is None:
            return attrs.evolve(self, midpoint=event)
        if isinstance(event, ClosingBegun) and self.closing is None:
            return attrs.evolve(self, closing=event)
        if isinstance(event, FollowUpHeld) and self.follow_up is None:
            return attrs.evolve(self, follow_up=event)
        if isinstance(event, FollowUpSkipped | Terminated) and not self.skipped:
            return attrs.evolve(self, skipped=True)
        return self


def _marks(events: Sequence[Event]) -> _Marks:
    marks = _Marks()
    for event in events:
        marks = marks.after(event)
    return marks


@attrs.frozen
class _Frame:
    """What a state's session entries are made of besides its sessions and bookings;
    equal frames give equal entries for equal held-or-booked items."""

    slots: tuple[dt.datetime, ...]
    over: bool
    closing_begun: bool
    usual: int
    people: str = attrs.field(eq=False)
    modes: str = attrs.field(eq=False)


def _frame(state: Contract, at: dt.time, marks: _Marks) -> _Frame:
    agreement, programme, zone = state.agreement, state.programme, state.time_zone
    assert agreement is not None and programme is not None and zone is not None
    timed = agreement.rhythm is not None and rhythm(agreement.rhythm).time is not None
    slots = tuple(  # the rhythm's own time of day when it names one
        moment.replace(tzinfo=zone) if timed else dt.datetime.combine(moment.date(), at, zone)
        for moment in planned_sessions(state)
    )
    low, high = programme.session_minutes
    return _Frame(
        slots,
        state.phase in _OVER,
        marks.closing is not None,
        (low + high) // 2,
        f"{state.coach.name} and {state.client.name}",
        ", ".join(sorted(mode.value.replace("_", " ") for mode in agreement.modes)),
    )


def _session(index: int, item: Session | Booking | None, frame: _Frame) -> Entry | None:
    """The entry of session *index* (0-based): *item* held or booked there, else the
    plan's slot (none for the last planned one, the closing's, until the closing)."""
    count = len(frame.slots)
    number = index + 1
    title = f"Coaching session {number} of {count}"
    if index >= count:
        title = f"Coaching session {number} (beyond the plan)"
    people = frame.people
    if item is not None:
        how = item.mode.value.replace("_", " ")
        if isinstance(item, Session):
            said = f"{people}. Held {how}, {item.minutes} minutes."
            return Entry(item.held_at, item.minutes, title, said, _CONFIRMED)
        said = f"{people}. Booked ({item.id}): {how}, {item.minutes} minutes."
        return Entry(item.starts_at, item.minutes, title, said, _status(frame.over, _CONFIRMED))
    if index < count - 1 or frame.closing_begun:
        said = f"{people}. Planned; agreed modes: {frame.modes}."
        status = _status(frame.over, _TENTATIVE)
        return Entry(frame.slots[index], frame.usual, title, said, status)
    return None


def _status(cancelled: bool, otherwise: str) -> str:
    return _CANCELLED if cancelled else otherwise


def _held_at(session: Session) -> dt.datetime:
    return session.held_at


def _merged(
    sessions: Sequence[Session], bookings: Sequence[Booking], first: int
) -> Iterator[Session | Booking]:
    """The sessions and bookings by time (a session before a booking at the same
    time), from the *first*-th on."""
    placed = [
        j + bisect.bisect_right(sessions, b.starts_at, key=_held_at)
        for j, b in enumerate(bookings)
    ]
    taken = sum(1 for position in placed if position < first)  # bookings before *first*
    s, b = first - taken, taken
    while s < len(sessions) or b < len(bookings):
        if b >= len(bookings) or (
            s < len(sessions) and sessions[s].held_at <= bookings[b].starts_at
        ):
            yield sessions[s]
            s += 1
        else:
            yield bookings[b]
            b += 1


def _session_entries(
    sessions: Sequence[Session], bookings: Sequence[Booking], frame: _Frame, first: int = 0
) -> Iterator[tuple[str, Entry]]:
    items = _merged(sessions, bookings, first)
    for index in range(first, max(len(frame.slots), len(sessions) + len(bookings))):
        entry = _session(index, next(items, None), frame)
        if entry is not None:
            yield f"session-{index + 1}", entry


def _cancelled(
    state: Contract, item: tuple[Booking, Event, bool, object], people: str
) -> tuple[str, Entry]:
    booking, event, late, _ = item
    role = state.parties[event.by].role.value
    said = f"{people}. Booked ({booking.id}); cancelled by the {role}" + (
        " at short notice." if late else "."
    )
    return f"booking-{quote(booking.id)}", Entry(
        booking.starts_at, booking.minutes, "Cancelled coaching session", said, _CANCELLED
    )


def _missed(booking: Booking, people: str) -> tuple[str, Entry]:
    said = f"{people}. Booked ({booking.id}); the client did not turn up."
    return f"booking-{quote(booking.id)}", Entry(
        booking.starts_at, booking.minutes, "Missed coaching session", said, _CANCELLED
    )


def _milestones(
    state: Contract, at: dt.time, marks: _Marks, frame: _Frame
) -> Iterator[tuple[str, Entry]]:
    schedule, agreement, programme, zone = (
        plan(state),
        state.agreement,
        state.programme,
        state.time_zone,
    )
    assert schedule is not None and agreement is not None and programme is not None
    assert zone is not None
    usual, people = frame.usual, frame.people

    def planned(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, at, zone)

    if marks.agreed is not None:
        signed = "; ".join(
            f"signed by {state.parties[party_id].name} "
            f"({state.parties[party_id].role.value}) on "
            f"{state.day_of(when).isoformat()}"
            for party_id, when in state.signatures.items()
        )
        waiting = [party.name for party in state.unsigned]
        awaiting = f"; awaiting {', '.join(waiting)}" if waiting else ""
        in_force = state.phase is not Phase.AGREEMENT
        said = f"{people}. Start-up meeting: the coaching agreement, {signed}{awaiting}."
        status = _CONFIRMED if in_force else _TENTATIVE
        yield "agreement", Entry(marks.agreed.at, usual, "Coaching agreement", said, status)

    if marks.midpoint is not None or schedule.midpoint is not None:
        what = "Is the process heading the right way? Reformulate or supplement the goals."
        if marks.midpoint is not None:
            yield "midpoint", Entry(marks.midpoint.at, usual, "Midpoint review", what, _CONFIRMED)
        else:
            assert schedule.midpoint is not None
            status = _status(frame.over, _TENTATIVE)
            yield (
                "midpoint",
                Entry(planned(schedule.midpoint), usual, "Midpoint review", what, status),
            )

    what = "Goal attainment, celebrating progress, and an action plan."
    if marks.closing is not None:
        yield "closing", Entry(marks.closing.at, usual, "Closing session", what, _CONFIRMED)
    else:  # held at the last planned session, at its time when the rhythm names one
        status = _status(state.phase is Phase.TERMINATED, _TENTATIVE)
        slots = frame.slots
        last = slots[-1] if slots and slots[-1].date() == schedule.closing else None
        when = last or planned(schedule.closing)
        yield "closing", Entry(when, usual, "Closing session", what, status)

    sponsor = state.sponsor
    if agreement.three_party_follow_up and sponsor is not None:
        what = f"{people} with {sponsor.name}: how did it go?"
        title = "Three-party follow-up"
        if marks.follow_up is not None:
            yield "follow-up", Entry(marks.follow_up.at, usual, title, what, _CONFIRMED)
        else:
            since = state.phase_since if state.phase is Phase.FOLLOW_UP else None
            due = (since or schedule.closing) + dt.timedelta(days=programme.follow_up_within_days)
            status = _status(marks.skipped, _TENTATIVE)
            yield "follow-up", Entry(planned(due), usual, title, what, status)


def entries(state: Contract, at: dt.time) -> dict[str, Entry]:
    """The calendar as *state* stands: one entry per key (the UID's stable part)."""
    marks = _marks(state.events)
    frame = _frame(state, at, marks)
    found = dict(_session_entries(state.sessions, state.bookings, frame))
    found.update(_cancelled(state, item, frame.people) for item in state.cancellations)
    found.update(_missed(booking, frame.people) for booking in state.no_shows)
    found.update(_milestones(state, at, marks, frame))
    return found


def _first_difference(old: Sequence[object], new: Sequence[object]) -> int:
    """The first index where *old* and *new* differ (the shorter length when one is
    the other's beginning)."""
    shorter = min(len(old), len(new))
    if old[:shorter] == new[:shorter]:  # the usual case: one was added at the end
        return shorter
    return next(i for i in range(shorter) if old[i] != new[i])


def sequences(engagement: Engagement, at: dt.time) -> dict[str, int]:
    """How often each entry moved (start, length or status) over the history: its
    ``SEQUENCE``, so that a client importing a later export takes the change."""
    last: dict[str, Entry] = {}
    moves: dict[str, int] = {}

    def see(pairs: Iterator[tuple[str, Entry]]) -> None:
        for key, entry in pairs:
            before = last.get(key)
            if before is not None and entry.moved_from(before):
                moves[key] = moves.get(key, 0) + 1
            last[key] = entry

    marks = _Marks()
    frame: _Frame | None = None
    sessions: tuple[Session, ...] = ()
    bookings: tuple[Booking, ...] = ()
    cancellations: tuple[object, ...] = ()
    missed: tuple[Booking, ...] = ()
    for event, state in zip(engagement.events, unfold(Engagement, engagement.events), strict=True):
        marks = marks.after(event)
        if state.agreement is None:
            continue
        now = _frame(state, at, marks)
        held, booked = state.sessions, state.bookings
        first = 0
        if now == frame:
            first = min(
                _changed_place(sessions, bookings, held, booked),
                len(sessions) + len(bookings),
                len(held) + len(booked),
            )
        see(_session_entries(held, booked, now, first))
        frame, sessions, bookings = now, held, booked
        cancelled, no_shows = state.cancellations, state.no_shows
        new = _first_difference(cancellations, cancelled)
        see(_cancelled(state, item, now.people) for item in cancelled[new:])
        new = _first_difference(missed, no_shows)
        see(_missed(booking, now.people) for booking in no_shows[new:])
        cancellations, missed = cancelled, no_shows
        see(_milestones(state, at, marks, now))
    return moves


def _changed_place(
    old_sessions: Sequence[Session],
    old_bookings: Sequence[Booking],
    sessions: Sequence[Session],
    bookings: Sequence[Booking],
) -> int:
    """The first place where the merged held-or-booked lists differ."""
    places = []
    s = _first_difference(old_sessions, sessions)
    for held, booked in ((old_sessions, old_bookings), (sessions, bookings)):
        if s < len(held):
            places.append(s + sum(1 for b in booked if b.starts_at < held[s].held_at))
    b = _first_difference(old_bookings, bookings)
    for held, booked in ((old_sessions, old_bookings), (sessions, bookings)):
        if b < len(booked):
            places.append(b + bisect.bisect_right(held, booked[b].starts_at, key=_held_at))
    return min(places, default=len(sessions) + len(bookings))
