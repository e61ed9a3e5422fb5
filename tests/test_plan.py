"""The plan (session dates, midpoint, closing) and the next actions."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import START, active, at, close, closing, days, in_phase, run_sessions, with_midpoint
from coachflow import Action, Phase
from coachflow._rules.plan import next_weekday


@pytest.mark.parametrize(
    ("months", "end"), [(3, "2027-04-11"), (6, "2027-07-11"), (12, "2028-01-11")]
)
def test_plan_spreads_about_two_sessions_a_month(months: int, end: str) -> None:
    plan = active(months).plan()
    assert plan is not None
    assert plan.start == START
    assert plan.end == dt.date.fromisoformat(end)
    assert len(plan.sessions) == 2 * months
    assert plan.sessions[0] == START  # a Monday
    assert all(day.weekday() < 5 for day in plan.sessions)  # never on a weekend
    gaps = [(b - a).days for a, b in zip(plan.sessions, plan.sessions[1:], strict=False)]
    assert all(13 <= gap <= 17 for gap in gaps), gaps
    assert plan.closing == plan.sessions[-1] < plan.end  # held at the last session
    middle = START + (plan.end - START) // 2
    assert plan.midpoint == (None if months < 6 else next_weekday(middle))


def test_plan_session_dates_follow_the_formula() -> None:
    plan = active(1, sessions_per_month=3).plan()
    assert plan is not None
    span = 31  # 2027-01-11 .. 2027-02-11: session i aims at day floor(i * 31 / 3)
    aims = [START + days(i * span // 3) for i in range(3)]
    assert aims == [dt.date(2027, 1, 11), dt.date(2027, 1, 21), dt.date(2027, 1, 31)]
    # each takes the weekday nearest its aim: the Sunday's is Monday 1 February (one day
    # after), not Friday 29 January (two before)
    assert plan.sessions == (dt.date(2027, 1, 11), dt.date(2027, 1, 21), dt.date(2027, 2, 1))


def test_finished_pauses_push_planned_dates_aside() -> None:
    eng = active(6)
    before = eng.plan()
    eng.pause(at=at("2027-02-01"), by="client", reason="illness")
    eng.resume(at=at("2027-02-15"), by="client")
    after = eng.plan()
    assert before is not None
    assert after is not None
    for old, new in zip(before.sessions, after.sessions, strict=True):
        assert new == (old if old < dt.date(2027, 2, 1) else old + days(14))
    assert after.midpoint == before.midpoint + days(14)  # type: ignore[operator]
    assert after.closing == before.closing + days(14)


def test_next_actions_in_agreement_make_the_agreement() -> None:
    eng = in_phase(Phase.AGREEMENT)
    (action,) = eng.next_actions(START)
    assert action.code == "agreement.make"
    assert action.due == eng.phase_since


def test_next_actions_while_active() -> None:
    eng = active(6)
    actions = eng.next_actions(START - days(1))
    assert [a.code for a in actions] == ["session.book", "midpoint.begin", "closing.begin"]
    plan = eng.plan()
    assert plan is not None
    assert [a.due for a in actions] == [START, dt.date(2027, 4, 12), plan.closing]
    assert plan.closing == plan.sessions[-1]  # the closing is the last planned session
    run_sessions(eng, START, 2)
    book = eng.next_actions(START + days(20))[0]
    assert book == Action("session.book", START + days(14 + 15), "book the next session")


def test_next_actions_are_sorted_by_due_date() -> None:
    eng = active(6)
    run_sessions(eng, START, 9)  # the last on 2027-05-03: next booking after the midpoint
    actions = eng.next_actions(dt.date(2027, 5, 4))
    assert [a.code for a in actions] == ["midpoint.begin", "session.book", "closing.begin"]
    assert list(actions) == sorted(actions, key=lambda a: a.due)


def test_no_booking_once_the_next_session_would_fall_past_the_end() -> None:
    eng = active(3)
    run_sessions(eng, dt.date(2027, 4, 1), 1)
    assert [a.code for a in eng.next_actions(dt.date(2027, 4, 2))] == ["closing.begin"]


def test_next_actions_after_the_midpoint_review() -> None:
    eng = active(6)
    eng.begin_midpoint_review(at=at("2027-04-12"), by="coach")
    actions = eng.next_actions(dt.date(2027, 4, 12))
    assert [a.code for a in actions] == ["session.book", "midpoint.complete"]
    assert actions[1].due == dt.date(2027, 4, 12)
    eng.complete_midpoint_review(at=at("2027-04-12", 10), by="coach")
    assert "midpoint.begin" not in [a.code for a in eng.next_actions(dt.date(2027, 4, 13))]


def test_next_actions_while_paused_closing_and_following_up() -> None:
    paused = in_phase(Phase.PAUSED)
    (resume,) = paused.next_actions(START + days(21))
    assert resume.code == "engagement.resume"
    assert resume.due == START + days(20 + 30)
    eng, day = closing(follow_up=True)
    assert [a.code for a in eng.next_actions(day)] == ["closing.close"]
    close(eng, day)
    (follow_up,) = eng.next_actions(day)
    assert follow_up == Action(
        "follow_up.hold", day + days(30), "hold the three-party follow-up with the manager"
    )


@pytest.mark.parametrize("phase", [Phase.COMPLETED, Phase.TERMINATED])
def test_nothing_is_due_once_terminal(phase: Phase) -> None:
    assert in_phase(phase).next_actions(START + days(400)) == ()


def test_a_midpoint_done_early_still_counts() -> None:
    eng = active(6)
    with_midpoint(eng, START + days(10))
    assert "midpoint.begin" not in [a.code for a in eng.next_actions(START + days(11))]
