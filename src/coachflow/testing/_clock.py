"""The clock of the state machine: how time moves before each command, in real zones,
by wall clock or by instant, and often right at a daylight-saving change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from coachflow._values.transitions import transitions
from coachflow.testing import _strategies as cs

__all__ = ["Step", "moved", "steps"]


@attrs.frozen
class Step:
    """How the clock moves before a command (see `EngagementMachine.at`)."""

    hours: int
    minutes: int = 0
    zone: str | None = None
    """The zone the time is given in (None: the zone of the last accepted command)."""
    wall: bool = False
    """Add by the wall clock (may land in a DST gap or on an ambiguous time), not by
    the instant."""
    near_change: bool = False
    """Go to within 90 minutes of the zone's next change of UTC offset instead."""


#: How to move the clock before a command: mostly forward, now and then backwards,
#: in real zones, by wall clock or by instant, and often right at a DST change.
steps = st.builds(
    Step,
    hours=st.integers(-48, 24 * 20),
    minutes=st.sampled_from((0, 15, 30, 45)),
    zone=st.sampled_from((None, *cs.ZONE_NAMES)),
    wall=st.booleans(),
    near_change=st.integers(0, 5).map(lambda n: n == 0),
)


def moved(now: dt.datetime, step: int | Step) -> dt.datetime:
    """The time *step* after *now*: *step* hours (an int), or as a `Step` says."""
    if isinstance(step, int):
        step = Step(step)
    zone = ZoneInfo(step.zone) if step.zone is not None else now.tzinfo
    assert zone is not None
    delta = dt.timedelta(hours=step.hours, minutes=step.minutes)
    if step.near_change and isinstance(zone, ZoneInfo):
        instant = now.astimezone(dt.UTC).replace(tzinfo=None)
        year = instant.year
        change = next((t for t in transitions(zone, year, year + 1) if t.utc > instant), None)
        if change is not None:
            delta = dt.timedelta(minutes=step.hours % 181 - 90)
            if step.wall:  # a wall time near the change, perhaps one that never was
                return (change.local + delta).replace(tzinfo=zone)
            return (change.utc + delta).replace(tzinfo=dt.UTC).astimezone(zone)
    if step.wall:
        return (now + delta).astimezone(zone) if step.zone else now + delta
    return (now.astimezone(dt.UTC) + delta).astimezone(zone)
