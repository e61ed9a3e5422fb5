"""Reports: counts across many engagements (what HR and coaching firms count), and
what a sponsor may see of one engagement."""

from __future__ import annotations

import datetime as dt
import types
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from coachflow._engagement import Engagement
from coachflow._outputs.noise import Noise, RandomSource, noise, require_epsilon
from coachflow._rules.judging import CODES
from coachflow._values.enums import EndReason, Phase
from coachflow._values.events import Closed, FollowUpHeld
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.model import Goal
from coachflow._values.outcomes import ActionPlan, Attainment
from coachflow._values.validation import describe, require_date

K = TypeVar("K")

__all__ = [
    "BUDGET",
    "CODES_PER_ENGAGEMENT",
    "GAS_RANGE",
    "MIN_GROUP",
    "SMALLEST_GROUP",
    "Report",
    "SponsorReport",
    "report",
    "sponsor_report",
]

MIN_GROUP = 5
"""A sponsor's report withholds (None) every figure over fewer engagements than this."""

SMALLEST_GROUP = 3
"""The smallest `min_group` a sponsor's report accepts."""

CODES_PER_ENGAGEMENT = 3
"""In a sponsor's report each engagement counts towards at most this many finding codes
(its first, in the order `Engagement.check` gives) and as many codes of actions due
(in the order `Engagement.next_actions` gives)."""

GAS_RANGE = (20.0, 80.0)
"""In a sponsor's report each GAS T-score counts as a whole number within this range."""

BUDGET = types.MappingProxyType(
    {"phases": 0.2, "endings": 0.1, "findings": 0.2, "due": 0.1, "scored": 0.1, "gas": 0.3}
)
"""How a sponsor's report shares its `epsilon` among its figures (the shares sum to 1)."""

# How much one engagement can change each figure (the L1 sensitivity of its counts).
_SENSITIVITY = {
    "phases": 1,
    "endings": 1,
    "findings": CODES_PER_ENGAGEMENT,
    "due": CODES_PER_ENGAGEMENT,
    "scored": 1,
    "gas": (GAS_RANGE[1] - GAS_RANGE[0]) / 2,
}


def _frozen(value: Mapping[Any, int | None]) -> Mapping[Any, int | None]:
    return types.MappingProxyType(dict(value))


@attrs.frozen
class Report:
    """Figures across engagements as of a day (`report`): counts and means, never a
    figure of one engagement. In a report for the sponsor every figure over fewer than
    `min_group` engagements is None ("withheld") and the others carry noise."""

    engagements: int | None
    """How many engagements were counted."""
    phases: Mapping[Phase, int | None] = attrs.field(converter=_frozen, hash=False)
    """Engagements in each phase (every phase listed)."""
    findings: Mapping[str, int | None] = attrs.field(converter=_frozen, hash=False)
    """Engagements with each finding code, as of the day."""
    due: Mapping[str, int | None] = attrs.field(converter=_frozen, hash=False)
    """Engagements with next actions due by the day, by code."""
    gas: float | None
    """The mean GAS T-score of the closed engagements with scores (None when none)."""
    scored: int | None
    """How many closed engagements have scores (the engagements `gas` is the mean of)."""
    endings: Mapping[EndReason, int | None] = attrs.field(
        converter=_frozen, hash=False, factory=dict
    )
    """Engagements ended early (`terminate`), by `EndReason` (every reason listed)."""
    for_sponsor: bool = False
    """Whether this is a report for the sponsor (withheld figures, noise)."""
    min_group: int | None = None
    """For the sponsor: the fewest engagements a figure is shown over."""
    epsilon: float | None = None
    """For the sponsor: the privacy budget the noise was drawn for."""


