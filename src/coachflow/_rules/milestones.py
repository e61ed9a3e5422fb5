"""The rules of the process's milestones: the agreement, the midpoint review, the
length of the series, the closing and the three-party follow-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from coachflow._engine.state import State
from coachflow._rules.cadence import RUNNING
from coachflow._rules.registry import Found, rule
from coachflow._values.enums import Phase, Severity
from coachflow._values.i18n import N_, t, tn
from coachflow._values.sessions import Session
from coachflow._values.wording import date_words, days_words, list_words

__all__ = ["MISSING_NAMES"]

#: What an agreement may leave open, as `agreement.incomplete` names it.
MISSING_NAMES = {"practicalities": N_("practicalities"), "expectations": N_("expectations")}


@rule(
    "midpoint.missing",
    Severity.WARNING,
    judged_in="active, paused",
    raised_when="expected, not completed, `today` more than the tolerance past the middle "
    "(an error where the programme requires it)",
    tolerance="`midpoint_tolerance_days` (21)",
)
def midpoint_missing(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """The method says a midpoint review is "often" held in longer series. Judged while
    active or paused, when the programme expects a midpoint review
    (`Programme.expects_midpoint_review`: from six months on unless `midpoint_review`
    says otherwise) and none has been completed. Raised on `today` when `today` is more
    than `midpoint_tolerance_days` after the middle of the series (`Engagement.middle`).
    A **warning**; an **error** where the organisation made the review mandatory
    (`Programme(midpoint_review=True)`), and then
    [`begin_closing`][coachflow.Engagement.begin_closing] refuses with a `RuleViolation`
    carrying this code, whatever the day. Not raised while the review is under way.
    `params`: `planned`, `days_late`, `required`.
    """
    programme, planned = state.programme, state.middle
    assert programme is not None and planned is not None
    if state.phase not in (Phase.ACTIVE, Phase.PAUSED):
        return
    if not programme.expects_midpoint_review or state.midpoint_reviewed:
        return
    late = (today - planned).days
    if late > programme.midpoint_tolerance_days:
        yield (
            today,
            t(
                "the midpoint review was planned for {planned}, {days} ago, and has not been held",
                planned=date_words(planned),
                days=days_words(late),
            ),
            {
                "planned": planned.isoformat(),
                "days_late": late,
                "required": programme.requires_midpoint_review,
            },
            Severity.ERROR if programme.requires_midpoint_review else Severity.WARNING,
        )


@rule(
    "midpoint.timing",
    Severity.INFO,
    raised_when="a review begun more than the tolerance from the middle",
    tolerance="`midpoint_tolerance_days` (21)",
)
def midpoint_timing(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """For every midpoint review begun by `today`: raised, on the day it began, when that
    day is more than `midpoint_tolerance_days` before or after the midpoint as planned at
    that moment (a later extension or pause does not make an earlier review late).
    `params`: `planned`, `days_off` (negative: early).
    """
    programme = state.programme
    assert programme is not None
    for review in state.midpoint_reviews:
        begun, planned = state.day_of(review.at), review.middle
        off = (begun - planned).days
        if begun <= today and abs(off) > programme.midpoint_tolerance_days:
            yield (
                begun,
                t(
                    N_("the midpoint review began {days} after the middle ({planned})")
                    if off > 0
                    else N_("the midpoint review began {days} before the middle ({planned})"),
                    days=days_words(abs(off)),
                    planned=date_words(planned),
                ),
                {"planned": planned.isoformat(), "days_off": off},
            )


@rule(
    "midpoint.empty",
    Severity.INFO,
    judged_in="from the review's completion on",
    raised_when="a review with no session since its window opened and no goal changed",
    tolerance="`midpoint_tolerance_days` (21)",
)
def midpoint_empty(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """A midpoint review asks whether the process is heading the right way, and may
    reformulate or supplement the goals. Raised, on the day a review was completed
    (judged from that day on), when it changed no goal and no session was held from the
    start of its window (`midpoint_tolerance_days` before the middle planned when it
    began) to its completion: a review with nothing to review, a box ticked.
    `params`: `begun`, `window_start`.
    """
    programme = state.programme
    assert programme is not None
    window = dt.timedelta(days=programme.midpoint_tolerance_days)
    for review, day in ((r, r.completed_at) for r in state.midpoint_reviews):
        if day is None or review.revised or state.day_of(day) > today:
            continue
        opened = review.middle - window
        quiet = not any(
            opened <= session_day and session.held_at <= day
            for session, session_day in zip(held, days, strict=True)
        )
        if quiet:
            begun = state.day_of(review.at)
            yield (
                state.day_of(day),
                t(
                    "the midpoint review begun on {day} changed no goal, and no session was "
                    "held since {since}",
                    day=date_words(begun),
                    since=date_words(opened),
                ),
                {"begun": begun.isoformat(), "window_start": opened.isoformat()},
            )


@rule(
    "length.overrun",
    Severity.WARNING,
    judged_in="active, midpoint review",
    raised_when="`today` more than the tolerance past `end`",
    tolerance="`overrun_tolerance_days` (0)",
)
def length_overrun(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Judged while active or in the midpoint review. Raised on `today` when `today` is
    more than `overrun_tolerance_days` after `end` (`start` plus the programme's months,
    moved by finished pauses and extensions). `params`: `end`, `days_over`.
    """
    programme, end = state.programme, state.end
    assert programme is not None and end is not None
    over = (today - end).days
    if state.phase in RUNNING and over > programme.overrun_tolerance_days:
        yield (
            today,
            t(
                "the series ended on {end}, {days} ago, and closing has not begun",
                end=date_words(end),
                days=days_words(over),
            ),
            {"end": end.isoformat(), "days_over": over},
        )


