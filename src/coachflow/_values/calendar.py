"""Calendar arithmetic: month steps, event days, and days that pauses push aside."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

__all__ = [
    "Pause",
    "Rhythm",
    "active_days",
    "add_months",
    "day_of",
    "rhythm",
    "shift_past_pauses",
    "zone",
]

Pause = tuple[dt.date, dt.date]
"""A finished pause: the day it began and the day sessions resumed."""


@functools.lru_cache(maxsize=4096)  # asked again and again for each engagement's end
def add_months(start: dt.date, months: int) -> dt.date:
    """*start* plus whole calendar months, the day clamped to the month's end.

    >>> add_months(dt.date(2027, 1, 31), 1)
    datetime.date(2027, 2, 28)
    """
    result: dt.date = start + relativedelta(months=months)
    return result


_ZONES: dict[str, ZoneInfo] = {}


def zone(name: str) -> ZoneInfo:
    """The `ZoneInfo` of an IANA name, one object per name (``ZoneInfo(name)`` asks its
    own cache through a method call each time, which costs as much as a replay step)."""
    found = _ZONES.get(name)
    if found is None:
        found = _ZONES[name] = ZoneInfo(name)
    return found


def day_of(moment: dt.datetime, zone: dt.tzinfo | None = None) -> dt.date:
    """The calendar day of an aware *moment* in *zone*, else in its own offset."""
    if zone is not None and moment.tzinfo is not zone:
        moment = moment.astimezone(zone)
    return moment.date()


def shift_past_pauses(day: dt.date, pauses: Sequence[Pause]) -> dt.date:
    """Move a day planned on the active calendar past every pause that began by then.

    *pauses* must be in order and must not overlap (as an engagement's are).
    """
    for began, resumed in pauses:
        if began > day:
            break
        day += resumed - began
    return day


def active_days(start: dt.date, span: int, pauses: Sequence[Pause]) -> list[dt.date]:
    """The *span* active days from *start*: each day of the active calendar moved past
    the pauses that began by then (day ``k`` is ``shift_past_pauses(start + k)``)."""
    days: list[dt.date] = []
    offset, index, count = dt.timedelta(), 0, len(pauses)
    for k in range(span):
        day = start + dt.timedelta(days=k) + offset
        while index < count and pauses[index][0] <= day:
            began, resumed = pauses[index]
            offset += resumed - began
            day += resumed - began
            index += 1
        days.append(day)
    return days


#: How often a rhythm may recur: sessions are at most daily.
_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


class Rhythm:
    """A parsed `Agreement.rhythm`: an RFC 5545 RRULE value read by `dateutil.rrule`.

    The rule is expanded from the agreed start in local (wall) time of the
    engagement's zone; ``time`` is its time of day when the rule names one
    (``BYHOUR``), else None.
    """

    __slots__ = ("parts", "text", "time")

    def __init__(self, text: str) -> None:
        self.text = text
        if not text.isprintable() or any(c.isspace() for c in text):
            raise ValueError("expected one line without spaces")
        body = text[6:] if text[:6].upper() == "RRULE:" else text
        parts: dict[str, str] = {}
        for part in body.split(";"):
            name, sep, value = part.partition("=")
            if not sep or not name or not value:
                raise ValueError(f"expected NAME=VALUE parts separated by ';' (got {part!r})")
            if name.upper() in parts:
                raise ValueError(f"{name.upper()} is given twice")
            parts[name.upper()] = value
        freq = parts.get("FREQ", "").upper()
        if freq not in _FREQUENCIES:
            raise ValueError(
                f"FREQ must be one of {', '.join(_FREQUENCIES)} (got {freq or 'none'})"
            )
        if parts.get("UNTIL", "").upper().endswith("Z"):
            raise ValueError(
                "UNTIL must be a local date or date-time, without 'Z': the rhythm is "
                "read in the engagement's time zone"
            )
        self.parts = parts
        try:
            self.rule(dt.date(2000, 1, 1))  # dateutil judges the rest
        except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
            raise ValueError(str(exc) or type(exc).__name__) from None
        hour = parts.get("BYHOUR")
        minute = parts.get("BYMINUTE", "0")
        self.time = (
            None if hour is None else dt.time(int(hour.split(",")[0]), int(minute.split(",")[0]))
        )

    def rule(self, start: dt.date) -> rrule:
        """The rule, recurring from *start* (at midnight, local time)."""
        body = ";".join(f"{name}={value}" for name, value in self.parts.items())
        found = rrulestr(body, dtstart=dt.datetime.combine(start, dt.time()))
        assert isinstance(found, rrule)
        return found

    @functools.lru_cache(maxsize=1024)  # noqa: B019 - rhythms are few and live long
    def days(self, start: dt.date, end: dt.date) -> tuple[dt.datetime, ...]:
        """The occurrences from *start* up to, not including, the day *end* (local)."""
        first = dt.datetime.combine(start, dt.time())
        last = dt.datetime.combine(end, dt.time()) - dt.timedelta(microseconds=1)
        return tuple(self.rule(start).between(first, last, inc=True))


@functools.lru_cache(maxsize=1024)
def rhythm(text: str) -> Rhythm:
    """The parsed rhythm of an agreement (one per text); `ValueError` when it is none."""
    return Rhythm(text)