def report(
    engagements: Iterable[Engagement],
    today: dt.date,
    *,
    for_sponsor: bool = False,
    min_group: int = MIN_GROUP,
    epsilon: float = 1.0,
    rng: RandomSource | int | None = None,
) -> Report:
    """Count *engagements* as of *today*: phases, findings by code (engagements with
    each), actions due by *today* by code, the mean GAS T-score of the closed ones and
    how many have scores, and the engagements ended early by their `EndReason`.

    With *for_sponsor*, the report singles no one out: every figure over fewer than
    *min_group* engagements (at least 3) is None, and the others carry noise from
    OpenDP's Laplace mechanism, *epsilon*-differentially private as a whole (a smaller
    *epsilon*: more noise; shared among the figures by `BUDGET`), so that two reports
    over sets that differ by one engagement do not give that engagement away. *rng*
    (a seed or a generator with ``random()``) makes the noise reproducible, for tests.
    """
    require_date("today", today)
    if for_sponsor:
        _require_group(min_group)
        epsilon = require_epsilon(epsilon)
    draw = noise(rng) if for_sponsor else None
    phases: Counter[Phase] = Counter()
    findings: Counter[str] = Counter()
    due: Counter[str] = Counter()
    endings: Counter[EndReason] = Counter()
    scores: list[float] = []
    count = 0
    most = CODES_PER_ENGAGEMENT if for_sponsor else None
    for engagement in engagements:
        if not isinstance(engagement, Engagement):
            raise InvalidType(f"'engagements' must hold Engagements (got {describe(engagement)})")
        count += 1
        phases[engagement.phase] += 1
        findings.update(_first((f.code for f in engagement.check(today)), most))
        actions = engagement.next_actions(today)
        due.update(_first((a.code for a in actions if a.due <= today), most))
        if (ended := engagement.terminated) is not None:
            endings[ended.end_reason] += 1
        score = engagement.gas_t_score
        if score is not None:
            scores.append(score)
    if draw is None:
        return Report(
            engagements=count,
            phases={phase: phases[phase] for phase in Phase},
            findings=dict(sorted(findings.items())),
            due=dict(sorted(due.items())),
            gas=sum(scores) / len(scores) if scores else None,
            scored=len(scores),
            endings={reason: endings[reason] for reason in EndReason},
        )
    return _for_sponsor(
        _Counted(count, phases, findings, due, endings, scores), min_group, epsilon, draw
    )


def _first(codes: Iterable[str], most: int | None) -> list[str]:
    """Each of *codes* once, in their order; the first *most* of them."""
    ordered = list(dict.fromkeys(codes))
    return ordered if most is None else ordered[:most]


def _require_group(min_group: object) -> None:
    if isinstance(min_group, bool) or not isinstance(min_group, int):
        raise InvalidType(f"'min_group' must be a whole number (got {describe(min_group)})")
    if min_group < SMALLEST_GROUP:
        raise InvalidValue(
            f"'min_group' must be at least {SMALLEST_GROUP}, or one person can be singled "
            f"out (got {min_group})"
        )


@attrs.frozen
class _Counted:
    count: int
    phases: Counter[Phase]
    findings: Counter[str]
    due: Counter[str]
    endings: Counter[EndReason]
    scores: list[float]


def _scale(figure: str, epsilon: float) -> float:
    """The noise scale of *figure*: its sensitivity over its share of *epsilon*."""
    return _SENSITIVITY[figure] / (BUDGET[figure] * epsilon)


def _noisy(draw: Noise, scale: float, keys: Iterable[K], counts: Mapping[K, int]) -> dict[K, int]:
    listed = list(keys)
    drawn = draw([counts.get(key, 0) for key in listed], scale)
    return dict(zip(listed, drawn, strict=True))


def _shown(noisy: Mapping[K, int], counts: Mapping[K, int], least: int) -> dict[K, int | None]:
    """The noisy counts, None where the true count is under *least*, never below 0."""
    return {
        key: max(value, 0) if counts.get(key, 0) >= least else None for key, value in noisy.items()
    }


