"""Findings and next actions read as a person writes them, in both languages: no ISO
dates, no Python reprs or raw values, the right plural, a decimal comma in Swedish; their
params keep the raw values for machines. (Refusals: `test_kit_census.py`.)"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings

from builders import START, active, at, days, session
from coachflow import Action, Booking, Engagement, Finding, Mode
from coachflow.testing import engagements
from sentences import flaws


def _said(engagement: Engagement, locale: str) -> list[tuple[str, str]]:
    zone = engagement.time_zone or dt.UTC
    today = engagement.events[-1].at.astimezone(zone).date()
    found: list[Finding | Action] = [*engagement.check(today, locale=locale)]
    found += engagement.check(today + dt.timedelta(days=120), locale=locale)
    found += engagement.next_actions(today, locale=locale)
    return [(item.code, item.message) for item in found]


@settings(max_examples=150)
@given(engagements())
def test_findings_and_actions_read_as_a_person_writes(engagement: Engagement) -> None:
    for locale in ("en", "sv"):
        for code, message in _said(engagement, locale):
            assert flaws(message, locale) == [], (locale, code, message)


def test_the_check_catches_what_a_program_writes() -> None:
    assert flaws("0 session(s) held by 2027-05-31", "en") == [
        "an ISO date",
        "a singular after many",
        "(s) for a plural",
    ]
    assert flaws("a session held 'phone' (['digital'])", "en") == ["a Python repr", "a raw value"]
    assert flaws("+1 days, 3 day", "en") == ["a plural after 1", "a singular after many"]
    assert flaws("avbokades 21.5 timmar före, kl. 09.30", "sv") == ["a decimal point in Swedish"]
    assert flaws("avbokades 21,5 timmar före, kl. 09.30", "sv") == []


@pytest.mark.parametrize(
    ("hours", "english", "swedish"),
    [
        (1, "1 hour", "1 timme"),
        (0, "0 hours", "0 timmar"),
        (21.5, "21.5 hours", "21,5 timmar"),
    ],
)
def test_a_late_cancellation_in_both_languages(hours: float, english: str, swedish: str) -> None:
    engagement = active()
    starts = at(START + days(3), 10)
    engagement.book_session(Booking("b1", starts, 60, Mode.IN_PERSON), at=at(START, 9), by="coach")
    engagement.cancel_session(
        "b1", at=starts - dt.timedelta(hours=hours), by="client", reason="ill"
    )
    day = START + days(3)
    (en,) = [
        f for f in engagement.check(day, locale="en") if f.code == "session.late_cancellation"
    ]
    (sv,) = [
        f for f in engagement.check(day, locale="sv") if f.code == "session.late_cancellation"
    ]
    assert en.message.startswith(
        f"booking 'b1' for 14 January 2027 at 10:00 was cancelled by the client {english} before"
    )
    assert sv.message.startswith(
        f"bokningen 'b1' den 14 januari 2027 kl. 10.00 avbokades av klienten {swedish} före"
    )
    assert en.params["hours_notice"] == hours  # the raw value for machines


def test_params_keep_iso_dates_while_the_message_speaks() -> None:
    engagement = active()
    engagement.record_session(session(START), at=at(START, 12), by="coach")
    engagement.record_session(session(START), at=at(START, 13), by="coach")
    (duplicate,) = [f for f in engagement.check(START) if f.code == "session.duplicate"]
    assert duplicate.params["held_at"] == session(START).held_at.isoformat()
    assert "11 January 2027 at 10:00" in duplicate.message
