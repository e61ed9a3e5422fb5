"""The strategy of engagements in any phase, each built through the public commands."""

from __future__ import annotations

from hypothesis import strategies as st

from coachflow._engagement import Engagement
from coachflow._values.enums import Phase
from coachflow._values.failures import InvalidType
from coachflow._values.model import Programme
from coachflow.testing._builder import Builder

__all__ = ["engagements"]

_NON_TERMINAL = tuple(p for p in Phase if not p.is_terminal)


def engagements(
    *, phase: Phase | None = None, programme: Programme | None = None
) -> st.SearchStrategy[Engagement]:
    """Engagements built through the public commands, so every one is reachable.

    ``phase`` pins the phase the engagement ends up in (any phase, terminal ones
    included); ``programme`` pins the agreed programme.
    """
    if phase is not None and not isinstance(phase, Phase):
        raise InvalidType(f"'phase' must be a Phase or None (got {phase!r})")
    if programme is not None and not isinstance(programme, Programme):
        raise InvalidType(f"'programme' must be a Programme or None (got {programme!r})")
    phases = st.just(phase) if phase is not None else st.sampled_from(Phase)
    return phases.flatmap(lambda p: _engagement_in(p, programme))


@st.composite
def _engagement_in(draw: st.DrawFn, target: Phase, programme: Programme | None) -> Engagement:
    before = target
    if target is Phase.TERMINATED:
        before = draw(st.sampled_from(_NON_TERMINAL))
    # a completed engagement went through its three-party follow-up half the time
    follow_up = before is Phase.FOLLOW_UP or (before is Phase.COMPLETED and draw(st.booleans()))
    builder = Builder(draw, programme=programme, needs_sponsor=follow_up)
    builder.reach(before)
    if target is Phase.TERMINATED:
        builder.terminate()
    return builder.engagement
