"""The kit reaches the whole process: a census of what `engagements()` and
`EngagementMachine` generate (`python tests/census.py` prints the full table)."""

from __future__ import annotations

from collections import Counter

import pytest

from census import Census, MachineCensus, engagement_census, machine_census
from coachflow import Phase
from coachflow._values.events import EVENT_TYPES
from coachflow._values.refusals import REFUSALS
from sentences import flaws

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


@pytest.fixture(scope="module")
def machines() -> list[MachineCensus]:
    """Six censuses of `EngagementMachine`, 50 runs and five of 40 (runs of one seed are
    alike: hypothesis grows each from the earlier ones), half refusing in Swedish."""
    found = [machine_census(50, seed_=26)]
    for seed, locale in zip(range(27, 32), ("sv", "en", "sv", "en", "sv"), strict=True):
        found.append(machine_census(40, seed_=seed, locale=locale))
    return found


def test_the_state_machine_moves_through_the_process(machines: list[MachineCensus]) -> None:
    machine = machines[0]
    assert machine.left_agreement * 2 > machine.runs, machine.table()
    for phase in ("midpoint_review", "closing", "follow_up", "completed"):
        assert machine.reached[phase] > 0, machine.table()
    # most commands are accepted in some run, and refusals of every kind are tried
    assert len(machine.accepted) >= 20, machine.table()
    assert {"PermissionDenied", "TransitionNotAllowed", "RuleViolation", "InvalidTime"} <= set(
        machine.refused
    ), machine.table()


def test_every_refusal_code_is_reached_by_the_state_machine(
    machines: list[MachineCensus],
) -> None:
    reached = Counter[str]()
    for machine in machines:
        reached.update(machine.codes)
    assert {r.code for r in REFUSALS} - set(reached) == set(), "\n\n".join(
        m.table() for m in machines
    )


def test_every_command_is_accepted_in_some_run(machines: list[MachineCensus]) -> None:
    accepted = set().union(*(machine.accepted for machine in machines))
    assert {t.__name__ for t in EVENT_TYPES} - accepted == set()


def test_every_refusal_reads_as_a_person_writes(machines: list[MachineCensus]) -> None:
    checked = {machine.locale: 0 for machine in machines}
    for machine in machines:
        for code, messages in machine.messages.items():
            for message in messages:
                assert flaws(message, machine.locale) == [], (machine.locale, code, message)
                checked[machine.locale] += 1
    assert min(checked.values()) >= 50, checked  # many messages of both languages
