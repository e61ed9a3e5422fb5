"""The method as written: "often" and "usually" are not "must", agreed breaks, the levels
of Goal Attainment Scaling, and a plan that keeps its rhythm over the whole series."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from builders import CLIENT, COACH, GOALS, SPONSOR, START, active, at, days, run_sessions
from coachflow import (
    ActionPlan,
    Agreement,
    Attainment,
    Break,
    Engagement,
    Goal,
    Mode,
    Phase,
    Programme,
    RuleSet,
    RuleViolation,
    Session,
    Severity,
    to_ics,
    to_json,
)
from coachflow._values.transitions import transitions
from coachflow.testing import agreements

LEVELS = ("none", "some", "as expected", "more", "much more")


def codes(eng: Engagement, today: dt.date) -> list[str]:
    return [f.code for f in eng.check(today)]


def only(eng: Engagement, today: dt.date, code: str) -> list[object]:
    return [f for f in eng.check(today) if f.code == code]


def closing_engagement(months: int = 3, **goal_levels: object) -> Engagement:
    eng = Engagement.open("m", coach=COACH, client=CLIENT, at=at(START - days(7)))
    goals = [Goal("g1", "Lead", "survey", levels=goal_levels.get("levels"))]  # type: ignore[arg-type]
    eng.agree(
        Agreement(Programme(months), START, goals, {Mode.DIGITAL}, practicalities="p", expectations="e"),
        at=at(START - days(7), 10),
        by="coach",
    )  # fmt: skip
    run_sessions(eng, START, 2)
    eng.begin_closing(at=at(START + days(40)), by="coach")
    return eng


# -- "often": the midpoint review ------------------------------------------------------------


def test_a_longer_series_closes_without_a_review_and_is_warned() -> None:
    eng = active(6)
    run_sessions(eng, START, 8)
    found = only(eng, START + days(130), "midpoint.missing")
    assert [f.severity for f in found] == [Severity.WARNING]  # type: ignore[attr-defined]
    eng.begin_closing(at=at(START + days(130)), by="coach")
    assert eng.phase is Phase.CLOSING


def test_an_empty_review_is_noted_and_a_real_one_is_not() -> None:
    empty = active(6)
    run_sessions(empty, START, 4)  # the last on 03-22; the window opens 03-21 - 21 days
    late = START + days(150)
    empty.begin_midpoint_review(at=at(late), by="coach")
    empty.complete_midpoint_review(at=at(late, 10), by="coach")
    (finding,) = only(empty, late, "midpoint.empty")
    assert finding.params == {"begun": late.isoformat(), "window_start": "2027-03-21"}  # type: ignore[attr-defined]
    assert only(empty, late - days(1), "midpoint.empty") == []  # judged once completed
    held = active(6)
    run_sessions(held, START, 7)  # sessions up to 04-05, inside the window
    held.begin_midpoint_review(at=at("2027-04-12"), by="coach")
    held.complete_midpoint_review(at=at("2027-04-12", 10), by="coach")
    assert only(held, dt.date(2027, 4, 20), "midpoint.empty") == []


# -- "discuss", "usually": the closing -------------------------------------------------------


def test_a_closing_without_scores_or_plan_is_recorded_and_judged() -> None:
    eng = closing_engagement()
    eng.close(at=at(START + days(40), 10), by="coach")
    assert eng.phase is Phase.COMPLETED
    assert eng.gas_t_score is None
    day = START + days(40)
    assert {"closing.not_scored", "closing.no_action_plan"} <= set(codes(eng, day))
    assert "closing.not_scored" not in codes(eng, day - days(1))  # from the closing on


def test_a_closing_with_scores_and_plan_is_clean_and_scored() -> None:
    eng = closing_engagement(levels=LEVELS)
    eng.close(
        at=at(START + days(40), 10),
        by="coach",
        attainment=[Attainment("g1", 1)],
        action_plan=ActionPlan(["Go on"]),
    )
    found = set(codes(eng, START + days(40)))
    assert not {"closing.not_scored", "closing.no_action_plan", "gas.levels_undefined"} & found
    assert eng.gas_t_score == pytest.approx(60.0)


def test_a_score_without_levels_is_flagged() -> None:
    eng = closing_engagement()
    eng.close(at=at(START + days(40), 10), by="coach", attainment=[Attainment("g1", 0)])
    (finding,) = only(eng, START + days(40), "gas.levels_undefined")
    assert finding.params == {"goal_ids": ["g1"]}  # type: ignore[attr-defined]


def test_a_partial_list_of_scores_stays_refused() -> None:
    eng = active(3)
    eng.begin_closing(at=at(START), by="coach")
    before = to_json(eng)
    with pytest.raises(RuleViolation) as caught:
        eng.close(at=at(START, 10), by="coach", attainment=[Attainment("g1", 1)])
    assert [f.code for f in caught.value.findings] == ["closing.attainment_missing"]
    assert to_json(eng) == before


def test_an_organisation_can_make_scores_and_a_plan_mandatory() -> None:
    house = RuleSet(
        severities={"closing.not_scored": Severity.ERROR, "closing.no_action_plan": Severity.ERROR}
    )
    eng = closing_engagement()
    before = to_json(eng)
    with pytest.raises(RuleViolation) as caught:
        eng.close(at=at(START + days(40), 10), by="coach", rules=house)
    assert sorted(f.code for f in caught.value.findings) == [
        "closing.no_action_plan",
        "closing.not_scored",
    ]
    assert to_json(eng) == before  # refused: nothing changed
    eng.close(
        at=at(START + days(40), 10),
        by="coach",
        attainment=[Attainment("g1", 0)],
        action_plan=ActionPlan(["Go on"]),
        rules=house,
    )
    assert eng.phase is Phase.COMPLETED


def test_rules_for_close_must_be_a_ruleset() -> None:
    eng = closing_engagement()
    with pytest.raises(TypeError, match="'rules' must be a RuleSet or None"):
        eng.close(at=at(START + days(40), 10), by="coach", rules={"x": 1})  # type: ignore[arg-type]


# -- the levels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "error"),
    [
        (("a", "b", "c", "d"), "must be five texts, for -2, -1, 0, +1 and +2 (got 4)"),
        (("a", "b", " ", "d", "e"), "'levels[2]' must not be blank"),
        (("a", "b", "c", "d", 5), "'levels[4]' must be a str"),
    ],
)
def test_levels_are_five_texts(levels: tuple[object, ...], error: str) -> None:
    with pytest.raises((ValueError, TypeError), match=re.escape(error)):
        Goal("g1", "Lead", levels=levels)


# -- breaks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("breaks", "error"),
    [
        ((Break(START - days(3), START + days(10)),), "'breaks[0]' must lie within the series"),
        ((Break(START + days(80), START + days(95)),), "'breaks[0]' must lie within the series"),
        (
            (Break(START + days(10), START + days(30)), Break(START + days(20), START + days(40))),
            "'breaks[1]' must begin after the break before it ends",
        ),
    ],
)
def test_breaks_are_in_order_inside_the_series(breaks: object, error: str) -> None:
    with pytest.raises(ValueError, match=re.escape(error)):
        Agreement(Programme(3), START, GOALS, {Mode.DIGITAL}, breaks=breaks)  # type: ignore[arg-type]


def test_a_break_ends_after_it_starts_and_lasts_at_most_92_days() -> None:
    with pytest.raises(ValueError, match="'end' must not be before 'start'"):
        Break(START + days(5), START)
    with pytest.raises(ValueError, match="a break may last at most 92 days"):
        Break(START, START + days(92))
    assert START + days(91) in Break(START, START + days(91))


def test_a_summer_break_is_no_gap_and_no_session_is_planned_in_it() -> None:
    summer = Break(dt.date(2027, 7, 1), dt.date(2027, 8, 26))  # 57 days
    eng = Engagement.open("s", coach=COACH, client=CLIENT, at=at("2027-04-26"))
    eng.agree(
        Agreement(Programme(6), dt.date(2027, 5, 3), GOALS, {Mode.DIGITAL}, breaks=(summer,)),
        at=at("2027-04-26", 10),
        by="coach",
    )
    plan = eng.plan()
    assert plan is not None
    assert not [day for day in plan.sessions if day in summer]
    eng.record_session(Session(at("2027-06-28"), 60, Mode.DIGITAL), at=at("2027-06-28", 12), by="coach")  # fmt: skip
    assert only(eng, dt.date(2027, 8, 27), "cadence.gap") == []  # 60 days, 57 of them a break
    assert only(eng, dt.date(2027, 9, 27), "cadence.gap") != []  # 31 days after it
    eng.record_session(Session(at("2027-07-12"), 60, Mode.DIGITAL), at=at("2027-07-12", 12), by="coach")  # fmt: skip
    (finding,) = only(eng, dt.date(2027, 7, 12), "session.in_break")
    assert finding.params == {"break_start": "2027-07-01", "break_end": "2027-08-26"}  # type: ignore[attr-defined]
    assert eng.end == dt.date(2027, 11, 3)  # a break does not move the end


def _summer(rhythm: str | None = None) -> tuple[Engagement, Break]:
    summer = Break(dt.date(2027, 7, 1), dt.date(2027, 8, 15))
    eng = Engagement.open("s", coach=COACH, client=CLIENT, at=at("2027-04-26"))
    agreement = Agreement(
        Programme(6), dt.date(2027, 5, 3), GOALS, {Mode.DIGITAL}, rhythm=rhythm, breaks=(summer,)
    )
    eng.agree(agreement, at=at("2027-04-26", 10), by="coach")
    return eng, summer


@pytest.mark.parametrize("rhythm", [None, "FREQ=WEEKLY;BYDAY=MO", "FREQ=DAILY"])
def test_the_next_booking_is_due_after_the_break(rhythm: str | None) -> None:
    eng, summer = _summer(rhythm)
    eng.record_session(Session(at("2027-06-28"), 60, Mode.DIGITAL), at=at("2027-06-28", 12), by="coach")  # fmt: skip
    (due,) = [a.due for a in eng.next_actions(dt.date(2027, 6, 29)) if a.code == "session.book"]
    assert due > summer.end
    assert due <= summer.end + days(14)


def test_the_calendar_plans_nothing_in_the_break() -> None:
    from icalendar import Calendar

    eng, summer = _summer("FREQ=WEEKLY;BYDAY=MO,TH")
    calendar = Calendar.from_ical(to_ics(eng))
    starts = [
        event.decoded("DTSTART")
        for event in calendar.walk("VEVENT")
        if str(event.get("STATUS")) != "CANCELLED"
    ]
    days_ = [s.date() if isinstance(s, dt.datetime) else s for s in starts]
    assert days_ and not [day for day in days_ if day in summer]


def test_the_midpoint_review_is_planned_after_a_break_that_holds_the_middle() -> None:
    eng, summer = _summer()
    assert eng.middle == summer.end + days(1)  # 3 August is in the break
    plan = eng.plan()
    assert plan is not None and plan.midpoint == dt.date(2027, 8, 16)
    # the middle on a Sunday, a break from the Monday after: the first weekday after it
    opened = Engagement.open("w", coach=COACH, client=CLIENT, at=at("2027-04-26"))
    rest = Break(dt.date(2027, 8, 2), dt.date(2027, 8, 20))
    opened.agree(
        Agreement(Programme(6), dt.date(2027, 5, 1), GOALS, {Mode.DIGITAL}, breaks=(rest,)),
        at=at("2027-04-26", 10),
        by="coach",
    )
    assert opened.middle == dt.date(2027, 8, 1)
    later = opened.plan()
    assert later is not None and later.midpoint == dt.date(2027, 8, 23)


# -- the plan ----------------------------------------------------------------------------------------


def _agreed(rhythm: str | None, months: int = 6, **programme: object) -> Engagement:
    eng = Engagement.open("p", coach=COACH, client=CLIENT, at=at(START - days(7)))
    eng.agree(
        Agreement(Programme(months, **programme), START, GOALS, {Mode.DIGITAL}, rhythm=rhythm),  # type: ignore[arg-type]
        at=at(START - days(7), 10),
        by="coach",
    )
    return eng


def test_two_days_a_week_spread_over_the_series_not_crammed_into_its_start() -> None:
    plan = _agreed("FREQ=WEEKLY;BYDAY=TU,TH").plan()
    assert plan is not None
    assert len(plan.sessions) == 12
    assert plan.sessions[-1] > dt.date(2027, 6, 1)  # not all by 8 April
    gaps = [(b - a).days for a, b in zip(plan.sessions, plan.sessions[1:], strict=False)]
    assert max(gaps) <= 21


def test_a_rhythm_too_thin_for_the_allotment_is_short_and_says_by_how_much() -> None:
    eng = _agreed("FREQ=MONTHLY;BYMONTHDAY=15")
    (finding,) = only(eng, START, "plan.short")
    assert finding.params == {"planned": 6, "allotted": 12, "short": 6}  # type: ignore[attr-defined]
    assert only(_agreed("FREQ=WEEKLY;BYDAY=MO"), START, "plan.short") == []


def test_a_rhythm_that_ended_before_the_start_plans_nothing_and_says_so() -> None:
    eng = _agreed("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231")
    plan = eng.plan()
    assert plan is not None and plan.sessions == ()
    assert plan.end == dt.date(2027, 7, 11)  # a Sunday
    assert plan.closing == dt.date(2027, 7, 9)  # the Friday before
    assert only(eng, START, "plan.short") != []


def test_a_rhythm_that_cannot_keep_the_cadence_says_so_when_agreed() -> None:
    # three days in a row, three sessions: planned as agreed, and bunched
    eng = _agreed("FREQ=WEEKLY;BYDAY=MO,TU,WE;COUNT=3", months=3, sessions_per_month=3, sessions=3)
    (finding,) = only(eng, START, "plan.uneven")
    assert finding.params == {  # type: ignore[attr-defined]
        "longest_gap": 0, "gap_limit": 60, "most_in_window": 3, "window_limit": 2,
    }  # fmt: skip
    # every fourth week on Wednesdays: 27 days between sessions at most, within the limit
    assert only(_agreed("FREQ=WEEKLY;INTERVAL=4;BYDAY=WE", months=3), START, "plan.uneven") == []
    # a monthly rhythm for one session a month, from the start's month on: fine
    assert only(_agreed("FREQ=MONTHLY;BYMONTHDAY=11", months=3, sessions_per_month=1), START, "plan.uneven") == []  # fmt: skip
    # every eighth week: 55 days without a session
    (silent,) = only(_agreed("FREQ=WEEKLY;INTERVAL=8;BYDAY=MO", months=6), START, "plan.uneven")
    assert silent.params["longest_gap"] == 55  # type: ignore[attr-defined]


def test_a_weekend_rhythm_is_noted() -> None:
    eng = _agreed("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA")
    (finding,) = only(eng, START, "plan.weekend")
    assert finding.params == {"weekdays": ["SA"], "sessions": 12}  # type: ignore[attr-defined]
    assert only(_agreed(None), START, "plan.weekend") == []


def test_a_utc_until_ends_the_rhythm_at_that_instant_in_the_zone() -> None:
    # 23:30 UTC on 31 May is 01:30 on 1 June in Stockholm: a Tuesday session then counts
    eng = _agreed("FREQ=DAILY;BYHOUR=1;BYMINUTE=0;UNTIL=20270531T233000Z", months=6)
    plan = eng.plan()
    assert plan is not None
    assert plan.sessions[-1] <= dt.date(2027, 6, 1)
    later = _agreed("FREQ=DAILY;BYHOUR=1;BYMINUTE=0;UNTIL=20270531", months=6).plan()
    assert later is not None and later.sessions[-1] <= dt.date(2027, 5, 31)


def test_the_closing_is_the_last_planned_session_and_milestones_fall_on_weekdays() -> None:
    plan = _agreed("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU").plan()  # Sundays
    assert plan is not None
    assert plan.closing.weekday() < 5 and plan.midpoint is not None and plan.midpoint.weekday() < 5
    assert plan.closing == plan.sessions[-1] + days(1)  # the Monday after the last Sunday
    # the last session on the Saturday before the series ends on Sunday: the Friday before
    eng = Engagement.open("f", coach=COACH, client=CLIENT, at=at("2026-04-20"))
    eng.agree(
        Agreement(Programme(3), dt.date(2026, 5, 2), GOALS, {Mode.DIGITAL},
                  rhythm="FREQ=MONTHLY;INTERVAL=3;BYDAY=TU,WE,SA;BYHOUR=8"),
        at=at("2026-04-20", 10),
        by="coach",
    )  # fmt: skip
    last = eng.plan()
    assert last is not None and last.end == dt.date(2026, 8, 2)
    assert last.sessions[-1] == dt.date(2026, 8, 1) and last.closing == dt.date(2026, 7, 31)


def _most_in_a_week(sessions: tuple[dt.date, ...]) -> int:
    return max(sum(0 <= (day - other).days < 7 for other in sessions) for day in sessions)


def _longest_stretch(start: dt.date, sessions: tuple[dt.date, ...]) -> int:
    edges = [start, *sessions]
    return max((b - a).days - 1 for a, b in itertools.pairwise(edges))


def test_a_sparse_rhythm_is_planned_without_a_long_silence() -> None:
    # every third week, three days: the month cap must not leave 38 days without a session
    eng = Engagement.open("g", coach=COACH, client=CLIENT, at=at("2027-03-18"))
    eng.agree(
        Agreement(Programme(12), dt.date(2027, 3, 25), GOALS, {Mode.DIGITAL},
                  rhythm="FREQ=WEEKLY;INTERVAL=3;BYDAY=WE,TH,SU;BYHOUR=17", time_zone="UTC"),
        at=at("2027-03-18", 10),
        by="coach",
    )  # fmt: skip
    plan = eng.plan()
    assert plan is not None and len(plan.sessions) == 24
    assert _longest_stretch(plan.start, plan.sessions) <= 30


def test_a_rhythm_that_ends_in_a_cluster_is_planned_unbunched_where_it_can_be() -> None:
    # thirty occurrences, three every other week: the last cluster must not take three
    eng = Engagement.open("b", coach=COACH, client=CLIENT, at=at("2027-07-19"))
    eng.agree(
        Agreement(Programme(6), dt.date(2027, 7, 26), GOALS, {Mode.DIGITAL},
                  rhythm="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,SU;BYHOUR=15;COUNT=30",
                  time_zone="Pacific/Apia"),
        at=at("2027-07-19", 10),
        by="coach",
    )  # fmt: skip
    plan = eng.plan()
    assert plan is not None and len(plan.sessions) == 12
    assert _most_in_a_week(plan.sessions) <= 2


def test_sessions_are_bunched_rather_than_left_out_and_the_search_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from coachflow._rules import plan as planning

    first = dt.date(2027, 3, 1)
    days_ = [first + days(n) for n in range(3)]  # three days in a row: nothing else to take
    active = [first + days(n) for n in range(28)]
    picks = planning._pick(days_, active, 3, 3, (7, 2))
    assert picks == [0, 1, 2]  # bunched, not short
    assert planning._ease(picks, days_, first, active, 3, (7, 2, 30)) == [0, 1, 2]
    # sixty days of silence from the start: mended by the smallest move, within the budget
    wide = [first + days(n) for n in range(90)]
    monkeypatch.setattr(planning, "_EASE_WORK", 20)
    assert planning._ease([60, 61], wide, first, wide, 2, (7, 2, 30)) == [60, 61]
    monkeypatch.setattr(planning, "_EASE_WORK", 200_000)
    eased = planning._ease([60, 61], wide, first, wide, 2, (7, 2, 30))
    assert eased == [31, 61]  # 30 days after the start, 29 before the next


# KEEP_PLAN_EXAMPLES=2000 for a longer search (about five minutes, with -o timeout=900)
@settings(
    max_examples=int(os.environ.get("KEEP_PLAN_EXAMPLES", 100)),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],  # assume()s by design
)
@given(agreements(start=START), st.data())
def test_keeping_the_plan_raises_no_cadence_finding(
    agreed: Agreement, data: st.DataObject
) -> None:
    # the rules' own tolerances, not an organisation's stricter ones
    tolerant = attrs.evolve(
        agreed.programme, gap_days=None, bunching_limit=None, behind_tolerance=1,
        bunching_window_days=7,
    )  # fmt: skip
    agreed = attrs.evolve(agreed, programme=tolerant)
    zone = ZoneInfo(agreed.time_zone or "UTC")
    opened = dt.datetime(2026, 12, 1, tzinfo=zone)
    eng = Engagement.open("k", coach=COACH, client=CLIENT, sponsor=SPONSOR, at=opened)
    eng.agree(agreed, at=opened + dt.timedelta(hours=1), by="coach")
    for party in eng.unsigned:  # the client (and the sponsor) sign the same hour
        eng.sign_agreement(at=opened + dt.timedelta(hours=1), by=party.role.value)
    plan, programme = eng.plan(), eng.programme
    assert plan is not None and programme is not None
    months = [(day.year, day.month) for day in plan.sessions]
    assert all(months.count(m) <= programme.sessions_per_month for m in months)
    assume(len(plan.sessions) == programme.allotted)  # the rhythm can hold the allotment
    # ... at the agreed pace: breaks leave room for it (else the sessions must crowd)
    rest = sum((min(b.end, plan.end) - b.start).days + 1 for b in agreed.breaks)
    active = (plan.end - plan.start).days - rest
    assume(programme.allotted <= programme.sessions_per_month * active / 30.4375)
    plan_findings = {f.code: f for f in eng.check(START) if f.code.startswith("plan.")}
    uneven = "plan.uneven" in plan_findings  # the rhythm's days cannot keep the cadence
    assert all(f.severity is Severity.INFO for c, f in plan_findings.items() if c != "plan.uneven")
    reviewed = not programme.expects_midpoint_review
    sessions, found = plan.sessions, set()
    for index, day in enumerate(sessions):
        last = index == len(sessions) - 1
        midpoint = plan.midpoint
        if not reviewed and midpoint is not None and (day >= midpoint or last):
            review = dt.datetime.combine(day, dt.time(8), zone)
            eng.begin_midpoint_review(at=review, by="coach")
            eng.complete_midpoint_review(at=review + dt.timedelta(minutes=30), by="coach")
            reviewed = True
        following = sessions[index + 1] if not last else day + dt.timedelta(days=1)
        room = max(0, (following - day).days - 1)
        drawn = day + dt.timedelta(days=data.draw(st.integers(0, room)))
        held = dt.datetime.combine(day, dt.time(10), zone)
        if index:  # the day before this session: the longest silence before it
            found |= {f.code for f in eng.check(day - dt.timedelta(days=1))}
        if last:  # the closing conversation is the last planned session
            eng.begin_closing(at=held - dt.timedelta(hours=1), by="coach")
        mode = sorted(agreed.modes, key=lambda m: m.value)[0]
        eng.record_session(Session(held, 60, mode), at=held + dt.timedelta(hours=2), by="coach")
        for today in (day, drawn):
            found |= {f.code for f in eng.check(today)}
    cadence = sorted(code for code in found if code.startswith("cadence."))
    if uneven:  # what plan.uneven foretold happens
        params = plan_findings["plan.uneven"].params
        gap, gap_limit = int(params["longest_gap"]), int(params["gap_limit"])  # type: ignore[call-overload]
        most, most_limit = int(params["most_in_window"]), int(params["window_limit"])  # type: ignore[call-overload]
        assert cadence, params
        assert ("cadence.gap" in cadence) == (gap > gap_limit)
        assert ("cadence.bunched" in cadence) == (most > most_limit)
    else:
        assert cadence == [], sessions


# -- time zones and their names ----------------------------------------------------------------------


def test_day_of_takes_a_wall_time_in_a_gap_as_its_instant() -> None:
    nuuk = ZoneInfo("America/Nuuk")
    moment = dt.datetime(2027, 3, 27, 23, 30, tzinfo=nuuk)  # the clocks jump over it
    eng = active()
    assert eng.day_of(moment) == moment.astimezone(dt.UTC).astimezone(nuuk).date()
    assert eng.day_of(moment) == dt.date(2027, 3, 28)


SAMPLE = ("America/Nuuk", "Pacific/Apia", "Australia/Lord_Howe", "Pacific/Chatham", "Europe/Stockholm", "America/Santiago", "Asia/Tehran")  # fmt: skip


@pytest.mark.parametrize("name", SAMPLE)
def test_day_of_is_exact_across_every_change_of_offset(name: str) -> None:
    zone = ZoneInfo(name)
    eng = Engagement.open("z", coach=COACH, client=CLIENT, at=dt.datetime(2026, 1, 1, tzinfo=zone))
    agreed = Agreement(Programme(3), dt.date(2026, 1, 5), GOALS, {Mode.DIGITAL}, time_zone=name)
    eng.agree(agreed, at=dt.datetime(2026, 1, 1, 10, tzinfo=zone), by="coach")
    changes = transitions(zone, 2000, 2040)
    assert changes  # the sample holds zones that change
    for change in changes:
        instant = change.utc.replace(tzinfo=dt.UTC)
        for delta in (-90, -30, -1, 0, 1, 30, 90):
            x = instant + dt.timedelta(minutes=delta)
            assert eng.day_of(x) == x.astimezone(zone).date()
            wall = x.astimezone(zone)  # the same instant, given in the zone itself
            assert eng.day_of(wall) == x.astimezone(zone).date()
            naive_wall = (change.local + dt.timedelta(minutes=delta)).replace(tzinfo=zone)
            assert eng.day_of(naive_wall) == naive_wall.astimezone(dt.UTC).astimezone(zone).date()


@pytest.mark.parametrize("name", ["right/Europe/Stockholm", "posix/Europe/Stockholm", "Factory", "localtime"])  # fmt: skip
def test_zone_names_outside_the_iana_list_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="'time_zone' must be an IANA time zone name"):
        Agreement(Programme(3), START, GOALS, {Mode.DIGITAL}, time_zone=name)
