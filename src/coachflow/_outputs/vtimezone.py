"""VTIMEZONE blocks (RFC 5545 §3.6.5) that every calendar reader understands alike.

The rules come from the tz database as `zoneinfo` applies it, from 1970 (or
earlier, if the calendar is) to a year past the calendar's last entry, never a
list of dates that stops in 2037. Each change of UTC offset in those years is
found; the changes that recur yearly (the same month, weekday and week of the
month, "last" or "first", "second", ..., at the same local time, between the
same offsets) become one observance with ``RRULE:FREQ=YEARLY``, others one
observance each. Readers (icalendar, vobject, libical, ical.js) differ on
``RDATE`` lists and on rules that run out; observances of one ``DTSTART`` and
yearly rules they all read the same. Starting every block at one fixed year
keeps the blocks of any two files we write in agreement wherever they overlap:
some readers (vobject) keep the first block of a TZID they meet for every
later file.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from coachflow._values.transitions import Transition, transitions

__all__ = ["FIRST_YEAR", "vtimezone"]

_DAY = dt.timedelta(days=1)
#: Every block covers at least the years from this one on.
FIRST_YEAR = 1970
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _pattern(transition: Transition) -> set[tuple[Any, ...]]:
    """The ways to say which day of the year it falls on, as a yearly rule."""
    local = transition.local
    weekday = local.weekday()
    nth = (local.day - 1) // 7 + 1
    shape = (
        local.month,
        weekday,
        local.time(),
        transition.before,
        transition.after,
        transition.name,
        transition.dst,
    )
    ways = {(*shape, nth)}
    if local.day + 7 > calendar.monthrange(local.year, local.month)[1]:
        ways.add((*shape, -1))  # also the last such weekday of the month
    return ways


def _runs(found: list[Transition]) -> Iterator[tuple[list[Transition], tuple[Any, ...] | None]]:
    """Group the transitions into yearly runs, each with the pattern all its members share."""
    open_runs: list[tuple[list[Transition], set[tuple[Any, ...]]]] = []
    for item in found:
        for run in open_runs:
            members, ways = run
            shared = ways & _pattern(item)
            if shared and members[-1].local.year + 1 == item.local.year:
                members.append(item)
                open_runs[open_runs.index(run)] = (members, shared)
                break
        else:
            open_runs.append(([item], _pattern(item)))
    for members, ways in open_runs:
        if len(members) == 1:
            yield members, None
        else:  # prefer "the last Sunday" to "the fifth": the tz database says it so
            yield members, min(ways, key=lambda way: way[-1])


def vtimezone(zone: ZoneInfo, first: int, last: int) -> Any:
    """An ``icalendar.Timezone`` for *zone*, right for every instant from the start of
    `FIRST_YEAR` (or of the year before *first*, if earlier) to the end of *last* + 1."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    block = Timezone()
    block.add("tzid", zone.key)
    begin = min(FIRST_YEAR, first - 1)
    start = dt.datetime(begin, 1, 1)
    found = transitions(zone, begin, last + 1)
    # the offset in force from the start of the window until the first change
    base = start.replace(tzinfo=dt.UTC).astimezone(zone)
    offset = base.utcoffset()
    observance = TimezoneDaylight() if base.dst() else TimezoneStandard()
    observance.add("dtstart", start)
    observance.add("tzoffsetfrom", offset)
    observance.add("tzoffsetto", offset)
    observance.add("tzname", base.tzname() or zone.key)
    block.add_component(observance)
    for members, way in _runs(found):
        head = members[0]
        observance = TimezoneDaylight() if head.dst else TimezoneStandard()
        observance.add("dtstart", head.local)
        observance.add("tzoffsetfrom", head.before)
        observance.add("tzoffsetto", head.after)
        observance.add("tzname", head.name or zone.key)
        if way is not None:
            month, weekday, nth = way[0], way[1], way[-1]
            rule: dict[str, Any] = {
                "freq": "YEARLY",
                "bymonth": month,
                "byday": f"{nth}{_WEEKDAYS[weekday]}",
            }
            if members[-1].local.year < last + 1:  # a rule that stopped within the window
                rule["until"] = members[-1].utc.replace(tzinfo=dt.UTC)
            observance.add("rrule", vRecur(rule))
        block.add_component(observance)
    return block
