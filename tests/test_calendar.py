"""Calendar files read back by two readers we did not write (icalendar and vobject):
every entry's instant is the engagement's, in any zone, across DST and beyond 2038."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from coachflow import (
    ActionPlan,
    Agreement,
    Attainment,
    Engagement,
    Goal,
    Mode,
    Party,
    Programme,
    Role,
    Session,
    from_json,
    to_ics,
    to_json,
)
from coachflow._outputs.demo import demo_engagement
from coachflow._outputs.ics_entries import entries as _entries
from coachflow._values.transitions import transitions
from coachflow.testing import engagements

ZONES = ("Europe/Stockholm", "America/New_York", "Australia/Sydney", "UTC", "Asia/Tokyo")


def utc(value: dt.date) -> dt.datetime:
    assert isinstance(value, dt.datetime), f"expected a date-time (got {value!r})"
    return value.astimezone(dt.UTC)


def read_vobject(data: bytes) -> dict[str, dict[str, Any]]:
    """Each VEVENT by UID, as vobject reads it (its own VTIMEZONE interpretation).

    vobject keeps the first VTIMEZONE it meets for a TZID for every later file; it
    forgets them first here, so that each file is read by its own block.
    """
    registry = getattr(vobject.icalendar, "__tzidMap")
    registry.clear()
    vobject.icalendar.registerTzid("UTC", vobject.icalendar.utc)
    calendar = vobject.readOne(data.decode("utf-8"))
    return {
        str(event.uid.value): {
            "start": utc(event.dtstart.value),
            "end": utc(event.dtend.value),
            "sequence": int(event.sequence.value),
            "status": str(event.status.value),
            "summary": str(event.summary.value),
            "description": str(event.description.value),
        }
        for event in calendar.vevent_list
    }


def read_icalendar(data: bytes) -> dict[str, dict[str, Any]]:
    calendar = icalendar.Calendar.from_ical(data)
    return {
        str(event["UID"]): {"start": utc(event.start), "end": utc(event.end)}
        for event in calendar.walk("VEVENT")
        if isinstance(event, icalendar.Event)
    }


def expected(engagement: Engagement) -> dict[str, dt.datetime]:
    """Each entry's instant as the engagement has it."""
    uid = urllib.parse.quote(engagement.id, safe="")
    return {
        f"{uid}-{key}@coachflow": utc(entry.start)
        for key, entry in _entries(engagement, dt.time(9)).items()
    }


def assert_read_alike(engagement: Engagement, **options: Any) -> dict[str, dict[str, Any]]:
    data = to_ics(engagement, **options)
    by_vobject, by_icalendar = read_vobject(data), read_icalendar(data)
    truth = expected(engagement)
    assert {uid: e["start"] for uid, e in by_vobject.items()} == truth
    assert {uid: e["start"] for uid, e in by_icalendar.items()} == truth
    assert {uid: e["end"] for uid, e in by_vobject.items()} == {
        uid: e["end"] for uid, e in by_icalendar.items()
    }
    # sessions held and open bookings take the plan's first entries, in the order of time
    taken = sorted(
        [utc(s.held_at) for s in engagement.sessions]
        + [utc(b.starts_at) for b in engagement.bookings]
    )
    assert [by_vobject[f"{engagement.id}-session-{n}@coachflow"]["start"] for n in
            range(1, len(taken) + 1)] == taken  # fmt: skip
    return by_vobject


def zoned(zone: str, start: dt.date, *, id: str = "eng-1", **names: str) -> Engagement:
    tz = ZoneInfo(zone)
    opened_at = dt.datetime.combine(start - dt.timedelta(days=7), dt.time(9), tz)
    eng = Engagement.open(
        id,
        coach=Party("coach", names.get("coach", "Anna Lind"), Role.COACH),
        client=Party("client", names.get("client", "Kim Berg"), Role.CLIENT),
        sponsor=Party("sponsor", "Mia Ek", Role.SPONSOR),
        at=opened_at,
    )
    eng.agree(
        Agreement(
            Programme(6),
            start,
            [Goal("g1", "Lead calmly")],
            {Mode.IN_PERSON},
            three_party_follow_up=True,
        ),
        at=opened_at + dt.timedelta(hours=1),
        by="coach",
    )
    return eng


def record(eng: Engagement, held_at: dt.datetime, minutes: int = 75) -> None:
    eng.record_session(
        Session(held_at, minutes, Mode.IN_PERSON), at=held_at + dt.timedelta(hours=3), by="coach"
    )


