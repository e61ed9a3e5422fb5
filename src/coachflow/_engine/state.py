"""The state an engagement keeps as its events fold into it: the one query surface.

Rules, the plan, views, the calendar, reports and stores read an engagement through
the read-only properties here, by name; only the fold (`coachflow._engine.fold`)
writes the slots behind them.
"""

from __future__ import annotations

import datetime as dt
import operator
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, cast
from zoneinfo import ZoneInfo

from coachflow._values.calendar import Pause, add_months, day_of, shift_past_pauses
from coachflow._values.enums import Phase
from coachflow._values.events import Closed, Event, FollowUpHeld, SessionCancelled
from coachflow._values.gas import gas_t_score
from coachflow._values.model import Agreement, Goal, Party, Programme
from coachflow._values.policy import Policy
from coachflow._values.results import Allocation
from coachflow._values.sessions import Booking, Session

T = TypeVar("T")
_STARTS_AT = operator.attrgetter("starts_at")  # a fixed offset: bookings sort by instant

__all__ = ["Cancellation", "Milestone", "Review", "State"]


class Cancellation(NamedTuple):
    """A cancelled booking: the booking, the cancelling event, whether it came late
    (less notice than `Programme.cancellation_notice_hours`) and whether it used up a
    session (late, by the client, and `Programme.late_cancellation_counts`)."""

    booking: Booking
    event: SessionCancelled
    late: bool
    forfeits: bool


class Milestone(NamedTuple):
    """When the closing began, and the middle of the series as planned at that moment
    (pauses and extensions move it)."""

    at: dt.datetime
    middle: dt.date


class Review(NamedTuple):
    """A midpoint review: when it began, the middle of the series as planned then, when
    it was completed (None while under way) and whether it changed the goals."""

    at: dt.datetime
    middle: dt.date
    completed_at: dt.datetime | None = None
    revised: bool = False


