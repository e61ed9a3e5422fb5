"""The value types: frozen attrs classes that describe an engagement."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs

from coachflow._values.calendar import add_months
from coachflow._values.containers import Choices, Items, Levels, Unique
from coachflow._values.enums import CONSENTS, NOT_PERSONAL, Mode, Role, Visibility, visible_to
from coachflow._values.failures import InvalidTime, InvalidValue
from coachflow._values.fields import json_schema
from coachflow._values.validation import (
    require_type,
    to_frozenset,
    to_tuple,
)
from coachflow._values.validators import (
    Bool,
    Instance,
    Integer,
    Member,
    Optional,
    OptionalBool,
    RRule,
    Text,
    Zone,
    date,
)

__all__ = [
    "DAYS_PER_MONTH",
    "MAX_BREAK_DAYS",
    "MAX_MINUTES",
    "MAX_MONTHS",
    "MAX_SESSIONS",
    "MAX_TOLERANCE_DAYS",
    "AddGoal",
    "Agreement",
    "Break",
    "Goal",
    "Party",
    "Programme",
    "ReformulateGoal",
]

#: The mean length of a calendar month in days (365.25 / 12), used to turn a
#: per-month cadence into days.
DAYS_PER_MONTH = 365.25 / 12

MAX_MONTHS = 36
MAX_MINUTES = 24 * 60


@attrs.frozen(weakref_slot=False)
class Party:
    """Someone taking part in an engagement."""

    id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """The host's id of the person; commands name it in ``by``."""
    name: str = attrs.field(validator=Text(), metadata=visible_to(Visibility.SPONSOR))
    """The person's name."""
    role: Role = attrs.field(validator=Member(Role))
    """The part the person plays in the engagement."""


_GOALS = visible_to(Visibility.CLIENT, consent="goals")


@attrs.frozen(weakref_slot=False)
class Goal:
    """A goal of the coaching agreement, with an optional way to measure it."""

    id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """Its id, unique among the engagement's goals (scores and revisions name it)."""
    statement: str = attrs.field(validator=Text(), metadata=_GOALS)
    """The goal, in words."""
    measure: str = attrs.field(default="", validator=Text(empty=True), metadata=_GOALS)
    """How attainment will be measured (blank: not yet said)."""
    levels: tuple[str, str, str, str, str] | None = attrs.field(
        default=None, converter=to_tuple, validator=Levels(), metadata=_GOALS
    )
    """The five outcomes of Goal Attainment Scaling agreed for the goal, from -2 (much
    less than expected) through 0 (the expected outcome) to +2 (much more than
    expected), each a non-blank text; None when none were agreed (a score is then
    flagged: ``gas.levels_undefined``)."""


_MINUTES: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_MINUTES}


@json_schema({"prefixItems": [_MINUTES, _MINUTES]})  # min <= max: the loader's alone
def _minutes_range(_inst: object, attribute: Any, value: object) -> None:
    require_type(attribute.name, value, tuple, "a (min, max) pair of ints")
    assert isinstance(value, tuple)
    if len(value) != 2:
        raise InvalidValue(f"{attribute.name!r} must be a (min, max) pair (got {value!r})")
    for i, minutes in enumerate(value):
        require_type(f"{attribute.name}[{i}]", minutes, int, "an int")
    low, high = value
    if not 0 < low <= high <= MAX_MINUTES:
        raise InvalidValue(
            f"{attribute.name!r} must satisfy 0 < min <= max <= {MAX_MINUTES} (got {value!r})"
        )


#: The most days any tolerance of a `Programme` may name (a year).
MAX_TOLERANCE_DAYS = 366
#: The most sessions any count of a `Programme` may name (36 months of daily sessions).
MAX_SESSIONS = 36 * 31

_days = Integer(0, MAX_TOLERANCE_DAYS)
_some_days = Integer(1, MAX_TOLERANCE_DAYS)
_count = Integer(0, MAX_SESSIONS)


