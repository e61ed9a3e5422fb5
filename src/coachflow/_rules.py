"""The process rules: pure functions ``(engagement, today) -> findings``.

Each rule judges, never blocks: a session that really happened is recorded and
shows up here. A rule sees only the sessions held on or before ``today``. Days
are calendar days in the engagement's time zone (`Engagement.day_of`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from coachflow import _schedule
from coachflow._calendar import day_of
from coachflow._i18n import N_, t
from coachflow._model import DAYS_PER_MONTH, Finding, Phase, Session, Severity

if TYPE_CHECKING:
    from coachflow._fold import Fold

__all__ = ["CODES", "RULES", "check"]

Rule = Callable[["Fold", dt.date, list[Session], list[dt.date]], Iterator[Finding]]
"""``rule(fold, today, held, days)``: *held* are the sessions held by *today*, in
order, and *days* their days in the engagement's zone (computed once, on recording)."""

_RUNNING = (Phase.ACTIVE, Phase.MIDPOINT_REVIEW)

#: The parties' roles as messages name them.
ROLE_NAMES = {"coach": N_("coach"), "client": N_("client"), "sponsor": N_("sponsor")}
#: What an agreement may leave open, as `agreement.incomplete` names it.
MISSING_NAMES = {"practicalities": N_("practicalities"), "expectations": N_("expectations")}


