"""Who sees what: views of an engagement, erasure, all read from the fields' declarations.

Each personal text field of a value or event class declares its `Visibility` in its
attrs metadata (`visible_to`); fields that are not personal (ids, zones, rules) say
`NOT_PERSONAL`. This module walks the classes by those declarations alone, so a new
personal field is covered by views and erasure the moment it declares who may see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs

from coachflow._events import Closed, Event, FollowUpHeld
from coachflow._model import ActionPlan, Attainment, Goal, Phase, Role, Visibility

if TYPE_CHECKING:
    from coachflow._engagement import Engagement

__all__ = [
    "REDACTED",
    "SponsorReport",
    "erased",
    "redacted",
    "seer",
    "sponsor_report",
]

REDACTED = "[redacted]"
"""What a text reads as where it may not be seen, or after erasure."""

Seer = Callable[[Visibility, str | None], bool]
"""``seer(visibility, consent)``: whether a viewer may see a field so declared."""


def seer(role: Role, consents: Iterable[str]) -> Seer:
    """Who a party of *role* is: the coach sees everything, the client what is theirs,
    the sponsor what every party sees and what the client consented to show."""
    given = frozenset(consents)

    def sees(visibility: Visibility, consent: str | None) -> bool:
        if role is Role.COACH or visibility is Visibility.SPONSOR:
            return True
        if role is Role.CLIENT:
            return visibility is Visibility.CLIENT
        return consent is not None and consent in given and visibility is Visibility.CLIENT

    return sees


def _nobody(visibility: Visibility, consent: str | None) -> bool:
    return False


def _hidden(value: object) -> object:
    if isinstance(value, str):
        return REDACTED if value else value
    if isinstance(value, tuple):
        return tuple(REDACTED if item else item for item in value)
    return value  # pragma: no cover - personal fields are texts or tuples of texts


def redacted(value: Any, sees: Seer) -> Any:
    """*value* (a value or an event) with every text *sees* may not see replaced by
    `REDACTED`, recursively; the same object when nothing changes."""
    if not attrs.has(type(value)):
        if isinstance(value, tuple):
            items = tuple(redacted(item, sees) for item in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        return value
    changes: dict[str, object] = {}
    for field in attrs.fields(type(value)):
        current = getattr(value, field.name)
        visibility = field.metadata.get("visibility")
        if isinstance(visibility, Visibility):
            if not sees(visibility, field.metadata.get("consent")):
                hidden = _hidden(current)
                if hidden != current:
                    changes[field.name] = hidden
        elif attrs.has(type(current)) or isinstance(current, tuple):
            inner = redacted(current, sees)
            if inner is not current:
                changes[field.name] = inner
    return attrs.evolve(value, **changes) if changes else value


def erased(events: Iterable[Event]) -> list[Event]:
    """*events* with every personal text replaced by `REDACTED` (the parties' names
    included): what erasure keeps. Phases, dates, durations, modes, scores and ids stay."""
    return [redacted(event, _nobody) for event in events]


def erased_kinds(events: Iterable[Event]) -> tuple[str, ...]:
    """The personal fields (``"Class.field"``) that hold any text in *events*: what an
    erasure of them removes, sorted."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, tuple):
            for item in value:
                walk(item)
            return
        if not attrs.has(type(value)):
            return
        for field in attrs.fields(type(value)):
            current = getattr(value, field.name)
            if isinstance(field.metadata.get("visibility"), Visibility):
                texts = current if isinstance(current, tuple) else (current,)
                if any(text and text != REDACTED for text in texts):
                    found.add(f"{type(value).__name__}.{field.name}")
            else:
                walk(current)

    for event in events:
        walk(event)
    return tuple(sorted(found))


@attrs.frozen
class SponsorReport:
    """What the sponsor (the client's manager) may see of one engagement.

    Always: its phase and dates, and counts of sessions. The goals, the attainment
    (scores, their GAS T-score and comments) and the action plan only where the client
    consented (`Agreement.sponsor_sees`); None where not.
    """

    engagement_id: str
    phase: Phase
    phase_since: dt.date
    start: dt.date | None
    end: dt.date | None
    sessions_held: int
    sessions_allotted: int
    sessions_forfeited: int
    midpoint_reviewed: bool
    closed_on: dt.date | None
    follow_up_on: dt.date | None
    goals: tuple[Goal, ...] | None
    attainment: tuple[Attainment, ...] | None
    gas_t_score: float | None
    action_plan: ActionPlan | None


def sponsor_report(engagement: Engagement) -> SponsorReport:
    """The `SponsorReport` of *engagement*: what its sponsor may see. `ValueError` when
    the engagement has no sponsor."""
    from coachflow._engagement import Engagement
    from coachflow._gas import gas_t_score

    if not isinstance(engagement, Engagement):
        raise TypeError(f"'engagement' must be an Engagement (got {engagement!r})")
    sponsor = engagement.sponsor
    if sponsor is None:
        raise ValueError(f"engagement {engagement.id!r} has no sponsor to report to")
    view = engagement.seen_by(sponsor.id)
    agreement = view.agreement
    consents = agreement.sponsor_sees if agreement is not None else frozenset()
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
        gas_t_score=gas_t_score(closed.attainment)
        if shows_attainment and closed is not None
        else None,
        action_plan=closed.action_plan
        if closed is not None and "action_plan" in consents
        else None,
    )
