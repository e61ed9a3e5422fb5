"""The attrs validators of the value classes: small frozen callables that keep their
parameters, like attrs' own.

``repr(Integer(1, 1440))`` reads ``<an int in 1..1440>``, and the loaders that
`coachflow._documents.loaders` generates from the classes read the parameters to check
the usual case inline (``Check.inline``); the schema reads them too. A validator
without an ``inline`` expression is called as it is.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable
from typing import Any, ClassVar

from coachflow._values.failures import InvalidValue
from coachflow._values.limits import LIMITS
from coachflow._values.redaction import REDACTED, may_hide
from coachflow._values.rhythm import rhythm
from coachflow._values.validation import (
    MAX_YEAR,
    MIN_YEAR,
    NON_BLANK_PATTERN,
    WHOLE_MINUTE_ZONES,
    require_aware,
    require_date,
    require_text,
    require_type,
    require_zone,
    zone_names,
)

__all__ = [
    "Aware",
    "Bool",
    "Check",
    "Day",
    "Instance",
    "Integer",
    "Member",
    "Optional",
    "OptionalBool",
    "RRule",
    "Text",
    "Validator",
    "aware",
    "date",
    "derived_date",
    "optional_derived_date",
]

Validator = Callable[[Any, Any, Any], None]


class Check:
    """A validator: ``check(instance, attribute, value)`` raises or returns None.

    ``inline(name)`` is a Python expression that is true when the value in the
    variable *name*, already of the field's JSON-decoded type, passes; None when
    the check has no cheaper form and is to be called.
    """

    __slots__ = ()
    label: ClassVar[str] = "a value"
    passes_below: ClassVar[int] = 0
    """A collection of fewer items than this passes whatever they are (a loader need not
    call the check for one): 1 when every empty collection passes, 2 when every
    collection of one item does too."""

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def inline(self, name: str) -> str | None:
        return None

    def fast(self, name: str, bind: Callable[[object], str]) -> str | None:
        """A Python expression that is true only when the value in *name*, of any type,
        passes (the usual case; when false the check is called and decides); *bind*
        gives the name of an object the expression needs. None when the check is always
        to be called."""
        return None

    def __repr__(self) -> str:
        return f"<{self.label}>"


class Text(Check):
    """A `str` field; non-blank unless *empty* is allowed; storable (see `require_text`);
    at most *max_len* characters (default: `LIMITS.text`)."""

    __slots__ = ("empty", "max_len")

    def __init__(self, *, empty: bool = False, max_len: int | None = None) -> None:
        self.empty, self.max_len = empty, LIMITS.text if max_len is None else max_len

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if type(value) is not str:
            require_type(attribute.name, value, str, "a str")
            value = str(value)
        if value == REDACTED and not may_hide():
            raise InvalidValue(
                f"{attribute.name!r} must not be {REDACTED!r}: that marks a text hidden "
                "from a party or erased, and no command writes it"
            )
        if not self.empty and not value.strip():
            raise InvalidValue(f"{attribute.name!r} must not be empty (got {value!r})")
        if not value.isascii() or "\x00" in value:
            require_text(attribute.name, value)
        if len(value) > self.max_len:
            raise InvalidValue(
                f"{attribute.name!r} must have at most {self.max_len} characters "
                f"(got {len(value)})"
            )

    def inline(self, name: str) -> str:
        checks = [] if self.empty else [f"{name}.strip()"]  # a loader's texts are storable
        checks.append(f"len({name}) <= {self.max_len}")
        return " and ".join(checks)

    def fast(self, name: str, bind: Callable[[object], str]) -> str:
        checks = [f"type({name}) is str", f"{name}.isascii()", f"'\\x00' not in {name}"]
        checks += [f"len({name}) <= {self.max_len}", f"{name} != {bind(REDACTED)}"]
        return " and ".join([*checks, *([] if self.empty else [f"{name}.strip()"])])

    def __repr__(self) -> str:
        return "<a str>" if self.empty else "<a non-blank str>"


class Integer(Check):
    """An `int` field (bools refused) within the inclusive bounds given."""

    __slots__ = ("ceiling", "floor", "high", "low")

    def __init__(self, low: int | None = None, high: int | None = None) -> None:
        self.low, self.high = low, high
        self.floor = -math.inf if low is None else low
        self.ceiling = math.inf if high is None else high

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if type(value) is int and self.floor <= value <= self.ceiling:
            return  # the usual case, decided at once
        require_type(attribute.name, value, int, "an int")
        assert isinstance(value, int)
        if value < self.floor:
            raise InvalidValue(f"{attribute.name!r} must be >= {self.low} (got {value})")
        raise InvalidValue(f"{attribute.name!r} must be <= {self.high} (got {value})")

    def fast(self, name: str, bind: Callable[[object], str]) -> str:
        return self.inline(name)  # it checks the type too

    def inline(self, name: str) -> str:
        bounds = [f"type({name}) is int"]
        if self.low is not None:
            bounds.append(f"{self.low} <= {name}")
        if self.high is not None:
            bounds.append(f"{name} <= {self.high}")
        return " and ".join(bounds)

    def __repr__(self) -> str:
        low = "" if self.low is None else self.low
        high = "" if self.high is None else self.high
        return f"<an int in {low}..{high}>"


class Member(Check):
    """A member of the enum *kind*."""

    __slots__ = ("kind",)

    def __init__(self, kind: type[enum.Enum]) -> None:
        self.kind = kind

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if type(value) is not self.kind:
            require_type(attribute.name, value, self.kind, f"a {self.kind.__name__}")

    def inline(self, name: str) -> str:
        return "True"  # a loader makes members by look-up only

    def fast(self, name: str, bind: Callable[[object], str]) -> str:
        return f"type({name}) is {bind(self.kind)}"

    def __repr__(self) -> str:
        return f"<a {self.kind.__name__}>"


class Instance(Check):
    """An instance of *kind* (a value class); optional when *optional*."""

    __slots__ = ("kind", "optional")

    def __init__(self, kind: type, *, optional: bool = False) -> None:
        self.kind, self.optional = kind, optional

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if self.optional and value is None:
            return
        if type(value) is not self.kind:
            what = f"a {self.kind.__name__}" + (" or None" if self.optional else "")
            require_type(attribute.name, value, self.kind, what)

    def inline(self, name: str) -> str:
        return "True"  # a loader builds the instance itself

    def fast(self, name: str, bind: Callable[[object], str]) -> str:
        kind = f"type({name}) is {bind(self.kind)}"
        return f"{name} is None or {kind}" if self.optional else kind

    def __repr__(self) -> str:
        return f"<a {self.kind.__name__}{' or None' if self.optional else ''}>"


class Aware(Check):
    """An aware datetime that RFC 3339 can write (see `require_aware`)."""

    __slots__ = ()
    label = "an aware datetime"

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if type(value) is dt.datetime and type(value.tzinfo) is dt.timezone:
            offset = value.utcoffset()  # a fixed offset: usual unless odd or out of range
            whole = not (offset.seconds % 60 or offset.microseconds)  # type: ignore[union-attr]
            if whole and MIN_YEAR <= value.year <= MAX_YEAR:
                return
        require_aware(attribute.name, value)

    def inline(self, name: str) -> str:
        return "True"  # a loader's datetimes are checked as they are parsed

    def fast(self, name: str, bind: Callable[[object], str]) -> str:
        zones, low, high = bind(WHOLE_MINUTE_ZONES), MIN_YEAR, MAX_YEAR
        return (
            f"type({name}) is {bind(dt.datetime)} and type({name}.tzinfo) is {bind(dt.timezone)} "
            f"and {name}.tzinfo in {zones} "
            f"and {low} <= {name}.year <= {high}"
        )


class Day(Check):
    """A plain date (a `datetime` is refused: it hides a time); or None when *optional*.

    A date given to coachflow must fall in `MIN_YEAR`..`MAX_YEAR`; a date it
    derives (*derived*: a plan's end, a finding's day) may fall later.
    """

    __slots__ = ("derived", "optional")

    def __init__(self, *, optional: bool = False, derived: bool = False) -> None:
        self.optional, self.derived = optional, derived

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if value is None and self.optional:
            return
        if self.derived and type(value) is dt.date:
            return
        require_date(attribute.name, value)

    def inline(self, name: str) -> str:
        return "True"  # a loader's dates are checked as they are parsed

    def fast(self, name: str, bind: Callable[[object], str]) -> str:
        day = f"type({name}) is {bind(dt.date)} and {MIN_YEAR} <= {name}.year <= {MAX_YEAR}"
        return f"{name} is None or ({day})" if self.optional else day

    def __repr__(self) -> str:
        return "<a date or None>" if self.optional else "<a date>"


#: An RRULE value as a JSON Schema pattern: NAME=VALUE parts separated by ';' (the
#: loader judges the rest by RFC 5545's grammar).
_PART = "[A-Za-z]+=[A-Za-z0-9,:+-]+"
RRULE_PATTERN = f"^([Rr][Rr][Uu][Ll][Ee]:)?{_PART}(;{_PART})*$"
#: The schema of one non-blank text of a list (a step, a level).
TEXT_ITEM: dict[str, Any] = {
    "type": "string",
    "pattern": NON_BLANK_PATTERN,
    "maxLength": LIMITS.text,
}


class Zone(Check):
    """The name of an IANA time zone; or None."""

    __slots__ = ()
    label = "an IANA time zone name or None"

    @property
    def json_schema(self) -> dict[str, Any]:
        return {"enum": sorted(zone_names())}

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if value is not None:
            require_zone(attribute.name, value)


class RRule(Check):
    """An RFC 5545 RRULE value that `dateutil.rrule` reads (``FREQ=WEEKLY;BYDAY=MO``),
    at most daily, with a local ``UNTIL`` if any; or None."""

    __slots__ = ()
    label = "an RFC 5545 RRULE or None"

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if value is None:
            return
        require_type(attribute.name, value, str, "an RFC 5545 RRULE (a str) or None")
        try:
            rhythm(value)
        except ValueError as exc:
            raise InvalidValue(
                f"{attribute.name!r} must be an RFC 5545 RRULE such as "
                f"'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9' (got {value[:80]!r}: {exc})"
            ) from None


class OptionalBool(Check):
    """True, False or None."""

    __slots__ = ()
    label = "a bool or None"

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if value is not None:
            require_type(attribute.name, value, bool, "a bool or None")

    def inline(self, name: str) -> str:
        return f"{name} is None or type({name}) is bool"

    def fast(self, name: str, bind: Callable[[object], str]) -> str:
        return self.inline(name)


class Bool(Check):
    """True or False."""

    __slots__ = ()
    label = "a bool"

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        require_type(attribute.name, value, bool, "a bool")

    def inline(self, name: str) -> str:
        return f"type({name}) is bool"

    def fast(self, name: str, bind: Callable[[object], str]) -> str:
        return self.inline(name)


class Optional(Check):
    """None, or what *check* accepts."""

    __slots__ = ("check",)

    def __init__(self, check: Check) -> None:
        self.check = check

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if value is not None:
            self.check(inst, attribute, value)

    def inline(self, name: str) -> str | None:
        inner = self.check.inline(name)
        return None if inner is None else f"{name} is None or ({inner})"

    def fast(self, name: str, bind: Callable[[object], str]) -> str | None:
        inner = self.check.fast(name, bind)
        return None if inner is None else f"{name} is None or ({inner})"

    def __repr__(self) -> str:
        return f"<{repr(self.check)[1:-1]} or None>"


# The validators that need no parameters: shared immutable instances.
aware = Aware()
date = Day()
derived_date = Day(derived=True)
optional_derived_date = Day(optional=True, derived=True)
