"""The command line: the demo and its help."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coachflow import Phase
from coachflow._cli import main


def test_demo_prints_the_whole_engagement(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for expected in (
        "start-up meeting: coaching agreement, 6 months from 11 January 2027",
        "-> phase active",
        "session 11: 60 min, digital (booked: bk-2027-06-28)",
        "rhythm: every other Monday at 09:00",
        "booked bk-2027-01-11: 11 January 2027 at 09:00, 90 min, in person",
        "moved bk-2027-02-22 to 23 February 2027 at 14:00",
        "cancelled bk-2027-05-17: the coach fell ill",
        "late: less than 24 hours' notice",
        "no-show: the client did not come to bk-2027-05-31",
        "   10  2027-05-31  2027-05-31  no-show",
        "   12  2027-06-28  2027-06-28  on plan",
        "sessions   12 allotted, 11 held, 1 forfeited, 0 remaining",
        "levels, -2 to +2: Meetings run over and end without decisions",
        "break: 27 March 2027 to 4 April 2027",
        "level: Every meeting ends with decisions and owners",
        "session.no_show",
        "session.late_cancellation",
        "practice a1: Keep a note of when you hold back",
        "-> phase midpoint review",
        "goal g1 reformulated: Lead meetings that end with decisions and owners",
        "goal g3 added: Hold the budget talk with the board",
        "-> phase closing",
        "-> phase follow-up",
        "three-party follow-up with Anna Lind, Kim Berg and Mia Ek",
        "-> phase completed",
        "Planned vs actual (11 January 2027 to 11 July 2027)",
        "midpoint   planned 2027-04-12  held 2027-04-12",
        "closing    planned 2027-06-28  held 2027-06-28",
        "session.duration",
        "Goal attainment (GAS T-score): 59.13 (50 = attained as expected; above 50, better than expected)",
        "1. Keep the decision log in every team meeting",
    ):
        assert expected in out, expected


def test_python_dash_m_runs_the_same_demo() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coachflow", "demo"], capture_output=True, text=True, check=True
    )
    assert "Goal attainment (GAS T-score): 59.13" in result.stdout


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


def test_help_lists_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "demo" in capsys.readouterr().out


def test_the_timeline_shows_every_kind_of_event() -> None:
    import datetime as dt

    from builders import START, at, close, closing, days, in_phase, opened
    from coachflow._outputs.timeline import timeline

    eng, day = closing(follow_up=True)
    close(eng, day)
    eng.skip_follow_up(at=at(day + days(3)), by="coach", reason="the manager moved on")
    text = timeline(eng, day + days(5))
    assert "follow-up skipped: the manager moved on" in text
    assert "Goal attainment (GAS T-score): 62.4" in text

    paused = in_phase(Phase.PAUSED)
    paused.resume(at=at(START + days(30)), by="client")
    paused.extend(2, at=at(START + days(31)), by="coach")
    paused.terminate(at=at(START + days(32)), by="sponsor", reason="reorganisation")
    text = timeline(paused, START + days(40))
    for expected in (
        "paused: parental leave",
        "resumed",
        "extended by 2 months",
        "terminated (other): reorganisation",
        "-> phase terminated",
        "Findings as of",
    ):
        assert expected in text, expected
    assert "Next actions" not in text

    fresh = timeline(opened(sponsor=False), dt.date(2027, 1, 5))
    assert "sponsor" not in fresh
    assert "Plan: none yet (no agreement)" in fresh
    assert "agreement.make" in fresh


def test_demo_keeps_the_engagement_in_a_given_database(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/demo.db"
    assert main(["demo", "--db", url]) == 0
    assert f"(36 events saved to {url})" in capsys.readouterr().out
    assert main(["demo", "--db", url]) == 0  # a second run finds it there
    assert f"(36 events loaded from {url})" in capsys.readouterr().out


def test_a_bad_database_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["demo", "--db", "sqlite:////nonexistent/folder/x.db"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("coachflow: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_closed_pipe_is_not_an_error() -> None:
    result = subprocess.run(
        f"{sys.executable} -m coachflow demo | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("coachflow demo")
    assert "Traceback" not in result.stderr


def test_a_sealed_store_opens_with_a_key_file_or_the_environment(
    tmp_path: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import base64
    import os
    from pathlib import Path

    from coachflow._outputs.demo import demo_engagement
    from coachflow.store import SQLStore

    folder = Path(str(tmp_path))
    key = os.urandom(32)
    url = f"sqlite:///{folder / 'sealed.db'}"
    store = SQLStore(url, key=key)
    store.save(demo_engagement())
    store.close()
    monkeypatch.delenv("COACHFLOW_KEY", raising=False)
    raw, hexed, b64 = folder / "raw.key", folder / "hex.key", folder / "b64.key"
    raw.write_bytes(key)
    hexed.write_text(key.hex() + "\n")
    b64.write_text(base64.b64encode(key).decode())
    for path in (raw, hexed, b64):
        argv = [
            "check",
            "eng-2027-001",
            "--db",
            url,
            "--key-file",
            str(path),
            "--today",
            "2027-09-01",
        ]
        assert main(argv) in (0, 1), path  # 1: findings, but no error
        assert "coachflow: error" not in capsys.readouterr().err
    monkeypatch.setenv("COACHFLOW_KEY", base64.b64encode(key).decode())
    assert main(["report", "--db", url, "--today", "2027-09-01"]) == 0
    assert "1 engagement as of" in capsys.readouterr().out
    monkeypatch.setenv("COACHFLOW_KEY", os.urandom(32).hex())  # another key
    with pytest.raises(SystemExit) as caught:
        main(["check", "eng-2027-001", "--db", url])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("coachflow: error:") and "Traceback" not in err
    monkeypatch.setenv("COACHFLOW_KEY", "too short")
    with pytest.raises(SystemExit):
        main(["check", "eng-2027-001", "--db", url])
    err = capsys.readouterr().err
    assert "COACHFLOW_KEY must hold a key of 32 bytes" in err and "too short" not in err
