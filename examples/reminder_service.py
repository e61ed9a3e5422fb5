"""A small reminder service, the kind of thing a coaching platform builds on coachflow.

Each morning it asks every engagement what is due and sends a reminder for what is due
within a few days (or overdue), to the party who should act. Run it to see the
reminders for the demo engagement halfway through its series; its tests are in
``test_reminder_service.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coachflow import Engagement, Event

#: Who is reminded of each action (where the action names no party of its own).
RECIPIENT = {
    "agreement.make": "coach",
    "session.book": "client",
    "midpoint.begin": "coach",
    "midpoint.complete": "coach",
    "engagement.resume": "coach",
    "closing.begin": "coach",
    "closing.close": "coach",
    "follow_up.hold": "sponsor",
    "booking.confirm": "coach",
}


@dataclass(frozen=True)
class Reminder:
    engagement_id: str
    to: str
    code: str
    due: dt.date
    overdue: bool


def reminders(engagement: Engagement, today: dt.date, *, horizon_days: int = 3) -> list[Reminder]:
    """The reminders to send *today*: actions due within *horizon_days* or overdue."""
    parties = {
        "coach": engagement.coach.id,
        "client": engagement.client.id,
        "sponsor": engagement.sponsor.id if engagement.sponsor else engagement.coach.id,
    }
    horizon = today + dt.timedelta(days=horizon_days)
    return [
        Reminder(
            engagement.id, a.party_id or parties[RECIPIENT[a.code]], a.code, a.due, a.due < today
        )
        for a in engagement.next_actions(today)
        if a.due <= horizon
    ]


class Outbox:
    """Collects published events, as a message bus would."""

    def __init__(self) -> None:
        self.sent: list[Event] = []

    def publish(self, event: Event) -> None:
        self.sent.append(event)


def main() -> None:
    from coachflow._outputs.demo import demo_engagement

    history = demo_engagement().events
    halfway = Engagement.replay(history[:7])  # the agreement and the first five sessions
    today = dt.date(2027, 4, 1)
    for reminder in reminders(halfway, today, horizon_days=14):
        flag = " (overdue)" if reminder.overdue else ""
        print(f"{today}: remind {reminder.to} of {reminder.code}, due {reminder.due}{flag}")


if __name__ == "__main__":
    main()