@pytest.mark.parametrize("zone", ZONES)
def test_every_entry_is_read_at_the_engagements_instant(zone: str) -> None:
    eng = zoned(zone, dt.date(2027, 2, 1))
    tz = ZoneInfo(zone)
    for week in range(0, 26, 2):  # across both of the year's DST changes, wherever they are
        record(eng, dt.datetime.combine(dt.date(2027, 2, 1) + dt.timedelta(weeks=week),
                                        dt.time(17, 30), tz))  # fmt: skip
    assert_read_alike(eng)
    assert_read_alike(eng, tz="America/New_York")
    assert_read_alike(eng, tz="UTC")


@pytest.mark.parametrize("zone", ZONES)
def test_beyond_2038(zone: str) -> None:
    eng = zoned(zone, dt.date(2045, 1, 9))
    tz = ZoneInfo(zone)
    for week in (0, 12, 24):
        record(eng, dt.datetime.combine(dt.date(2045, 1, 9) + dt.timedelta(weeks=week),
                                        dt.time(9), tz))  # fmt: skip
    data = to_ics(eng)
    assert_read_alike(eng)
    if zone in ("Europe/Stockholm", "America/New_York", "Australia/Sydney"):
        assert b"RRULE:FREQ=YEARLY" in data  # rules, not a list of dates
        assert b"RDATE" not in data


def test_a_session_in_the_repeated_hour_is_read_at_its_instant() -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    eng = zoned("Europe/Stockholm", dt.date(2027, 10, 4))
    first = dt.datetime(2027, 10, 31, 2, 30, tzinfo=stockholm)  # CEST, the first 02:30
    second = first.replace(fold=1)  # CET, an hour later
    record(eng, first, 20)
    record(eng, second, 20)
    read = assert_read_alike(eng)
    starts = [read[f"eng-1-session-{n}@coachflow"]["start"] for n in (1, 2)]
    assert starts[1] - starts[0] == dt.timedelta(hours=1)
    data = to_ics(eng)
    assert b"DTSTART:20271031T003000Z" in data  # the first 02:30, in UTC ...
    assert b"DTSTART:20271031T013000Z" in data  # ... and the second: no reader guesses


def test_an_entry_across_the_change_ends_at_its_length() -> None:
    new_york = ZoneInfo("America/New_York")
    eng = zoned("America/New_York", dt.date(2027, 3, 1))
    record(eng, dt.datetime(2027, 3, 14, 1, 30, tzinfo=new_york), 90)  # clocks jump at 02:00
    read = assert_read_alike(eng)
    entry = read["eng-1-session-1@coachflow"]
    assert entry["end"] - entry["start"] == dt.timedelta(minutes=90)


def test_names_with_commas_semicolons_backslashes_and_line_breaks() -> None:
    client = 'Lee "Sam" Park; Jr.,\\ the 2nd\nof\r\nHR\x07'
    eng = zoned("Europe/Stockholm", dt.date(2027, 2, 1), id="eng; 1,\\x", client=client)
    data = to_ics(eng)
    calendar = vobject.readOne(data.decode("utf-8"))
    cleaned = 'Lee "Sam" Park; Jr.,\\ the 2nd\nof\nHR'  # line breaks kept, control chars gone
    assert calendar.contents["x-wr-calname"][0].value == f"Coaching: {cleaned} (eng; 1,\\x)"
    assert all(cleaned in str(event.description.value) for event in calendar.vevent_list
               if str(event.summary.value).startswith("Coaching session"))  # fmt: skip
    assert b"\x07" not in data
    uids = [str(event.uid.value) for event in calendar.vevent_list]
    assert uids[0] == "eng%3B%201%2C%5Cx-session-1@coachflow"


def test_termination_cancels_what_had_not_happened() -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    eng = zoned("Europe/Stockholm", dt.date(2027, 2, 1))
    record(eng, dt.datetime(2027, 2, 1, 9, tzinfo=stockholm))
    before = read_vobject(to_ics(eng))
    eng.terminate(at=dt.datetime(2027, 2, 20, 9, tzinfo=stockholm), by="sponsor", reason="x")
    after = read_vobject(to_ics(eng))
    assert before.keys() == after.keys()  # the same entries, by UID
    happened = {"eng-1-session-1@coachflow", "eng-1-agreement@coachflow"}
    assert {after[uid]["status"] for uid in happened} == {"CONFIRMED"}
    rest = {uid: e for uid, e in after.items() if uid not in happened}
    assert {e["status"] for e in rest.values()} == {"CANCELLED"}
    assert all(e["sequence"] == before[uid]["sequence"] + 1 for uid, e in rest.items())


