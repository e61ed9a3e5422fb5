"""The fold: the pipeline every command and every replayed event goes through.

Phase (the process table), permission (the policy), time (never before the last
event), then the event's own rules and effect (`coachflow._engine.effects`). A
command and a replayed event take the same path, so a loaded history obeys every
rule a live one does.

Three functions here are the engine's doors for the layers above that rebuild
engagements (documents, stores, the calendar): `replay` (which names the refused
event by its index), `unfold` (the state after each event) and `mark_saved` (a
store's bookkeeping).
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator
from typing import Self, TypeVar

from coachflow._engine.effects import FLAGGED, HANDLERS, NO_FLAGS, Effects
from coachflow._engine.machine import PROCESS
from coachflow._values.containers import EMPTY_MAP, EMPTY_SET
from coachflow._values.enums import Phase, Role
from coachflow._values.errors import CoachflowError, PermissionDenied, TransitionNotAllowed
from coachflow._values.events import Event, Opened
from coachflow._values.failures import InvalidTime, InvalidType, InvalidValue
from coachflow._values.i18n import t
from coachflow._values.limits import LIMITS
from coachflow._values.names import name
from coachflow._values.validation import describe

__all__ = ["Fold", "ReplayError", "mark_saved", "replay", "unfold"]

E = TypeVar("E", bound=Event)
F = TypeVar("F", bound="Fold")


class ReplayError(Exception):
    """Internal: event *index* of a history was refused with *cause*."""

    def __init__(self, index: int, event: object, cause: Exception) -> None:
        super().__init__(index, cause)
        self.index = index
        self.kind = type(event).__name__
        self.cause = cause


class Fold(Effects):
    """The state of an engagement as its events fold into it.

    `Engagement` adds the commands and queries; this class owns the pipeline
    every command and every replayed event goes through (phase, permission,
    time, the event's own rules, then the effect); `State` holds what it folds into.
    """

    __slots__ = ()

    @classmethod
    def _opening(cls, first: object) -> Self:
        """The engagement of a history's first event, or `ReplayError`."""
        try:
            if not isinstance(first, Opened):
                raise InvalidValue(
                    f"a history must begin with an Opened event (got {describe(first)})"
                )
            return cls._begin(first)
        except (CoachflowError, ValueError, TypeError) as exc:
            raise ReplayError(0, first, exc) from exc

    def _folded(self, stream: Iterator[object]) -> Iterator[Self]:
        """Fold each event of *stream* (a history after its opening) in as its command
        would, yielding this engagement after each; `ReplayError` names the event
        refused, by its index in the history."""
        guard, commit = self._guard, self._commit
        index, event = 0, None
        try:
            for index, event in enumerate(stream, start=1):  # noqa: B007 - named on refusal
                if not isinstance(event, Event):
                    raise InvalidType(f"expected an event (got {describe(event)})")
                guard(event.command, event.by)
                commit(event)
                yield self
        except (CoachflowError, ValueError, TypeError) as exc:
            raise ReplayError(index, event, exc) from exc

    @classmethod
    def _begin(cls, event: Opened) -> Self:
        slots = {"coach": (event.coach, Role.COACH), "client": (event.client, Role.CLIENT)}
        if event.sponsor is not None:
            slots["sponsor"] = (event.sponsor, Role.SPONSOR)
        for slot, (party, role) in slots.items():
            if party.role is not role:
                raise InvalidValue(
                    f"{slot!r} must have role {role.value!r} (got {party.role.value!r})"
                )
        parties = {party.id: party for party, _ in slots.values()}
        if len(parties) != len(slots):
            ids = [party.id for party, _ in slots.values()]
            raise InvalidValue(f"party ids must differ (got {ids})")
        self = object.__new__(cls)
        self._parties = parties
        self._policy = event.policy
        self._may = None  # derived at the first command (`_permitted`)
        self._phase = PROCESS.initial
        if event.by != event.coach.id and event.by in parties:
            # the policy comes with the command: it cannot authorise its own opener
            raise PermissionDenied(
                str(event.by), "open", t("only the coach it is opened with may open it")
            )
        self._authorize(event.by, "open")
        self._id = event.engagement_id
        self._coach, self._client, self._sponsor = event.coach, event.client, event.sponsor
        self._zone = None
        self._phase_at = event.at
        self._last_at = event.at
        self._events = [event]
        self._events_view = None
        self._agreement = self._programme = self._agreed_at = None
        self._goals = ()
        self._sessions = []
        self._session_days = ()
        self._assignments = None  # derived when first needed (`_taken`)
        self._pauses = ()  # each list of the state begins as the shared empty tuple
        self._pause_days = 0
        self._paused_at = self._pause_until = None
        self._midpoint_reviews = ()
        self._midpoint_done = False
        self._closing_begun = self._closed = None
        self._follow_up = None
        self._bookings = EMPTY_MAP  # type: ignore[assignment] # a dict from the first booking
        self._booked = EMPTY_SET  # a set from the first booking on
        self._cancellations = self._no_shows = ()
        self._saved_version = 0
        self._memo = None
        self._view = None
        self._begin_contract()
        self._begin_corrections()
        return self

    # -- the pipeline every command and replayed event goes through --------------

    def _guard(self, command: str, by: object) -> None:
        if self._view is not None:
            raise InvalidValue(
                f"this is {self._view!r}'s view of the engagement, with texts redacted: "
                "issue commands on the engagement itself"
            )
        may_of = self._may
        if may_of is None:
            may_of = self._may = self._permitted()
        may = may_of.get(by) if type(by) is str else None
        if may is not None and command in may and command in _ALLOWED[self._phase]:
            return  # the usual case, decided at once
        if not isinstance(by, str):
            raise InvalidType(f"'by' must be the id of a party, a str (got {describe(by)})")
        allowed = PROCESS.allowed(self._phase)
        if command not in allowed:
            raise TransitionNotAllowed(command, self._phase, allowed)
        self._authorize(by, command)
        left = self._former[by]  # authorized: so a former coach
        raise PermissionDenied(
            str(by),
            command,
            t("a former coach, who handed over at {left}", left=left.isoformat()),
        )

    def _permitted(self) -> dict[str, frozenset[str]]:
        """Each party who may issue commands, with the commands their role may: derived
        when first needed, dropped after a replay and when the coach changes (a former
        coach may issue none)."""
        policy, former = self._policy, self._former
        return {p.id: policy[p.role] for p in self._parties.values() if p.id not in former}

    def _authorize(self, by: object, command: str) -> None:
        party = self._parties.get(by) if isinstance(by, str) else None
        if party is None:
            known = ", ".join(sorted(self._parties))
            raise PermissionDenied(
                str(by),
                command,
                t("not a party to this engagement (parties: {known})", known=known),
            )
        if command not in self._policy[party.role]:
            may = ", ".join(sorted(self._policy[party.role])) or t("nothing")
            role = name(party.role)
            raise PermissionDenied(
                party.id, command, t("the {role} may only issue: {may}", role=role, may=may)
            )

    def _commit(self, event: E) -> E:
        # every datetime an event keeps has a fixed offset (`validation.fixed_offset`):
        # Python compares those by instant, never by wall clock
        at, events, before = event.at, self._events, self._phase
        if at < self._last_at:
            raise InvalidTime(
                t(
                    "'at' must not be earlier than the last event at {last} (got {at})",
                    last=self._last_at.isoformat(),
                    at=at.isoformat(),
                )
            )
        if len(events) >= LIMITS.events:
            raise InvalidValue(
                t(
                    "the engagement holds {count} events, the most coachflow keeps "
                    "(coachflow.LIMITS.events): open a new engagement to go on",
                    count=len(events),
                )
            )
        command = event.command
        flags = self._flags(event) if command in FLAGGED else NO_FLAGS
        phase = _fire(command, before, flags)
        HANDLERS[command](self, event)  # validates first, then mutates: a refusal changes nothing
        if phase is not before:
            self._entered += (len(events), phase)
            self._phase = phase
            self._phase_at = at  # its day is taken when asked for (`phase_since`)
        self._last_at = at
        events.append(event)
        self._events_view = None
        return event


_ALLOWED = {phase: frozenset(PROCESS.allowed(phase)) for phase in Phase}
_fire = PROCESS.fire


# The engine's doors for the engagement, the loaders, the calendar and the stores: each
# written as a method of the class it is given (`cls`, `self`), kept off its public face.


def replay(
    cls: type[F], events: Iterable[Event], *, view: str | None = None, saved_version: int = 0
) -> F:
    """The engagement (of class *cls*) of *events*, enforcing every rule: *view*'s view
    of it when given (its texts redacted for that party), last saved at
    *saved_version*; a refused event raises `ReplayError` with its index."""
    stream = iter(events)
    self = cls._opening(next(stream, None))
    collections.deque(self._folded(stream), maxlen=0)  # every step, consumed in C
    self._view = view
    self._saved_version = saved_version
    self._assignments = self._may = None  # derived state: derived again when needed
    self._events, self._sessions = self._events[:], self._sessions[:]  # exact sizes
    # the short lists as tuples (a list keeps room to grow): `appended` makes one again
    self._agreements, self._pauses = tuple(self._agreements), tuple(self._pauses)
    self._midpoint_reviews = tuple(self._midpoint_reviews)
    self._cancellations, self._no_shows = tuple(self._cancellations), tuple(self._no_shows)
    return self


def unfold(cls: type[F], events: Iterable[Event]) -> Iterator[F]:
    """The engagement (of class *cls*) after each of *events*, in turn: one object,
    folded one event further at each step (copy what must outlive the step);
    `ReplayError` names an event that is refused."""
    stream = iter(events)
    self = cls._opening(next(stream, None))
    yield self
    yield from self._folded(stream)


def mark_saved(self: Fold, version: int) -> None:
    """Record that a store holds the engagement *self* up to *version*
    (`State.saved_version`)."""
    self._saved_version = version
