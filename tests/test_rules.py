"""Every finding code: a case that raises it and a clean case that does not."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import (
    START,
    active,
    at,
    close,
    closing,
    days,
    in_phase,
    run_sessions,
    session,
    with_midpoint,
)
from coachflow import (
    Assignment,
    Engagement,
    Finding,
    Mode,
    Phase,
    RuleSet,
    Session,
    Severity,
)
from coachflow.testing import engagements, zones


def codes(eng: Engagement, today: dt.date) -> list[str]:
    return [f.code for f in eng.check(today)]


def only(eng: Engagement, today: dt.date, code: str) -> list[Finding]:
    return [f for f in eng.check(today) if f.code == code]


def test_nothing_is_judged_before_the_agreement() -> None:
    assert in_phase(Phase.AGREEMENT).check(START + days(400)) == ()


def test_a_steady_fortnightly_engagement_is_clean_all_the_way() -> None:
    eng = active()
    day = run_sessions(eng, START, 6)
    with_midpoint(eng, day)
    run_sessions(eng, day + days(1), 6)
    for offset in range(0, 181, 7):
        assert eng.check(START + days(offset)) == (), offset


# -- cadence.behind -------------------------------------------------------------------


def test_cadence_behind_counts_expected_sessions_against_held() -> None:
    eng = active()
    run_sessions(eng, START, 1)
    # 46 active days at 2 a month: floor(2 * 46 / 30.4375) = 3 expected, 1 held
    (finding,) = only(eng, START + days(46), "cadence.behind")
    assert finding.severity is Severity.WARNING
    assert dict(finding.params) == {"held": 1, "expected": 3, "tolerance": 1}
    assert finding.on == START + days(46)
    # 45 days: expected 2, held 1, within the tolerance of one
    assert only(eng, START + days(45), "cadence.behind") == []


def test_cadence_behind_tolerance_comes_from_the_programme() -> None:
    eng = active(behind_tolerance=3)
    assert only(eng, START + days(60), "cadence.behind") == []  # 3 expected, 0 held
    assert len(only(eng, START + days(77), "cadence.behind")) == 1  # 5 expected


def test_cadence_behind_leaves_out_finished_pauses_and_paused_engagements() -> None:
    eng = active()
    eng.pause(at=at(START), by="client", reason="illness")
    assert only(eng, START + days(60), "cadence.behind") == []  # paused: not judged
    eng.resume(at=at(START + days(60)), by="client")
    assert only(eng, START + days(61), "cadence.behind") == []  # 1 active day
    assert len(only(eng, START + days(106), "cadence.behind")) == 1  # 46 active days


def test_cadence_behind_is_not_judged_before_the_start() -> None:
    eng = active()
    assert only(eng, START - days(1), "cadence.behind") == []


# -- cadence.gap ----------------------------------------------------------------------


def test_cadence_gap_measures_days_since_the_last_session() -> None:
    eng = active()
    run_sessions(eng, START, 1)
    assert only(eng, START + days(30), "cadence.gap") == []  # 30 days: the limit
    (finding,) = only(eng, START + days(31), "cadence.gap")
    assert finding.params["days"] == 31
    assert finding.params["limit"] == 30
    assert finding.params["since"] == START.isoformat()


def test_cadence_gap_counts_from_the_start_and_from_a_resume() -> None:
    eng = active()
    assert len(only(eng, START + days(31), "cadence.gap")) == 1
    eng.pause(at=at(START + days(1)), by="client", reason="leave")
    eng.resume(at=at(START + days(40)), by="client")
    assert only(eng, START + days(70), "cadence.gap") == []
    assert len(only(eng, START + days(71), "cadence.gap")) == 1


def test_cadence_gap_limit_can_be_set() -> None:
    eng = active(gap_days=10)
    assert len(only(eng, START + days(11), "cadence.gap")) == 1
    monthly = active(sessions_per_month=1)
    assert only(monthly, START + days(60), "cadence.gap") == []  # floor(2 * 30.44) = 60


# -- cadence.bunched ------------------------------------------------------------------


def test_cadence_bunched_flags_a_burst_once() -> None:
    eng = active()
    for offset in (0, 2, 4, 6, 8):  # five sessions within nine days
        eng.record_session(session(START + days(offset)), at=at(START + days(10)), by="coach")
    found = only(eng, START + days(10), "cadence.bunched")
    assert len(found) == 1
    assert found[0].on == START + days(4)
    assert dict(found[0].params) == {"count": 3, "window_days": 7, "limit": 2}
    assert found[0].severity is Severity.INFO


def test_cadence_bunched_clean_at_two_a_week_and_again_after_a_calm_window() -> None:
    eng = active()
    for offset in (0, 6, 14, 20, 40, 41, 42):
        eng.record_session(session(START + days(offset)), at=at(START + days(50)), by="coach")
    found = only(eng, START + days(50), "cadence.bunched")
    assert [f.on for f in found] == [START + days(42)]


def test_cadence_bunched_flags_a_second_burst_after_a_calm_window() -> None:
    eng = active()
    for offset in (0, 1, 2, 20, 30, 40, 41, 42):  # a burst, calm, another burst
        eng.record_session(session(START + days(offset)), at=at(START + days(50)), by="coach")
    found = only(eng, START + days(50), "cadence.bunched")
    assert [f.on for f in found] == [START + days(2), START + days(42)]


def test_cadence_bunched_limit_can_be_set() -> None:
    eng = active(bunching_limit=3)
    for offset in (0, 1, 2):
        eng.record_session(session(START + days(offset)), at=at(START + days(3)), by="coach")
    assert only(eng, START + days(3), "cadence.bunched") == []


# -- session.duration and session.mode ---------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "flagged"), [(59, True), (60, False), (90, False), (91, True)]
)
def test_session_duration_outside_the_programme_minutes(minutes: int, flagged: bool) -> None:
    eng = active()
    eng.record_session(session(START, minutes), at=at(START, 12), by="coach")
    found = only(eng, START, "session.duration")
    assert len(found) == flagged
    if flagged:
        assert found[0].on == START
        assert dict(found[0].params) == {"minutes": minutes, "min": 60, "max": 90}


def test_session_duration_bounds_come_from_the_programme() -> None:
    eng = active(session_minutes=(30, 45))
    eng.record_session(session(START, 45), at=at(START, 12), by="coach")
    eng.record_session(session(START + days(1), 60), at=at(START + days(1), 12), by="coach")
    assert [f.on for f in only(eng, START + days(2), "session.duration")] == [START + days(1)]


def test_session_mode_flags_a_mode_the_agreement_does_not_name() -> None:
    eng = active()  # agreed: in person and digital
    eng.record_session(session(START, mode=Mode.DIGITAL), at=at(START, 12), by="coach")
    eng.record_session(
        session(START + days(14), mode=Mode.PHONE), at=at(START + days(14), 12), by="coach"
    )
    (finding,) = only(eng, START + days(14), "session.mode")
    assert finding.on == START + days(14)
    assert finding.params["mode"] == "phone"
    assert finding.severity is Severity.WARNING


def test_rules_only_see_sessions_held_by_today() -> None:
    eng = active()
    eng.record_session(session(START + days(5), 20), at=at(START + days(5), 12), by="coach")
    assert only(eng, START + days(4), "session.duration") == []
    assert len(only(eng, START + days(5), "session.duration")) == 1


# -- midpoint.missing and midpoint.timing -------------------------------------------------


@pytest.mark.parametrize(("required", "severity"), [(None, Severity.WARNING), (True, Severity.ERROR)])  # fmt: skip
def test_midpoint_missing_once_well_past_the_middle(
    required: bool | None, severity: Severity
) -> None:
    eng = active(6, midpoint_review=required)  # 2027-01-11 .. 07-11: 181 days
    assert eng.middle == dt.date(2027, 4, 11)  # a Sunday: the plan says the Monday after
    assert eng.plan().midpoint == dt.date(2027, 4, 12)  # type: ignore[union-attr]
    run_sessions(eng, START, 13)
    assert only(eng, dt.date(2027, 5, 2), "midpoint.missing") == []  # 21 days late: tolerated
    (finding,) = only(eng, dt.date(2027, 5, 3), "midpoint.missing")
    assert finding.severity is severity  # "often": a warning, unless made mandatory
    assert finding.params["days_late"] == 22
    assert finding.params["required"] is bool(required)


def test_midpoint_missing_not_raised_when_done_under_way_or_not_required() -> None:
    late = dt.date(2027, 6, 1)
    done = active(6)
    with_midpoint(done, START + days(80))
    assert only(done, late, "midpoint.missing") == []
    under_way = active(6)
    under_way.begin_midpoint_review(at=at(late), by="coach")
    assert only(under_way, late, "midpoint.missing") == []
    assert only(active(3), late, "midpoint.missing") == []
    paused = active(6)
    paused.pause(at=at(START), by="client", reason="leave")
    assert len(only(paused, late, "midpoint.missing")) == 1


def test_midpoint_timing_flags_a_review_far_from_the_middle() -> None:
    early = active(6)
    with_midpoint(early, dt.date(2027, 3, 20))  # 22 days before 2027-04-11
    (finding,) = only(early, dt.date(2027, 3, 21), "midpoint.timing")
    assert finding.params["days_off"] == -22
    assert "before" in finding.message
    on_time = active(6)
    with_midpoint(on_time, dt.date(2027, 3, 21))  # 21 days before: tolerated
    assert only(on_time, dt.date(2027, 3, 22), "midpoint.timing") == []
    late = active(6)
    with_midpoint(late, dt.date(2027, 5, 10))
    (finding,) = only(late, dt.date(2027, 5, 10), "midpoint.timing")
    assert "after" in finding.message


def test_midpoint_timing_judges_by_the_plan_at_the_time() -> None:
    eng = active(6)
    with_midpoint(eng, dt.date(2027, 4, 11))
    eng.extend(6, at=at("2027-04-20"), by="coach")  # the middle moves to 2027-07-12
    assert only(eng, dt.date(2027, 4, 21), "midpoint.timing") == []


# -- length.overrun -------------------------------------------------------------------


def test_length_overrun_after_the_end_until_closing_begins() -> None:
    eng = active(3)  # ends 2027-04-11
    run_sessions(eng, START, 7)
    assert only(eng, dt.date(2027, 4, 11), "length.overrun") == []
    (finding,) = only(eng, dt.date(2027, 4, 13), "length.overrun")
    assert finding.params["days_over"] == 2
    eng.begin_closing(at=at("2027-04-13"), by="coach")
    assert only(eng, dt.date(2027, 4, 20), "length.overrun") == []


def test_length_overrun_tolerance_can_be_set() -> None:
    eng = active(3, overrun_tolerance_days=14)
    assert only(eng, dt.date(2027, 4, 25), "length.overrun") == []
    assert len(only(eng, dt.date(2027, 4, 26), "length.overrun")) == 1


# -- homework.unreviewed --------------------------------------------------------------


def test_homework_unreviewed_once_a_later_session_exists() -> None:
    eng = active()
    eng.record_session(
        session(START, homework=[Assignment("a1", "Keep notes"), Assignment("a2", "Ask")]),
        at=at(START, 12),
        by="coach",
    )
    assert only(eng, START + days(1), "homework.unreviewed") == []  # no later session yet
    eng.record_session(
        session(START + days(14), reviewed=["a1"]), at=at(START + days(14), 12), by="coach"
    )
    (finding,) = only(eng, START + days(14), "homework.unreviewed")
    assert finding.params["assignment_id"] == "a2"
    assert finding.on == START
    eng.record_session(
        session(START + days(28), reviewed=["a2"]), at=at(START + days(28), 12), by="coach"
    )
    assert only(eng, START + days(28), "homework.unreviewed") == []


def test_homework_reviewed_in_the_same_session_does_not_count() -> None:
    eng = active()
    eng.record_session(
        session(START, homework=[Assignment("a1", "x")], reviewed=["a1"]),
        at=at(START, 12),
        by="coach",
    )
    eng.record_session(session(START + days(14)), at=at(START + days(14), 12), by="coach")
    assert len(only(eng, START + days(14), "homework.unreviewed")) == 1


def test_homework_sessions_at_the_same_moment_are_not_later() -> None:
    eng = active()
    eng.record_session(
        session(START, homework=[Assignment("a1", "x")]), at=at(START, 12), by="coach"
    )
    eng.record_session(session(START), at=at(START, 12), by="coach")
    assert only(eng, START, "homework.unreviewed") == []
    eng.record_session(session(START + days(1)), at=at(START + days(1), 12), by="coach")
    assert len(only(eng, START + days(1), "homework.unreviewed")) == 1


def test_session_rules_still_judge_a_completed_engagement() -> None:
    eng, day = closing()
    eng.record_session(session(day, 30), at=at(day, 12), by="coach")
    assert "session.duration" in codes(eng, day)
    assert "cadence.gap" not in codes(eng, day + days(100))
    assert "length.overrun" not in codes(eng, day + days(100))


def test_check_wants_a_date() -> None:
    with pytest.raises(TypeError, match="'today' must be a date"):
        active().check(at(START))
    with pytest.raises(TypeError, match="'today' must be a date"):
        active().next_actions("2027-01-01")  # type: ignore[arg-type]


# -- silent mistakes, reported -----------------------------------------------------------------


def test_homework_unknown_flags_a_follow_up_of_an_assignment_never_given() -> None:
    eng = active()
    given = session(START, homework=[Assignment("a1", "Keep a log")])
    eng.record_session(given, at=at(START, 12), by="coach")
    later = START + days(14)
    eng.record_session(session(later, reviewed=["a1", "zzz"]), at=at(later, 12), by="coach")
    found = only(eng, later, "homework.unknown")
    assert [(f.on, f.params["assignment_id"], f.severity) for f in found] == [
        (later, "zzz", Severity.WARNING)
    ]
    assert only(eng, later - days(1), "homework.unknown") == []  # not held by then


def test_homework_unknown_counts_only_sessions_held_before() -> None:
    eng = active()
    same = session(START, homework=[Assignment("a1", "Keep a log")], reviewed=["a1"])
    eng.record_session(same, at=at(START, 12), by="coach")  # reviewed in the session it was given
    assert [f.params["assignment_id"] for f in only(eng, START, "homework.unknown")] == ["a1"]


def test_session_duplicate_flags_the_same_session_recorded_twice() -> None:
    eng = active()
    eng.record_session(session(START), at=at(START, 12), by="coach")
    eng.record_session(session(START), at=at(START, 13), by="coach")
    eng.record_session(session(START, minutes=60), at=at(START, 14), by="coach")
    found = only(eng, START, "session.duplicate")
    assert [f.on for f in found] == [START, START]  # the second and the third
    assert found[0].params == {"held_at": at(START, 10).isoformat()}


def test_session_duplicate_not_for_two_sessions_on_one_day() -> None:
    eng = active()
    eng.record_session(session(START), at=at(START, 12), by="coach")
    eng.record_session(Session(at(START, 15), 60, Mode.IN_PERSON), at=at(START, 17), by="coach")
    assert only(eng, START, "session.duplicate") == []


def test_closing_early_flags_a_series_closed_before_its_middle() -> None:
    eng = active(3)  # no midpoint review required
    run_sessions(eng, START, 2, every=1)
    begun = START + days(3)
    eng.begin_closing(at=at(begun), by="coach")
    found = only(eng, begun, "closing.early")
    assert [(f.on, f.severity) for f in found] == [(begun, Severity.WARNING)]
    assert found[0].params == {"middle": "2027-02-25", "days_early": 42}
    assert only(eng, begun - days(1), "closing.early") == []  # judged from that day on


def test_closing_early_not_for_a_series_closed_after_its_middle() -> None:
    eng, day = closing()  # six months with the midpoint review, closing at the end
    assert only(eng, day, "closing.early") == []
    short = active(3)
    short.extend(-2, at=at(START), by="coach")  # shortened to one month: its middle moved
    short.begin_closing(at=at(START + days(20)), by="coach")
    assert only(short, START + days(20), "closing.early") == []


@pytest.mark.parametrize(("begun", "early"), [(dt.date(2027, 2, 24), 1), (dt.date(2027, 2, 25), None)])  # fmt: skip
def test_closing_early_is_raised_up_to_the_day_before_the_middle(
    begun: dt.date, early: int | None
) -> None:
    eng = active(3)  # 2027-01-11 to 2027-04-11: 90 days, the middle 45 days on: 02-25
    eng.begin_closing(at=at(begun), by="coach")
    found = only(eng, begun, "closing.early")
    assert [f.params["days_early"] for f in found] == ([early] if early else [])


@pytest.mark.parametrize(("participants", "flagged"), [(["client", "sponsor"], True), (["coach", "client", "sponsor"], False)])  # fmt: skip
def test_follow_up_coach_absent(participants: list[str], flagged: bool) -> None:
    eng, day = closing(follow_up=True)
    close(eng, day)
    held = day + days(20)
    eng.hold_follow_up(at=at(held), by="coach", participants=participants)
    found = only(eng, held, "follow_up.coach_absent")
    assert [f.on for f in found] == ([held] if flagged else [])
    assert [f.params for f in found] == ([{"participants": participants}] if flagged else [])


# -- details the rules reference states, pinned ------------------------------------------------


def test_cadence_behind_counts_up_to_the_end_not_to_today() -> None:
    eng = active(3)
    end = eng.end
    assert end is not None
    found = only(eng, end + days(200), "cadence.behind")
    # 90 days from start to end: the 6 allotted, floor(6 * 90 / 90), however late today is
    assert [f.params["expected"] for f in found] == [6]
    assert [f.params["expected"] for f in only(eng, end, "cadence.behind")] == [6]


def test_midpoint_timing_waits_for_the_day_the_review_began() -> None:
    eng = active()
    begun = START + days(20)  # far from the middle
    eng.begin_midpoint_review(at=at(begun), by="coach")
    assert only(eng, begun - days(1), "midpoint.timing") == []
    assert [f.on for f in only(eng, begun, "midpoint.timing")] == [begun]


# -- the order people read findings in ------------------------------------------------------

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engagements(), st.integers(-30, 400))
def test_findings_come_by_day_then_severity_then_code(engagement: Engagement, later: int) -> None:
    today = engagement.events[-1].at.date() + dt.timedelta(days=later)
    strict = RuleSet(
        severities={"session.duration": Severity.ERROR, "plan.weekend": Severity.ERROR}
    )
    for rules in (None, strict):
        findings = engagement.check(today, rules=rules)
        keys = [(f.on is None, f.on or dt.date.min, _RANK[f.severity], f.code) for f in findings]
        assert keys == sorted(keys)


def test_findings_of_one_day_put_errors_first() -> None:
    from coachflow._rules.judging import in_order

    day = dt.date(2027, 3, 1)
    info = Finding("session.duration", Severity.INFO, "long", day)
    error = Finding("z.custom", Severity.ERROR, "custom", day)
    earlier = Finding("cadence.gap", Severity.WARNING, "gap", day - dt.timedelta(days=1))
    undated = Finding("a.first", Severity.ERROR, "no day")
    assert in_order([undated, info, error, earlier]) == (earlier, error, info, undated)


# -- the homework rules beside their definitions, word for word -------------------------------


@st.composite
def _held(draw: st.DrawFn) -> tuple[Session, ...]:
    """Sessions in the order of their instants, drawn in real zones over the nights the
    clocks change (2027-03-28 in Europe, 2027-03-14 in America); some at the instant of
    the one before, written in another zone (a tie in other offsets); each giving
    assignments of ids met nowhere else and reviewing ids from a small pool."""
    moments: list[dt.datetime] = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()) and moments:  # the same instant as one before, elsewhere
            moments.append(draw(st.sampled_from(moments)).astimezone(draw(zones())))
        else:
            day = draw(st.dates(dt.date(2027, 3, 12), dt.date(2027, 3, 30)))
            hour = draw(st.integers(0, 23))
            moments.append(dt.datetime.combine(day, dt.time(hour, 30), draw(zones())))
    moments.sort(key=lambda moment: moment.timestamp())
    held, number = [], 0
    for moment in moments:
        homework = []
        for _ in range(draw(st.integers(0, 2))):
            number += 1
            homework.append(Assignment(f"a{number}", "practise"))
        reviewed = draw(st.lists(st.sampled_from([f"a{n}" for n in range(1, 9)]), max_size=3))
        held.append(Session(moment, 60, Mode.DIGITAL, homework=homework, reviewed=reviewed))
    return tuple(held)


@settings(max_examples=300, deadline=None)
@given(_held())
def test_the_homework_rules_find_what_their_definitions_say(held: tuple[Session, ...]) -> None:
    """`homework.unknown` and `homework.unreviewed` against their docstrings taken
    literally (every pair of sessions compared), on sessions at shared instants too, in
    real zones across a change of the clocks."""
    from coachflow._rules.sessions import homework_unknown, homework_unreviewed

    days = tuple(session.held_at.date() for session in held)
    unknown = [
        (day, assignment_id)
        for session, day in zip(held, days, strict=True)
        for assignment_id in session.reviewed
        if not any(
            other.held_at < session.held_at and assignment_id in {a.id for a in other.homework}
            for other in held
        )
    ]
    unreviewed = [
        (day, assignment.id)
        for session, day in zip(held, days, strict=True)
        for assignment in session.homework
        if any(other.held_at > session.held_at for other in held)
        and not any(
            other.held_at > session.held_at and assignment.id in other.reviewed for other in held
        )
    ]
    today = dt.date(2027, 12, 31)
    for declared, expected in ((homework_unknown, unknown), (homework_unreviewed, unreviewed)):
        found = [(f.on, f.params["assignment_id"]) for f in declared(None, today, held, days)]  # type: ignore[arg-type]
        assert found == expected
