"""Goal Attainment Scaling: the Kiresuk-Sherman T-score of a closing's attainment."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.outcomes import Attainment
from coachflow._values.validation import describe

__all__ = ["RHO", "gas_t_score"]

#: The assumed correlation between goal scores in the Kiresuk-Sherman formula.
RHO = 0.3


def gas_t_score(
    attainment: Iterable[Attainment], weights: Mapping[str, float] | None = None
) -> float:
    """The Kiresuk-Sherman T-score of GAS scores, unrounded.

    ``T = 50 + 10 * sum(w*x) / sqrt((1 - rho) * sum(w**2) + rho * sum(w)**2)``
    with ``rho = 0.3``. 50 means every goal was attained as expected; each goal
    weighs 1 unless *weights* (by goal id, each finite and > 0, one for every
    goal scored) says otherwise.

    >>> from coachflow import Attainment
    >>> round(gas_t_score([Attainment("a", 1), Attainment("b", 1), Attainment("c", 0)]), 2)
    59.13
    """
    scores = list(attainment)
    if not scores:
        raise InvalidValue("'attainment' must hold at least one Attainment (got none)")
    for i, item in enumerate(scores):
        if not isinstance(item, Attainment):
            raise InvalidType(f"'attainment[{i}]' must be an Attainment (got {describe(item)})")
    if weights is None:
        w = [1.0] * len(scores)
    else:
        missing = [a.goal_id for a in scores if a.goal_id not in weights]
        if missing:
            raise InvalidValue(f"'weights' must give a weight for every goal (missing {missing})")
        w = [weights[a.goal_id] for a in scores]
        for a, weight in zip(scores, w, strict=True):
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise InvalidType(
                    f"'weights[{a.goal_id!r}]' must be a number (got {describe(weight)})"
                )
            if not (math.isfinite(weight) and weight > 0):
                name = f"weights[{a.goal_id!r}]"
                raise InvalidValue(f"{name!r} must be finite and > 0 (got {weight})")
    weighted = sum(wi * a.score for wi, a in zip(w, scores, strict=True))
    spread = (1 - RHO) * sum(wi * wi for wi in w) + RHO * sum(w) ** 2
    return 50 + 10 * weighted / math.sqrt(spread)