@rule(
    "closing.early",
    Severity.WARNING,
    judged_in="from the closing on",
    raised_when="the closing began before the middle of the series",
)
def closing_early(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Raised, on the day the closing began (judged from that day on), when that day is
    before the midpoint of the series as planned at that moment: half the active days
    from `start` to the end of the programme's months, moved by finished pauses. A series
    shortened with `extend(-months)` is judged by its new length. A six-month series
    closed three days after it began is reported; one closed near its end is not.
    `params`: `middle`, `days_early`.
    """
    begun = state.closing_begun
    if begun is None:
        return
    on = state.day_of(begun.at)
    if on <= today and on < begun.middle:
        yield (
            on,
            t(
                "the closing began on {day}, before the middle of the series ({middle})",
                day=date_words(on),
                middle=date_words(begun.middle),
            ),
            {"middle": begun.middle.isoformat(), "days_early": (begun.middle - on).days},
        )


@rule(
    "follow_up.coach_absent",
    Severity.WARNING,
    judged_in="from the follow-up on",
    raised_when="the three-party follow-up's participants omit the coach",
)
def follow_up_coach_absent(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Raised, on the day of the three-party follow-up (judged from that day on), when its
    `participants` do not include the coach. (Without the client or the sponsor the
    follow-up is refused: `follow_up.participants_missing`.) `params`: `participants`.
    """
    follow_up = state.follow_up
    if follow_up is None:
        return
    on = state.day_of(follow_up.at)
    if on <= today and state.coach.id not in follow_up.participants:
        yield (
            on,
            t(
                "the three-party follow-up on {day} was held without the coach "
                "(participants: {participants})",
                day=date_words(on),
                participants=list_words(
                    state.parties[p].name if p in state.parties else p
                    for p in follow_up.participants
                ),
            ),
            {"participants": list(follow_up.participants)},
        )


@rule(
    "agreement.incomplete",
    Severity.INFO,
    judged_in="from the agreement on",
    raised_when="the agreement leaves practicalities, expectations or a goal's measure blank",
)
def agreement_incomplete(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """A coaching agreement states the practical matters, the mutual expectations and how
    each goal will be measured (the ICF's "establishes and maintains agreements"). Raised
    once, on the day of the agreement (judged from that day on), when
    `Agreement.practicalities` or `Agreement.expectations` is blank, or one of the
    agreement's goals has no `measure`. Goals added at the midpoint review are not judged:
    this is what the start-up meeting left open. Never refused. `params`: `missing` (a
    list of `"practicalities"`, `"expectations"`), `goals_without_measure` (goal ids).
    """
    agreement = state.agreement
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
    on = state.day_of(state.events[1].at)  # the agreement follows the opening
    if on > today:
        return
    parts = [t(MISSING_NAMES[name]) for name in missing]
    if unmeasured:
        goals = list_words(unmeasured)
        parts.append(
            tn(
                "a measure for goal {goals}",
                "a measure for goals {goals}",
                len(unmeasured),
                goals=goals,
            )
        )
    yield (
        on,
        t("the coaching agreement does not yet state {parts}", parts=list_words(parts)),
        {"missing": missing, "goals_without_measure": unmeasured},
    )