class State:
    """The slots an engagement's history folds into, and their read-only views."""

    __slots__ = (
        "_agreed_at",
        "_agreement",
        "_assignments",
        "_booked",
        "_bookings",
        "_cancellations",
        "_client",
        "_closed",
        "_closing_begun",
        "_coach",
        "_events",
        "_events_view",
        "_follow_up",
        "_goals",
        "_id",
        "_last_at",
        "_may",
        "_memo",
        "_midpoint_done",
        "_midpoint_reviews",
        "_no_shows",
        "_parties",
        "_pause_days",
        "_pause_until",
        "_paused_at",
        "_pauses",
        "_phase",
        "_phase_at",
        "_policy",
        "_programme",
        "_saved_version",
        "_session_days",
        "_sessions",
        "_sponsor",
        "_surely_after_start",
        "_view",
        "_zone",
    )

    __hash__ = None  # type: ignore[assignment]

    _id: str
    _coach: Party
    _client: Party
    _sponsor: Party | None
    _parties: dict[str, Party]
    _may: dict[str, frozenset[str]] | None  # each party who may issue commands: which
    _phase: Phase
    _phase_at: dt.datetime
    _policy: Policy
    _last_at: dt.datetime
    _events: list[Event]
    _events_view: tuple[Event, ...] | None
    _agreement: Agreement | None
    _agreed_at: dt.datetime | None
    _programme: Programme | None
    _goals: tuple[Goal, ...]
    _sessions: list[Session]
    _session_days: tuple[dt.date, ...]
    _zone: ZoneInfo | None
    _surely_after_start: dt.date  # held on this day or later in any offset: not before start
    _assignments: set[str] | None  # the homework ids given: derived, dropped after a replay
    _pauses: Sequence[Pause]
    _pause_days: int
    _paused_at: dt.datetime | None
    _pause_until: dt.date | None
    _midpoint_reviews: Sequence[Review]
    _midpoint_done: bool
    _closing_begun: Milestone | None
    _closed: Closed | None
    _follow_up: FollowUpHeld | None
    _bookings: dict[str, Booking]  # the open ones, by id
    _booked: set[str] | frozenset[str]  # every booking id ever booked
    _cancellations: Sequence[Cancellation]
    _no_shows: Sequence[Booking]
    _saved_version: int
    _memo: dict[str, tuple[int, Any]] | None  # see `remembered`
    _view: str | None  # the party whose view this is (None: the engagement itself)

    # -- who and where ----------------------------------------------------------------

    @property
    def id(self) -> str:
        """The engagement's id."""
        return self._id

    @property
    def coach(self) -> Party:
        """The coach."""
        return self._coach

    @property
    def client(self) -> Party:
        """The client."""
        return self._client

    @property
    def sponsor(self) -> Party | None:
        """The sponsor (the client's manager), if one takes part."""
        return self._sponsor

    @property
    def parties(self) -> Mapping[str, Party]:
        """Every party that took part in the engagement, by id (read-only)."""
        return types.MappingProxyType(self._parties)

    @property
    def policy(self) -> Policy:
        """Who may issue which command: the policy the engagement was opened with."""
        return self._policy

    @property
    def view(self) -> str | None:
        """The id of the party whose view this is (`Engagement.seen_by`); None for the
        engagement itself."""
        return self._view

    @property
    def phase(self) -> Phase:
        """The current phase."""
        return self._phase

    @property
    def phase_began_at(self) -> dt.datetime:
        """The instant the current phase was entered (its day: `phase_since`)."""
        return self._phase_at

    @property
    def phase_since(self) -> dt.date:
        """The day the current phase was entered (see `day_of`)."""
        return day_of(self._phase_at, self._zone)

    @property
    def time_zone(self) -> ZoneInfo | None:
        """The zone the engagement lives in: the agreement's ``time_zone`` (None before)."""
        return self._zone

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The calendar day of *moment* as the engagement counts days.

        In the agreement's `time_zone`; before the agreement, in *moment*'s own
        UTC offset. Every day the engagement derives (a session's day, pauses,
        `phase_since`, the plan, the findings) is taken this way, so a loaded copy,
        whose datetimes keep only their offsets, agrees with the live engagement.
        """
        return day_of(moment, self._zone)

    # -- what was agreed ----------------------------------------------------------------

    @property
    def agreement(self) -> Agreement | None:
        """The agreement in force: as made at the start-up meeting, then as amended
        (`amend_agreement`; an amended agreement's programme is the programme in force,
        extensions included). Before its signatures are all given, the agreement
        proposed; None before `agree`."""
        return self._agreement

    @property
    def agreed_at(self) -> dt.datetime | None:
        """The instant the agreement in force was made (None before `agree`)."""
        return self._agreed_at

    @property
    def programme(self) -> Programme | None:
        """The programme as extended since the agreement (None before `agree`)."""
        return self._programme

    @property
    def goals(self) -> tuple[Goal, ...]:
        """The current goals, after midpoint revisions."""
        return self._goals

    @property
    def start(self) -> dt.date | None:
        """The agreed start of the series (None before `agree`)."""
        return None if self._agreement is None else self._agreement.start

    @property
    def end(self) -> dt.date | None:
        """When the series ends: ``start`` plus the programme's calendar months (the
        day clamped to the month's end) plus the days of every finished pause."""
        if self._agreement is None or self._programme is None:
            return None
        base = add_months(self._agreement.start, self._programme.months)
        return base + dt.timedelta(days=self._pause_days)

    @property
    def middle(self) -> dt.date | None:
        """The middle of the series: half its days (``start`` to ``start + months``)
        after ``start``, moved past every finished pause, and to the day after an agreed
        break that holds it (None before `agree`)."""
        agreement, programme = self._agreement, self._programme
        if agreement is None or programme is None:
            return None
        start = agreement.start
        span = (add_months(start, programme.months) - start).days
        middle = shift_past_pauses(start + dt.timedelta(days=span // 2), self._pauses)
        for rest in agreement.breaks:  # in order, apart: one pass moves out of them all
            if rest.start <= middle <= rest.end:
                middle = rest.end + dt.timedelta(days=1)
        return middle

    # -- what happened ------------------------------------------------------------------

    @property
    def sessions(self) -> tuple[Session, ...]:
        """The sessions held, in the order they were held, by instant (ties: in
        recording order)."""
        return tuple(self._sessions)

    @property
    def session_days(self) -> tuple[dt.date, ...]:
        """The day of each of `sessions` in the engagement's zone, in the same order
        (so never decreasing)."""
        days, sessions = self._session_days, self._sessions
        if len(days) < len(sessions):  # each day taken once, when first asked for
            zone, known = self._zone, len(days)
            days += tuple([s.held_at.astimezone(zone).date() for s in sessions[known:]])
            self._session_days = days
        return days

    @property
    def bookings(self) -> tuple[Booking, ...]:
        """The open bookings (neither held, cancelled nor missed), by start (by instant;
        ties in booking order), each as last rescheduled."""
        return self.remembered("bookings", self._open_bookings)

    def _open_bookings(self) -> tuple[Booking, ...]:
        return tuple(sorted(self._bookings.values(), key=_STARTS_AT))

    def remembered(self, name: str, derive: Callable[[], T]) -> T:
        """``derive()``, kept under *name* until the next event (every change of
        state is an event's, so the number of events tells whether it still holds)."""
        memo, version = self._memo, len(self._events)
        if memo is None:
            memo = self._memo = {}
        found = memo.get(name)
        if found is not None and found[0] == version:
            return cast(T, found[1])
        value = memo[name] = (version, derive())
        return value[1]

    @property
    def cancellations(self) -> tuple[Cancellation, ...]:
        """The cancelled bookings, in the order they were cancelled."""
        return tuple(self._cancellations)

    @property
    def no_shows(self) -> tuple[Booking, ...]:
        """The bookings the client did not turn up for, in the order recorded."""
        return tuple(self._no_shows)

    @property
    def allocation(self) -> Allocation:
        """The allotted sessions, those held, those forfeited, and what remains.

        ``forfeited`` counts no-shows, and late cancellations by the client when
        `Programme.late_cancellation_counts`; ``remaining = allotted - held -
        forfeited`` (negative once exceeded). Before the agreement nothing is allotted.
        """
        programme = self._programme
        allotted = 0 if programme is None else programme.allotted
        held = len(self._sessions)
        forfeited = len(self._no_shows) + sum(c.forfeits for c in self._cancellations)
        return Allocation(allotted, held, forfeited, allotted - held - forfeited)

    @property
    def pauses(self) -> tuple[Pause, ...]:
        """Finished pauses as ``(paused_on, resumed_on)`` days, oldest first."""
        return tuple(self._pauses)

    @property
    def paused_since(self) -> dt.datetime | None:
        """When the current pause began (None unless `Phase.PAUSED`)."""
        return self._paused_at

    @property
    def pause_until(self) -> dt.date | None:
        """The day the current pause is agreed to end (`Engagement.pause`'s ``until``),
        if one was agreed."""
        return self._pause_until

    @property
    def midpoint_reviews(self) -> tuple[Review, ...]:
        """Each midpoint review begun: when, the middle planned at that moment, when it
        was completed and whether it changed the goals."""
        return tuple(self._midpoint_reviews)

    @property
    def midpoint_reviewed(self) -> bool:
        """Whether a midpoint review has been completed."""
        return self._midpoint_done

    @property
    def closing_begun(self) -> Milestone | None:
        """When the closing began, with the middle planned at that moment (None before)."""
        return self._closing_begun

    @property
    def closed(self) -> Closed | None:
        """The closing's record (attainment, action plan, celebration), once closed."""
        return self._closed

    @property
    def gas_t_score(self) -> float | None:
        """The GAS T-score of the closing's attainment (`gas_t_score`); None until closed,
        and when the goals were not scored."""
        closed = self._closed
        if closed is None or not closed.attainment:
            return None
        return gas_t_score(closed.attainment)

    @property
    def follow_up(self) -> FollowUpHeld | None:
        """The three-party follow-up, once held."""
        return self._follow_up

    # -- the history ----------------------------------------------------------------------

    @property
    def events(self) -> tuple[Event, ...]:
        """The whole history, oldest first."""
        if self._events_view is None:
            self._events_view = tuple(self._events)
        return self._events_view

    @property
    def version(self) -> int:
        """The number of events (``len(events)``)."""
        return len(self._events)

    @property
    def saved_version(self) -> int:
        """The version a store last loaded or saved (0 if none): a store's next `save`
        appends ``events[saved_version:]`` and expects to find this version stored."""
        return self._saved_version
