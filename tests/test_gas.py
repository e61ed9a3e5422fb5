"""Goal Attainment Scaling: the Kiresuk-Sherman T-score."""

from __future__ import annotations

import math

import pytest

from coachflow import Attainment, gas_t_score


def scores(*values: int) -> list[Attainment]:
    return [Attainment(f"g{i}", v) for i, v in enumerate(values)]


def test_the_api_examples() -> None:
    assert round(gas_t_score(scores(1, 1, 0)), 2) == 59.13
    assert gas_t_score(scores(0, 0, 0)) == 50.0


def test_the_formula_with_weights() -> None:
    weights = {"g0": 2.0, "g1": 1.0}
    expected = 50 + 10 * (2 * 2 + 1 * -1) / math.sqrt(0.7 * (4 + 1) + 0.3 * 3**2)
    assert gas_t_score(scores(2, -1), weights) == pytest.approx(expected)


def test_a_single_goal_at_plus_two_is_seventy() -> None:
    assert gas_t_score(scores(2)) == pytest.approx(70.0)


def test_symmetry() -> None:
    assert gas_t_score(scores(2, -1)) - 50 == pytest.approx(50 - gas_t_score(scores(-2, 1)))


@pytest.mark.parametrize(
    ("attainment", "weights", "error", "message"),
    [
        ([], None, ValueError, "at least one Attainment"),
        ([1], None, TypeError, "'attainment[0]' must be an Attainment"),
        (scores(1), {}, ValueError, "missing ['g0']"),
        (scores(1), {"g0": 0}, ValueError, "must be finite and > 0 (got 0)"),
        (scores(1), {"g0": math.inf}, ValueError, "must be finite and > 0"),
        (scores(1), {"g0": "1"}, TypeError, "must be a number"),
    ],
)
def test_bad_input(attainment: list[object], weights: object, error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        gas_t_score(attainment, weights)  # type: ignore[arg-type]
    assert message in str(caught.value)
