"""Validators and converters for the value types: clear messages, nothing clever."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

E = TypeVar("E", bound=enum.Enum)

Validator = Callable[[Any, Any, Any], None]


def describe(value: object) -> str:
    """A short rendering of an unexpected value for error messages."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} of type {type(value).__name__}"


def require_type(name: str, value: object, expected: type | tuple[type, ...], what: str) -> None:
    """Raise `TypeError` unless *value* is an instance of *expected* (bools are not ints)."""
    if type(value) is expected:  # the common case, decided at once
        return
    wrong_bool = isinstance(value, bool) and expected in (int, (int,))
    if wrong_bool or not isinstance(value, expected):
        raise TypeError(f"{name!r} must be {what} (got {describe(value)})")


def require_aware(name: str, value: object) -> None:
    """Raise unless *value* is a timezone-aware `datetime`."""
    require_type(name, value, dt.datetime, "a datetime")
    assert isinstance(value, dt.datetime)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name!r} must be a timezone-aware datetime (got naive {value.isoformat()})"
        )


def instant(value: dt.datetime) -> tuple[dt.datetime, dt.timedelta | None]:
    """How the values compare their datetimes: the instant, and the UTC offset shown.

    That is what a document keeps of a datetime (the offset, not the zone). Python's
    own ``==`` would not do: between two zones it is False whenever one side falls
    in a daylight-saving fold or gap (PEP 495), so an event at 02:30 on the night
    the clocks go back would not equal itself loaded from its document.
    """
    offset = value.utcoffset()
    return value.replace(tzinfo=None) - (offset or dt.timedelta()), offset


def require_date(name: str, value: object) -> None:
    """Raise unless *value* is a plain `date` (a `datetime` is refused: it hides a time)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name!r} must be a date (got {describe(value)})")


def text(*, empty: bool = False) -> Validator:
    """A `str` field; non-blank unless *empty* is allowed."""

    def check(_inst: object, attribute: Any, value: object) -> None:
        if type(value) is not str:
            require_type(attribute.name, value, str, "a str")
            value = str(value)
        if not empty and not value.strip():
            raise ValueError(f"{attribute.name!r} must not be empty (got {value!r})")

    return check


def integer(low: int | None = None, high: int | None = None) -> Validator:
    """An `int` field (bools refused) within the inclusive bounds given."""
    floor = -math.inf if low is None else low
    ceiling = math.inf if high is None else high

    def check(_inst: object, attribute: Any, value: object) -> None:
        if type(value) is int and floor <= value <= ceiling:
            return  # the usual case, decided at once
        require_type(attribute.name, value, int, "an int")
        assert isinstance(value, int)
        if value < floor:
            raise ValueError(f"{attribute.name!r} must be >= {low} (got {value})")
        if value > ceiling:
            raise ValueError(f"{attribute.name!r} must be <= {high} (got {value})")

    return check


def member(kind: type[E]) -> Validator:
    """A member of the enum *kind*."""

    def check(_inst: object, attribute: Any, value: object) -> None:
        if type(value) is not kind:
            require_type(attribute.name, value, kind, f"a {kind.__name__}")

    return check


def aware(_inst: object, attribute: Any, value: Any) -> None:
    """A timezone-aware datetime."""
    if type(value) is not dt.datetime or type(value.tzinfo) is not dt.timezone:
        require_aware(attribute.name, value)  # a fixed offset is aware: others are checked


def date(_inst: object, attribute: Any, value: Any) -> None:
    """A plain date."""
    require_date(attribute.name, value)


def optional_date(_inst: object, attribute: Any, value: Any) -> None:
    """A plain date or None."""
    if value is not None:
        require_date(attribute.name, value)


def items(kind: type | tuple[type, ...], what: str, *, min_len: int = 0) -> Validator:
    """A collection whose every item is a *kind*, with at least *min_len* items."""

    def check(_inst: object, attribute: Any, value: object) -> None:
        if type(value) is not tuple and type(value) is not frozenset:
            require_type(attribute.name, value, (tuple, frozenset), "a sequence")
        assert isinstance(value, tuple | frozenset)
        for i, item in enumerate(value):
            if type(item) is not kind:  # only a surprise pays for the message
                require_type(f"{attribute.name}[{i}]", item, kind, what)
        if len(value) < min_len:
            raise ValueError(f"{attribute.name!r} must have at least {min_len} item(s) (got none)")

    return check


def unique(key: Callable[[Any], object], what: str) -> Validator:
    """No two items of a collection share ``key(item)``."""

    def check(_inst: object, attribute: Any, value: Iterable[object]) -> None:
        seen: set[object] = set()
        for item in value:
            k = key(item)
            if k in seen:
                raise ValueError(f"{attribute.name!r} must have unique {what} (got {k!r} twice)")
            seen.add(k)

    return check


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Accept any iterable (a list is friendlier to write) and store an immutable tuple.

    Anything else passes through unchanged so that the field's validator can name it.
    """
    kind = type(value)
    if kind is tuple:
        return value  # type: ignore[return-value]
    if kind is list:
        return tuple(value)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]
    return tuple(value)


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Accept any iterable and store a frozenset (others pass through to the validator)."""
    kind = type(value)
    if kind is frozenset:
        return value  # type: ignore[return-value]
    if kind is list or kind is set:
        return frozenset(value)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]
    return frozenset(value)
