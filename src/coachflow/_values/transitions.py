"""The changes of a time zone's UTC offset, found from the tz database as `zoneinfo`
applies it: what a calendar's VTIMEZONE is written from, and where the tests look for
daylight-saving changes."""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

import attrs

__all__ = ["Transition", "transitions"]

_DAY = dt.timedelta(days=1)


@attrs.frozen(weakref_slot=False)
class Transition:
    """A change of UTC offset: at *utc*, from *before* to *after*."""

    utc: dt.datetime  # naive UTC
    before: dt.timedelta
    after: dt.timedelta
    name: str
    dst: bool

    @property
    def local(self) -> dt.datetime:
        """The wall time the change happens at, on the clock before it (RFC 5545's DTSTART)."""
        return self.utc + self.before


def _offset(zone: ZoneInfo, utc: dt.datetime) -> dt.timedelta:
    moment = utc.replace(tzinfo=dt.UTC).astimezone(zone)
    return moment.utcoffset()  # type: ignore[return-value]


@functools.lru_cache(maxsize=256)  # probing decades of days is worth doing once
def transitions(zone: ZoneInfo, first: int, last: int) -> list[Transition]:
    """Every change of UTC offset in *zone* from the start of year *first* to the end of
    year *last*, to the second."""
    found: list[Transition] = []
    day = dt.datetime(first, 1, 1)
    end = dt.datetime(last + 1, 1, 1)
    offset = _offset(zone, day)
    while day < end:
        following = day + _DAY
        after = _offset(zone, following)
        if after != offset:
            low, high = day, following  # the offset changes in (low, high]
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _offset(zone, middle) == offset:
                    low = middle
                else:
                    high = middle
            moment = high.replace(tzinfo=dt.UTC).astimezone(zone)
            found.append(
                Transition(high, offset, after, moment.tzname() or "", bool(moment.dst()))
            )
            offset = after
        day = following
    return found
