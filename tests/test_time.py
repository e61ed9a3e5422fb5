"""Time you can trust: order by instant, days in the engagement's zone, values that
every reader of a document can take."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import CLIENT, COACH, GOALS, SPONSOR, START, agreement, at, opened
from coachflow import (
    ActionPlan,
    Agreement,
    Engagement,
    Goal,
    InvalidDocument,
    Mode,
    Party,
    Programme,
    Role,
    Session,
    from_dict,
    from_json,
    to_dict,
    to_ics,
    to_json,
)
from coachflow._values.calendar import add_months
from coachflow._values.validation import LAST_DAY

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_YORK = ZoneInfo("America/New_York")
# the night the clocks go back in Stockholm: 02:00-03:00 happens twice
FIRST_0245 = dt.datetime(2027, 10, 31, 2, 45, tzinfo=STOCKHOLM)  # CEST, 00:45 UTC
SECOND_0215 = dt.datetime(2027, 10, 31, 2, 15, fold=1, tzinfo=STOCKHOLM)  # CET, 01:15 UTC


def active_in(zone: ZoneInfo, start: dt.date = dt.date(2027, 10, 4)) -> Engagement:
    opening = dt.datetime.combine(start - dt.timedelta(days=30), dt.time(9), zone)
    eng = Engagement.open("eng-t", coach=COACH, client=CLIENT, sponsor=SPONSOR, at=opening)
    eng.agree(agreement(12, start=start), at=opening + dt.timedelta(hours=1), by="coach")
    return eng


def later(moment: dt.datetime, minutes: int) -> dt.datetime:
    """*minutes* after *moment* in real time (``+`` on one zone adds by the wall clock)."""
    zone = moment.tzinfo
    return (moment.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(zone)


def test_a_later_instant_with_an_earlier_wall_time_is_accepted_and_loads() -> None:
    assert SECOND_0215 < FIRST_0245  # Python compares one zone's times by the wall clock
    eng = active_in(STOCKHOLM)
    eng.pause(at=FIRST_0245, by="coach", reason="illness")
    eng.resume(at=SECOND_0215, by="coach")  # 30 minutes later in real time
    assert from_json(to_json(eng)) == eng
    assert [e.at.utcoffset() for e in eng.events[-2:]] == [dt.timedelta(hours=2), dt.timedelta(hours=1)]  # fmt: skip


def test_an_earlier_instant_with_a_later_wall_time_is_refused() -> None:
    eng = active_in(STOCKHOLM)
    eng.pause(at=SECOND_0215, by="coach", reason="illness")
    with pytest.raises(ValueError, match="'at' must not be earlier than the last event"):
        eng.resume(at=FIRST_0245, by="coach")  # 30 minutes before the pause, in real time
    assert eng.version == 3
    assert from_json(to_json(eng)) == eng


def test_a_session_held_in_the_repeated_hour_is_compared_by_instant() -> None:
    eng = active_in(STOCKHOLM)
    assert SECOND_0215 + dt.timedelta(minutes=20) < SECOND_0215.astimezone(dt.UTC)  # the trap
    five_to_three = later(FIRST_0245, 10)  # 02:55 CEST, 00:55 UTC
    with pytest.raises(ValueError, match="'held_at' must not be later than 'at'"):
        # held at 01:15 UTC, recorded at 00:55 UTC: the wall clock says otherwise
        eng.record_session(Session(SECOND_0215, 20, Mode.PHONE), at=five_to_three, by="coach")
    second = Session(SECOND_0215, 20, Mode.PHONE)
    eng.record_session(second, at=later(SECOND_0215, 20), by="coach")
    first = Session(FIRST_0245, 20, Mode.PHONE)
    eng.record_session(first, at=later(SECOND_0215, 60), by="coach")
    # recorded late: sorted by instant, the first 02:45 before the second 02:15
    assert [s.held_at.isoformat() for s in eng.sessions] == [
        "2027-10-31T02:45:00+02:00",  # the first 02:45 ...
        "2027-10-31T02:15:00+01:00",  # ... before the second 02:15
    ]
    assert from_json(to_json(eng)) == eng


def test_a_time_in_the_gap_is_taken_at_its_offset_and_round_trips() -> None:
    eng = active_in(STOCKHOLM, start=dt.date(2027, 3, 1))
    never = dt.datetime(2027, 3, 28, 2, 30, tzinfo=STOCKHOLM)  # the clocks jump 02:00 -> 03:00
    eng.record_session(
        Session(never, 60, Mode.PHONE), at=never + dt.timedelta(hours=2), by="coach"
    )
    loaded = from_json(to_json(eng))
    assert loaded == eng
    assert loaded.sessions[0].held_at.isoformat() == "2027-03-28T02:30:00+01:00"


def test_the_zone_is_the_agreements_or_that_of_at() -> None:
    assert active_in(NEW_YORK).agreement.time_zone == "America/New_York"  # type: ignore[union-attr]
    fixed = opened()
    fixed.agree(agreement(), at=dt.datetime(2027, 1, 4, 9, tzinfo=dt.timezone(dt.timedelta(hours=1))), by="coach")  # fmt: skip
    assert fixed.agreement is not None and fixed.agreement.time_zone == "UTC"
    named = opened()
    chosen = Agreement(Programme(6), START, GOALS, {Mode.DIGITAL}, time_zone="Asia/Tokyo")
    named.agree(chosen, at=at(START - dt.timedelta(days=7)), by="coach")
    assert named.agreement == chosen
    assert named.time_zone == ZoneInfo("Asia/Tokyo")
    assert opened().time_zone is None


def test_days_are_taken_in_the_engagements_zone_live_and_loaded() -> None:
    # a pause whose resume falls on 04-10 in Stockholm but on 04-09 in the offset +01:00
    eng = active_in(STOCKHOLM, start=dt.date(2027, 3, 1))
    eng.pause(at=dt.datetime(2027, 3, 20, 12, tzinfo=STOCKHOLM), by="client", reason="leave")
    eng.resume(at=dt.datetime(2027, 4, 9, 22, 30, tzinfo=dt.UTC), by="client")
    assert eng.pauses == ((dt.date(2027, 3, 20), dt.date(2027, 4, 10)),)
    loaded = from_json(to_json(eng))
    assert loaded.pauses == eng.pauses
    assert loaded.end == eng.end == dt.date(2028, 3, 22)
    assert loaded.plan() == eng.plan()
    today = dt.date(2027, 6, 1)
    assert loaded.check(today) == eng.check(today)
    assert loaded.next_actions(today) == eng.next_actions(today)
    assert to_ics(loaded) == to_ics(eng)


def test_a_document_keeps_the_zone() -> None:
    eng = active_in(NEW_YORK)
    document = to_dict(eng)
    assert document["events"][1]["agreement"]["time_zone"] == "America/New_York"
    assert from_dict(document).time_zone == NEW_YORK


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: Session(
                dt.datetime(
                    2027,
                    1,
                    11,
                    9,
                    tzinfo=dt.timezone(dt.timedelta(hours=1, minutes=12, seconds=12)),
                ),
                60,
                Mode.PHONE,
            ),
            "'held_at' must have a UTC offset of whole minutes",
        ),
        (
            lambda: Session(dt.datetime(1879, 1, 11, 9, tzinfo=STOCKHOLM), 60, Mode.PHONE),
            "'held_at' must have a UTC offset of whole minutes",  # local mean time +01:12:12
        ),
        (
            lambda: Session(dt.datetime(9999, 12, 31, 9, tzinfo=dt.UTC), 60, Mode.PHONE),
            "'held_at' must fall in the years 1900..9000",
        ),
        (
            lambda: Agreement(Programme(6), dt.date(9999, 1, 1), GOALS, {Mode.PHONE}),
            "'start' must fall in the years 1900..9000",
        ),
        (lambda: Programme(6, gap_days=10**12), "'gap_days' must be <= 366"),
        (
            lambda: Programme(6, follow_up_within_days=367),
            "'follow_up_within_days' must be <= 366",
        ),
        (lambda: Programme(6, behind_tolerance=2000), "'behind_tolerance' must be <= 1116"),
        (lambda: Party("p", "Kim \ud800", Role.CLIENT), "'name' must be valid Unicode text"),
        (lambda: Goal("g", "x\x00y"), "'statement' must not contain NUL characters"),
        (
            lambda: Session(at(START), 60, Mode.PHONE, reviewed=["a\udfff"]),
            "'reviewed[0]' must be valid Unicode",
        ),
        (lambda: ActionPlan(["ok", "\x00"]), "'steps[1]' must not contain NUL characters"),
    ],
)
def test_values_no_reader_could_take_are_refused_at_construction(
    make: object, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        make()  # type: ignore[operator]


def test_a_resume_that_would_push_the_end_out_of_range_is_refused() -> None:
    eng = Engagement.open(
        "far", coach=COACH, client=CLIENT, at=dt.datetime(1901, 1, 1, tzinfo=dt.UTC)
    )
    eng.agree(agreement(start=dt.date(9000, 1, 1)), at=dt.datetime(1901, 1, 2, tzinfo=dt.UTC), by="coach")  # fmt: skip
    eng.pause(at=dt.datetime(1901, 1, 3, tzinfo=dt.UTC), by="coach", reason="a long rest")
    with pytest.raises(ValueError, match="would move the series' end past 9997-12-31"):
        eng.resume(at=dt.datetime(8999, 1, 1, tzinfo=dt.UTC), by="coach")
    eng.resume(at=dt.datetime(1902, 1, 1, tzinfo=dt.UTC), by="coach")
    assert eng.end == dt.date(9001, 6, 29)  # 9000-07-01 and the pause's 363 days
    assert eng.check(dt.date(9000, 12, 31)) is not None
    assert from_json(to_json(eng)) == eng
    assert to_ics(eng).startswith(b"BEGIN:VCALENDAR")


def test_a_resume_may_push_the_end_to_the_last_day_and_no_further() -> None:
    start = dt.date(9000, 1, 1)
    room = (LAST_DAY - add_months(start, 36)).days  # the longest series may end on LAST_DAY
    paused = dt.datetime(1901, 1, 3, tzinfo=dt.UTC)

    def paused_engagement() -> Engagement:
        eng = Engagement.open("far", coach=COACH, client=CLIENT, at=paused - dt.timedelta(2))
        eng.agree(agreement(start=start), at=paused - dt.timedelta(1), by="coach")
        eng.pause(at=paused, by="coach", reason="a long rest")
        return eng

    with pytest.raises(ValueError, match="would move the series' end past 9997-12-31"):
        paused_engagement().resume(at=paused + dt.timedelta(room + 1), by="coach")
    eng = paused_engagement()
    eng.resume(at=paused + dt.timedelta(room), by="coach")
    assert eng.pauses[-1][1] - eng.pauses[-1][0] == dt.timedelta(room)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["events"][0].update(at="2027-01-04T08:00:00+01:12:12"), "whole minutes"),
        (lambda d: d["events"][0].update(at="9999-01-04T08:00:00+01:00"), "1900..9000"),
        (lambda d: d["events"][0]["coach"].update(name="Anna \ud800"), "lone surrogate"),
        (lambda d: d["events"][0]["coach"].update(name="Anna\x00"), "NUL"),
        (lambda d: d["events"][1]["agreement"].update(time_zone="Mars/Base"), "IANA time zone"),
        (lambda d: d["events"][1]["agreement"].update(time_zone=None), "must name its time_zone"),
    ],
)
def test_documents_with_such_values_are_refused_both_ways(edit: object, message: str) -> None:
    data = to_dict(active_in(STOCKHOLM))
    edit(data)  # type: ignore[operator]
    with pytest.raises(InvalidDocument, match=message):
        from_dict(data)
    text = json.dumps(data)  # escapes the surrogate, as another program might
    with pytest.raises(InvalidDocument, match=message):
        from_json(text)


# -- the comparisons themselves, against the plain definition ---------------------------------

ZONES = [ZoneInfo(name) for name in ("Europe/Stockholm", "America/New_York", "Australia/Sydney")]
NIGHTS = [dt.datetime(2027, 3, 28), dt.datetime(2027, 10, 31), dt.datetime(2027, 3, 14),
          dt.datetime(2027, 11, 7), dt.datetime(2027, 4, 4), dt.datetime(2027, 10, 3)]  # fmt: skip


def moments() -> st.SearchStrategy[dt.datetime]:
    """Wall times near the DST changes, in gaps and folds too, in real zones or offsets."""
    wall = st.builds(
        lambda night, minutes, fold: (night + dt.timedelta(minutes=minutes)).replace(fold=fold),
        st.sampled_from(NIGHTS),
        st.integers(-30 * 60, 30 * 60),
        st.integers(0, 1),
    )
    zone = st.one_of(
        st.sampled_from(ZONES),
        st.integers(-14 * 4, 14 * 4).map(lambda q: dt.timezone(dt.timedelta(minutes=15 * q))),
    )
    return st.builds(lambda w, z: w.replace(tzinfo=z), wall, zone)


@given(moments())
def test_a_kept_datetime_is_the_same_instant_in_its_offset(moment: dt.datetime) -> None:
    session = Session(moment, 60, Mode.PHONE)
    kept = session.held_at
    assert type(kept.tzinfo) is dt.timezone  # a fixed offset: compared by instant
    assert kept.astimezone(dt.UTC) == moment.astimezone(dt.UTC)
    assert kept.utcoffset() == moment.utcoffset()
    assert kept.isoformat() == moment.isoformat().replace("+00:00", "+00:00")


@given(moments(), st.integers(0, 3 * 24 * 60))
def test_an_engagement_orders_any_two_moments_by_instant(first: dt.datetime, minutes: int) -> None:
    second = (first.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(first.tzinfo)
    eng = Engagement.open(
        "o", coach=COACH, client=CLIENT, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    eng.agree(agreement(start=dt.date(2026, 2, 1)), at=dt.datetime(2026, 1, 1, 1, tzinfo=dt.UTC), by="coach")  # fmt: skip
    eng.pause(at=first, by="coach", reason="r")
    eng.resume(at=second, by="coach")  # never earlier in real time: accepted
    if minutes:
        with pytest.raises(ValueError, match="'at' must not be earlier"):
            eng.terminate(at=first, by="coach", reason="r")
    eng.record_session(Session(first, 60, Mode.PHONE), at=second, by="coach")
    with pytest.raises(ValueError, match="'held_at' must not be later than 'at'"):
        eng.record_session(Session(later(second, 1), 60, Mode.PHONE), at=second, by="coach")
    assert from_json(to_json(eng)) == eng
