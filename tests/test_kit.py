"""The property-testing kit's options: features made by construction, pinned zones,
sponsors, policies, consents and session counts, and a strategy for every event class."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import Phase as HypothesisPhase
from hypothesis import strategies as st
from hypothesis.stateful import invariant, run_state_machine_as_test

from coachflow import Engagement, Phase, Policy
from coachflow._values.events import EVENT_TYPES, Event
from coachflow.testing import FEATURES, EngagementMachine, engagements, events, history, policies

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


# -- realistic lengths, full series, readable failures ---------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engagements(phase=Phase.COMPLETED, full_length=True))
def test_a_full_series_keeps_its_plan_and_closes_past_the_middle(engagement: Engagement) -> None:
    plan = engagement.plan()
    assert plan is not None
    closing = engagement.closing_begun
    assert closing is not None
    begun = engagement.day_of(closing.at)
    assert begun >= closing.middle  # never early
    assert "closing.early" not in {f.code for f in engagement.check(begun)}
    # every planned session day up to the closing was walked: held, or deviated from
    walked = [d for d in plan.sessions if d <= begun]
    assert len(engagement.events) >= len(walked) // 2


def test_full_length_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="'full_length' must be a bool"):
        engagements(full_length="yes")  # type: ignore[arg-type]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engagements(features={"no_show", "coach_change"}, phase=Phase.ACTIVE))
def test_history_writes_one_line_an_event(engagement: Engagement) -> None:
    text = history(engagement)
    lines = text.splitlines()
    assert len(lines) == 1 + len(engagement.events)
    assert lines[0].startswith(f"{engagement.id}: active, {len(engagement.events)} events")
    assert "no show recorded" in text and "coach changed" in text
    zone = engagement.time_zone
    assert zone is not None
    first = engagement.events[0].at.astimezone(zone)
    assert lines[1].startswith(f"  {first:%Y-%m-%d %H:%M}  opened")


def test_history_refuses_what_is_not_an_engagement() -> None:
    with pytest.raises(TypeError, match="'engagement' must be an Engagement"):
        history("eng-1")  # type: ignore[arg-type]


def test_a_failing_property_prints_the_history_it_failed_on() -> None:
    @settings(max_examples=50, deadline=None, database=None)
    @given(engagements(phase=Phase.ACTIVE))
    def false_property(engagement: Engagement) -> None:
        assert len(engagement.sessions) < 2

    with pytest.raises(AssertionError) as failure:
        false_property()
    notes = "\n".join(getattr(failure.value, "__notes__", []))
    assert "session recorded" in notes and ": active, " in notes, notes


def test_a_failing_machine_run_prints_the_history_it_failed_on() -> None:
    class Falsified(EngagementMachine):
        @invariant()
        def never_active(self) -> None:
            assert self.engagement.phase is not Phase.ACTIVE

    with pytest.raises(AssertionError) as failure:
        run_state_machine_as_test(
            Falsified,
            settings=settings(  # generated, not shrunk: quick, and the notes are the same
                max_examples=20,
                stateful_step_count=10,
                deadline=None,
                database=None,
                phases=[HypothesisPhase.generate],
            ),
        )
    notes = "\n".join(getattr(failure.value, "__notes__", []))
    assert "eng-machine: active" in notes and " agreed " in notes, notes
