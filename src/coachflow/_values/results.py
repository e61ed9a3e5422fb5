"""What the queries answer: findings, next actions, the plan and the allocation."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping

import attrs

from coachflow._values.containers import Items
from coachflow._values.enums import Severity
from coachflow._values.validation import to_tuple
from coachflow._values.validators import (
    Member,
    Optional,
    Text,
    derived_date,
    optional_derived_date,
)

__all__ = ["Action", "Allocation", "Finding", "Plan"]


@attrs.frozen(weakref_slot=False)
class Allocation:
    """The allotted sessions and what has used them (`Engagement.allocation`).

    ``remaining = allotted - held - forfeited``; below 0 once the allotment is
    exceeded (``allocation.exceeded``).
    """

    allotted: int
    """The sessions allotted (`Programme.allotted`)."""
    held: int
    """Sessions held."""
    forfeited: int
    """Sessions used up without being held: no-shows, and late cancellations by the
    client when `Programme.late_cancellation_counts`."""
    remaining: int
    """``allotted - held - forfeited``."""


def _read_only(value: Mapping[str, object]) -> Mapping[str, object]:
    return types.MappingProxyType(dict(value))


@attrs.frozen(weakref_slot=False)
class Finding:
    """A judgement of a process rule.

    ``params`` holds the numbers behind ``message`` so that a host can word or
    translate it itself.
    """

    code: str = attrs.field(validator=Text())
    """The rule's stable code (``cadence.gap``, ...; see the rules reference)."""
    severity: Severity = attrs.field(validator=Member(Severity))
    """How much it matters: error, warning or info."""
    message: str = attrs.field(validator=Text())
    """What the rule found, in words, in the locale asked for."""
    on: dt.date | None = attrs.field(default=None, validator=optional_derived_date)
    """The day it concerns, in the engagement's zone (None: no one day)."""
    params: Mapping[str, object] = attrs.field(factory=dict, converter=_read_only, hash=False)
    """The numbers behind the message, the same in every language, for a host that words or
    translates it itself."""


@attrs.frozen(weakref_slot=False)
class Action:
    """Something the host system should get done next, by ``due``."""

    code: str = attrs.field(validator=Text())
    """What to do, as a stable code (``session.book``, ``closing.begin``, ...; see the rules
    reference)."""
    due: dt.date = attrs.field(validator=derived_date)
    """The day it is due, in the engagement's zone."""
    message: str = attrs.field(validator=Text())
    """What to do, in words, in the locale asked for."""
    party_id: str | None = attrs.field(default=None, validator=Optional(Text()))
    """Who is to do it, where it is one party's to do (``agreement.sign``: the
    signatory who has yet to sign); None where the host decides."""


@attrs.frozen(weakref_slot=False)
class Plan:
    """The planned shape of an engagement: session dates, midpoint and closing."""

    start: dt.date = attrs.field(validator=derived_date)
    """The agreed start of the series."""
    end: dt.date = attrs.field(validator=derived_date)
    """The end of the series: ``start`` plus the programme's months, moved by finished pauses."""
    sessions: tuple[dt.date, ...] = attrs.field(
        converter=to_tuple, validator=Items(dt.date, "a date")
    )
    """The planned session days, in order."""
    midpoint: dt.date | None = attrs.field(validator=optional_derived_date)
    """The day of the midpoint review, when the programme requires one."""
    closing: dt.date = attrs.field(validator=derived_date)
    """The day of the closing."""
