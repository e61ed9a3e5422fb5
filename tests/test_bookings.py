"""Sessions as they happen: bookings, moves, cancellations, no-shows, the allocation and
the rhythm. Each new code has a case that raises it and a clean one that does not."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from builders import CLIENT, COACH, START, active, agreement, at, days, session
from coachflow import (
    Agreement,
    Allocation,
    Booking,
    Engagement,
    Goal,
    Mode,
    Phase,
    Programme,
    RuleViolation,
    from_json,
    to_dict,
    to_json,
)
from coachflow.testing import rhythms

MONDAY = START  # 2027-01-11 is a Monday


def booking(id: str = "b1", when: dt.datetime | None = None, minutes: int = 60) -> Booking:
    return Booking(id, when or at(START + days(14), 10), minutes, Mode.DIGITAL)


def booked(*ids: str, **programme: Any) -> Engagement:
    """An active engagement with bookings *ids*, a week apart from START + 14 days."""
    eng = active(**programme)
    for n, id in enumerate(ids):
        eng.book_session(booking(id, at(START + days(14 + 7 * n), 10)), at=at(START), by="client")
    return eng


def codes(eng: Engagement, today: dt.date) -> list[str]:
    return [finding.code for finding in eng.check(today)]


# -- the value ---------------------------------------------------------------------------


def test_a_booking_keeps_its_instant_and_refuses_bad_values() -> None:
    made = booking()
    assert made.starts_at == at(START + days(14), 10)
    assert made.starts_at.utcoffset() == dt.timedelta(hours=1)
    with pytest.raises(ValueError, match="'starts_at' must be a timezone-aware datetime"):
        Booking("b", dt.datetime(2027, 1, 1, 9), 60, Mode.PHONE)
    with pytest.raises(ValueError, match="'minutes' must be >= 1"):
        Booking("b", at(START), 0, Mode.PHONE)
    with pytest.raises(ValueError, match="'id' must not be empty"):
        Booking(" ", at(START), 60, Mode.PHONE)
    with pytest.raises(TypeError, match="'mode' must be a Mode"):
        Booking("b", at(START), 60, "phone")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sessions", 0, "'sessions' must be >= 1"),
        ("sessions", 1117, "'sessions' must be <= 1116"),
        ("cancellation_notice_hours", -1, "'cancellation_notice_hours' must be >= 0"),
        ("cancellation_notice_hours", 8785, "'cancellation_notice_hours' must be <= 8784"),
        ("late_cancellation_counts", 1, "'late_cancellation_counts' must be a bool"),
    ],
)
def test_the_programme_bounds_its_new_fields(field: str, value: object, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        Programme(6, **{field: value})  # type: ignore[arg-type]


def test_the_allotment_is_the_package_or_the_cadence() -> None:
    assert Programme(6).allotted == 12
    assert Programme(6, sessions_per_month=3).allotted == 18
    assert Programme(6, sessions=10).allotted == 10


# -- the rhythm ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rhythm", "reason"),
    [
        ("WEEKLY", "expected NAME=VALUE parts"),
        ("FREQ=HOURLY", "FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY"),
        ("BYDAY=MO", "FREQ must be one of"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY takes weekdays such as MO"),
        ("FREQ=WEEKLY;FREQ=DAILY", "FREQ is given twice"),
        ("FREQ=DAILY;UNTIL=2027-02-01", "UNTIL must be a date or date-time"),
        ("FREQ=WEEKLY;BYHOUR=25", "BYHOUR values must be in 0..23 (got 25)"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL values must be in 1..1000 (got 0)"),
        ("FREQ=WEEKLY;INTERVAL=-1", "INTERVAL values must be in 1..1000 (got -1)"),
        ("FREQ=DAILY;COUNT=-1", "COUNT values must be in 1..1000 (got -1)"),
        ("FREQ=MONTHLY;BYMONTH=13", "BYMONTH values must be in 1..12 (got 13)"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY values must be in ±1..31 (got 0)"),
        ("FREQ=YEARLY;BYWEEKNO=0", "BYWEEKNO values must be in ±1..53 (got 0)"),
        ("FREQ=WEEKLY;BYWEEKNO=2", "BYWEEKNO may be used with FREQ=YEARLY only"),
        ("FREQ=DAILY;BYHOUR=9,15", "BYHOUR takes one value"),
        ("FREQ=WEEKLY;BYDAY=1MO", "a numbered BYDAY (1MO) needs FREQ=MONTHLY or YEARLY"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "it never occurs"),
        ("FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2", "it never occurs"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "UNTIL and COUNT must not both be given"),
        ("FREQ=WEEKLY;BYFOO=1", "RFC 5545 knows no part BYFOO"),
        ("FREQ=WEEKLY;WKST=XX", "WKST must be a weekday"),
        ("FREQ=WEEKLY\nRRULE:FREQ=DAILY", "one line without spaces"),
        ("FREQ=WEEKLY;", "expected NAME=VALUE parts"),
        ("", "expected NAME=VALUE parts"),
    ],
)
def test_a_rhythm_that_is_no_rrule_is_refused_saying_why(rhythm: str, reason: str) -> None:
    with pytest.raises(ValueError, match="'rhythm' must be an RFC 5545 RRULE") as caught:
        Agreement(Programme(6), START, (Goal("g", "x"),), {Mode.PHONE}, rhythm=rhythm)
    assert reason in str(caught.value)


def test_a_rhythm_must_be_text() -> None:
    with pytest.raises(TypeError, match="'rhythm' must be an RFC 5545 RRULE"):
        Agreement(Programme(6), START, (Goal("g", "x"),), {Mode.PHONE}, rhythm=5)  # type: ignore[arg-type]


def test_the_plan_follows_the_rhythm_and_the_calendar_its_time_of_day() -> None:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, at=at(START - days(7)))
    rhythm = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9;BYMINUTE=30"
    eng.agree(
        Agreement(Programme(6), START, (Goal("g", "x"),), {Mode.PHONE}, rhythm=rhythm),
        at=at(START - days(7), 10),
        by="coach",
    )
    plan = eng.plan()
    assert plan is not None
    assert len(plan.sessions) == 12  # 13 Mondays fit; the programme allots 12 ...
    assert plan.sessions[:2] == (MONDAY, MONDAY + days(14))
    assert all((day - MONDAY).days % 14 == 0 for day in plan.sessions)  # on the rhythm
    assert plan.sessions[-1] >= plan.end - days(28)  # ... spread over the whole series
    from coachflow import to_ics

    text = to_ics(eng).decode()
    assert "DTSTART;TZID=Europe/Stockholm:20270111T093000" in text


def test_a_rhythm_skips_the_days_of_a_pause_and_goes_on_after() -> None:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, at=at(START - days(7)))
    eng.agree(
        Agreement(
            Programme(3), START, (Goal("g", "x"),), {Mode.PHONE}, rhythm="FREQ=WEEKLY;BYDAY=MO"
        ),
        at=at(START - days(7), 10),
        by="coach",
    )
    eng.pause(at=at(START + days(20)), by="client", reason="illness")  # Sunday 01-31
    eng.resume(at=at(START + days(35)), by="client")  # 02-15: the pause held two Mondays
    plan = eng.plan()
    assert plan is not None
    assert dt.date(2027, 2, 1) not in plan.sessions
    assert dt.date(2027, 2, 8) not in plan.sessions
    assert plan.sessions[2] >= dt.date(2027, 2, 15)  # the plan goes on after the pause
    assert all(day.weekday() == 0 for day in plan.sessions)


@given(
    rhythm=rhythms(),
    months=st.integers(1, 12),
    start=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    sessions=st.none() | st.integers(1, 40),
)
def test_with_a_rhythm_every_planned_date_matches_the_rule(
    rhythm: str, months: int, start: dt.date, sessions: int | None
) -> None:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, at=at("2024-01-01"))
    programme = Programme(months, sessions=sessions)
    eng.agree(
        Agreement(programme, start, (Goal("g", "x"),), {Mode.PHONE}, rhythm=rhythm),
        at=at("2024-01-01"),
        by="coach",
    )
    plan = eng.plan()
    assert plan is not None
    body = rhythm.removeprefix("RRULE:")
    rule = rrulestr(body, dtstart=dt.datetime.combine(start, dt.time()))
    expected = [
        m.date()
        for m in rule.between(
            dt.datetime.combine(start, dt.time()),
            dt.datetime.combine(plan.end, dt.time()) - dt.timedelta(microseconds=1),
            inc=True,
        )
    ]
    assert set(plan.sessions) <= set(expected)  # every planned day is the rule's
    assert list(plan.sessions) == sorted(set(plan.sessions))  # in order, none twice
    in_months = [(day.year, day.month) for day in plan.sessions]
    assert all(in_months.count(m) <= programme.sessions_per_month for m in in_months)
    assert len(plan.sessions) <= programme.allotted
    short = [f for f in eng.check(plan.end) if f.code == "plan.short"]
    assert bool(short) == (len(plan.sessions) < programme.allotted)


@given(
    months=st.integers(1, 36),
    per_month=st.integers(1, 8),
    start=st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)),
    pause=st.none() | st.tuples(st.integers(0, 200), st.integers(1, 120)),
)
def test_without_a_rhythm_no_weekend_and_the_cadence_count(
    months: int, per_month: int, start: dt.date, pause: tuple[int, int] | None
) -> None:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, at=at("2000-01-01"))
    eng.agree(
        Agreement(Programme(months, per_month), start, (Goal("g", "x"),), {Mode.PHONE}),
        at=at("2000-01-01"),
        by="coach",
    )
    if pause is not None:
        begin = at(start + days(pause[0]))
        eng.pause(at=begin, by="client", reason="leave")
        eng.resume(at=begin + days(pause[1]), by="client")
    plan = eng.plan()
    assert plan is not None
    assert len(plan.sessions) == months * per_month  # exactly what the cadence implies
    assert all(day.weekday() < 5 for day in plan.sessions)
    assert list(plan.sessions) == sorted(plan.sessions)
    assert all(start <= day < plan.end for day in plan.sessions)
    for paused, resumed in eng.pauses:
        assert not any(paused <= day < resumed for day in plan.sessions)


# -- the commands ----------------------------------------------------------------------------


def test_booking_moving_and_fulfilling_a_session() -> None:
    eng = booked("b1", "b2")
    assert [b.id for b in eng.bookings] == ["b1", "b2"]
    moved = eng.reschedule_session(
        "b2", starts_at=at(START + days(3), 8), at=at(START), by="client"
    )
    assert moved.starts_at == at(START + days(3), 8)
    assert [b.id for b in eng.bookings] == ["b2", "b1"]  # by start
    recorded = eng.record_session(
        session(START + days(3)), at=at(START + days(3), 12), by="coach", booking_id="b2"
    )
    assert recorded.booking_id == "b2"
    assert [b.id for b in eng.bookings] == ["b1"]
    assert eng.allocation == Allocation(allotted=12, held=1, forfeited=0, remaining=11)
    assert from_json(to_json(eng)) == eng
    assert Engagement.replay(eng.events) == eng


def test_bookings_may_be_made_and_cancelled_while_paused() -> None:
    eng = active()
    eng.pause(at=at(START), by="client", reason="parental leave", until=START + days(60))
    eng.book_session(booking("b1", at(START + days(61), 9)), at=at(START + days(1)), by="client")
    eng.cancel_session("b1", at=at(START + days(2)), by="client", reason="leave is longer")
    assert eng.phase is Phase.PAUSED
    assert eng.bookings == ()


@pytest.mark.parametrize(
    ("command", "arguments"),
    [
        ("reschedule_session", {"starts_at": at(START + days(20))}),
        ("cancel_session", {"reason": "ill"}),
        ("record_no_show", {}),
    ],
)
def test_an_unknown_or_settled_booking_is_refused_and_changes_nothing(
    command: str, arguments: dict[str, Any]
) -> None:
    eng = booked("b1")
    before = to_dict(eng)
    with pytest.raises(RuleViolation) as caught:
        getattr(eng, command)("nope", at=at(START + days(30)), by="coach", **arguments)
    finding = caught.value.findings[0]
    assert finding.code == "booking.unknown"
    assert finding.params == {"booking_id": "nope"}
    assert "open bookings: 'b1'" in finding.message
    assert to_dict(eng) == before

    eng.cancel_session("b1", at=at(START + days(1)), by="coach", reason="moved")
    before = to_dict(eng)
    with pytest.raises(RuleViolation) as caught:
        getattr(eng, command)("b1", at=at(START + days(30)), by="coach", **arguments)
    assert caught.value.findings[0].code == "booking.settled"
    assert to_dict(eng) == before


def test_a_session_cannot_fulfil_a_settled_or_unknown_booking() -> None:
    eng = booked("b1")
    eng.record_session(
        session(START + days(14)), at=at(START + days(14), 12), by="coach", booking_id="b1"
    )
    before = to_dict(eng)
    for booking_id, code in (("b1", "booking.settled"), ("b9", "booking.unknown")):
        with pytest.raises(RuleViolation) as caught:
            eng.record_session(
                session(START + days(15)),
                at=at(START + days(15), 12),
                by="coach",
                booking_id=booking_id,
            )
        assert caught.value.findings[0].code == code
    assert to_dict(eng) == before


def test_a_booking_id_is_used_once() -> None:
    eng = booked("b1")
    eng.cancel_session("b1", at=at(START + days(1)), by="client", reason="ill")
    with pytest.raises(RuleViolation) as caught:
        eng.book_session(booking("b1"), at=at(START + days(2)), by="client")
    assert caught.value.findings[0].code == "booking.duplicate_id"
    assert caught.value.findings[0].params == {"booking_id": "b1"}


def test_a_booking_before_the_start_is_refused() -> None:
    eng = active()
    with pytest.raises(ValueError, match="'starts_at' must fall on or after the agreement's"):
        eng.book_session(booking("b1", at(START - days(1))), at=at(START - days(5)), by="coach")
    eng.book_session(booking("b1"), at=at(START - days(5)), by="coach")
    with pytest.raises(ValueError, match="'starts_at' must fall on or after the agreement's"):
        eng.reschedule_session("b1", starts_at=at(START - days(1)), at=at(START), by="coach")


def test_a_no_show_is_recorded_once_the_time_has_come() -> None:
    eng = booked("b1")
    starts = eng.bookings[0].starts_at
    with pytest.raises(ValueError, match="a no-show is recorded once the time has come"):
        eng.record_no_show("b1", at=starts - dt.timedelta(minutes=1), by="coach")
    eng.record_no_show("b1", at=starts, by="coach")
    assert eng.bookings == ()


# -- late or timely: the notice, in real hours ----------------------------------------------


def _cancelled(
    notice: dt.timedelta, *, starts: dt.datetime, by: str = "client", **kw: Any
) -> Engagement:
    eng = active(**kw)
    eng.book_session(booking("b1", starts), at=at(START - days(6)), by="client")
    eng.cancel_session("b1", at=starts - notice, by=by, reason="a clash")
    return eng


@pytest.mark.parametrize(
    ("notice", "late"),
    [
        (dt.timedelta(hours=24), False),  # exactly the notice: in time
        (dt.timedelta(hours=24, seconds=1), False),
        (dt.timedelta(hours=24) - dt.timedelta(seconds=1), True),
        (dt.timedelta(hours=1), True),
        (-dt.timedelta(hours=1), True),  # after the start
    ],
)
def test_late_is_less_than_the_notice_before_the_start(notice: dt.timedelta, late: bool) -> None:
    eng = _cancelled(notice, starts=at(START + days(14), 10))
    found = codes(eng, START + days(30))
    assert ("session.late_cancellation" in found) is late
    assert eng.allocation.forfeited == (1 if late else 0)


def test_the_notice_counts_real_hours_across_the_spring_forward_night() -> None:
    # Stockholm skips 02:00-03:00 on 2027-03-28: from 09:30 on the 27th to 09:00 on the 28th
    # the wall clock says 23.5 hours, the real clock 22.5
    starts = at("2027-03-28", 9)
    eng = active(cancellation_notice_hours=23)
    eng.book_session(booking("b1", starts), at=at(START), by="client")
    eng.cancel_session("b1", at=at("2027-03-27", 9, 30), by="client", reason="a clash")
    late = [f for f in eng.check(dt.date(2027, 4, 1)) if f.code == "session.late_cancellation"]
    assert late[0].params["hours_notice"] == 22.5
    assert late[0].on == dt.date(2027, 3, 27)
    # and in autumn the night has 25 hours: 23 wall-clock hours are 24 real ones
    starts = at("2027-10-31", 8)
    eng = active(cancellation_notice_hours=24, months=12)
    eng.book_session(booking("b2", starts), at=at(START), by="client")
    eng.cancel_session("b2", at=at("2027-10-30", 9), by="client", reason="a clash")
    assert "session.late_cancellation" not in codes(eng, dt.date(2027, 11, 1))


def test_who_cancels_late_and_the_programme_decide_whether_a_session_is_used() -> None:
    starts = at(START + days(14), 10)
    by_client = _cancelled(dt.timedelta(hours=2), starts=starts)
    by_coach = _cancelled(dt.timedelta(hours=2), starts=starts, by="coach")
    free = _cancelled(dt.timedelta(hours=2), starts=starts, late_cancellation_counts=False)
    assert by_client.allocation.forfeited == 1
    assert by_coach.allocation.forfeited == 0
    assert free.allocation.forfeited == 0
    for eng, forfeits, role in (
        (by_client, True, "client"),
        (by_coach, False, "coach"),
        (free, False, "client"),
    ):
        (finding,) = [
            f for f in eng.check(START + days(30)) if f.code == "session.late_cancellation"
        ]
        assert finding.params["forfeits"] is forfeits
        assert finding.params["by"] == role
        assert finding.params["notice_hours"] == 24


# -- the findings and the next action ---------------------------------------------------------


def test_booking_unconfirmed_and_booking_confirm_once_the_day_has_passed() -> None:
    eng = booked("b1")
    day = START + days(14)
    assert "booking.unconfirmed" not in codes(eng, day)  # the day itself: not yet
    assert "booking.confirm" not in [a.code for a in eng.next_actions(day)]
    (finding,) = [f for f in eng.check(day + days(1)) if f.code == "booking.unconfirmed"]
    assert finding.on == day
    assert finding.params == {"booking_id": "b1", "starts_at": "2027-01-25T10:00:00+01:00"}
    (action,) = [a for a in eng.next_actions(day + days(1)) if a.code == "booking.confirm"]
    assert action.due == day
    assert "'b1'" in action.message
    eng.record_session(session(day), at=at(day, 12), by="coach", booking_id="b1")
    assert "booking.unconfirmed" not in codes(eng, day + days(1))  # clean once settled


def test_a_booking_left_open_after_the_end_is_unconfirmed_only_if_it_began_before() -> None:
    eng = booked("b1", "b2")  # 01-25 and 02-01
    eng.terminate(at=at(START + days(17)), by="coach", reason="moved abroad")
    found = [
        f.params["booking_id"]
        for f in eng.check(START + days(40))
        if f.code == "booking.unconfirmed"
    ]
    assert found == ["b1"]
    assert eng.next_actions(START + days(40)) == ()


def test_session_no_show_is_reported_on_the_booking_day_and_uses_a_session() -> None:
    eng = booked("b1", "b2")
    eng.record_no_show("b1", at=at(START + days(14), 11), by="coach")
    (finding,) = [f for f in eng.check(START + days(30)) if f.code == "session.no_show"]
    assert finding.on == START + days(14)
    assert finding.params["booking_id"] == "b1"
    assert "session.no_show" not in codes(eng, START + days(13))  # not before its day
    assert eng.allocation == Allocation(allotted=12, held=0, forfeited=1, remaining=11)
    clean = booked("b1")
    clean.record_session(
        session(START + days(14)), at=at(START + days(14), 12), by="coach", booking_id="b1"
    )
    assert "session.no_show" not in codes(clean, START + days(30))


def test_allocation_exceeded_counts_held_and_forfeited_sessions_of_a_package() -> None:
    eng = active(sessions=2)
    eng.book_session(booking("b1", at(START, 10)), at=at(START - days(6)), by="client")
    eng.record_no_show("b1", at=at(START, 11), by="coach")
    eng.record_session(session(START + days(7)), at=at(START + days(7), 12), by="coach")
    assert "allocation.exceeded" not in codes(eng, START + days(20))  # 2 of 2: all used
    eng.record_session(session(START + days(21)), at=at(START + days(21), 12), by="coach")
    assert "allocation.exceeded" not in codes(eng, START + days(20))  # not by then
    (finding,) = [f for f in eng.check(START + days(22)) if f.code == "allocation.exceeded"]
    assert finding.on == START + days(21)
    assert finding.params == {"allotted": 2, "used": 3, "held": 2, "forfeited": 1}
    assert eng.allocation == Allocation(allotted=2, held=2, forfeited=1, remaining=-1)


def test_without_a_package_the_cadence_estimate_is_never_exceeded() -> None:
    eng = active(3)  # a fortnightly rhythm holds 7 sessions in three months; 6 are allotted
    for n in range(7):
        eng.record_session(
            session(START + days(14 * n)), at=at(START + days(14 * n), 12), by="coach"
        )
    assert eng.allocation.remaining == -1
    assert "allocation.exceeded" not in codes(eng, START + days(100))


def test_a_booked_session_ahead_means_no_session_is_to_be_booked_until_after_it() -> None:
    eng = active()
    assert next(a for a in eng.next_actions(START) if a.code == "session.book").due == START
    eng.book_session(booking("b1", at(START + days(20), 9)), at=at(START), by="client")
    (book,) = [a for a in eng.next_actions(START) if a.code == "session.book"]
    assert book.due == START + days(20 + 15)  # the interval after the booked session


def test_with_a_rhythm_the_next_booking_is_due_on_the_rhythms_next_day() -> None:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, at=at(START - days(7)))
    eng.agree(
        Agreement(
            Programme(6),
            START,
            (Goal("g", "x"),),
            {Mode.PHONE},
            rhythm="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9",
        ),
        at=at(START - days(7), 10),
        by="coach",
    )
    eng.record_session(session(START + days(1)), at=at(START + days(1), 12), by="coach")
    (book,) = [a for a in eng.next_actions(START + days(2)) if a.code == "session.book"]
    assert book.due == START + days(14)  # the next Monday of the rhythm, not 15 days on


# -- the calendar ----------------------------------------------------------------------------


def _calendar(eng: Engagement) -> dict[str, Any]:
    from icalendar import Calendar

    from coachflow import to_ics

    parsed = Calendar.from_ical(to_ics(eng))
    return {
        str(event["UID"]).split("@")[0].removeprefix(f"{eng.id}-"): event
        for event in parsed.walk("VEVENT")
    }


def test_the_calendar_shows_bookings_moves_cancellations_and_no_shows() -> None:
    eng = booked("b1", "b2", "b3")
    first = _calendar(eng)["session-1"]
    assert first["DTSTART"].dt == at(START + days(14), 10)
    assert str(first["STATUS"]) == "CONFIRMED"
    assert int(first["SEQUENCE"]) == 1  # the planned session 1 became the booking

    eng.reschedule_session("b1", starts_at=at(START + days(15), 14), at=at(START), by="client")
    moved = _calendar(eng)["session-1"]
    assert moved["DTSTART"].dt == at(START + days(15), 14)
    assert int(moved["SEQUENCE"]) == 2  # a client importing it takes the move

    eng.cancel_session("b2", at=at(START + days(2)), by="client", reason="holiday")
    eng.record_no_show("b3", at=at(START + days(28), 11), by="coach")
    entries = _calendar(eng)
    assert str(entries["booking-b2"]["STATUS"]) == "CANCELLED"
    assert entries["booking-b2"]["DTSTART"].dt == at(START + days(21), 10)
    assert str(entries["booking-b3"]["STATUS"]) == "CANCELLED"
    assert "did not turn up" in str(entries["booking-b3"]["DESCRIPTION"])
    assert entries["session-2"]["STATUS"] == "TENTATIVE"  # the plan again


def test_a_session_held_for_a_booking_keeps_its_calendar_entry() -> None:
    eng = booked("b1")
    uid_before = _calendar(eng)["session-1"]["UID"]
    eng.record_session(
        session(START + days(14)), at=at(START + days(14), 12), by="coach", booking_id="b1"
    )
    held = _calendar(eng)["session-1"]
    assert held["UID"] == uid_before
    assert held["DTSTART"].dt == at(START + days(14), 10)
    assert str(held["STATUS"]) == "CONFIRMED"


def test_booking_ids_are_quoted_in_uids() -> None:
    eng = active()
    eng.book_session(booking("a b/c", at(START, 10)), at=at(START - days(6)), by="client")
    eng.cancel_session("a b/c", at=at(START - days(5)), by="client", reason="x")
    assert "booking-a%20b%2Fc" in _calendar(eng)


# -- the live engagement and its loaded copy ------------------------------------------------


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "America/New_York", "Australia/Sydney"])
def test_a_loaded_copy_answers_like_the_live_one(zone: str) -> None:
    tz = ZoneInfo(zone)
    eng = Engagement.open(
        "e", coach=COACH, client=CLIENT, at=dt.datetime(2027, 3, 1, 8, tzinfo=tz)
    )
    eng.agree(
        agreement(3, start=dt.date(2027, 3, 1), sessions=4),
        at=dt.datetime(2027, 3, 1, 9, tzinfo=tz),
        by="coach",
    )
    for n in range(1, 4):
        when = dt.datetime(2027, 3, 7 * n, 23, 30, tzinfo=tz)
        eng.book_session(
            Booking(f"b{n}", when, 60, Mode.PHONE),
            at=dt.datetime(2027, 3, 1, 10, tzinfo=tz),
            by="client",
        )
    eng.record_no_show("b1", at=dt.datetime(2027, 3, 8, 1, tzinfo=tz), by="coach")
    eng.cancel_session("b2", at=dt.datetime(2027, 3, 14, 12, tzinfo=tz), by="client", reason="x")
    loaded = from_json(to_json(eng))
    assert loaded == eng
    for day in (dt.date(2027, 3, 20), dt.date(2027, 4, 1)):
        assert loaded.check(day) == eng.check(day)
        assert loaded.next_actions(day) == eng.next_actions(day)
    assert loaded.allocation == eng.allocation
    assert loaded.bookings == eng.bookings


def test_the_timeline_shows_bookings_and_what_became_of_them() -> None:
    from coachflow._outputs.timeline import timeline

    eng = booked("b1", "b2", "b3", sessions=10)
    eng.reschedule_session("b1", starts_at=at(START + days(15), 14), at=at(START), by="client")
    eng.record_no_show("b1", at=at(START + days(15), 15), by="coach")
    eng.cancel_session("b2", at=at(START + days(21), 8), by="coach", reason="coach ill")
    text = timeline(eng, START + days(30))
    assert "2027-01-11  booked b1: 25 January 2027 at 10:00, 60 min, digital" in text
    assert "2027-01-11  moved b1 to 26 January 2027 at 14:00" in text
    assert "no-show: the client did not come to b1" in text
    assert "cancelled b2: coach ill\n            late: less than 24 hours' notice" in text
    assert "    1  2027-01-11  2027-01-26  no-show" in text  # the late one by the coach: free
    assert "  sessions   10 allotted, 0 held, 1 forfeited, 9 remaining" in text
    assert "  booked     8 February 2027 at 10:00  b3" in text