def cadence_behind(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``cadence.behind`` (warning): fewer sessions by now than the cadence implies.

    Judged while `Phase.ACTIVE` or `Phase.MIDPOINT_REVIEW`, from ``start`` on.
    ``active_days`` = days from ``start`` to the earlier of ``today`` and ``end``,
    less the days of finished pauses (never below 0); ``expected`` =
    ``floor(sessions_per_month * active_days / 30.4375)``; ``held`` = sessions held
    from ``start`` to ``today``. Raised when ``expected - held > behind_tolerance``
    (default 1, i.e. two or more sessions short).
    """
    programme, start, end = fold._programme, fold.start, fold.end
    assert programme is not None and start is not None and end is not None
    if fold._phase not in _RUNNING or today < start:
        return
    pause_days = sum((resumed - paused).days for paused, resumed in fold._pauses)
    active_days = max(0, (min(today, end) - start).days - pause_days)
    expected = math.floor(programme.sessions_per_month * active_days / DAYS_PER_MONTH)
    count = len(held)
    if expected - count > programme.behind_tolerance:
        yield Finding(
            "cadence.behind",
            Severity.WARNING,
            t(
                "{held} session(s) held by {today}; the cadence implies {expected} "
                "(tolerance {tolerance})",
                held=count,
                today=today.isoformat(),
                expected=expected,
                tolerance=programme.behind_tolerance,
            ),
            today,
            {"held": count, "expected": expected, "tolerance": programme.behind_tolerance},
        )


def cadence_gap(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``cadence.gap`` (warning): too long without a session while sessions run.

    Judged while `Phase.ACTIVE` or `Phase.MIDPOINT_REVIEW`. ``since`` = the latest
    of ``start``, the last resume and the last session held; raised when
    ``today - since`` exceeds ``Programme.max_gap_days`` (default: twice the
    planned interval, floored: 30 days at 2 sessions a month).
    """
    programme, start = fold._programme, fold.start
    assert programme is not None and start is not None
    if fold._phase not in _RUNNING:
        return
    since = max([start, *(resumed for _, resumed in fold._pauses[-1:])])
    since = max(since, max(days, default=since))
    gap = (today - since).days
    if gap > programme.max_gap_days:
        yield Finding(
            "cadence.gap",
            Severity.WARNING,
            t(
                "no session for {days} days since {since} (at most {limit} expected)",
                days=gap,
                since=since.isoformat(),
                limit=programme.max_gap_days,
            ),
            today,
            {"days": gap, "since": since.isoformat(), "limit": programme.max_gap_days},
        )


def cadence_bunched(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``cadence.bunched`` (info): far more sessions in a short window than the cadence.

    For each session, count the sessions held in the ``bunching_window_days``
    (default 7) days ending on its day. Raised once per burst, on the first
    session whose count exceeds ``Programme.max_sessions_in_window`` (default
    ``max(2, ceil(2 * sessions_per_month * window / 30.4375))``: 2 at 2 a month),
    and again only after a window that is back within the limit.
    """
    programme = fold._programme
    assert programme is not None
    window, limit = programme.bunching_window_days, programme.max_sessions_in_window
    if len(days) <= limit:
        return  # too few sessions to exceed the limit anywhere
    ordered = sorted(days)
    first, bursting = 0, False
    for i, day in enumerate(ordered):
        while (day - ordered[first]).days >= window:
            first += 1
        count = i - first + 1
        if count > limit and not bursting:
            yield Finding(
                "cadence.bunched",
                Severity.INFO,
                t(
                    "{count} sessions within {window} days up to {day} (at most {limit} expected)",
                    count=count,
                    window=window,
                    day=day.isoformat(),
                    limit=limit,
                ),
                day,
                {"count": count, "window_days": window, "limit": limit},
            )
        bursting = count > limit


def session_duration(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``session.duration`` (info): a session shorter or longer than ``session_minutes``.

    Sessions may be shorter or longer than the normal 60-90 minutes; each one
    outside ``Programme.session_minutes`` is noted on its day.
    """
    programme = fold._programme
    assert programme is not None
    low, high = programme.session_minutes
    for session, day in zip(held, days, strict=True):
        if not low <= session.minutes <= high:
            yield Finding(
                "session.duration",
                Severity.INFO,
                t(
                    "a {minutes}-minute session (normally {min}-{max})",
                    minutes=session.minutes,
                    min=low,
                    max=high,
                ),
                day,
                {"minutes": session.minutes, "min": low, "max": high},
            )


def session_mode(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``session.mode`` (warning): a session held in a mode the agreement does not name."""
    agreement = fold._agreement
    assert agreement is not None
    agreed = sorted(mode.value for mode in agreement.modes)
    for session, day in zip(held, days, strict=True):
        if session.mode not in agreement.modes:
            yield Finding(
                "session.mode",
                Severity.WARNING,
                t(
                    "a session held {mode!r}, not an agreed mode ({agreed})",
                    mode=session.mode.value,
                    agreed=agreed,
                ),
                day,
                {"mode": session.mode.value, "agreed": agreed},
            )


def midpoint_missing(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``midpoint.missing`` (error): a required midpoint review is well overdue.

    Judged while `Phase.ACTIVE` or `Phase.PAUSED` when the programme requires a
    midpoint review and none has been completed: raised when ``today`` is more
    than ``midpoint_tolerance_days`` (default 21) after the planned midpoint.
    (`Engagement.begin_closing` refuses with this code too.)
    """
    programme = fold._programme
    assert programme is not None
    if fold._phase not in (Phase.ACTIVE, Phase.PAUSED):
        return
    if not programme.requires_midpoint_review or fold._midpoint_done:
        return
    planned = _schedule.midpoint(fold)
    late = (today - planned).days
    if late > programme.midpoint_tolerance_days:
        yield Finding(
            "midpoint.missing",
            Severity.ERROR,
            t(
                "the midpoint review was planned for {planned}, {days} days ago, "
                "and has not been held",
                planned=planned.isoformat(),
                days=late,
            ),
            today,
            {"planned": planned.isoformat(), "days_late": late},
        )


def midpoint_timing(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``midpoint.timing`` (info): a midpoint review begun far from the middle.

    For each midpoint review begun by ``today``: raised when its day differs
    from the midpoint planned at that moment by more than
    ``midpoint_tolerance_days`` (default 21).
    """
    programme = fold._programme
    assert programme is not None
    for begun_at, planned in fold._midpoint_reviews:
        begun = day_of(begun_at, fold._zone)
        off = (begun - planned).days
        if begun <= today and abs(off) > programme.midpoint_tolerance_days:
            yield Finding(
                "midpoint.timing",
                Severity.INFO,
                t(
                    N_("the midpoint review began {days} days after the middle ({planned})")
                    if off > 0
                    else N_("the midpoint review began {days} days before the middle ({planned})"),
                    days=abs(off),
                    planned=planned.isoformat(),
                ),
                begun,
                {"planned": planned.isoformat(), "days_off": off},
            )


def length_overrun(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``length.overrun`` (warning): past ``end`` and not yet closing.

    Judged while `Phase.ACTIVE` or `Phase.MIDPOINT_REVIEW`: raised when ``today``
    is more than ``overrun_tolerance_days`` (default 0) after ``end``.
    """
    programme, end = fold._programme, fold.end
    assert programme is not None and end is not None
    over = (today - end).days
    if fold._phase in _RUNNING and over > programme.overrun_tolerance_days:
        yield Finding(
            "length.overrun",
            Severity.WARNING,
            t(
                "the series ended on {end}, {days} days ago, and closing has not begun",
                end=end.isoformat(),
                days=over,
            ),
            today,
            {"end": end.isoformat(), "days_over": over},
        )


def homework_unreviewed(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``homework.unreviewed`` (info): an assignment no later session followed up.

    For each assignment given in a session: raised, on that session's day, when
    a session held later (a later ``held_at``) exists but none of the later
    sessions lists the assignment's id in ``reviewed``.
    """
    found: list[Finding] = []
    reviewed_later: set[str] = set()  # by the sessions after the group being walked
    group_at: dt.datetime | None = None  # sessions held at one instant form a group
    group_reviewed: list[str] = []
    for index in range(len(held) - 1, -1, -1):
        session, day = held[index], days[index]
        # held_at has a fixed offset: Python compares it by instant
        if group_at is None or session.held_at != group_at:
            reviewed_later.update(group_reviewed)
            group_reviewed = []
            later_exists, group_at = group_at is not None, session.held_at
        if later_exists:
            for assignment in reversed(session.homework):
                if assignment.id not in reviewed_later:
                    found.append(_unreviewed(day, assignment.id))
        group_reviewed += session.reviewed
    yield from reversed(found)


def _unreviewed(day: dt.date, assignment_id: str) -> Finding:
    return Finding(
        "homework.unreviewed",
        Severity.INFO,
        t(
            "assignment {assignment_id!r} from {day} was not followed up in a later session",
            assignment_id=assignment_id,
            day=day.isoformat(),
        ),
        day,
        {"assignment_id": assignment_id},
    )


def homework_unknown(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``homework.unknown`` (warning): a session follows up an assignment never given.

    For every id in a session's ``reviewed``: raised, on that session's day, when no
    session held before it (an earlier ``held_at``) gave an assignment with that id.
    """
    given: set[str] = set()
    group_at: dt.datetime | None = None  # sessions held at one instant are not earlier
    group_given: list[str] = []
    for session, day in zip(held, days, strict=True):
        if session.held_at != group_at:  # fixed offsets: compared by instant
            given.update(group_given)
            group_given, group_at = [], session.held_at
        for assignment_id in session.reviewed:
            if assignment_id not in given:
                yield Finding(
                    "homework.unknown",
                    Severity.WARNING,
                    t(
                        "assignment {assignment_id!r} was followed up on {day} but no "
                        "earlier session gave it",
                        assignment_id=assignment_id,
                        day=day.isoformat(),
                    ),
                    day,
                    {"assignment_id": assignment_id},
                )
        group_given += [assignment.id for assignment in session.homework]


def session_duplicate(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``session.duplicate`` (warning): two sessions held at the same moment.

    Most likely one session recorded twice. Raised, on its day, for every session
    held at the same instant as the session before it (in the order held).
    """
    previous: Session | None = None
    for session, day in zip(held, days, strict=True):
        if previous is not None and session.held_at == previous.held_at:
            yield Finding(
                "session.duplicate",
                Severity.WARNING,
                t(
                    "two sessions held at {held_at}: the same session recorded twice?",
                    held_at=session.held_at.isoformat(),
                ),
                day,
                {"held_at": session.held_at.isoformat()},
            )
        previous = session


def closing_early(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``closing.early`` (warning): the closing began before the middle of the series.

    Raised, on the day the closing began (once that day is not after ``today``), when
    it is before the midpoint as planned at that moment: half the series' active days
    after ``start``, moved by pauses. A shortened series (`Engagement.extend` with
    negative months) is judged by its new length.
    """
    begun = fold._closing_begun
    if begun is None:
        return
    at, middle = begun
    on = day_of(at, fold._zone)
    if on <= today and on < middle:
        yield Finding(
            "closing.early",
            Severity.WARNING,
            t(
                "the closing began on {day}, before the middle of the series ({middle})",
                day=on.isoformat(),
                middle=middle.isoformat(),
            ),
            on,
            {"middle": middle.isoformat(), "days_early": (middle - on).days},
        )


def follow_up_coach_absent(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``follow_up.coach_absent`` (warning): the three-party follow-up without the coach.

    Raised, on the day of the follow-up, when its participants omit the coach (the
    client and the sponsor must attend: without them the command is refused).
    """
    follow_up = fold._follow_up
    if follow_up is None:
        return
    on = day_of(follow_up.at, fold._zone)
    if on <= today and fold._coach.id not in follow_up.participants:
        yield Finding(
            "follow_up.coach_absent",
            Severity.WARNING,
            t(
                "the three-party follow-up on {day} was held without the coach "
                "(participants: {participants})",
                day=on.isoformat(),
                participants=", ".join(follow_up.participants),
            ),
            on,
            {"participants": list(follow_up.participants)},
        )


def booking_unconfirmed(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``booking.unconfirmed`` (warning): a booking whose time has passed unsettled.

    Raised, on the booking's day, for each open booking (no session recorded with its
    id, no cancellation, no no-show) whose day in the engagement's zone is before
    ``today``. Once the engagement has ended, only for bookings that began before
    it ended. The next action ``booking.confirm`` asks for the same.
    """
    for day, booking in _schedule.unconfirmed(fold, today):
        yield Finding(
            "booking.unconfirmed",
            Severity.WARNING,
            t(
                "booking {booking_id!r} of {starts_at} has passed with no session, "
                "cancellation or no-show recorded",
                booking_id=booking.id,
                starts_at=booking.starts_at.isoformat(),
            ),
            day,
            {"booking_id": booking.id, "starts_at": booking.starts_at.isoformat()},
        )


def session_no_show(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``session.no_show`` (warning): the client did not turn up for a booked session.

    Raised, on the booking's day, for each no-show recorded whose day is not after
    ``today``. A no-show always uses up an allotted session (`Engagement.allocation`).
    """
    for booking in fold._no_shows:
        day = day_of(booking.starts_at, fold._zone)
        if day <= today:
            yield Finding(
                "session.no_show",
                Severity.WARNING,
                t(
                    "the client did not turn up for booking {booking_id!r} of {starts_at}",
                    booking_id=booking.id,
                    starts_at=booking.starts_at.isoformat(),
                ),
                day,
                {"booking_id": booking.id, "starts_at": booking.starts_at.isoformat()},
            )


def session_late_cancellation(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``session.late_cancellation`` (info): a booking cancelled at short notice.

    Raised, on the day of the cancellation (not after ``today``), for each booking
    cancelled less than ``Programme.cancellation_notice_hours`` (default 24) real
    hours before its start (or after it). ``params["forfeits"]`` says whether it used
    up a session: when made by the client and ``late_cancellation_counts`` (default
    true).
    """
    programme = fold._programme
    assert programme is not None
    for booking, event, late, forfeits in fold._cancellations:
        day = day_of(event.at, fold._zone)
        if late and day <= today:
            hours = round((booking.starts_at - event.at).total_seconds() / 3600, 2)
            role = fold._parties[event.by].role.value
            yield Finding(
                "session.late_cancellation",
                Severity.INFO,
                t(
                    N_(
                        "booking {booking_id!r} of {starts_at} was cancelled by the {role} "
                        "{hours:g} hours before (notice: {notice} hours); it uses up a session"
                    )
                    if forfeits
                    else N_(
                        "booking {booking_id!r} of {starts_at} was cancelled by the {role} "
                        "{hours:g} hours before (notice: {notice} hours)"
                    ),
                    booking_id=booking.id,
                    starts_at=booking.starts_at.isoformat(),
                    role=t(ROLE_NAMES[role]),
                    hours=hours,
                    notice=programme.cancellation_notice_hours,
                ),
                day,
                {
                    "booking_id": booking.id,
                    "hours_notice": hours,
                    "notice_hours": programme.cancellation_notice_hours,
                    "by": role,
                    "forfeits": forfeits,
                },
            )


def allocation_exceeded(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``allocation.exceeded`` (warning): more sessions used than were bought.

    Judged when the programme names its allotment (`Programme.sessions`, a package
    that was bought); without one the allotment is only the cadence's estimate
    (a fortnightly rhythm holds 13 sessions in six months) and the cadence rules
    judge the pace instead. The uses by ``today`` are the sessions held and the
    forfeits (no-shows, on the booking's day; late cancellations that use a session,
    on their day). Raised once, on the day of the first use beyond the allotment.
    """
    programme = fold._programme
    assert programme is not None
    if programme.sessions is None:
        return
    allotted, zone = programme.sessions, fold._zone
    forfeits = [day_of(booking.starts_at, zone) for booking in fold._no_shows]
    forfeits += [day_of(c.event.at, zone) for c in fold._cancellations if c.forfeits]
    forfeits = [day for day in forfeits if day <= today]
    used = len(days) + len(forfeits)
    if used > allotted:
        over = sorted(days + forfeits)[allotted]
        yield Finding(
            "allocation.exceeded",
            Severity.WARNING,
            t(
                "{used} sessions used ({held} held, {forfeited} forfeited) of {allotted} allotted",
                used=used,
                held=len(days),
                forfeited=len(forfeits),
                allotted=allotted,
            ),
            over,
            {
                "allotted": allotted,
                "used": used,
                "held": len(days),
                "forfeited": len(forfeits),
            },
        )


def agreement_incomplete(
    fold: Fold, today: dt.date, held: list[Session], days: list[dt.date]
) -> Iterator[Finding]:
    """``agreement.incomplete`` (info): the start-up meeting left part of the agreement open.

    A coaching agreement states the practical matters, the mutual expectations, and how
    each goal will be measured (the ICF's "coaching agreement" competency). Raised once,
    on the day of the agreement, when its ``practicalities`` or ``expectations`` is blank
    or one of its goals has no ``measure``: what the start-up meeting left open (goals
    added at the midpoint review are not judged). Judged, never refused.
    """
    agreement = fold._agreement
    assert agreement is not None
    missing = [
        name
        for name, text in (
            ("practicalities", agreement.practicalities),
            ("expectations", agreement.expectations),
        )
        if not text.strip()
    ]
    unmeasured = [goal.id for goal in agreement.goals if not goal.measure.strip()]
    if not missing and not unmeasured:
        return
    on = day_of(fold._events[1].at, fold._zone)  # the agreement follows the opening
    if on > today:
        return
    parts = [t(MISSING_NAMES[name]) for name in missing]
    if unmeasured:
        parts.append(t("a measure for goal(s) {goals}", goals=", ".join(unmeasured)))
    yield Finding(
        "agreement.incomplete",
        Severity.INFO,
        t("the coaching agreement does not yet state {parts}", parts=t(" and ").join(parts)),
        on,
        {"missing": missing, "goals_without_measure": unmeasured},
    )


RULES: tuple[Rule, ...] = (
    cadence_behind,
    cadence_gap,
    cadence_bunched,
    session_duration,
    session_mode,
    midpoint_missing,
    midpoint_timing,
    length_overrun,
    homework_unreviewed,
    homework_unknown,
    session_duplicate,
    closing_early,
    follow_up_coach_absent,
    agreement_incomplete,
    booking_unconfirmed,
    session_no_show,
    session_late_cancellation,
    allocation_exceeded,
)
"""Every rule, in the order `check` reports them."""

#: Every code the built-in rules report, with its severity.
CODES: dict[str, Severity] = {
    "cadence.behind": Severity.WARNING,
    "cadence.gap": Severity.WARNING,
    "cadence.bunched": Severity.INFO,
    "session.duration": Severity.INFO,
    "session.mode": Severity.WARNING,
    "midpoint.missing": Severity.ERROR,
    "midpoint.timing": Severity.INFO,
    "length.overrun": Severity.WARNING,
    "homework.unreviewed": Severity.INFO,
    "homework.unknown": Severity.WARNING,
    "session.duplicate": Severity.WARNING,
    "closing.early": Severity.WARNING,
    "follow_up.coach_absent": Severity.WARNING,
    "agreement.incomplete": Severity.INFO,
    "booking.unconfirmed": Severity.WARNING,
    "session.no_show": Severity.WARNING,
    "session.late_cancellation": Severity.INFO,
    "allocation.exceeded": Severity.WARNING,
}


def check(fold: Fold, today: dt.date) -> tuple[Finding, ...]:
    """Judge every rule as of *today* (nothing before the agreement)."""
    if fold._agreement is None:
        return ()
    # sessions are in the order of their instants, so their days never decrease
    days = fold._days()
    count = len(days) if not days or days[-1] <= today else bisect.bisect_right(days, today)
    held, days = fold._sessions[:count], days[:count]
    return tuple(finding for rule in RULES for finding in rule(fold, today, held, days))
