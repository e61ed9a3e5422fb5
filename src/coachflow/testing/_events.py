"""Strategies of policies and of single events, each event taken from an engagement built
through the public commands (so it is one a real history holds)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from coachflow._values.enums import Phase
from coachflow._values.events import EVENT_TYPES, Event
from coachflow._values.failures import InvalidType
from coachflow._values.model import Programme
from coachflow._values.validation import describe
from coachflow.testing._engagements import engagements
from coachflow.testing._strategies import policies

__all__ = ["events"]

#: Where each event class is sure to be found: the options of `engagements` that make it.
_MAKES: dict[str, dict[str, Any]] = {
    "Opened": {},
    "Agreed": {"phase": Phase.ACTIVE},
    "AgreementSigned": {"features": {"signatures"}},
    "AgreementAmended": {"features": {"amendment"}},
    "ConsentGiven": {"features": {"consent"}},
    "ConsentWithdrawn": {"features": {"consent"}},
    "SessionRecorded": {"min_sessions": 1},
    "SessionCorrected": {"features": {"correction"}},
    "SessionVoided": {"features": {"void_session"}},
    "SessionBooked": {"features": {"reschedule"}},
    "SessionRescheduled": {"features": {"reschedule"}},
    "SessionCancelled": {"features": {"late_cancellation"}},
    "NoShowRecorded": {"features": {"no_show"}},
    "NoShowVoided": {"features": {"void_no_show"}},
    "MidpointReviewBegun": {"phase": Phase.MIDPOINT_REVIEW},
    "MidpointReviewCompleted": {
        "phase": Phase.CLOSING,
        "programme": Programme(6, midpoint_review=True),
    },
    "Paused": {"features": {"pause_until"}},
    "Resumed": {"features": {"pause_until"}},
    "Extended": {"features": {"extension"}},
    "CoachChanged": {"features": {"coach_change"}},
    "ClosingBegun": {"phase": Phase.CLOSING},
    "Closed": {"phase": Phase.COMPLETED},
    "FollowUpHeld": {"features": {"follow_up_held"}},
    "FollowUpSkipped": {"features": {"follow_up_skipped"}},
    "Terminated": {"phase": Phase.TERMINATED},
}
assert set(_MAKES) == {kind.__name__ for kind in EVENT_TYPES}, "an event class without a maker"


def events(kind: type[Event] | None = None) -> st.SearchStrategy[Event]:
    """Single events of class *kind* (any event class when None), each one of a history
    built through the public commands: an engagement is made that surely holds one
    (`engagements` with the phase or feature that makes it), and one is drawn from it."""
    if kind is None:
        return st.sampled_from(EVENT_TYPES).flatmap(events)
    if kind not in EVENT_TYPES:
        raise InvalidType(f"'kind' must be an event class of coachflow (got {describe(kind)})")
    options = _MAKES[kind.__name__]
    if kind.__name__ == "Opened":  # the organisation's policy is the opening's to record
        made = (st.just(None) | policies()).flatmap(lambda p: engagements(policy=p))
    else:
        made = engagements(**options)
    return made.flatmap(
        lambda engagement: st.sampled_from([e for e in engagement.events if type(e) is kind])
    )
