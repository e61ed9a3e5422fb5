"""Checks and conversions every value shares: clear messages, nothing clever.

What arrives from a caller is judged here (``require_*``: the type, an aware datetime
RFC 3339 can write, a date in range, storable text, a known time zone) and datetimes
are kept as the instant in the UTC offset they had (`fixed_offset`, compared by
`instant`). The attrs validators of the value classes (`coachflow._values.validators`)
are built on these.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Any

from coachflow._values.failures import InvalidTime, InvalidType, InvalidValue
from coachflow._values.limits import LIMITS
from coachflow._values.redaction import REDACTED, may_hide

__all__ = [
    "LAST_DAY",
    "MAX_YEAR",
    "MIN_YEAR",
    "describe",
    "fixed_offset",
    "good_text",
    "instant",
    "offset_zone",
    "require_aware",
    "require_date",
    "require_text",
    "require_type",
    "require_zone",
    "to_frozenset",
    "to_tuple",
    "utc",
    "zone_names",
]

#: The years a date or datetime given to coachflow may fall in. Everything the
#: library derives from them (an end moved by pauses, a follow-up due date, a
#: calendar's time-zone rules) then stays within what `datetime` can hold.
MIN_YEAR, MAX_YEAR = 1900, 9000

_YEAR = "(19[0-9]{2}|[2-8][0-9]{3}|9000)"  # MIN_YEAR..MAX_YEAR
_DAY = _YEAR + "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
#: An RFC 3339 full-date in the years coachflow takes: what documents hold for a day
#: (the loader and the JSON Schema read this one pattern; ASCII digits only).
DATE_PATTERN = f"^{_DAY}$"
#: An RFC 3339 date-time with seconds and a UTC offset in whole minutes (``Z`` or
#: ``+HH:MM``), in the years coachflow takes: what documents hold for an instant.
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?"
_OFFSET = "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
DATE_TIME_PATTERN = f"^{_DAY}T{_TIME}{_OFFSET}$"
RFC3339_DATE = re.compile(DATE_PATTERN)
RFC3339_DATE_TIME = re.compile(DATE_TIME_PATTERN)
#: The characters Python's ``str.strip`` takes for whitespace, as a regex class body
#: that Python and ECMA-262 read alike (``\s`` differs: ECMA counts U+FEFF, Python
#: U+001C..U+001F and U+0085).
_SPACE = (
    "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000"
)
#: A text that is not blank and holds no NUL character, as a JSON Schema pattern.
NON_BLANK_PATTERN = f"^[{_SPACE}]*[^\\u0000{_SPACE}][^\\u0000]*$"
#: A text that holds no NUL character (it may be blank), as a JSON Schema pattern.
NO_NUL_PATTERN = "^[^\\u0000]*$"

#: The latest day an engagement's derived dates may reach.
LAST_DAY = dt.date(9997, 12, 31)


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
        raise InvalidType(f"{name!r} must be {what} (got {describe(value)})")


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def utc(value: dt.datetime) -> dt.timedelta:
    """The instant of an aware datetime, as the time since 1970-01-01 UTC (exact)."""
    return value - _EPOCH  # different zones: Python subtracts by the UTC offsets


_ZONES: dict[dt.timedelta, dt.timezone] = {}


def offset_zone(offset: dt.timedelta) -> dt.timezone:
    """The fixed-offset zone of *offset*: one object per offset, shared by every datetime
    coachflow keeps (a loaded history holds thousands of them)."""
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = dt.timezone(offset)
        if not (offset.seconds % 60 or offset.microseconds):
            WHOLE_MINUTE_ZONES.add(zone)
    return zone


OFFSET_BASES: dict[dt.timedelta, dt.datetime] = {}
"""1970-01-01 in the shared zone of each offset met (`fixed_offset`)."""
ZONE_EPOCHS: dict[dt.tzinfo, dt.datetime] = {}
"""1970-01-01 in each IANA zone met (a few hundred at most; `fixed_offset`)."""


WHOLE_MINUTE_ZONES: set[dt.tzinfo] = set()
"""The shared zones of whole-minute offsets (the ones RFC 3339 writes): a datetime in one
of them, in `MIN_YEAR`..`MAX_YEAR`, is an aware datetime coachflow keeps as it is."""


def fixed_offset(value: dt.datetime) -> dt.datetime:
    """The converter of every datetime a value keeps: the same instant, shown in the UTC
    offset it had (a fixed-offset zone), which is what a document holds.

    An engagement's zone lives in its agreement; a datetime in a `ZoneInfo` is a
    hazard inside the engine, because Python compares two of one zone by their wall
    times, ignoring ``fold`` (PEP 495): in the night the clocks go back, 02:15 of the
    second pass would sort before 02:45 of the first. Datetimes of fixed offsets
    always compare by instant. Anything else passes through for the validator to judge.
    """
    if type(value) is not dt.datetime:
        return value
    zone = value.tzinfo
    if zone is None or type(zone) is dt.timezone:
        return value
    try:
        offset = value.utcoffset()
        if offset is None:
            return value
        base = OFFSET_BASES.get(offset)  # 1970-01-01 in the shared zone of *offset*
        if base is None:
            base = OFFSET_BASES[offset] = dt.datetime(1970, 1, 1, tzinfo=offset_zone(offset))
        if type(zone) is not zoneinfo.ZoneInfo:  # another kind of zone: the long way
            return value.astimezone(base.tzinfo)
        epoch = ZONE_EPOCHS.get(zone)  # 1970-01-01 in *zone*
        if epoch is None:
            if len(ZONE_EPOCHS) > 4096:
                return value.astimezone(base.tzinfo)
            epoch = ZONE_EPOCHS[zone] = dt.datetime(1970, 1, 1, tzinfo=zone)
        # the wall time since 1970-01-01 in *zone* (one zone on both sides: a plain
        # difference), from 1970-01-01 in the shared zone: the same instant, exactly
        return base + (value - epoch)
    except (ValueError, OverflowError):  # beyond a day, or beyond the years: the validator says
        return value


def instant(value: dt.datetime) -> tuple[dt.datetime, dt.timedelta | None]:
    """How the values compare their datetimes: the instant, and the UTC offset shown.

    That is what a document keeps of a datetime (the offset, not the zone). Python's
    own ``==`` would not do: between two zones it is False whenever one side falls
    in a daylight-saving fold or gap (PEP 495), so an event at 02:30 on the night
    the clocks go back would not equal itself loaded from its document.
    """
    offset = value.utcoffset()
    return value.replace(tzinfo=None) - (offset or dt.timedelta()), offset


def require_aware(name: str, value: object) -> None:
    """Raise unless *value* is an aware `datetime` that RFC 3339 can write.

    That is: timezone-aware, a UTC offset of whole minutes (``+01:12:12``, the
    local mean time of old zone data, is not), in the years `MIN_YEAR` to `MAX_YEAR`.
    """
    require_type(name, value, dt.datetime, "a datetime")
    assert isinstance(value, dt.datetime)
    offset = value.utcoffset() if value.tzinfo is not None else None
    if offset is None:
        raise InvalidTime(
            f"{name!r} must be a timezone-aware datetime (got naive {value.isoformat()})"
        )
    if offset.seconds % 60 or offset.microseconds:
        raise InvalidTime(
            f"{name!r} must have a UTC offset of whole minutes, as RFC 3339 writes it "
            f"(got {value.isoformat()})"
        )
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidTime(
            f"{name!r} must fall in the years {MIN_YEAR}..{MAX_YEAR} (got {value.isoformat()})"
        )


def require_date(name: str, value: object) -> None:
    """Raise unless *value* is a plain `date` (a `datetime` hides a time) in range."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidType(f"{name!r} must be a date (got {describe(value)})")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidTime(
            f"{name!r} must fall in the years {MIN_YEAR}..{MAX_YEAR} (got {value.isoformat()})"
        )