def _for_sponsor(counted: _Counted, min_group: int, epsilon: float, draw: Noise) -> Report:
    phases = _noisy(draw, _scale("phases", epsilon), list(Phase), counted.phases)
    codes = sorted(set(CODES) | set(counted.findings))
    low, high = GAS_RANGE
    middle = (low + high) / 2
    shifted = sum(round(min(max(s, low), high) - middle) for s in counted.scores)
    (scored,) = draw([len(counted.scores)], _scale("scored", epsilon))
    (total,) = draw([shifted], _scale("gas", epsilon))
    enough = len(counted.scores) >= min_group
    mean = min(max(middle + total / max(scored, 1), low), high)
    everyone = counted.count >= min_group
    return Report(
        engagements=max(sum(phases.values()), 0) if everyone else None,
        phases=_shown(phases, counted.phases, min_group),
        findings=_shown(
            _noisy(draw, _scale("findings", epsilon), codes, counted.findings),
            counted.findings,
            min_group,
        ),
        due=_shown(
            _noisy(draw, _scale("due", epsilon), sorted(counted.due), counted.due),
            counted.due,
            min_group,
        ),
        gas=round(mean, 1) if enough else None,
        scored=max(scored, 0) if enough else None,
        endings=_shown(
            _noisy(draw, _scale("endings", epsilon), list(EndReason), counted.endings),
            counted.endings,
            min_group,
        ),
        for_sponsor=True,
        min_group=min_group,
        epsilon=epsilon,
    )


@attrs.frozen
class SponsorReport:
    """What the sponsor (the client's manager) may see of one engagement.

    Always: its phase and dates, and counts of sessions. The goals, the attainment
    (scores, their GAS T-score and comments) and the action plan only where the client's
    consent in force (`Engagement.consent`) covers them; None where not.
    """

    engagement_id: str
    """The engagement's id."""
    phase: Phase
    """Its phase."""
    phase_since: dt.date
    """The day its phase began."""
    start: dt.date | None
    """The agreed start (None before the agreement)."""
    end: dt.date | None
    """When the series ends (None before the agreement)."""
    sessions_held: int
    """Sessions held."""
    sessions_allotted: int
    """Sessions allotted."""
    sessions_forfeited: int
    """Sessions used up without being held (no-shows, late cancellations)."""
    midpoint_reviewed: bool
    """Whether the midpoint review was held."""
    closed_on: dt.date | None
    """The day of the closing, once closed."""
    follow_up_on: dt.date | None
    """The day of the three-party follow-up, once held."""
    goals: tuple[Goal, ...] | None
    """The goals, where the client consented; else None."""
    attainment: tuple[Attainment, ...] | None
    """The scores and comments, where the client consented; else None."""
    gas_t_score: float | None
    """Their GAS T-score, where the client consented; else None."""
    action_plan: ActionPlan | None
    """The action plan, where the client consented; else None."""


def sponsor_report(engagement: Engagement) -> SponsorReport:
    """The `SponsorReport` of *engagement*: what its sponsor may see. `ValueError` when
    the engagement has no sponsor."""
    if not isinstance(engagement, Engagement):
        raise InvalidType(f"'engagement' must be an Engagement (got {engagement!r})")
    sponsor = engagement.sponsor
    if sponsor is None:
        raise InvalidValue(f"engagement {engagement.id!r} has no sponsor to report to")
    view = engagement.seen_by(sponsor.id)
    agreement = view.agreement
    consents = engagement.consent  # the client's, in force now
    closed = next((e for e in view.events if isinstance(e, Closed)), None)
    held = next((e for e in view.events if isinstance(e, FollowUpHeld)), None)
    allocation = view.allocation
    shows_attainment = closed is not None and "attainment" in consents
    return SponsorReport(
        engagement_id=view.id,
        phase=view.phase,
        phase_since=view.phase_since,
        start=view.start,
        end=view.end,
        sessions_held=allocation.held,
        sessions_allotted=allocation.allotted,
        sessions_forfeited=allocation.forfeited,
        midpoint_reviewed=view.midpoint_reviewed,
        closed_on=view.day_of(closed.at) if closed is not None else None,
        follow_up_on=view.day_of(held.at) if held is not None else None,
        goals=view.goals if "goals" in consents and agreement is not None else None,
        attainment=closed.attainment if shows_attainment and closed is not None else None,
        gas_t_score=view.gas_t_score if shows_attainment else None,
        action_plan=closed.action_plan
        if closed is not None and "action_plan" in consents
        else None,
    )
