"""coachflow.testing: strategies that reach every phase, shrink well, and from_type."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import subprocess
import sys
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import find, given
from hypothesis import strategies as st
from hypothesis.stateful import invariant

from coachflow import (
    Action,
    ActionPlan,
    AddGoal,
    Agreed,
    Agreement,
    Assignment,
    Attainment,
    Engagement,
    Event,
    Finding,
    Goal,
    Mode,
    Party,
    Phase,
    Plan,
    Programme,
    ReformulateGoal,
    Role,
    Session,
    Severity,
    from_json,
    to_json,
)
from coachflow.testing import (
    EngagementMachine,
    agreements,
    attainments,
    engagements,
    goals,
    programmes,
    sessions,
)
from coachflow.testing._strategies import GOAL_STATEMENTS

STOCKHOLM = ZoneInfo("Europe/Stockholm")
VALUE_TYPES = [
    Party,
    Goal,
    Programme,
    Agreement,
    Assignment,
    Session,
    ReformulateGoal,
    AddGoal,
    Attainment,
    ActionPlan,
    Finding,
    Action,
    Plan,
    Engagement,
    Mode,
    Role,
    Severity,
    Phase,
]


@pytest.mark.parametrize("phase", list(Phase))
def test_engagements_reach_every_phase_and_round_trip(phase: Phase) -> None:
    @given(engagements(phase=phase))
    def check(engagement: Engagement) -> None:
        assert engagement.phase is phase
        assert from_json(to_json(engagement)) == engagement
        assert Engagement.replay(engagement.events) == engagement

    check()


@given(engagements(programme=Programme(12, sessions_per_month=1)))
def test_engagements_keep_a_given_programme(engagement: Engagement) -> None:
    agreed = [e.agreement for e in engagement.events if isinstance(e, Agreed)]
    if agreed:  # as agreed; extensions and amendments may change the programme in force
        assert agreed[0].programme == Programme(12, sessions_per_month=1)
        assert engagement.programme is not None
        assert engagement.programme.sessions_per_month == 1
        assert engagement.programme.sessions is None  # a pinned programme is not amended


@given(sessions(on=dt.date(2027, 3, 1), zone=STOCKHOLM, modes=frozenset({Mode.PHONE})))
def test_session_options_pin_day_zone_and_mode(session: Session) -> None:
    assert session.held_on == dt.date(2027, 3, 1)
    assert session.held_at.utcoffset() == STOCKHOLM.utcoffset(
        dt.datetime(2027, 3, 1)
    )  # kept as its offset
    assert session.mode is Mode.PHONE


@given(agreements())
def test_generated_agreements_are_realistic(agreement: Agreement) -> None:
    assert 1 <= len(agreement.goals) <= 4
    assert all(goal.statement in GOAL_STATEMENTS for goal in agreement.goals)
    assert agreement.programme.sessions_per_month in (1, 2, 3, 4)


def test_strategies_refuse_options_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match="'phase' must be a Phase"):
        engagements(phase="active")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'programme' must be a Programme"):
        engagements(programme=6)  # type: ignore[arg-type]


# -- shrinking ------------------------------------------------------------------------------


def test_a_session_shrinks_to_the_smallest_that_fails() -> None:
    session = find(sessions(), lambda s: s.minutes > 100)
    assert session == Session(dt.datetime(2024, 1, 1, 8, tzinfo=STOCKHOLM), 101, Mode.IN_PERSON)


def test_goals_and_programmes_shrink_to_the_plainest() -> None:
    assert find(goals(), lambda g: True) == Goal("g1", GOAL_STATEMENTS[0])
    assert find(programmes(), lambda p: True) == Programme(6)
    assert find(programmes(), lambda p: p.months < 6) == Programme(3)
    assert find(programmes(), lambda p: p.months > 12) == Programme(13)
    assert find(attainments(), lambda a: True) == Attainment("g1", 0)


def test_agreements_shrink_to_few_goals() -> None:
    agreement = find(agreements(), lambda a: len(a.goals) >= 2)
    assert [g.id for g in agreement.goals] == ["g1", "g2"]
    assert agreement.modes == frozenset({Mode.IN_PERSON})


def test_engagements_shrink_to_the_shortest_history() -> None:
    engagement = find(engagements(), lambda e: len(e.sessions) >= 2)
    kinds = [type(e).__name__ for e in engagement.events if type(e).__name__ != "AgreementSigned"]
    assert kinds == ["Opened", "Agreed", "SessionRecorded", "SessionRecorded"]
    assert engagement.phase is Phase.ACTIVE
    ended = find(engagements(phase=Phase.TERMINATED), lambda e: True)
    assert [type(e).__name__ for e in ended.events] == ["Opened", "Terminated"]
    missed = find(engagements(), lambda e: len(e.no_shows) >= 1)
    assert "NoShowRecorded" in [type(e).__name__ for e in missed.events]
    assert len(missed.events) <= 10  # a few events, not a series


@pytest.mark.timeout(400)  # shrinking a whole series: about 20 s alone, more under coverage
def test_a_completed_engagement_shrinks_to_the_plain_process() -> None:
    """Examples shrink to the plain plan: sessions as planned, no deviations, the
    follow-up held by everyone, every goal scored and an action plan made."""
    completed = find(engagements(phase=Phase.COMPLETED), lambda e: True)
    kinds = {type(e).__name__ for e in completed.events}
    assert kinds <= {
        "Opened",
        "Agreed",
        "SessionRecorded",
        "MidpointReviewBegun",
        "MidpointReviewCompleted",
        "ClosingBegun",
        "Closed",
        "FollowUpHeld",
    }
    closed = completed.closed
    assert closed is not None and closed.action_plan is not None
    assert {a.goal_id for a in closed.attainment} == {g.id for g in completed.goals}
    held = completed.follow_up
    assert held is not None and completed.coach.id in held.participants


# -- from_type --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", VALUE_TYPES, ids=lambda k: k.__name__)
def test_from_type_works_for_every_public_value_type(kind: type) -> None:
    @given(st.from_type(kind))
    def check(value: object) -> None:
        assert isinstance(value, kind)

    check()


def test_the_hypothesis_entry_point_is_installed() -> None:
    points = importlib.metadata.entry_points(group="hypothesis")
    assert "coachflow.testing._entrypoint:register" in {p.value for p in points}


def test_from_type_needs_no_user_code_in_a_fresh_interpreter() -> None:
    code = (
        "import warnings; warnings.simplefilter('ignore');"
        "from hypothesis import strategies as st; from coachflow import Agreement, Session;"
        "print(type(st.from_type(Agreement).example()).__name__,"
        " type(st.from_type(Session).example()).__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["Agreement", "Session"]


# -- the state machine --------------------------------------------------------------------------


class Recording(EngagementMachine):
    """Hooks see every command, event and refusal; the subclass's invariants run too."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Event] = []
        self.commands = 0
        self.refusals = 0

    def before_command(self, command: str, arguments: Mapping[str, Any]) -> None:
        assert {"at", "by"} <= set(arguments)
        self.commands += 1

    def on_event(self, event: Event) -> None:
        self.seen.append(event)

    def on_refused(self, command: str, error: Exception) -> None:
        self.refusals += 1

    @invariant()
    def hooks_saw_everything(self) -> None:
        assert tuple(self.seen) == self.engagement.events
        assert self.commands == len(self.seen) - 1 + self.refusals


TestRecording = Recording.TestCase
