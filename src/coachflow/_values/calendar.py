"""Calendar arithmetic: month steps, event days, and days that pauses push aside."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

__all__ = ["Pause", "active_days", "add_months", "day_of", "shift_past_pauses", "zone"]

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
    """The calendar day of an aware *moment* in *zone*, else in its own offset.

    Exact in every zone: a wall time already in *zone* is taken as the instant it names
    (PEP 495), so a time in a gap that crosses midnight (America/Nuuk, 2027-03-27 23:30)
    is the day of that instant there, not the day written on it.
    """
    if zone is not None:
        if moment.tzinfo is zone:
            moment = moment.astimezone(dt.UTC)  # Python skips a conversion to its own zone
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
