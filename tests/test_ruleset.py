"""An organisation's rule set: severities, disabled codes, rules of its own; and the
agreement's completeness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from builders import CLIENT, COACH, START, active, at, days, session
from coachflow import (
    Agreement,
    Engagement,
    Finding,
    Goal,
    Mode,
    Programme,
    RuleSet,
    Severity,
)


def short_and_by_phone() -> Engagement:
    eng = active()
    eng.record_session(session(START, 40, Mode.PHONE), at=at(START, 12), by="coach")
    return eng


def every_session_has_notes(engagement: Engagement, today: dt.date) -> Iterator[Finding]:
    for held in engagement.sessions:
        if not held.notes.strip():
            day = engagement.day_of(held.held_at)
            yield Finding("house.notes_missing", Severity.WARNING, "a session without notes", day)


every_session_has_notes.codes = {"house.notes_missing"}  # type: ignore[attr-defined]


def test_without_a_rule_set_the_built_in_rules_judge() -> None:
    eng = short_and_by_phone()
    assert [(f.code, f.severity) for f in eng.check(START + days(1))] == [
        ("session.mode", Severity.WARNING),  # the same day: the warning first
        ("session.duration", Severity.INFO),
    ]
    assert eng.check(START + days(1), rules=RuleSet()) == eng.check(START + days(1))


def test_severities_are_overridden_and_disabled_codes_left_out() -> None:
    eng = short_and_by_phone()
    rules = RuleSet(severities={"session.duration": Severity.ERROR}, disabled={"session.mode"})
    (finding,) = eng.check(START + days(1), rules=rules)
    assert (finding.code, finding.severity) == ("session.duration", Severity.ERROR)
    assert finding.params == {"minutes": 40, "min": 60, "max": 90}  # otherwise unchanged


def test_a_rule_of_your_own_is_judged_and_ordered_with_the_built_in_ones() -> None:
    eng = short_and_by_phone()
    rules = RuleSet(
        extra=(every_session_has_notes,), severities={"house.notes_missing": Severity.INFO}
    )
    codes = [(f.code, f.severity) for f in eng.check(START + days(1), rules=rules)]
    assert codes == [
        ("session.mode", Severity.WARNING),
        ("house.notes_missing", Severity.INFO),  # overridden; then by code
        ("session.duration", Severity.INFO),
    ]
    disabled = RuleSet(extra=(every_session_has_notes,), disabled={"house.notes_missing"})
    assert "house.notes_missing" not in {
        f.code for f in eng.check(START + days(1), rules=disabled)
    }


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: RuleSet(disabled={"cadense.gap"}), ValueError, "'disabled' names codes no rule reports: \\['cadense.gap'\\]"),
        (lambda: RuleSet(severities={"x.y": Severity.INFO}), ValueError, "'severities' names codes no rule reports"),
        (lambda: RuleSet(severities={"session.mode": "error"}), TypeError, "'severities' must map codes"),  # type: ignore[dict-item]
        (lambda: RuleSet(severities=[("session.mode", Severity.INFO)]), TypeError, "'severities' must be a mapping"),  # type: ignore[arg-type]
        (lambda: RuleSet(disabled="session.mode"), TypeError, "'disabled' must be a set of codes"),
        (lambda: RuleSet(extra=(1,)), TypeError, "'extra' must hold rules"),  # type: ignore[arg-type]
    ],
)  # fmt: skip
def test_a_bad_rule_set_says_what_is_expected(make: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make()  # type: ignore[operator]


def test_a_rule_that_yields_something_else_is_named() -> None:
    def sloppy(engagement: Engagement, today: dt.date) -> list[str]:
        return ["not a finding"]

    with pytest.raises(TypeError, match="rule 'sloppy' must yield Findings"):
        active().check(START, rules=RuleSet(extra=(sloppy,)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'rules' must be a RuleSet or None"):
        active().check(START, rules={"disabled": set()})  # type: ignore[arg-type]


# -- agreement.incomplete ------------------------------------------------------------------


def _agreed(**agreement: object) -> Engagement:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, at=at(START - days(7)))
    fields: dict[str, object] = {
        "programme": Programme(6),
        "start": START,
        "goals": (Goal("g1", "Lead calmly", "team survey, 1-5"), Goal("g2", "Delegate", "hours")),
        "modes": {Mode.DIGITAL},
        "practicalities": "Mondays at nine",
        "expectations": "Candour both ways",
        **agreement,
    }
    eng.agree(Agreement(**fields), at=at(START - days(7), 10), by="coach")  # type: ignore[arg-type]
    return eng


def test_a_complete_agreement_is_clean() -> None:
    assert _agreed().check(START) == ()


@pytest.mark.parametrize(
    ("change", "missing", "goals", "says"),
    [
        ({"practicalities": ""}, ["practicalities"], [], "does not yet state practicalities"),
        ({"expectations": "  "}, ["expectations"], [], "does not yet state expectations"),
        (
            {"goals": (Goal("g1", "Lead calmly"), Goal("g2", "Delegate", "hours"))},
            [],
            ["g1"],
            "a measure for goal g1",
        ),
        (
            {"practicalities": "", "expectations": "", "goals": (Goal("g1", "x"),)},
            ["practicalities", "expectations"],
            ["g1"],
            "practicalities, expectations and a measure for goal g1",
        ),
        (
            {"goals": (Goal("g1", "Lead calmly"), Goal("g2", "Delegate"))},
            [],
            ["g1", "g2"],
            "a measure for goals g1 and g2",
        ),
    ],
)
def test_what_the_start_up_meeting_left_open_is_reported(
    change: dict[str, object], missing: list[str], goals: list[str], says: str
) -> None:
    eng = _agreed(**change)
    assert eng.check(START - days(8)) == ()  # not before the agreement's day
    (finding,) = eng.check(START)
    assert finding.code == "agreement.incomplete"
    assert finding.severity is Severity.INFO
    assert finding.on == START - days(7)
    assert finding.params == {"missing": missing, "goals_without_measure": goals}
    assert says in finding.message
