"""How `EngagementMachine` moves through the process: each rule runs while the process
allows its command, now and then out of turn (so that refusals are tested too), and the
changes to the record less often than the process's own steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from hypothesis import strategies as st
from hypothesis.stateful import precondition

from coachflow._engagement import Engagement

if TYPE_CHECKING:
    from coachflow._values.events import Event
    from coachflow.testing._clock import Step

__all__ = [
    "OUT_OF_TURN",
    "RECORD_EVERY",
    "Paced",
    "Rules",
    "booking_ids",
    "bookings",
    "in_turn",
    "new_booking_ids",
    "no_shows",
    "open_booking_ids",
    "sessions",
]

F = TypeVar("F", bound=Callable[..., Any])

#: One command in this many may be any rule, allowed in the phase or not.
OUT_OF_TURN = 7
#: The rules that change the record (signatures, amendments, consent, corrections, a
#: change of coach) run on one command in this many, so that the process moves on.
RECORD_EVERY = 3


class Rules:
    """The base of `EngagementMachine`'s rule mixins: what they use of the machine."""

    if TYPE_CHECKING:
        engagement: Engagement
        with_sponsor: bool

        def on_event(self, event: Event) -> None: ...

        def issue(
            self, command: str, call: Callable[..., Event], **arguments: Any
        ) -> Event | None: ...

        def at(self, step: int | Step) -> dt.datetime: ...


class Paced(Protocol):
    """What the pacing needs of the machine."""

    engagement: Engagement
    calls: int


def in_turn(
    command: str, *, every: int = 1, needs: Callable[[Engagement], object] | None = None
) -> Callable[[F], F]:
    """A precondition for the rule of *command*: it may run while the engagement's
    phase allows the command and the engagement has what the command *needs* (an open
    booking, a session ...), on one command in *every*; and on every `OUT_OF_TURN`-th
    command whatever the phase."""

    def ready(machine: Paced) -> bool:
        if machine.calls % OUT_OF_TURN == OUT_OF_TURN - 1:
            return True
        engagement = machine.engagement
        return (
            command in engagement.allowed()
            and machine.calls % every == 0
            and (needs is None or bool(needs(engagement)))
        )

    decorate: Callable[[F], F] = precondition(ready)
    return decorate


def bookings(engagement: Engagement) -> object:
    """What a command on an open booking needs."""
    return engagement.bookings


def sessions(engagement: Engagement) -> object:
    """What a correction of a session needs."""
    return engagement.sessions


def no_shows(engagement: Engagement) -> object:
    """What voiding a no-show needs."""
    return engagement.no_shows


#: Booking ids: a few, so that commands meet open, settled and unknown bookings alike.
booking_ids = st.sampled_from(("b1", "b2", "b3", "b4"))


def _settled(engagement: Engagement) -> list[str]:
    """The ids of the bookings cancelled or missed (a session's booking is held)."""
    cancelled = [c.booking.id for c in engagement.cancellations]
    return cancelled + [b.id for b in engagement.no_shows] or ["b1"]


#: The id of a booking still open (mostly), one settled already, or one of `booking_ids`.
open_booking_ids = st.one_of(
    st.runner().flatmap(
        lambda machine: st.sampled_from([b.id for b in machine.engagement.bookings] or ["b1"])
    ),
    st.runner().flatmap(lambda machine: st.sampled_from(_settled(machine.engagement))),
    booking_ids,
)
#: A new booking's id (mostly), or one of `booking_ids` (perhaps taken).
new_booking_ids = st.one_of(st.runner().map(lambda machine: f"bk-{machine.calls}"), booking_ids)