def test_uids_stay_and_sequence_grows_when_an_entry_moves() -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    eng = zoned("Europe/Stockholm", dt.date(2027, 2, 1))
    first = read_vobject(to_ics(eng))
    assert {e["sequence"] for e in first.values()} == {0}
    agreement = first.pop("eng-1-agreement@coachflow")
    assert agreement["status"] == "CONFIRMED"  # the coach alone signs, so it is in force
    assert {e["status"] for e in first.values()} == {"TENTATIVE"}
    record(eng, dt.datetime(2027, 2, 2, 14, tzinfo=stockholm))  # held a day after planned
    second = read_vobject(to_ics(eng))
    assert second.keys() - {"eng-1-agreement@coachflow"} == first.keys()
    one = "eng-1-session-1@coachflow"
    assert second[one]["sequence"] == 1 and second[one]["status"] == "CONFIRMED"
    assert second["eng-1-session-2@coachflow"]["sequence"] == 0  # did not move
    eng.pause(at=dt.datetime(2027, 2, 3, 9, tzinfo=stockholm), by="client", reason="x")
    eng.resume(at=dt.datetime(2027, 3, 3, 9, tzinfo=stockholm), by="client")
    third = read_vobject(to_ics(eng))
    assert third[one]["sequence"] == 1  # held sessions stay where they were
    later = [uid for uid in third if uid not in (one, "eng-1-agreement@coachflow")]
    assert all(third[uid]["sequence"] == second[uid]["sequence"] + 1 for uid in later)
    assert all(third[uid]["start"] > second[uid]["start"] for uid in later)


def test_the_demo_is_read_alike_and_a_loaded_copy_writes_the_same_file() -> None:
    eng = demo_engagement()
    assert_read_alike(eng)
    assert to_ics(from_json(to_json(eng))) == to_ics(eng)


def test_vtimezone_transitions_are_those_of_the_zone() -> None:
    found = transitions(ZoneInfo("Europe/Stockholm"), 2027, 2027)
    assert [(t.utc, t.before, t.after, t.name) for t in found] == [
        (dt.datetime(2027, 3, 28, 1), dt.timedelta(hours=1), dt.timedelta(hours=2), "CEST"),
        (dt.datetime(2027, 10, 31, 1), dt.timedelta(hours=2), dt.timedelta(hours=1), "CET"),
    ]
    assert transitions(ZoneInfo("Asia/Tokyo"), 2027, 2040) == []


@settings(max_examples=30)
@given(engagements(), st.sampled_from(ZONES))
def test_any_engagement_is_read_alike_in_any_zone(engagement: Engagement, zone: str) -> None:
    if engagement.agreement is None:
        return
    assert_read_alike(engagement, tz=zone)
    assert to_ics(from_json(to_json(engagement))) == to_ics(engagement)


def test_a_closed_engagement_shows_the_closing_where_it_happened() -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    eng = zoned("Europe/Stockholm", dt.date(2027, 2, 1))
    eng.begin_midpoint_review(at=dt.datetime(2027, 4, 30, 10, tzinfo=stockholm), by="coach")
    eng.complete_midpoint_review(at=dt.datetime(2027, 4, 30, 11, tzinfo=stockholm), by="coach")
    closing_at = dt.datetime(2027, 7, 20, 15, tzinfo=stockholm)
    eng.begin_closing(at=closing_at, by="coach")
    eng.close(
        at=closing_at + dt.timedelta(hours=1),
        by="coach",
        attainment=[Attainment("g1", 1)],
        action_plan=ActionPlan(["Keep going"]),
    )
    eng.skip_follow_up(at=closing_at + dt.timedelta(days=3), by="coach", reason="manager left")
    read = assert_read_alike(eng)
    assert read["eng-1-closing@coachflow"]["start"] == utc(closing_at)
    assert read["eng-1-closing@coachflow"]["status"] == "CONFIRMED"
    assert read["eng-1-follow-up@coachflow"]["status"] == "CANCELLED"
    assert read["eng-1-session-1@coachflow"]["status"] == "CANCELLED"  # never held


# -- a third reader, not in Python: Mozilla's ical.js (Thunderbird's), through Node ----------


@pytest.fixture(scope="module")
def icaljs() -> str:
    """The path of ical.js's ``dist/ical.js`` (.ci/run installs it from the npm registry)."""
    path = os.environ.get("COACHFLOW_TEST_ICALJS", "")
    if path and Path(path).is_file() and shutil.which("node"):
        return path
    if os.environ.get("CI"):
        pytest.fail("CI must read the calendars with ical.js: COACHFLOW_TEST_ICALJS is not set")
    pytest.skip("ical.js is not installed here; .ci/run installs it with npm")


