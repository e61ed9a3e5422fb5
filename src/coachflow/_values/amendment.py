"""A change to the agreement in force, proposed by one party and signed by every
signatory (`Engagement.amend_agreement`)."""

from __future__ import annotations

from typing import Any

import attrs

from coachflow._values.containers import Items
from coachflow._values.enums import NOT_PERSONAL, Mode, Visibility, visible_to
from coachflow._values.fields import json_schema
from coachflow._values.model import MAX_SESSIONS, Agreement, Break
from coachflow._values.validation import to_frozenset, to_tuple
from coachflow._values.validators import (
    RRULE_PATTERN,
    Integer,
    Optional,
    OptionalBool,
    RRule,
    Text,
)

__all__ = ["Amendment"]


def _frozenset_or_none(value: Any) -> Any:
    return None if value is None else to_frozenset(value)


def _tuple_or_none(value: Any) -> Any:
    return None if value is None else to_tuple(value)


_RRULE = RRule()


@json_schema({"pattern": "^$|" + RRULE_PATTERN})  # "" removes the rhythm
def _rhythm(inst: object, attribute: Any, value: Any) -> None:
    if value != "":  # "" removes the rhythm
        _RRULE(inst, attribute, value)


_CLIENT = visible_to(Visibility.CLIENT)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Amendment:
    """What an amendment changes in the agreement in force: each field that is not None
    replaces the agreement's own (the goals change at the midpoint review instead).

    It takes effect when every signatory of the agreement has signed it, from that
    instant on; judgements of what happened before stay by the agreement as it was.
    """

    modes: frozenset[Mode] | None = attrs.field(
        default=None,
        converter=_frozenset_or_none,
        validator=Optional(Items(Mode, "a Mode", min_len=1)),
    )
    """How sessions may be held from now on (at least one mode)."""
    rhythm: str | None = attrs.field(default=None, validator=_rhythm, metadata=NOT_PERSONAL)
    """The new rhythm of sessions (an RFC 5545 RRULE, as `Agreement.rhythm`); ``""``
    removes the rhythm."""
    practicalities: str | None = attrs.field(
        default=None, validator=Optional(Text(empty=True)), metadata=_CLIENT
    )
    """The practical matters as now agreed."""
    expectations: str | None = attrs.field(
        default=None, validator=Optional(Text(empty=True)), metadata=_CLIENT
    )
    """What coach and client may now expect of each other."""
    three_party_follow_up: bool | None = attrs.field(default=None, validator=OptionalBool())
    """Whether a three-party follow-up with the sponsor now ends the engagement."""
    sessions: int | None = attrs.field(default=None, validator=Optional(Integer(1, MAX_SESSIONS)))
    """The sessions allotted (bought) from now on, 1..1116 (`Programme.sessions`)."""
    breaks: tuple[Break, ...] | None = attrs.field(
        default=None, converter=_tuple_or_none, validator=Optional(Items(Break, "a Break"))
    )
    """The agreed breaks from now on, all of them (``()`` removes every break): in
    order, apart, inside the series."""

    @property
    def changed(self) -> tuple[str, ...]:
        """The names of the fields this amendment sets, in field order."""
        return tuple(
            field.name
            for field in attrs.fields(Amendment)
            if getattr(self, field.name) is not None
        )

    def applied_to(self, agreement: Agreement) -> Agreement:
        """*agreement* as this amendment changes it (`ValueError` when the result is not a
        valid agreement: breaks outside the series, say)."""
        changes: dict[str, Any] = {}
        for name in self.changed:
            value = getattr(self, name)
            if name == "rhythm":
                changes[name] = value or None
            elif name == "sessions":
                changes["programme"] = attrs.evolve(agreement.programme, sessions=value)
            else:
                changes[name] = value
        return attrs.evolve(agreement, **changes)