def require_item_text(name: str, value: str, what: str = "must not be blank") -> None:
    """Raise unless the text *value* (an item of a list, named *name*) is non-blank,
    storable (`require_text`) and within `LIMITS.text` characters; never `REDACTED`
    outside `hiding`."""
    if not value.strip():
        raise InvalidValue(f"{name!r} {what} (got {value!r})")
    if value == REDACTED and not may_hide():
        raise InvalidValue(
            f"{name!r} must not be {REDACTED!r}: that marks a text hidden from a party or "
            "erased, and no command writes it"
        )
    require_text(name, value)
    if len(value) > LIMITS.text:
        raise InvalidValue(
            f"{name!r} must have at most {LIMITS.text} characters (got {len(value)})"
        )


def require_text(name: str, value: str) -> None:
    """Raise unless *value* can be stored anywhere: UTF-8 encodable, no NUL character."""
    if "\x00" in value:
        raise InvalidValue(f"{name!r} must not contain NUL characters (got {value[:40]!r})")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = value[exc.start : exc.end]
            raise InvalidValue(
                f"{name!r} must be valid Unicode text (got the lone surrogate {bad!r} "
                f"at index {exc.start})"
            ) from None


def good_text(value: str) -> bool:
    """Whether *value* passes `require_text` (for the generated loaders)."""
    if value.isascii():
        return "\x00" not in value
    try:
        require_text("", value)
    except ValueError:
        return False
    return True


_zone_names: set[str] = {"UTC"}  # the names known good, asked for again and again


@functools.cache
def zone_names() -> frozenset[str]:
    """The IANA time zone names coachflow takes: those of the tz database this machine
    has (`zoneinfo.available_timezones`), without the ``posix/`` and ``right/`` copies
    (``right/`` zones count leap seconds, which no calendar does) and ``Factory``."""
    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if not name.startswith(("posix/", "right/")) and name not in ("Factory", "localtime")
    )


def require_zone(name: str, value: object) -> None:
    """Raise unless *value* is the name of an IANA time zone (see `zone_names`)."""
    require_type(name, value, str, "an IANA time zone name such as 'Europe/Stockholm'")
    assert isinstance(value, str)
    if value not in _zone_names:
        if value not in zone_names():
            raise InvalidValue(
                f"{name!r} must be an IANA time zone name such as 'Europe/Stockholm' "
                f"(got {value!r})"
            )
        _zone_names.add(value)


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