@attrs.frozen(weakref_slot=False)
class Programme:
    """The shape of a coaching series and the tolerances its rules judge by.

    ``Programme(months=6)`` alone is the standard process: about two sessions a
    month of 60-90 minutes, with a midpoint review. Every tolerance below has a
    default that fits the method; `Engagement.check` documents how each is used.
    """

    months: int = attrs.field(validator=Integer(1, MAX_MONTHS))
    """The length of the series in calendar months, 1..36 (3, 6 and 12 are the method's)."""
    sessions_per_month: int = attrs.field(default=2, validator=Integer(1, 31))
    """The cadence: sessions a month, 1..31 (about 2 in the method)."""
    session_minutes: tuple[int, int] = attrs.field(
        default=(60, 90), converter=to_tuple, validator=_minutes_range
    )
    """The normal length of a session as ``(min, max)`` minutes (the method's 60-90)."""
    midpoint_review: bool | None = attrs.field(default=None, validator=OptionalBool())
    """Whether a midpoint review is held: None (the method's "often") expects one in a
    series of six months or more without requiring it; True requires one (closing is
    refused without it); False plans none."""
    behind_tolerance: int = attrs.field(default=1, validator=_count)
    """``cadence.behind``: how many sessions short of the pace are tolerated (0..1116)."""
    gap_days: int | None = attrs.field(default=None, validator=Optional(_some_days))
    """``cadence.gap``: most days without a session (1..366); None = twice the planned
    interval."""
    bunching_window_days: int = attrs.field(default=7, validator=_some_days)
    """``cadence.bunched``: the length of the sliding window, in days (1..366)."""
    bunching_limit: int | None = attrs.field(
        default=None, validator=Optional(Integer(1, MAX_SESSIONS))
    )
    """``cadence.bunched``: most sessions in one window (1..1116); None = derived from
    the cadence."""
    midpoint_tolerance_days: int = attrs.field(default=21, validator=_days)
    """``midpoint.*``: how far from the middle the review may begin (0..366 days)."""
    overrun_tolerance_days: int = attrs.field(default=0, validator=_days)
    """``length.overrun``: days past the end before it counts as an overrun (0..366)."""
    follow_up_within_days: int = attrs.field(default=30, validator=_days)
    """The three-party follow-up is due this many days after closing (0..366)."""
    sessions: int | None = attrs.field(default=None, validator=Optional(Integer(1, MAX_SESSIONS)))
    """The sessions allotted (bought), 1..1116; None = ``months * sessions_per_month``
    (then an extension allots more). See `Engagement.allocation`."""
    cancellation_notice_hours: int = attrs.field(
        default=24, validator=Integer(0, 24 * MAX_TOLERANCE_DAYS)
    )
    """A cancellation made less than this many hours before the booked start is late
    (``session.late_cancellation``): 0..8784, real hours, so a DST change counts."""
    late_cancellation_counts: bool = attrs.field(default=True, validator=Bool())
    """Whether a late cancellation by the client uses up an allotted session (a no-show
    always does)."""

    @property
    def allotted(self) -> int:
        """The resolved ``sessions``: the sessions allotted to the engagement."""
        if self.sessions is not None:
            return self.sessions
        return self.months * self.sessions_per_month

    @property
    def requires_midpoint_review(self) -> bool:
        """Whether a midpoint review must precede closing: only when ``midpoint_review``
        is True (the organisation made it mandatory)."""
        return self.midpoint_review is True

    @property
    def expects_midpoint_review(self) -> bool:
        """Whether a midpoint review is planned and expected: when required, and by
        default in a series of six months or more (the method: "often")."""
        if self.midpoint_review is None:
            return self.months >= 6
        return self.midpoint_review

    @property
    def interval_days(self) -> float:
        """The planned mean number of days between sessions: the series' months (in days
        of 30.4375) over the sessions allotted, which is ``30.4375 / sessions_per_month``
        unless ``sessions`` names another allotment."""
        return DAYS_PER_MONTH * self.months / self.allotted

    @property
    def max_gap_days(self) -> int:
        """The resolved ``gap_days``: ``floor(2 * interval_days)`` unless set."""
        if self.gap_days is not None:
            return self.gap_days
        return math.floor(2 * self.interval_days)

    @property
    def max_sessions_in_window(self) -> int:
        """The resolved ``bunching_limit``.

        Unless set: ``max(2, ceil(2 * window / interval_days))``, twice the cadence's
        share of the window (``sessions_per_month`` a month unless ``sessions`` says
        otherwise), and never below 2.
        """
        if self.bunching_limit is not None:
            return self.bunching_limit
        share = self.bunching_window_days / self.interval_days
        return max(2, math.ceil(2 * share))


#: The longest agreed break, in days (a quarter of a year).
MAX_BREAK_DAYS = 92


