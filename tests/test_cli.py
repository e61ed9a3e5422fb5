"""The command line: the demo and its help."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coachflow._cli import main


def test_demo_prints_the_whole_engagement(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for expected in (
        "start-up meeting: coaching agreement, 6 months from 2027-01-11",
        "-> phase active",
        "session 13: 60 min, digital",
        "homework a1: Keep a note of when you hold back",
        "-> phase midpoint_review",
        "goal g1 reformulated: Lead meetings that end with decisions and owners",
        "goal g3 added: Hold the budget talk with the board",
        "-> phase closing",
        "-> phase follow_up",
        "three-party follow-up with coach-anna, client-kim, manager-mia",
        "-> phase completed",
        "Plan against actual (2027-01-11 to 2027-07-11)",
        "midpoint   planned 2027-04-11  held 2027-04-12",
        "session.duration",
        "Goal attainment (GAS T-score): 59.13",
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
