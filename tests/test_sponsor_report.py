"""A report for the sponsor singles no one out: small groups withheld, the rest with noise
(OpenDP's Laplace mechanism), and two reports over sets that differ by one engagement do
not give that engagement's score away."""

from __future__ import annotations

import math
import random
import statistics

import attrs
import pytest

from builders import START, at, closing, days, in_phase
from coachflow import ActionPlan, Attainment, Engagement, Phase, render, report
from coachflow._outputs.noise import noise
from coachflow._outputs.report import BUDGET, GAS_RANGE, MIN_GROUP

TODAY = START + days(400)


def scored(level: int) -> Engagement:
    """A closed engagement whose every goal was scored at *level*."""
    eng, day = closing()
    eng.close(
        at=at(day, 10),
        by="coach",
        attainment=[Attainment(g.id, level) for g in eng.goals],
        action_plan=ActionPlan(["Keep going"]),
    )
    return eng


@pytest.fixture(scope="module")
def closed() -> dict[int, Engagement]:
    return {level: scored(level) for level in (-2, -1, 0, 1, 2)}


def test_a_report_for_the_sponsor_holds_counts_and_means_only(
    closed: dict[int, Engagement],
) -> None:
    found = report([closed[level] for level in (-1, 0, 1, 0, 1, 2)], TODAY, for_sponsor=True)
    for field in attrs.fields(type(found)):
        value = getattr(found, field.name)
        assert not isinstance(value, tuple | list), field.name  # no list of scores
        if isinstance(value, dict):
            assert all(v is None or isinstance(v, int) for v in value.values())
    assert found.gas is not None and GAS_RANGE[0] <= found.gas <= GAS_RANGE[1]
    assert found.scored is not None and found.scored >= 0


def test_every_figure_over_fewer_than_the_group_is_withheld(
    closed: dict[int, Engagement],
) -> None:
    four = [closed[level] for level in (-1, 0, 1, 2)]
    few = report(four, TODAY, for_sponsor=True)
    assert few.engagements is None and few.gas is None and few.scored is None
    assert set(few.phases.values()) == set(few.endings.values()) == {None}
    assert all(n is None for n in (*few.findings.values(), *few.due.values()))
    shown = report(four, TODAY, for_sponsor=True, min_group=3, rng=7)
    assert shown.engagements is not None and shown.gas is not None
    assert shown.phases[Phase.COMPLETED] is not None and shown.phases[Phase.ACTIVE] is None
    text = render(few)
    assert "withheld" in text and ": 0" not in text
    assert "ej redovisat" in render(few, locale="sv")


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"min_group": 2}, ValueError, "'min_group' must be at least 3"),
        ({"min_group": 4.0}, TypeError, "'min_group' must be a whole number"),
        ({"epsilon": 0}, ValueError, "'epsilon' must be a positive finite number"),
        ({"epsilon": math.inf}, ValueError, "'epsilon' must be a positive finite number"),
        ({"epsilon": "1"}, TypeError, "'epsilon' must be a number"),
        ({"rng": object()}, TypeError, "'rng' must be a seed, a generator"),
        ({"rng": True}, TypeError, "'rng' must be a seed, a generator"),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        report([in_phase(Phase.ACTIVE)] * 5, TODAY, for_sponsor=True, **options)  # type: ignore[arg-type]


def test_the_noise_is_reproducible_with_a_seed_and_differs_without(
    closed: dict[int, Engagement],
) -> None:
    group = [closed[level] for level in (-2, -1, 0, 1, 2)] * 4
    assert report(group, TODAY, for_sponsor=True, rng=3) == report(
        group, TODAY, for_sponsor=True, rng=random.Random(3)
    )
    seeded = {report(group, TODAY, for_sponsor=True, rng=seed).gas for seed in range(20)}
    drawn = {report(group, TODAY, for_sponsor=True).gas for _ in range(20)}
    assert len(seeded) > 5 and len(drawn) > 5  # noise, not a fixed answer


def test_the_seeded_noise_has_the_distribution_of_opendps() -> None:
    scale = 4.0
    ratio = math.exp(-1 / scale)
    expected = 2 * ratio / (1 - ratio) ** 2  # the variance of the discrete Laplace
    ours = noise(random.Random(1))([0] * 4000, scale)
    theirs = noise(None)([0] * 4000, scale)
    for draws in (ours, theirs):
        assert abs(statistics.mean(draws)) < 0.5
        assert statistics.pvariance(draws) == pytest.approx(expected, rel=0.15)


def _attack(
    closed: dict[int, Engagement], victim: Engagement, seeds: list[int] | None, epsilon: float
) -> float:
    """The mean error of the victim's T-score as the sponsor computes it from two reports
    over sets that differ by the victim alone (knowing every count exactly). Each report
    draws its own noise (seeds *2k* and *2k + 1*, or OpenDP's when *seeds* is None)."""
    others = [closed[level] for level in (-1, 0, 1, 0, 1, 2, 0, -1)] * 2
    errors = []
    pairs = [(None, None)] * 20 if seeds is None else [(2 * k, 2 * k + 1) for k in seeds]
    for first, second in pairs:
        without = report(others, TODAY, for_sponsor=True, rng=first, epsilon=epsilon)
        with_victim = report(
            [*others, victim], TODAY, for_sponsor=True, rng=second, epsilon=epsilon
        )
        assert without.gas is not None and with_victim.gas is not None
        guess = (len(others) + 1) * with_victim.gas - len(others) * without.gas
        assert victim.gas_t_score is not None
        errors.append(abs(guess - victim.gas_t_score))
    return statistics.mean(errors)


@pytest.mark.parametrize("level", [-2, 2])
def test_two_reports_do_not_give_one_engagements_score_away(
    closed: dict[int, Engagement], level: int
) -> None:
    victim = scored(level)
    assert _attack(closed, victim, list(range(200)), epsilon=1.0) > 10
    assert _attack(closed, victim, None, epsilon=1.0) > 10  # OpenDP's own noise
    # even a budget five times the default leaves the sponsor guessing
    assert _attack(closed, victim, list(range(200, 400)), epsilon=5.0) > 10


def test_the_budget_is_shared_out_whole() -> None:
    assert sum(BUDGET.values()) == pytest.approx(1.0)
    assert MIN_GROUP == 5


def test_without_noise_the_attack_would_work(closed: dict[int, Engagement]) -> None:
    """The attack is real: the coach's own report (exact) gives the victim away."""
    victim = scored(-2)
    others = [closed[level] for level in (-1, 0, 1, 0, 1, 2, 0, -1)] * 2
    without, with_victim = report(others, TODAY), report([*others, victim], TODAY)
    assert without.gas is not None and with_victim.gas is not None
    guess = (len(others) + 1) * with_victim.gas - len(others) * without.gas
    assert guess == pytest.approx(victim.gas_t_score)
