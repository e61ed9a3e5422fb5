"""The plan of an engagement as an iCalendar file (RFC 5545), made with icalendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from coachflow._checks import describe
from coachflow._engagement import Engagement

__all__ = ["to_ics"]

PRODID = "-//coachflow//coaching engagement plan//EN"


def to_ics(
    engagement: Engagement,
    *,
    zone: ZoneInfo | None = None,
    at: dt.time = dt.time(9, 0),
) -> bytes:
    """The engagement's plan as an iCalendar file: every planned session (with the
    agreed modes), the midpoint review, the closing and the three-party follow-up.

    Each meeting starts at *at* local time in *zone* (default: the zone of the
    agreement's event, else UTC) and lasts the middle of the programme's normal
    minutes. UIDs are stable, so importing a later export updates the same entries;
    ``DTSTAMP`` is the time of the engagement's last event, so the output depends
    only on the engagement. Raises `ValueError` before the agreement.
    """
    from icalendar import Calendar, Event

    plan, programme, agreement = engagement.plan(), engagement.programme, engagement.agreement
    if plan is None or programme is None or agreement is None:
        raise ValueError(f"engagement {engagement.id!r} has no agreement yet, so no plan")
    if zone is not None and not isinstance(zone, ZoneInfo):
        raise TypeError(f"'zone' must be a ZoneInfo (got {describe(zone)})")
    if zone is None:
        agreed_at = engagement.events[1].at
        zone = agreed_at.tzinfo if isinstance(agreed_at.tzinfo, ZoneInfo) else ZoneInfo("UTC")
    low, high = programme.session_minutes
    length = dt.timedelta(minutes=(low + high) // 2)
    stamp = engagement.events[-1].at.astimezone(dt.UTC)
    modes = ", ".join(sorted(mode.value.replace("_", " ") for mode in agreement.modes))
    people = f"{engagement.coach.name} and {engagement.client.name}"

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Coaching: {engagement.client.name} ({engagement.id})")

    def meeting(key: str, day: dt.date, summary: str, description: str) -> None:
        event = Event()
        event.add("uid", f"{engagement.id}-{key}@coachflow")
        event.add("dtstamp", stamp)
        start = dt.datetime.combine(day, at, zone)
        event.add("dtstart", start)
        event.add("dtend", start + length)
        event.add("summary", summary)
        event.add("description", description)
        event.add("categories", ["coaching"])
        calendar.add_component(event)

    for number, day in enumerate(plan.sessions, start=1):
        meeting(
            f"session-{number}",
            day,
            f"Coaching session {number} of {len(plan.sessions)}",
            f"{people}. Agreed modes: {modes}.",
        )
    if plan.midpoint is not None:
        meeting(
            "midpoint",
            plan.midpoint,
            "Midpoint review",
            "Is the process heading the right way? Reformulate or supplement the goals.",
        )
    meeting(
        "closing",
        plan.closing,
        "Closing session",
        "Goal attainment, celebrating progress, and an action plan.",
    )
    if agreement.three_party_follow_up and engagement.sponsor is not None:
        meeting(
            "follow-up",
            plan.closing + dt.timedelta(days=programme.follow_up_within_days),
            "Three-party follow-up",
            f"{people} with {engagement.sponsor.name}: how did it go?",
        )
    calendar.add_missing_timezones()  # RFC 5545: a VTIMEZONE for every TZID used
    return bytes(calendar.to_ical())