@attrs.frozen(weakref_slot=False)
class Break:
    """An agreed break in the sessions (a summer, a holiday season): no session is
    planned in it and the cadence rules do not count its days, but unlike a pause it
    does not move the end of the series.

    ``start`` and ``end`` are both days of the break (``Break(date(2027, 7, 1),
    date(2027, 7, 31))`` is July), at most 92 days in all.
    """

    start: dt.date = attrs.field(validator=date)
    """The first day of the break."""
    end: dt.date = attrs.field(validator=date)
    """The last day of the break."""

    @end.validator
    def _after_start(self, attribute: Any, value: dt.date) -> None:
        if value < self.start:
            raise InvalidTime(
                f"'end' must not be before 'start' {self.start.isoformat()} "
                f"(got {value.isoformat()})"
            )
        if (value - self.start).days + 1 > MAX_BREAK_DAYS:
            raise InvalidValue(
                f"a break may last at most {MAX_BREAK_DAYS} days "
                f"(got {(value - self.start).days + 1}, {self.start} to {value})"
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def _breaks_fit(inst: Any, attribute: Any, value: tuple[Break, ...]) -> None:
    """Breaks in order, not overlapping, inside the series as agreed."""
    if value == ():
        return  # no break: nothing to place (most agreements)
    Items(Break, "a Break")(inst, attribute, value)
    last = add_months(inst.start, inst.programme.months) - dt.timedelta(days=1)
    previous: Break | None = None
    for i, item in enumerate(value):
        if item.start < inst.start or item.end > last:
            raise InvalidValue(
                f"'breaks[{i}]' must lie within the series, {inst.start} to {last} "
                f"(got {item.start} to {item.end})"
            )
        if previous is not None and item.start <= previous.end:
            raise InvalidValue(
                f"'breaks[{i}]' must begin after the break before it ends, {previous.end} "
                f"(got {item.start}): breaks are given in order and do not overlap"
            )
        previous = item


@json_schema({"contains": {"const": "coach"}})
def _coach_signs(_inst: object, attribute: Any, value: frozenset[Role]) -> None:
    if Role.COACH not in value:
        got = sorted(role.value for role in value)
        raise InvalidValue(f"{attribute.name!r} must include Role.COACH (got {got})")


def _unique_goal_ids(_inst: object, attribute: Any, value: tuple[Goal, ...]) -> None:
    Unique(lambda g: g.id, "goal ids")(_inst, attribute, value)


@attrs.frozen(weakref_slot=False)
class Agreement:
    """The coaching agreement made at the start-up meeting."""

    programme: Programme = attrs.field(validator=Instance(Programme))
    """The shape of the series: its months, cadence, session length and tolerances."""
    start: dt.date = attrs.field(validator=date)
    """The day the series of sessions begins."""
    goals: tuple[Goal, ...] = attrs.field(
        converter=to_tuple,
        validator=[Items(Goal, "a Goal", min_len=1), _unique_goal_ids],
    )
    """The goals of the coaching, at least one, with unique ids."""
    modes: frozenset[Mode] = attrs.field(
        converter=to_frozenset, validator=Items(Mode, "a Mode", min_len=1)
    )
    """How sessions may be held: in person, by phone, digitally (at least one)."""
    practicalities: str = attrs.field(
        default="", validator=Text(empty=True), metadata=visible_to(Visibility.CLIENT)
    )
    """The practical matters agreed: when, where and how sessions take place."""
    expectations: str = attrs.field(
        default="", validator=Text(empty=True), metadata=visible_to(Visibility.CLIENT)
    )
    """What coach and client may expect of each other."""
    three_party_follow_up: bool = attrs.field(default=False, validator=Bool())
    """Whether a three-party follow-up with the client's manager (the sponsor) ends the
    engagement."""
    time_zone: str | None = attrs.field(default=None, validator=Zone(), metadata=NOT_PERSONAL)
    """The IANA zone the engagement lives in (``"Europe/Stockholm"``): every calendar
    day coachflow derives is taken in it. None asks `Engagement.agree` to record the
    zone of its ``at`` (a `zoneinfo.ZoneInfo`'s key, else ``"UTC"``)."""
    rhythm: str | None = attrs.field(default=None, validator=RRule(), metadata=NOT_PERSONAL)
    """The agreed rhythm of sessions as an RFC 5545 RRULE, read in `time_zone` from
    ``start`` on: ``"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9"`` is every other Monday
    at nine. `Engagement.plan` follows it. At most daily; ``UNTIL`` is local, or UTC
    (``...Z``)."""
    sponsor_sees: frozenset[str] = attrs.field(
        factory=frozenset,
        converter=to_frozenset,
        validator=Choices(CONSENTS),
        metadata=NOT_PERSONAL,
    )
    """What the client consents to show the sponsor, a subset of ``{"goals",
    "attainment", "action_plan"}`` (default: nothing). Phases, dates and session counts
    are always visible to every party; see `Engagement.seen_by`."""
    breaks: tuple[Break, ...] = attrs.field(default=(), converter=to_tuple, validator=_breaks_fit)
    """The agreed breaks, in order, not overlapping, inside the series (a Swedish July):
    see `Break`."""
    signatories: frozenset[Role] = attrs.field(
        default=frozenset({Role.COACH}),
        converter=to_frozenset,
        validator=[Items(Role, "a Role", min_len=1), _coach_signs],
    )
    """Who signs the agreement: the coach always (`Engagement.agree` is the coach's
    signature), and the client, and the sponsor in a three-way contract. While one has
    not signed (`Engagement.sign_agreement`), the engagement stays in
    `Phase.AGREEMENT`."""


@attrs.frozen(weakref_slot=False)
class ReformulateGoal:
    """A midpoint revision: a goal keeps its id and gets a new statement."""

    goal_id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """The goal reformulated."""
    statement: str = attrs.field(validator=Text(), metadata=_GOALS)
    """The goal's new statement."""


@attrs.frozen(weakref_slot=False)
class AddGoal:
    """A midpoint revision: a new goal supplements the agreement."""

    goal: Goal = attrs.field(validator=Instance(Goal))
    """The new goal; its id must be new to the engagement."""
