"""The events: one frozen record per command, the only truth an engagement keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from coachflow._values.changes import (
    AgreementAmended,
    AgreementSigned,
    CoachChanged,
    ConsentGiven,
    ConsentWithdrawn,
    NoShowVoided,
    SessionCorrected,
    SessionVoided,
)
from coachflow._values.containers import Items
from coachflow._values.enums import NOT_PERSONAL, EndReason, Visibility, visible_to
from coachflow._values.eventbase import REASON, Event, of
from coachflow._values.failures import InvalidValue
from coachflow._values.fields import json_schema
from coachflow._values.initializers import faster_init
from coachflow._values.model import AddGoal, Agreement, Party, ReformulateGoal
from coachflow._values.outcomes import ActionPlan, Attainment
from coachflow._values.policy import DEFAULT_POLICY, Policy
from coachflow._values.sessions import Booking, Session
from coachflow._values.validation import fixed_offset, instant, to_tuple
from coachflow._values.validators import Day, Instance, Integer, Member, Optional, Text, aware

__all__ = [
    "EVENT_TYPES",
    "MAX_ID_LENGTH",
    "Agreed",
    "AgreementAmended",
    "AgreementSigned",
    "AnyEvent",
    "Closed",
    "ClosingBegun",
    "CoachChanged",
    "ConsentGiven",
    "ConsentWithdrawn",
    "Event",
    "Extended",
    "FollowUpHeld",
    "FollowUpSkipped",
    "MidpointReviewBegun",
    "MidpointReviewCompleted",
    "NoShowRecorded",
    "NoShowVoided",
    "Opened",
    "Paused",
    "Resumed",
    "SessionBooked",
    "SessionCancelled",
    "SessionCorrected",
    "SessionRecorded",
    "SessionRescheduled",
    "SessionVoided",
    "Terminated",
    "parties_in",
    "parties_of",
]


#: The longest engagement id: what every store (PostgreSQL's column included) can keep.
MAX_ID_LENGTH = 200


@attrs.frozen(kw_only=True, weakref_slot=False)
class Opened(Event):
    """The engagement was opened between a coach and a client (and maybe a sponsor)."""

    command: ClassVar[str] = "open"

    engagement_id: str = attrs.field(validator=Text(max_len=MAX_ID_LENGTH), metadata=NOT_PERSONAL)
    """The engagement's id: any text of at most 200 characters (every store keeps it)."""
    coach: Party = attrs.field(validator=of(Party))
    """The coach."""
    client: Party = attrs.field(validator=of(Party))
    """The client."""
    sponsor: Party | None = attrs.field(default=None, validator=Instance(Party, optional=True))
    """The sponsor (the client's manager), if one takes part."""
    policy: Policy = attrs.field(default=DEFAULT_POLICY, validator=of(Policy))
    """Who may issue which command in this engagement, for all its history."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class Agreed(Event):
    """The coaching agreement was made at the start-up meeting."""

    command: ClassVar[str] = "agree"

    agreement: Agreement = attrs.field(validator=of(Agreement))
    """The coaching agreement, its ``time_zone`` always named."""

    @agreement.validator
    @json_schema({"required": ["time_zone"], "properties": {"time_zone": {"type": "string"}}})
    def _zoned(self, attribute: Any, value: Agreement) -> None:
        if value.time_zone is None:
            raise InvalidValue(
                "'agreement' of an Agreed event must name its time_zone "
                "(Engagement.agree fills it in from the zone of 'at')"
            )


@attrs.frozen(kw_only=True, weakref_slot=False)
class SessionRecorded(Event):
    """A session that was held got recorded."""

    command: ClassVar[str] = "record_session"

    session: Session = attrs.field(validator=of(Session))
    """The session that was held."""
    booking_id: str | None = attrs.field(
        default=None, validator=Optional(Text()), metadata=NOT_PERSONAL
    )
    """The booking the session fulfils, if it was booked."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class SessionBooked(Event):
    """A session was booked."""

    command: ClassVar[str] = "book_session"

    booking: Booking = attrs.field(validator=of(Booking))
    """The booking."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class SessionRescheduled(Event):
    """A booked session was moved to another time."""

    command: ClassVar[str] = "reschedule_session"

    booking_id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """The booking moved."""
    starts_at: dt.datetime = attrs.field(converter=fixed_offset, validator=aware, eq=instant)
    """The new start (kept as the instant in the UTC offset it had)."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class SessionCancelled(Event):
    """A booked session was cancelled (late when less than the programme's
    ``cancellation_notice_hours`` before it was to start)."""

    command: ClassVar[str] = "cancel_session"

    booking_id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """The booking cancelled."""
    reason: str = attrs.field(validator=Text(), metadata=REASON)
    """Why it was cancelled."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class NoShowRecorded(Event):
    """The client did not turn up for a booked session."""

    command: ClassVar[str] = "record_no_show"

    booking_id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """The booking the client did not come to."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class MidpointReviewBegun(Event):
    """The midpoint review began."""

    command: ClassVar[str] = "begin_midpoint_review"


