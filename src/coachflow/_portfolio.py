"""Reports across many engagements: what HR and coaching firms count."""

from __future__ import annotations

import datetime as dt
import types
from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

from coachflow._checks import describe, require_date
from coachflow._engagement import Engagement
from coachflow._events import Closed
from coachflow._gas import gas_t_score
from coachflow._model import Phase

__all__ = ["SMALLEST_GROUP", "Report", "report"]

SMALLEST_GROUP = 3
"""A sponsor's report withholds any count below this, so no one person is singled out."""


def _frozen(value: Mapping[object, int]) -> Mapping[object, int]:
    return types.MappingProxyType(dict(value))


@attrs.frozen
class Report:
    """Counts across engagements as of a day (`report`)."""

    engagements: int
    """How many engagements were counted (withheld as 0 below 3 for a sponsor)."""
    phases: Mapping[Phase, int] = attrs.field(converter=_frozen, hash=False)
    """Engagements in each phase (every phase listed)."""
    findings: Mapping[str, int] = attrs.field(converter=_frozen, hash=False)
    """Engagements with each finding code, as of the day."""
    due: Mapping[str, int] = attrs.field(converter=_frozen, hash=False)
    """Next actions due by the day, by code."""
    gas: tuple[float, ...]
    """The GAS T-scores of the closed engagements, in the order counted."""
    for_sponsor: bool = False
    """Whether small groups were withheld."""


def report(
    engagements: Iterable[Engagement], today: dt.date, *, for_sponsor: bool = False
) -> Report:
    """Count *engagements* as of *today*: phases, findings by code (engagements with
    each), actions due by *today* by code, and the GAS T-scores of the closed ones.

    With *for_sponsor*, any count below 3 is withheld (reported as 0) and a GAS list
    shorter than 3 is withheld (``()``), so that no one person can be singled out.
    """
    require_date("today", today)
    phases: Counter[Phase] = Counter()
    findings: Counter[str] = Counter()
    due: Counter[str] = Counter()
    gas: list[float] = []
    count = 0
    for engagement in engagements:
        if not isinstance(engagement, Engagement):
            raise TypeError(f"'engagements' must hold Engagements (got {describe(engagement)})")
        count += 1
        phases[engagement.phase] += 1
        findings.update({finding.code for finding in engagement.check(today)})
        due.update(a.code for a in engagement.next_actions(today) if a.due <= today)
        closed = next((e for e in engagement.events if isinstance(e, Closed)), None)
        if closed is not None:
            gas.append(gas_t_score(closed.attainment))

    def shown(n: int) -> int:
        return 0 if for_sponsor and n < SMALLEST_GROUP else n

    return Report(
        engagements=shown(count),
        phases={phase: shown(phases[phase]) for phase in Phase},
        findings={code: shown(n) for code, n in sorted(findings.items())},
        due={code: shown(n) for code, n in sorted(due.items())},
        gas=() if for_sponsor and len(gas) < SMALLEST_GROUP else tuple(gas),
        for_sponsor=for_sponsor,
    )