def calendars_across_zones_and_years() -> list[Engagement]:
    found = [demo_engagement()]
    for zone in ZONES:
        tz = ZoneInfo(zone)
        for year in (2027, 2045):
            eng = zoned(zone, dt.date(year, 1, 4), id=f"{zone}-{year}")
            for week in range(0, 52, 3):  # around the clock, through both changes of the year
                day = dt.date(year, 1, 4) + dt.timedelta(weeks=week)
                hour = (week * 5) % 24
                record(eng, dt.datetime.combine(day, dt.time(hour, 30), tz), 90)
            found.append(eng)
    fold = zoned("Europe/Stockholm", dt.date(2027, 10, 4), id="fold")
    first = dt.datetime(2027, 10, 31, 2, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    record(fold, first, 20)
    record(fold, first.replace(fold=1), 20)
    found.append(fold)
    golden = Path(__file__).parent / "golden" / "v4"
    found.append(from_json((golden / "stockholm-bookings-late-cancellation-across-dst.json").read_text()))  # fmt: skip
    return found


def test_ical_js_reads_every_entry_at_the_engagements_instant(icaljs: str, tmp_path: Path) -> None:
    engagements_by_file = {}
    for number, engagement in enumerate(calendars_across_zones_and_years()):
        for tz in (None, "America/New_York"):
            path = tmp_path / f"{number}-{tz is None}.ics"
            path.write_bytes(to_ics(engagement, tz=tz))
            engagements_by_file[str(path)] = engagement
    script = Path(__file__).parent / "icaljs" / "read.mjs"
    result = subprocess.run(
        ["node", str(script), *engagements_by_file],
        env={**os.environ, "ICALJS": icaljs},
        capture_output=True,
        text=True,
        check=True,
    )
    read = json.loads(result.stdout)
    assert read.keys() == engagements_by_file.keys()
    compared = 0
    for file, engagement in engagements_by_file.items():
        truth = {uid: start.timestamp() for uid, start in expected(engagement).items()}
        starts = {uid: entry["start"] for uid, entry in read[file].items()}
        assert starts == truth, file
        compared += len(truth)
    assert compared > 400  # every entry of every file


@pytest.mark.parametrize("tz", [None, "America/New_York", "UTC"])
def test_bookings_moves_cancellations_and_no_shows_are_read_alike(tz: str | None) -> None:
    golden = Path(__file__).parent / "golden" / "v4"
    eng = from_json((golden / "stockholm-bookings-late-cancellation-across-dst.json").read_text())
    read = assert_read_alike(eng, tz=tz)
    cancelled = read["sto-bookings-booking-bk-3@coachflow"]  # the late one, across the DST night
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["start"] == dt.datetime(2027, 3, 28, 7, tzinfo=dt.UTC)  # 09:00 CEST
    assert cancelled["sequence"] == 0
    assert read["sto-bookings-booking-bk-2@coachflow"]["status"] == "CANCELLED"  # the no-show
    assert "did not turn up" in read["sto-bookings-booking-bk-2@coachflow"]["description"]
    left_open = eng.bookings[0]
    assert read["sto-bookings-session-3@coachflow"]["start"] == utc(left_open.starts_at)
    assert read["sto-bookings-session-3@coachflow"]["status"] == "CONFIRMED"


def _moves_the_long_way(engagement: Engagement, at: dt.time) -> dict[str, int]:
    """Every entry after every event, each compared with the last: what `sequences`
    must count, the long way (quadratic: the test's oracle)."""
    from coachflow._engine.fold import unfold

    last: dict[str, Any] = {}
    moves: dict[str, int] = {}
    for state in unfold(Engagement, engagement.events):
        if state.agreement is None:
            continue
        for key, entry in _entries(state, at).items():
            before = last.get(key)
            if before is not None and entry.moved_from(before):
                moves[key] = moves.get(key, 0) + 1
            last[key] = entry
    return moves


@settings(max_examples=60, deadline=None)
@given(
    engagements(
        features={"reschedule", "late_cancellation", "no_show", "void_no_show", "void_session"}
    )
)
def test_the_sequences_counted_once_through_are_the_long_way_s(engagement: Engagement) -> None:
    from coachflow._outputs.ics_entries import sequences

    if engagement.agreement is None:
        return
    assert sequences(engagement, dt.time(9)) == _moves_the_long_way(engagement, dt.time(9))


@settings(max_examples=60, deadline=None)
@given(engagements())
def test_the_sequences_of_any_engagement_are_the_long_way_s(engagement: Engagement) -> None:
    from coachflow._outputs.ics_entries import sequences

    if engagement.agreement is None:
        return
    assert sequences(engagement, dt.time(8, 30)) == _moves_the_long_way(engagement, dt.time(8, 30))
