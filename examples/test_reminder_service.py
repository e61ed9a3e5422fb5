"""Testing the reminder service the way we suggest users test their integrations:
with coachflow's strategies and a subclass of its state machine."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import invariant
from reminder_service import RECIPIENT, Outbox, reminders

from coachflow import Engagement, Event, Phase
from coachflow.testing import EngagementMachine, engagements


@given(engagements(), st.integers(-30, 400), st.integers(0, 14))
def test_reminders_go_to_a_party_of_the_engagement(
    engagement: Engagement, offset: int, horizon: int
) -> None:
    today = engagement.events[-1].at.date() + dt.timedelta(days=offset)
    parties = {engagement.coach.id, engagement.client.id}
    if engagement.sponsor is not None:
        parties.add(engagement.sponsor.id)
    for reminder in reminders(engagement, today, horizon_days=horizon):
        assert reminder.to in parties
        assert reminder.due <= today + dt.timedelta(days=horizon)
        assert reminder.overdue == (reminder.due < today)


@given(engagements(phase=Phase.COMPLETED))
def test_a_completed_engagement_needs_no_reminders(engagement: Engagement) -> None:
    assert reminders(engagement, dt.date(2031, 1, 1), horizon_days=10_000) == []


@given(engagements(phase=Phase.FOLLOW_UP))
def test_the_follow_up_reminder_goes_to_the_manager(engagement: Engagement) -> None:
    far = engagement.events[-1].at.date() + dt.timedelta(days=365)
    (reminder,) = reminders(engagement, far)
    assert reminder.code == "follow_up.hold"
    assert engagement.sponsor is not None
    assert reminder.to == engagement.sponsor.id
    assert reminder.overdue


class PlatformMachine(EngagementMachine):
    """Every event the engine accepts is published; nothing is published twice or lost."""

    def __init__(self) -> None:
        super().__init__()
        self.outbox = Outbox()

    def on_event(self, event: Event) -> None:
        self.outbox.publish(event)

    @invariant()
    def published_everything_once(self) -> None:
        assert tuple(self.outbox.sent) == self.engagement.events

    @invariant()
    def every_due_action_has_a_recipient(self) -> None:
        for action in self.engagement.next_actions(self.now.date()):
            assert action.party_id in self.engagement.parties or action.code in RECIPIENT


TestPlatform = PlatformMachine.TestCase
