"""The kit reaches the whole process: a census of what `engagements()` and
`EngagementMachine` generate (`python tests/census.py` prints the full table)."""

from __future__ import annotations

import pytest

from census import Census, engagement_census, machine_census
from coachflow import Phase

pytestmark = pytest.mark.timeout(600)

EXAMPLES = 300


@pytest.fixture(scope="module")
def census() -> Census:
    return engagement_census(EXAMPLES, seed_=26)


def test_histories_are_long_enough_to_test_a_process(census: Census) -> None:
    assert census.median >= 15, census.table()


def test_every_event_type_is_generated(census: Census) -> None:
    assert census.rare(0.02) == [], census.table()


def test_every_finding_code_is_raised(census: Census) -> None:
    assert census.missing() == [], census.table()


def test_closings_are_early_only_in_a_minority(census: Census) -> None:
    assert census.closings >= EXAMPLES // 5, census.table()
    assert census.early * 4 < census.closings, census.table()


def test_times_come_from_every_zone_and_cross_daylight_saving(census: Census) -> None:
    assert len(census.zones) >= 7, census.table()
    assert census.dst * 4 > census.examples, census.table()


def test_every_phase_is_generated(census: Census) -> None:
    assert set(census.phases) == {p.value for p in Phase}, census.table()


def test_the_state_machine_moves_through_the_process() -> None:
    machine = machine_census(50, seed_=26)
    assert machine.left_agreement * 2 > machine.runs, machine.table()
    for phase in ("midpoint_review", "closing", "follow_up", "completed"):
        assert machine.reached[phase] > 0, machine.table()
    # most commands are accepted in some run, and refusals of every kind are tried
    assert len(machine.accepted) >= 20, machine.table()
    assert {"PermissionDenied", "TransitionNotAllowed", "RuleViolation", "InvalidTime"} <= set(
        machine.refused
    ), machine.table()
