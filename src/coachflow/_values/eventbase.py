"""What every event has: when it happened and who did it."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from coachflow._values.enums import NOT_PERSONAL, Visibility, visible_to
from coachflow._values.validation import fixed_offset, instant
from coachflow._values.validators import Instance, Text, aware

__all__ = ["REASON", "Event", "of"]


@attrs.frozen(kw_only=True, weakref_slot=False)
class Event:
    """What every event has: when it happened (``at``, aware) and who did it (``by``)."""

    command: ClassVar[str] = ""

    at: dt.datetime = attrs.field(converter=fixed_offset, validator=aware, eq=instant)
    """When it happened: kept as the instant in the UTC offset it had (as a document
    keeps it; the engagement's zone is its agreement's)."""
    by: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """Who did it: the id of a party of the engagement."""


#: The field metadata of a reason: the coach and the client see it (it may tell of
#: health or family), the sponsor does not.
REASON = visible_to(Visibility.CLIENT)


def of(kind: type) -> Instance:
    """The validator of a field that holds an instance of *kind*."""
    return Instance(kind)