@attrs.frozen(kw_only=True, weakref_slot=False)
class MidpointReviewCompleted(Event):
    """The midpoint review ended, possibly reformulating or supplementing goals."""

    command: ClassVar[str] = "complete_midpoint_review"

    revisions: tuple[ReformulateGoal | AddGoal, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=Items((ReformulateGoal, AddGoal), "a ReformulateGoal or AddGoal"),
    )
    """The goals reformulated or added, in order."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class Paused(Event):
    """Sessions were suspended (until a day, when one was agreed)."""

    command: ClassVar[str] = "pause"

    reason: str = attrs.field(validator=Text(), metadata=REASON)
    """Why sessions were suspended."""
    until: dt.date | None = attrs.field(default=None, validator=Day(optional=True))
    """The day sessions are to resume (parental leave, say): ``engagement.resume``
    falls due then. None: no day was agreed."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class Resumed(Event):
    """Sessions resumed after a pause."""

    command: ClassVar[str] = "resume"


@attrs.frozen(kw_only=True, weakref_slot=False)
class Extended(Event):
    """The series was lengthened (or, with negative months, shortened)."""

    command: ClassVar[str] = "extend"

    months: int = attrs.field(validator=Integer(-35, 35))
    """By how many months (negative: shorter), never 0."""

    @months.validator
    @json_schema({"not": {"const": 0}})
    def _not_zero(self, attribute: Any, value: int) -> None:
        if value == 0:
            raise InvalidValue(f"{attribute.name!r} must not be 0 (got 0)")


@attrs.frozen(kw_only=True, weakref_slot=False)
class ClosingBegun(Event):
    """The closing session began."""

    command: ClassVar[str] = "begin_closing"


@attrs.frozen(kw_only=True, weakref_slot=False)
class Closed(Event):
    """The closing session ended: goal attainment discussed (and perhaps scored), progress
    celebrated, and usually an action plan made."""

    command: ClassVar[str] = "close"

    attainment: tuple[Attainment, ...] = attrs.field(
        default=(), converter=to_tuple, validator=Items(Attainment, "an Attainment")
    )
    """One score for every goal in force, or none when the goals were not scored."""
    action_plan: ActionPlan | None = attrs.field(
        default=None, validator=Instance(ActionPlan, optional=True)
    )
    """How the client means to go on developing, when a plan was made."""
    celebration: str = attrs.field(
        default="", validator=Text(empty=True), metadata=visible_to(Visibility.CLIENT)
    )
    """How progress was celebrated."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class FollowUpHeld(Event):
    """The three-party follow-up with the client's manager was held."""

    command: ClassVar[str] = "hold_follow_up"

    participants: tuple[str, ...] = attrs.field(
        converter=to_tuple, validator=Items(str, "a party id"), metadata=NOT_PERSONAL
    )
    """The ids of those who took part (the client and the sponsor among them)."""
    summary: str = attrs.field(
        default="", validator=Text(empty=True), metadata=visible_to(Visibility.SPONSOR)
    )
    """What was said, for every party to see."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class FollowUpSkipped(Event):
    """The three-party follow-up was agreed but will not take place."""

    command: ClassVar[str] = "skip_follow_up"

    reason: str = attrs.field(validator=Text(), metadata=REASON)
    """Why it will not take place."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class Terminated(Event):
    """The engagement ended early."""

    command: ClassVar[str] = "terminate"

    reason: str = attrs.field(validator=Text(), metadata=REASON)
    """Why the engagement ended early, in words."""
    end_reason: EndReason = attrs.field(default=EndReason.OTHER, validator=Member(EndReason))
    """Why it ended, as reports count it."""


AnyEvent = (
    Opened
    | Agreed
    | AgreementSigned
    | AgreementAmended
    | ConsentGiven
    | ConsentWithdrawn
    | SessionRecorded
    | SessionCorrected
    | SessionVoided
    | SessionBooked
    | SessionRescheduled
    | SessionCancelled
    | NoShowRecorded
    | NoShowVoided
    | MidpointReviewBegun
    | MidpointReviewCompleted
    | Paused
    | Resumed
    | Extended
    | CoachChanged
    | ClosingBegun
    | Closed
    | FollowUpHeld
    | FollowUpSkipped
    | Terminated
)
"""The union of every concrete event type (what a document's ``events`` holds)."""

EVENT_TYPES: tuple[type[Event], ...] = AnyEvent.__args__
"""Every concrete event type, in command-table order."""

faster_init(EVENT_TYPES)  # the same checks, the usual values settled inline


def parties_of(event: Event) -> tuple[Party, ...]:
    """The parties *event* names (an `Opened` event: the coach, the client, the sponsor):
    read from the fields its class declares of type `Party`, so an event that brings in
    a party is found by its class alone."""
    names = _PARTY_FIELDS.get(type(event))
    if names is None:  # not one of EVENT_TYPES: read its fields now
        names = tuple(f.name for f in attrs.fields(type(event)) if _may_hold_party(f.type))
    if not names:  # most events: a session, a booking
        return ()
    return tuple(value for name in names if isinstance(value := getattr(event, name), Party))


def parties_in(events: Iterable[Event]) -> list[Party]:
    """The parties *events* name, in order (`parties_of` of each): only the events of a
    class that can name one are read."""
    naming = _NAMING
    return [party for event in events if type(event) in naming for party in parties_of(event)]


def _may_hold_party(kind: object) -> bool:
    return "Party" in str(kind)  # the annotation: "Party", "Party | None"


_PARTY_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(field.name for field in attrs.fields(kind) if _may_hold_party(field.type))
    for kind in EVENT_TYPES
}
"""The fields of each event class that can hold a party."""
_NAMING = frozenset(kind for kind, names in _PARTY_FIELDS.items() if names)
"""The event classes that can name a party."""
