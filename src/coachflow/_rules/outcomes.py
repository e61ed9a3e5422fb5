"""The rules of the closing's outcomes: goal attainment discussed and scored, an action
plan made, and scores read against levels agreed beforehand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from coachflow._engine.state import State
from coachflow._rules.registry import Found, rule
from coachflow._values.enums import Severity
from coachflow._values.i18n import t, tn
from coachflow._values.sessions import Session
from coachflow._values.wording import list_words

__all__: list[str] = []


def _closed_on(state: State, today: dt.date) -> dt.date | None:
    closed = state.closed
    if closed is None:
        return None
    day = state.day_of(closed.at)
    return day if day <= today else None


@rule(
    "closing.not_scored",
    Severity.INFO,
    judged_in="from the closing on",
    raised_when="the engagement was closed without scoring goal attainment",
)
def closing_not_scored(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """At the last meeting coach and client *discuss* goal attainment; scoring it is
    usual, not required. Raised, on the day of the closing, when it recorded no
    `Attainment`. An organisation that requires scores makes this code an error in its
    `RuleSet` and passes it to `close` (see the how-to on adapting the method).
    `params`: `goals` (the number of goals in force).
    """
    on = _closed_on(state, today)
    closed = state.closed
    if on is not None and closed is not None and not closed.attainment:
        count = len(state.goals)
        yield (
            on,
            tn(
                "the closing did not score goal attainment ({n} goal)",
                "the closing did not score goal attainment ({n} goals)",
                count,
            ),
            {"goals": count},
        )


@rule(
    "closing.no_action_plan",
    Severity.INFO,
    judged_in="from the closing on",
    raised_when="the engagement was closed without an action plan",
)
def closing_no_action_plan(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """At the last meeting coach and client *usually* make an action plan for how the
    client goes on. Raised, on the day of the closing, when it recorded none. An
    organisation that requires one makes this code an error in its `RuleSet` and passes
    it to `close`. `params`: none.
    """
    on = _closed_on(state, today)
    closed = state.closed
    if on is not None and closed is not None and closed.action_plan is None:
        yield on, t("the closing made no action plan"), {}


@rule(
    "gas.levels_undefined",
    Severity.INFO,
    judged_in="from the closing on",
    raised_when="a goal was scored without the five levels of Goal Attainment Scaling",
)
def gas_levels_undefined(
    state: State, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Goal Attainment Scaling scores a goal against five outcomes agreed when the goal
    was set (`Goal.levels`, from -2 to +2); a score without them says less than its
    number suggests, and so does the T-score made of it. Raised once, on the day of the
    closing, when a goal was scored that has no levels. `params`: `goal_ids`.
    """
    on = _closed_on(state, today)
    closed = state.closed
    if on is None or closed is None or not closed.attainment:
        return
    levels = {goal.id: goal.levels for goal in state.goals}
    bare = [a.goal_id for a in closed.attainment if levels.get(a.goal_id) is None]
    if bare:
        yield (
            on,
            t(
                "goals scored without agreed levels (-2 to +2): {ids}",
                ids=list_words(bare),
            ),
            {"goal_ids": bare},
        )
