"""The faces: plan, check, diagram and ics commands, the diagram, the calendar export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest

from builders import START, active, at, days, in_phase, opened, run_sessions
from coachflow import Booking, Mode, Phase, to_json
from coachflow._cli import main
from coachflow._engine.machine import PROCESS
from coachflow._outputs.demo import demo_engagement
from coachflow._outputs.diagram import diagram
from coachflow._outputs.ics import to_ics
from coachflow._values.events import FollowUpHeld

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.json"
    path.write_text(to_json(demo_engagement()), encoding="utf-8")
    return path


# -- plan -------------------------------------------------------------------------------------


def test_plan_prints_sessions_midpoint_and_closing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "plan", "--months", "6", "--start", "2027-01-11", "--tz", "Europe/Stockholm"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "6 months from 11 January 2027, 12 sessions, about 2 sessions a month, on weekdays "
        "(Europe/Stockholm)"
    )
    assert lines[1] == "  session  1  Mon 2027-01-11"
    assert sum(line.startswith("  session") for line in lines) == 12
    assert all(line[14:17] not in ("Sat", "Sun") for line in lines if "session" in line)
    assert "  midpoint    Mon 2027-04-12" in lines  # the middle is a Sunday: the Monday after
    assert lines[-1] == "  closing     Fri 2027-06-25"  # at the last planned session
    assert lines[-3] == "  session 12  Fri 2027-06-25"


def test_plan_follows_a_rhythm_and_an_allotment(capsys: pytest.CaptureFixture[str]) -> None:
    rhythm = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9"
    code, out, _ = run(
        capsys, "plan", "--months", "6", "--start", "2027-01-11", "--rhythm", rhythm,
        "--sessions", "10",
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "6 months from 11 January 2027, 10 sessions, the rhythm every other Monday at 09:00 (UTC)"
    )
    sessions = [line for line in lines if line.startswith("  session")]
    assert len(sessions) == 10
    assert all(" Mon " in line for line in sessions)
    assert sessions[1] == "  session  2  Mon 2027-01-25"


def test_plan_refuses_a_rhythm_that_is_no_rrule(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "plan", "--months", "6", "--start", "2027-01-11", "--rhythm", "FREQ=HOURLY"
    )
    assert code == 2
    assert err.startswith("coachflow: error: 'rhythm' must be an RFC 5545 RRULE")
    assert "Traceback" not in err


def test_plan_per_month_and_no_midpoint_for_three_months(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "plan", "--months", "3", "--start", "2027-01-11", "--per-month", "4"
    )
    assert code == 0
    assert sum(line.startswith("  session") for line in out.splitlines()) == 12
    assert "midpoint" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "--months", "x", "--start", "2027-01-11"], "expected a whole number, got 'x'"),
        (["plan", "--months", "0", "--start", "2027-01-11"], "at least 1, got 0"),
        (["plan", "--months", "40", "--start", "2027-01-11"], "'months' must be <= 36 (got 40)"),
        (["plan", "--months", "6", "--start", "11/1/2027"], "expected a date like 2027-01-11"),
        (
            ["plan", "--months", "6", "--start", "2027-01-11", "--tz", "Mars/Olympus"],
            "unknown time zone 'Mars/Olympus'",
        ),
        (["plan", "--start", "2027-01-11"], "the following arguments are required: --months"),
        (["diagram", "--format", "png"], "invalid choice: 'png'"),
        (["check", "/no/such/file.json"], "No such file or directory"),
        (["nonsense"], "invalid choice: 'nonsense'"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["demo", "plan", "check", "diagram", "ics"])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert f"usage: coachflow {command}" in out


# -- check ------------------------------------------------------------------------------------


def test_check_text(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    code, out, _ = run(capsys, "check", str(demo_file), "--today", "2027-08-23")
    assert code == 0
    assert out.splitlines()[0] == "eng-2027-001: completed (version 36)"
    assert "sessions: 12 allotted, 11 held, 1 forfeited, 0 remaining" in out
    assert "open bookings: none" in out
    assert "next actions: none" in out
    assert "session.duration" in out
    assert "session.no_show" in out


def test_check_shows_open_bookings_and_what_to_confirm(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    eng = active(6)
    eng.book_session(Booking("bk-1", at(START, 10), 60, Mode.DIGITAL), at=at(START - days(3)), by="client")  # fmt: skip
    path = tmp_path / "booked.json"
    path.write_text(to_json(eng), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--today", "2027-01-13")
    assert code == 0
    assert "open bookings: 1\n  2027-01-11 10:00  bk-1  60 min, digital" in out
    assert "booking.confirm" in out
    assert "booking.unconfirmed" in out
    code, out, _ = run(capsys, "check", str(path), "--today", "2027-01-13", "--format", "json")
    report = json.loads(out)
    assert report["bookings"] == [
        {"id": "bk-1", "starts_at": "2027-01-11T10:00:00+01:00", "minutes": 60, "mode": "digital"}
    ]
    assert report["allocation"] == {"allotted": 12, "held": 0, "forfeited": 0, "remaining": 12}


def test_check_json_and_exit_1_on_an_error_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    eng = active(6, midpoint_review=True)  # the organisation made the review mandatory
    run_sessions(eng, START, 13)
    path = tmp_path / "late.json"
    path.write_text(to_json(eng), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--today", "2027-06-01", "--format", "json")
    assert code == 1  # midpoint.missing is then an error
    report = json.loads(out)
    assert report["phase"] == "active"
    assert "midpoint.missing" in [f["code"] for f in report["findings"]]
    assert report["findings"][0]["params"]
    assert [a["code"] for a in report["next_actions"]][:1] == ["midpoint.begin"]


def test_check_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(to_json(opened())))
    code, out, _ = run(capsys, "check", "-", "--today", "2027-01-05")
    assert code == 0
    assert "agreement.make" in out


def test_check_names_every_problem_of_a_bad_document_on_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "coachflow.engagement"}', encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err == (
        "coachflow: error: invalid document: required field missing @ $.format_version; "
        "required field missing @ $.id; required field missing @ $.events\n"
    )


# -- diagram ----------------------------------------------------------------------------------


def test_the_diagram_is_drawn_from_the_engine_table() -> None:
    mermaid = diagram()
    assert mermaid.lstrip("-\n").startswith("Coaching 3-6-12")
    assert "stateDiagram-v2" in mermaid
    for phase in PROCESS.phases:
        assert f'state "{phase.value}" as {phase.value}' in mermaid
    for step in PROCESS.steps:
        assert step.command in mermaid
    assert "closing --> follow_up: close [follow_up]" in mermaid
    assert "closing --> completed: close [!follow_up]" in mermaid
    assert "[*] --> agreement" in mermaid
    assert mermaid.endswith("\n") and diagram("dot").endswith("}\n")  # files end their lines


def test_the_docs_show_the_current_diagram() -> None:
    assert (ROOT / "docs" / "diagram.mmd").read_text(encoding="utf-8") == diagram(), (
        "regenerate: coachflow diagram > docs/diagram.mmd"
    )


def test_the_dot_diagram_and_a_highlighted_phase(capsys: pytest.CaptureFixture[str]) -> None:
    dot = diagram("dot", phase=Phase.CLOSING)
    assert dot.startswith('digraph "Coaching 3-6-12')
    assert 'closing [label="closing" color=red penwidth=2];' in dot
    code, out, _ = run(capsys, "diagram", "--format", "dot")
    assert code == 0
    assert out.startswith("digraph")
    with pytest.raises(ValueError, match="'format' must be one of mermaid, dot"):
        diagram("png")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'phase' must be a Phase"):
        diagram(phase="active")  # type: ignore[arg-type]


def test_dot_needs_no_graphviz_and_draws_every_row_of_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re
    import sys

    from coachflow._engine.machine import PROCESS

    monkeypatch.setitem(sys.modules, "graphviz", None)  # as if it were not installed
    dot = diagram("dot")
    edges = set(re.findall(r'^  (\w+) -> (\w+) \[label="([^"]+)"\];$', dot, re.MULTILINE))
    expected = {
        (source.value, (step.dest or source).value, step.command)
        for step in PROCESS.steps
        for source in step.sources
    }
    assert {(a, b, label.split(" [")[0]) for a, b, label in edges} == expected
    assert len(edges) == len(expected)
    assert dot.rstrip().endswith("}")
    assert 'completed [label="completed" peripheries=2];' in dot


def meetings(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return [e for e in calendar.walk("VEVENT") if isinstance(e, icalendar.Event)]


# -- ics --------------------------------------------------------------------------------------


def test_the_calendar_holds_what_happened_and_what_is_planned() -> None:
    eng = demo_engagement()
    calendar = icalendar.Calendar.from_ical(to_ics(eng))
    events = meetings(calendar)
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries[:2] == ["Coaching session 1 of 12", "Coaching session 2 of 12"]
    # 11 held, and the planned session left unheld, cancelled now that the series is over
    assert [str(e["STATUS"]) for e in events[:12]] == ["CONFIRMED"] * 11 + ["CANCELLED"]
    assert summaries[12:14] == ["Cancelled coaching session", "Missed coaching session"]
    assert summaries[-4:] == [
        "Coaching agreement",
        "Midpoint review",
        "Closing session",
        "Three-party follow-up",
    ]
    assert len(events) == 18
    agreement = events[-4]
    assert str(agreement["STATUS"]) == "CONFIRMED"  # in force: all three signed
    for signed in ("Anna Lind (coach)", "Kim Berg (client)", "Mia Ek (sponsor)"):
        assert f"signed by {signed} on 2027-01-04" in str(agreement["DESCRIPTION"])
    first = events[0]
    assert first.start == dt.datetime(2027, 1, 11, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert first.end - first.start == dt.timedelta(minutes=90)  # as held, not as planned
    assert str(first["UID"]) == "eng-2027-001-session-1@coachflow"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert "Held in person, 90 minutes" in str(first["DESCRIPTION"])
    follow_up = events[-1]
    held = next(e for e in eng.events if isinstance(e, FollowUpHeld))
    assert follow_up.start == held.at  # the day it happened, not the day planned
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert to_ics(eng) == to_ics(demo_engagement())  # depends only on the engagement


def test_the_calendar_in_another_zone_and_without_follow_up() -> None:
    eng = active(3)
    tokyo = ZoneInfo("Asia/Tokyo")
    calendar = icalendar.Calendar.from_ical(to_ics(eng, tz=tokyo, time_of_day=dt.time(18, 30)))
    events = meetings(calendar)
    assert len(events) == 1 + 5 + 1  # the agreement; the sixth session is the closing
    # planned at 18:30 in the engagement's zone (Stockholm), shown in Tokyo
    assert events[0].start == dt.datetime(2027, 1, 12, 2, 30, tzinfo=tokyo)
    assert str(events[0]["STATUS"]) == "TENTATIVE"
    by_name = icalendar.Calendar.from_ical(
        to_ics(eng, tz="Asia/Tokyo", time_of_day=dt.time(18, 30))
    )
    assert meetings(by_name)[0].start == events[0].start
    with pytest.warns(DeprecationWarning, match="pass time_of_day="):
        former = to_ics(eng, tz=tokyo, at=dt.time(18, 30))  # the former name still works
    assert former == to_ics(eng, tz=tokyo, time_of_day=dt.time(18, 30))


def test_no_calendar_before_the_agreement_nor_with_a_bad_zone() -> None:
    with pytest.raises(ValueError, match="has no agreement yet"):
        to_ics(opened())
    with pytest.raises(ValueError, match="'tz' must be an IANA time zone name"):
        to_ics(active(), tz="Mars/Olympus")
    with pytest.raises(TypeError, match="'tz' must be a ZoneInfo or an IANA zone name"):
        to_ics(active(), tz=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'time_of_day' must be a naive time of day"):
        to_ics(active(), time_of_day=dt.datetime(2027, 1, 4, 9))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="give 'time_of_day' only"):
        to_ics(active(), time_of_day=dt.time(9), at=dt.time(10))


def test_ics_command_writes_a_file_or_standard_output(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "plan.ics"
    code, out, _ = run(capsys, "ics", str(demo_file), "-o", str(out_file))
    assert code == 0
    assert out == f"wrote {out_file}\n"
    written = out_file.read_bytes()
    assert written.startswith(b"BEGIN:VCALENDAR")
    # a loaded document keeps its zone: the first session at 09:00 in Stockholm
    assert b"DTSTART;TZID=Europe/Stockholm:20270111T090000" in written
    code, out, _ = run(capsys, "ics", str(demo_file), "--tz", "UTC")
    assert code == 0
    assert "DTSTART:20270111T080000Z" in out
    assert "BEGIN:VTIMEZONE" not in out


def test_ics_of_an_engagement_without_agreement_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "new.json"
    path.write_text(to_json(in_phase(Phase.AGREEMENT)), encoding="utf-8")
    code, _, err = run(capsys, "ics", str(path))
    assert code == 2
    assert err == "coachflow: error: engagement 'eng-1' has no agreement yet, so no calendar\n"


def test_check_and_ics_read_an_engagement_from_a_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'coaching.db'}"
    assert run(capsys, "demo", "--db", url)[0] == 0
    code, out, _ = run(capsys, "check", "eng-2027-001", "--db", url, "--today", "2027-08-23")
    assert code == 0
    assert out.startswith("eng-2027-001: completed (version 36)")
    code, out, _ = run(capsys, "ics", "eng-2027-001", "--db", url)
    assert code == 0
    assert out.startswith("BEGIN:VCALENDAR")
    code, _, err = run(capsys, "check", "nobody", "--db", url)
    assert code == 2
    assert err == "coachflow: error: no engagement with id 'nobody' is stored\n"


def test_check_of_a_missing_database_is_one_line_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.db"
    code, out, err = run(capsys, "check", "eng-1", "--db", f"sqlite:///{missing}")
    assert (code, out) == (2, "")
    assert (
        err == f"coachflow: error: no SQLite database at {missing} (create=False creates none)\n"
    )
    assert not missing.exists()


def test_check_of_a_file_that_is_no_database_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n" * 100)
    code, _, err = run(capsys, "check", "eng-1", "--db", f"sqlite:///{path}")
    assert code == 2
    assert err == "coachflow: error: opening the store: file is not a database\n"


def test_ics_of_a_client_name_with_a_line_break_writes_a_calendar(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from coachflow import Engagement, Party, Role

    eng = active()
    first, *rest = eng.events
    client = Party("client", "Kim\nBerg, \\ HR; x", Role.CLIENT)
    renamed = attrs.evolve(first, client=client)  # type: ignore[call-arg]
    path = tmp_path / "named.json"
    path.write_text(to_json(Engagement.replay([renamed, *rest])), encoding="utf-8")
    code, out, err = run(capsys, "ics", str(path))
    assert (code, err) == (0, "")
    assert "X-WR-CALNAME:Coaching: Kim\\nBerg\\, \\\\ HR\\; x (eng-1)" in out


def test_check_refuses_a_format_version_that_is_not_an_integer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = json.loads(to_json(active()))
    document["format_version"] = 1.0
    path = tmp_path / "float.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err == (
        "coachflow: error: invalid document: expected an integer format version (got 1.0) "
        "@ $.format_version\n"
    )


def test_names_and_help_speak_of_the_public_api() -> None:
    import pydoc

    from coachflow import Engagement, Session
    from coachflow.store import MIGRATIONS

    with pytest.raises(TypeError, match=r"^Engagement\.open\(\) got an unexpected keyword"):
        Engagement.open("x", colour=1)  # type: ignore[call-arg]
    assert 1 in MIGRATIONS
    text = pydoc.render_doc(Session, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    assert "notes: the coach's own notes" in text
    assert "reviewed: the ids of assignments" in text


def test_a_fault_of_coachflow_is_one_line_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import coachflow._cli.commands

    def broken(form: str) -> str:
        raise RuntimeError("a bug\nwith two lines")

    monkeypatch.setattr(coachflow._cli.commands, "draw", broken)
    code, _, err = run(capsys, "diagram")
    assert code == 70
    assert err == (
        "coachflow: internal error, please report it: RuntimeError: a bug\\nwith two lines\n"
    )
    assert "Traceback" not in err
