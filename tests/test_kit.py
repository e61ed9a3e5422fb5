"""The property-testing kit's options: features made by construction, pinned zones,
sponsors, policies, consents and session counts, and a strategy for every event class."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachflow import Engagement, Phase, Policy
from coachflow._values.events import EVENT_TYPES, Event
from coachflow.testing import FEATURES, engagements, events, policies

#: The event classes each feature makes sure of.
MADE = {
    "break": set(),
    "signatures": {"AgreementSigned"},
    "no_show": {"SessionBooked", "NoShowRecorded"},
    "void_no_show": {"NoShowRecorded", "NoShowVoided"},
    "late_cancellation": {"SessionBooked", "SessionCancelled"},
    "reschedule": {"SessionBooked", "SessionRescheduled"},
    "pause_until": {"Paused", "Resumed"},
    "extension": {"Extended"},
    "amendment": {"AgreementAmended"},
    "consent": {"ConsentGiven", "ConsentWithdrawn"},
    "correction": {"SessionCorrected"},
    "void_session": {"SessionVoided"},
    "coach_change": {"CoachChanged"},
    "follow_up_held": {"FollowUpHeld"},
    "follow_up_skipped": {"FollowUpSkipped"},
}


def kinds(engagement: Engagement) -> set[str]:
    return {type(event).__name__ for event in engagement.events}


def test_every_feature_says_what_it_makes() -> None:
    assert set(MADE) == set(FEATURES)


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_is_made_by_construction(feature: str) -> None:
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(engagements(features={feature}))
    def check(engagement: Engagement) -> None:
        assert MADE[feature] <= kinds(engagement)
        if feature == "break":
            assert engagement.agreement is not None and engagement.agreement.breaks
        if feature == "late_cancellation":
            assert any(c.late for c in engagement.cancellations)
        if feature == "pause_until":
            assert any(type(e).__name__ == "Paused" and e.until for e in engagement.events)  # type: ignore[attr-defined]

    check()


@settings(max_examples=60, deadline=None)
@given(engagements(features=set(FEATURES) - {"follow_up_held"}))
def test_every_feature_at_once(engagement: Engagement) -> None:
    wanted = set().union(*(MADE[f] for f in FEATURES if f != "follow_up_held"))
    assert wanted <= kinds(engagement)
    assert engagement.phase is Phase.COMPLETED


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_the_options_pin_what_they_name(data: st.DataObject) -> None:
    zone = data.draw(st.sampled_from(("Australia/Sydney", "America/Nuuk", "Europe/Stockholm")))
    policy = data.draw(policies())
    consents = data.draw(st.frozensets(st.sampled_from(("goals", "attainment", "action_plan"))))
    engagement = data.draw(
        engagements(
            zone=zone, policy=policy, consents=consents, min_sessions=3, phase=Phase.ACTIVE
        )
    )
    assert engagement.time_zone == ZoneInfo(zone)
    assert engagement.policy == policy
    assert engagement.consent == consents and engagement.sponsor is not None
    assert len(engagement.sessions) >= 3
    alone = data.draw(engagements(sponsor=False, phase=Phase.CLOSING))
    assert alone.sponsor is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"features": {"teleport"}}, "'features' may name only"),
        ({"features": {"no_show"}, "phase": Phase.AGREEMENT}, "has no sessions or features"),
        ({"features": {"follow_up_held"}, "phase": Phase.ACTIVE}, "once completed"),
        ({"features": {"follow_up_held", "follow_up_skipped"}}, "either held or skipped"),
        ({"consents": {"salary"}}, "'consents' may name only"),
        ({"min_sessions": -1}, "'min_sessions' must be an int in 0..40"),
        ({"policy": Policy({})}, "'policy' lets no party issue agree"),
    ],
)
def test_options_that_cannot_hold_are_refused_at_once(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        engagements(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", EVENT_TYPES, ids=lambda k: k.__name__)
def test_events_of_every_class(kind: type[Event]) -> None:
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(events(kind))
    def check(event: Event) -> None:
        assert type(event) is kind

    check()


def test_events_of_any_class_and_a_clear_error() -> None:
    @settings(max_examples=10, deadline=None)
    @given(events())
    def check(event: Event) -> None:
        assert type(event) in EVENT_TYPES

    check()
    with pytest.raises(TypeError, match="'kind' must be an event class"):
        events(Engagement)  # type: ignore[arg-type]
