"""The cadence rules: "about two sessions a month", neither too few nor bunched."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from coachflow._engine.state import State
from coachflow._rules.registry import Found, rule
from coachflow._values.enums import Phase, Severity
from coachflow._values.i18n import t, tn
from coachflow._values.sessions import Session
from coachflow._values.wording import date_words, days_words, sessions_words

__all__ = ["RUNNING", "break_days"]

#: The phases in which sessions are expected to run.
RUNNING = (Phase.ACTIVE, Phase.MIDPOINT_REVIEW)


def break_days(state: State, first: dt.date, last: dt.date) -> int:
    """How many days from *first* to *last* (both included) lie in an agreed break."""
    agreement = state.agreement
    assert agreement is not None
    total = 0
    for item in agreement.breaks:
        overlap = (min(item.end, last) - max(item.start, first)).days + 1
        total += max(0, overlap)
    return total


@rule(
    "cadence.behind",
    Severity.WARNING,
    judged_in="active, midpoint review",
    raised_when="`expected - held > behind_tolerance`",
    tolerance="`behind_tolerance` (1)",
)
def cadence_behind(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """`active_days` is the number of days from `start` to the earlier of `today` and `end`,
    less the days of finished pauses and of agreed breaks (never below 0), and
    `series_days` the same for the whole series, to `end`. `expected` is
    `floor(allotted * active_days / series_days)`, the allotment's pace (about
    `sessions_per_month` a month unless `Programme.sessions` bought another number);
    `held` is the number of sessions held from `start` to `today`. Raised on `today` when
    `expected - held > behind_tolerance`. With the defaults that means two or more
    sessions short of the pace: after 46 days of a six-month series three sessions are
    expected, so one session held is a finding and two are not.
    `params`: `held`, `expected`, `tolerance`.
    """
    programme, start, end = state.programme, state.start, state.end
    assert programme is not None and start is not None and end is not None
    if state.phase not in RUNNING or today < start:
        return
    pause_days = sum((resumed - paused).days for paused, resumed in state.pauses)
    upto = min(today, end)
    rest = break_days(state, start, upto - dt.timedelta(days=1))
    active_days = max(0, (upto - start).days - pause_days - rest)
    whole = break_days(state, start, end - dt.timedelta(days=1))
    series_days = max(1, (end - start).days - pause_days - whole)
    expected = math.floor(programme.allotted * active_days / series_days)
    count = len(held)
    if expected - count > programme.behind_tolerance:
        yield (
            today,
            tn(
                "{n} session held by {today}; the cadence implies {expected} "
                "(tolerance {tolerance})",
                "{n} sessions held by {today}; the cadence implies {expected} "
                "(tolerance {tolerance})",
                count,
                today=date_words(today),
                expected=expected,
                tolerance=programme.behind_tolerance,
            ),
            {"held": count, "expected": expected, "tolerance": programme.behind_tolerance},
        )


@rule(
    "cadence.gap",
    Severity.WARNING,
    judged_in="active, midpoint review",
    raised_when="days since the last session, resume or start `> max_gap_days`",
    tolerance="`gap_days` (30 at 2 a month)",
)
def cadence_gap(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """`since` is the latest of `start`, the day of the last resume, and the day of the
    last session held by `today`; the gap is the days from `since` to `today`, less the
    days of agreed breaks between them. Raised on `today` when the gap is more than
    `Programme.max_gap_days`: `gap_days` if set, else
    `floor(2 * 30.4375 / sessions_per_month)`, twice the planned interval (30 days at two
    sessions a month, 60 at one). `params`: `days`, `since`, `limit`.
    """
    programme, start = state.programme, state.start
    assert programme is not None and start is not None
    if state.phase not in RUNNING:
        return
    since = max([start, *(resumed for _, resumed in state.pauses[-1:])])
    since = max(since, max(days, default=since))
    gap = (today - since).days - break_days(state, since + dt.timedelta(days=1), today)
    if gap > programme.max_gap_days:
        yield (
            today,
            t(
                "no session for {days} since {since} (at most {limit} expected)",
                days=days_words(gap),
                since=date_words(since),
                limit=programme.max_gap_days,
            ),
            {"days": gap, "since": since.isoformat(), "limit": programme.max_gap_days},
        )


@rule(
    "cadence.bunched",
    Severity.INFO,
    raised_when="more than `max_sessions_in_window` sessions in `bunching_window_days`",
    tolerance="window 7 days, limit 2 at 2 a month",
)
def cadence_bunched(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """For every session, count the sessions held in the `bunching_window_days` days ending
    on its day (default 7). Raised, on that session's day, for the first session whose
    count exceeds `Programme.max_sessions_in_window` (`bunching_limit` if set, else
    `max(2, ceil(2 * sessions_per_month * window / 30.4375))`, which is 2 at two sessions a
    month), and raised again only after a window that is back within the limit: one
    finding per burst. `params`: `count`, `window_days`, `limit`.
    """
    programme = state.programme
    assert programme is not None
    window, limit = programme.bunching_window_days, programme.max_sessions_in_window
    if len(days) <= limit:
        return  # too few sessions to exceed the limit anywhere
    first, bursting = 0, False
    for i, day in enumerate(days):  # days never decrease
        while (day - days[first]).days >= window:
            first += 1
        count = i - first + 1
        if count > limit and not bursting:
            yield (
                day,
                t(
                    "{count} within {window} up to {day} (at most {limit} expected)",
                    count=sessions_words(count),
                    window=days_words(window),
                    day=date_words(day),
                    limit=limit,
                ),
                {"count": count, "window_days": window, "limit": limit},
            )
        bursting = count > limit
