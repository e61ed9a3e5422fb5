"""Reports: counts across many engagements (what HR and coaching firms count), and
what a sponsor may see of one engagement."""

from __future__ import annotations

import datetime as dt
import types
from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

from coachflow._engagement import Engagement
from coachflow._values.enums import EndReason, Phase
from coachflow._values.events import Closed, FollowUpHeld
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.model import Goal
from coachflow._values.outcomes import ActionPlan, Attainment
from coachflow._values.validation import describe, require_date

__all__ = ["SMALLEST_GROUP", "Report", "SponsorReport", "report", "sponsor_report"]

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
    endings: Mapping[EndReason, int] = attrs.field(converter=_frozen, hash=False, factory=dict)
    """Engagements ended early (`terminate`), by `EndReason` (every reason listed)."""
    for_sponsor: bool = False
    """Whether small groups were withheld."""


def report(
    engagements: Iterable[Engagement], today: dt.date, *, for_sponsor: bool = False
) -> Report:
    """Count *engagements* as of *today*: phases, findings by code (engagements with
    each), actions due by *today* by code, the GAS T-scores of the closed ones, and the
    engagements ended early by their `EndReason`.

    With *for_sponsor*, any count below 3 is withheld (reported as 0) and a GAS list
    shorter than 3 is withheld (``()``), so that no one person can be singled out.
    """
    require_date("today", today)
    phases: Counter[Phase] = Counter()
    findings: Counter[str] = Counter()
    due: Counter[str] = Counter()
    gas: list[float] = []
    endings: Counter[EndReason] = Counter()
    count = 0
    for engagement in engagements:
        if not isinstance(engagement, Engagement):
            raise InvalidType(f"'engagements' must hold Engagements (got {describe(engagement)})")
        count += 1
        phases[engagement.phase] += 1
        findings.update({finding.code for finding in engagement.check(today)})
        due.update(a.code for a in engagement.next_actions(today) if a.due <= today)
        if (ended := engagement.terminated) is not None:
            endings[ended.end_reason] += 1
        score = engagement.gas_t_score
        if score is not None:
            gas.append(score)

    def shown(n: int) -> int:
        return 0 if for_sponsor and n < SMALLEST_GROUP else n

    return Report(
        engagements=shown(count),
        phases={phase: shown(phases[phase]) for phase in Phase},
        findings={code: shown(n) for code, n in sorted(findings.items())},
        due={code: shown(n) for code, n in sorted(due.items())},
        gas=() if for_sponsor and len(gas) < SMALLEST_GROUP else tuple(gas),
        endings={reason: shown(endings[reason]) for reason in EndReason},
        for_sponsor=for_sponsor,
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
