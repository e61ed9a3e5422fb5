"""The seed's scenarios, end to end: 3, 6 and 12 months at about two sessions a month."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import SPONSOR, START, at, days, session
from coachflow import (
    ActionPlan,
    AddGoal,
    Agreement,
    Assignment,
    Attainment,
    Engagement,
    Goal,
    Mode,
    Party,
    Phase,
    Programme,
    ReformulateGoal,
    Role,
    Severity,
    from_json,
    gas_t_score,
    to_json,
)
from coachflow._outputs.demo import DEMO_TODAY, demo_engagement

#: The five outcomes of Goal Attainment Scaling agreed for each goal, -2 .. +2.
LEVELS = ("much less than expected", "less", "as expected", "more", "much more than expected")
COACH = Party("coach", "Anna Lind", Role.COACH)
CLIENT = Party("client", "Kim Berg", Role.CLIENT)


def run(months: int, *, follow_up: bool) -> Engagement:
    """A whole engagement: agreement, sessions every 15 days with homework, midpoint when
    required, closing, and the three-party follow-up if agreed."""
    eng = Engagement.open(
        f"eng-{months}", coach=COACH, client=CLIENT, sponsor=SPONSOR, at=at(START - days(7))
    )
    eng.agree(
        Agreement(
            Programme(months),
            START,
            (
                Goal("g1", "Lead calm meetings", "survey", levels=LEVELS),
                Goal("g2", "Delegate reporting", "hours", levels=LEVELS),
            ),
            {Mode.IN_PERSON, Mode.PHONE, Mode.DIGITAL},
            practicalities="Every other Monday",
            expectations="Candour both ways",
            three_party_follow_up=follow_up,
        ),
        at=at(START - days(7), 10),
        by="coach",
    )
    end = eng.end
    assert end is not None
    middle = START + (end - START) // 2
    count, day = 0, START
    reviewed: tuple[str, ...] = ()
    while day < end - days(7):
        programme = eng.programme
        assert programme is not None
        if programme.expects_midpoint_review and day >= middle and not eng.midpoint_reviewed:
            eng.begin_midpoint_review(at=at(day, 8), by="coach")
            eng.complete_midpoint_review(
                at=at(day, 8, 30),
                by="coach",
                revisions=[
                    ReformulateGoal("g1", "Lead meetings that end in decisions"),
                    AddGoal(Goal("g3", "Say no kindly", levels=LEVELS)),
                ],
            )
        count += 1
        given = Assignment(f"a{count}", "Practise between sessions")
        eng.record_session(
            session(day, 60 + 15 * (count % 3), homework=[given], reviewed=reviewed),
            at=at(day, 12),
            by="coach",
        )
        reviewed = (given.id,)
        day += days(15)
    eng.begin_closing(at=at(day, 9), by="coach")
    eng.record_session(session(day, 90, reviewed=reviewed), at=at(day, 11), by="coach")
    eng.close(
        at=at(day, 12),
        by="coach",
        attainment=[Attainment(g.id, 1 if g.id != "g3" else 0) for g in eng.goals],
        action_plan=ActionPlan(["Keep the decision log", "Quarterly check-in"]),
        celebration="Coffee and cake",
    )
    if follow_up:
        eng.hold_follow_up(
            at=at(day + days(30)), by="coach", participants=["coach", "client", "sponsor"]
        )
    return eng


@pytest.mark.parametrize(("months", "midpoint"), [(3, False), (6, True), (12, True)])
@pytest.mark.parametrize("follow_up", [False, True])
def test_a_whole_engagement_of_3_6_or_12_months(
    months: int, midpoint: bool, follow_up: bool
) -> None:
    eng = run(months, follow_up=follow_up)
    assert eng.phase is Phase.COMPLETED
    held = len(eng.sessions)
    assert abs(held - 2 * months) <= 1  # about two sessions a month
    assert eng.midpoint_reviewed is midpoint
    assert [g.id for g in eng.goals] == (["g1", "g2", "g3"] if midpoint else ["g1", "g2"])
    assert eng.check(eng.end) == ()  # type: ignore[arg-type]
    assert from_json(to_json(eng)) == eng
    types = [type(e).__name__ for e in eng.events]
    assert types[-1] == ("FollowUpHeld" if follow_up else "Closed")


def test_the_demo_is_the_seed_engagement() -> None:
    eng = demo_engagement()
    assert eng.phase is Phase.COMPLETED
    assert eng.programme is not None
    assert eng.programme.months == 6
    assert len(eng.sessions) == 11  # 13 booked: one cancelled late by the coach, one missed
    assert eng.allocation.remaining == 0
    assert all(60 <= s.minutes <= 90 for s in eng.sessions if s.mode is not Mode.PHONE)
    assert eng.midpoint_reviewed
    findings = eng.check(DEMO_TODAY)
    assert {f.code for f in findings} == {
        "session.duration",
        "session.mode",
        "session.no_show",
        "session.late_cancellation",
        "gas.levels_undefined",  # only the first goal has its five levels agreed
    }
    assert all(f.severity is not Severity.ERROR for f in findings)
    closed = eng.closed
    assert closed is not None
    assert round(gas_t_score(closed.attainment), 2) == 59.13
    assert eng.gas_t_score == gas_t_score(closed.attainment)
    plan = eng.plan()
    assert plan is not None and plan.closing == eng.day_of(closed.at)  # at the last session
    assert eng.agreement is not None and len(eng.agreement.breaks) == 1


def test_a_midpoint_review_that_supplements_goals_changes_what_closing_needs() -> None:
    eng = run(6, follow_up=False)
    closed = eng.events[-1]
    assert {a.goal_id for a in closed.attainment} == {"g1", "g2", "g3"}  # type: ignore[attr-defined]


def test_an_engagement_ended_early_keeps_its_history() -> None:
    eng = run(3, follow_up=False)
    early = Engagement.replay(eng.events[:6])
    early.terminate(at=at(START + days(60)), by="client", reason="new job")
    assert early.phase is Phase.TERMINATED
    assert early.allowed() == ("correct_session", "void_session", "void_no_show")
    assert early.next_actions(START + days(61)) == ()
    assert len(early.sessions) == len(
        [e for e in early.events if type(e).__name__ == "SessionRecorded"]
    )
    assert dt.date(2027, 1, 11) == early.start
