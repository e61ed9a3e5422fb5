"""What happens between agreement and closing: sessions held, their practice, bookings."""

from __future__ import annotations

import datetime as dt

import attrs

from coachflow._values.containers import Items, Unique
from coachflow._values.enums import NOT_PERSONAL, Mode, Visibility, visible_to
from coachflow._values.failures import InvalidValue
from coachflow._values.model import MAX_MINUTES
from coachflow._values.validation import fixed_offset, instant, to_tuple
from coachflow._values.validators import Integer, Member, Optional, Text, aware

__all__ = ["Assignment", "Booking", "Session"]


@attrs.frozen(weakref_slot=False)
class Assignment:
    """Something for the client to practise between sessions."""

    id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """Its id, new to the engagement, by which a later session follows it up
    (``Session.reviewed``)."""
    description: str = attrs.field(validator=Text(), metadata=visible_to(Visibility.CLIENT))
    """What to practise."""


@attrs.frozen(weakref_slot=False)
class Session:
    """A coaching session that was held.

    Attributes:
        held_at: when it began (aware; kept as the instant in the UTC offset it had).
        minutes: how long it lasted, 1..1440 (normally 60-90: see ``session.duration``).
        mode: in person, by phone or digitally (judged against the agreed modes).
        homework: what the client got to practise before a later session, each an
            `Assignment` whose id is new to the engagement.
        reviewed: the ids of assignments from earlier sessions that were followed up
            in this one (see ``homework.unreviewed``).
        notes: the coach's own notes on the session (free text).
        coach_id: the id of the coach who held it; None for the coach the engagement
            began with, while it has had no other. After `Engagement.change_coach`
            every session names its coach: one given to a command without it is the
            coach's in charge at ``held_at``.
    """

    held_at: dt.datetime = attrs.field(converter=fixed_offset, validator=aware, eq=instant)
    minutes: int = attrs.field(validator=Integer(1, MAX_MINUTES))
    mode: Mode = attrs.field(validator=Member(Mode))
    homework: tuple[Assignment, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[
            Items(Assignment, "an Assignment"),
            Unique(lambda a: a.id, "assignment ids"),
        ],
    )
    reviewed: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=Items(str, "a str"), metadata=NOT_PERSONAL
    )
    notes: str = attrs.field(
        default="", validator=Text(empty=True), metadata=visible_to(Visibility.COACH)
    )
    coach_id: str | None = attrs.field(
        default=None, validator=Optional(Text()), metadata=NOT_PERSONAL
    )

    @property
    def held_on(self) -> dt.date:
        """The day the session was held, in ``held_at``'s own time zone.

        An engagement takes a session's day in its own zone instead
        (`Engagement.day_of`), so that a loaded copy agrees with the live one.
        """
        return self.held_at.date()

    def held_by(self, coach_id: str) -> Session:
        """This session as held by the coach *coach_id* (`coach_id` set, every other
        field as it is)."""
        if type(coach_id) is not str or not coach_id.strip():
            _COACH_ID.validator(self, _COACH_ID, coach_id)  # type: ignore[misc]  # says why
            raise InvalidValue(f"'coach_id' must be a coach's id (got {coach_id!r})")
        held = object.__new__(Session)  # every other field is valid already: kept as it is
        put = object.__setattr__
        put(held, "held_at", self.held_at)
        put(held, "minutes", self.minutes)
        put(held, "mode", self.mode)
        put(held, "homework", self.homework)
        put(held, "reviewed", self.reviewed)
        put(held, "notes", self.notes)
        put(held, "coach_id", coach_id)
        return held


_COACH_ID = attrs.fields(Session).coach_id


@attrs.frozen(weakref_slot=False)
class Booking:
    """A session booked to take place: its id, when it starts, for how long, and how.

    The id is the host's (any non-blank text, unique in the engagement); a session
    recorded with ``booking_id`` fulfils it (`Engagement.record_session`).
    """

    id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """The host's id of the booking, unique in the engagement."""
    starts_at: dt.datetime = attrs.field(converter=fixed_offset, validator=aware, eq=instant)
    """When it is to begin (aware; kept as the instant in the UTC offset it had)."""
    minutes: int = attrs.field(validator=Integer(1, MAX_MINUTES))
    """How long it is to last, 1..1440."""
    mode: Mode = attrs.field(validator=Member(Mode))
    """How it is to be held."""
