"""Strategies for the calendar of a series: the rhythms people agree on and the breaks
they plan."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from coachflow._values.calendar import add_months
from coachflow._values.model import Break

__all__ = ["RHYTHMS", "breaks", "rhythms"]


#: Rhythms people agree on, the first the simplest.
RHYTHMS = (
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=14;BYMINUTE=30",
    "FREQ=WEEKLY;BYDAY=WE",
    "FREQ=MONTHLY;BYDAY=1TU,3TU;BYHOUR=8",
    "FREQ=DAILY;INTERVAL=10",
    "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=FR;BYHOUR=16;COUNT=8",
)


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def _composed(draw: st.DrawFn) -> str:
    freq = draw(st.sampled_from(("DAILY", "WEEKLY", "MONTHLY")))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 4))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if freq != "DAILY" or draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(_WEEKDAYS), min_size=1, max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(sorted(days, key=_WEEKDAYS.index)))
    if draw(st.booleans()):
        parts.append(f"BYHOUR={draw(st.integers(7, 18))}")
    if draw(st.integers(0, 5)) == 0:
        parts.append(f"COUNT={draw(st.integers(1, 30))}")
    return ";".join(parts)


def rhythms() -> st.SearchStrategy[str]:
    """RFC 5545 RRULEs of session rhythms: the ones people agree on (`RHYTHMS`: every
    other Monday at nine, ...), and ones composed of a frequency, an interval, weekdays,
    now and then an hour or a COUNT (some too thin for the allotment, some on weekends)."""
    return st.sampled_from(RHYTHMS) | _composed()


@st.composite
def breaks(draw: st.DrawFn, *, start: dt.date, months: int) -> tuple[Break, ...]:
    """Agreed breaks inside the series from *start*: none (what examples shrink to), or
    one or two of up to five weeks, in order, apart."""
    last = add_months(start, months) - dt.timedelta(days=1)
    found: list[Break] = []
    first = start
    for _ in range(draw(st.sampled_from((0, 0, 1, 2)))):
        room = (last - first).days
        if room < 7:
            break
        begin = first + dt.timedelta(days=draw(st.integers(0, room - 1)))
        length = draw(st.integers(1, min(35, (last - begin).days + 1)))
        found.append(Break(begin, begin + dt.timedelta(days=length - 1)))
        first = begin + dt.timedelta(days=length + 1)
        if first > last:
            break
    return tuple(found)
