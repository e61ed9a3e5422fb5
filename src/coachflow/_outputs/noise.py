"""Noise for a sponsor's report: the Laplace mechanism of OpenDP on whole counts.

OpenDP (the OpenDP project, Harvard's privacy tools lineage) is used because it is
actively kept, its mechanisms come with proofs, and it samples noise exactly on integers
from the operating system's secure randomness: no floating-point Laplace whose low bits
give the true value away. IBM's diffprivlib was the other candidate; its last release
no longer imports beside the current scikit-learn, which it requires.

OpenDP cannot be seeded (by design). For reproducible tests a report takes ``rng=``: the
same distribution (the discrete Laplace, a difference of two geometric draws) is then
sampled from that generator instead. A host never passes one in production.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.validation import describe

__all__ = ["Noise", "RandomSource", "noise", "require_epsilon"]


class RandomSource(Protocol):
    """Anything with ``random() -> float`` in [0, 1): `random.Random`, NumPy's
    ``Generator``."""

    def random(self) -> float: ...


Noise = Callable[[Sequence[int], float], list[int]]
"""``noise(values, scale)``: each value plus discrete Laplace noise of *scale*."""


def noise(rng: RandomSource | int | None) -> Noise:
    """The noise source: OpenDP's sampler when *rng* is None; a seeded sampler of the
    same distribution for an int seed or a generator with ``random()``."""
    if rng is None:
        return _opendp
    if isinstance(rng, bool):
        raise InvalidType(f"'rng' must be a seed, a generator or None (got {rng!r})")
    source: Any = random.Random(rng) if isinstance(rng, int) else rng
    if not callable(getattr(source, "random", None)):
        raise InvalidType(
            f"'rng' must be a seed, a generator with random() or None (got {describe(rng)})"
        )

    def seeded(values: Sequence[int], scale: float) -> list[int]:
        return [value + _discrete_laplace(scale, source) for value in values]

    return seeded


def _discrete_laplace(scale: float, source: Any) -> int:
    """A draw of the discrete Laplace of *scale*: the difference of two geometric draws
    with success probability ``1 - exp(-1/scale)``."""

    def geometric() -> int:
        return math.floor(-scale * math.log(1.0 - float(source.random())))

    return geometric() - geometric()


def _opendp(values: Sequence[int], scale: float) -> list[int]:
    if not values:
        return []
    return list(_measurement(len(values), scale)(list(values)))


_MEASUREMENTS: dict[tuple[int, float], Any] = {}


def _measurement(size: int, scale: float) -> Any:
    key = (size, scale)
    if key not in _MEASUREMENTS:
        import opendp.prelude as dp  # a large library: loaded for the first sponsor report

        # The Laplace mechanism is in OpenDP's "contrib" set (proven, not yet vetted).
        dp.enable_features("contrib")
        space = (
            dp.vector_domain(dp.atom_domain(T=int, nan=False), size=size),
            dp.l1_distance(T=int),
        )
        _MEASUREMENTS[key] = dp.m.make_laplace(*space, scale=scale)
    return _MEASUREMENTS[key]


def require_epsilon(epsilon: object) -> float:
    """*epsilon* as a positive finite float, or a clear error."""
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float):
        raise InvalidType(f"'epsilon' must be a number (got {describe(epsilon)})")
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise InvalidValue(f"'epsilon' must be a positive finite number (got {epsilon!r})")
    return float(epsilon)
