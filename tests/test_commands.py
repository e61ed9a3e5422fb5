"""Every row of API.md's command table, every refusal, and the order checks run in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from builders import (
    CLIENT,
    COACH,
    SPONSOR,
    START,
    active,
    agreement,
    at,
    close,
    closing,
    days,
    in_phase,
    opened,
    run_sessions,
    session,
    with_midpoint,
)
from coachflow import (
    ActionPlan,
    AddGoal,
    Attainment,
    Booking,
    Engagement,
    Event,
    Goal,
    Mode,
    Party,
    PermissionDenied,
    Phase,
    ReformulateGoal,
    Role,
    RuleViolation,
    Session,
    TransitionNotAllowed,
    from_json,
    to_dict,
    to_json,
)

Call = Callable[[Engagement, dt.datetime, str], Event]


def _next(eng: Engagement) -> dt.datetime:
    return eng.events[-1].at + dt.timedelta(hours=1)


CALLS: dict[str, Call] = {
    "agree": lambda e, t, by: e.agree(agreement(), at=t, by=by),
    "record_session": lambda e, t, by: e.record_session(
        Session(max(t - dt.timedelta(hours=1), at(START)), 60, Mode.DIGITAL),
        at=max(t, at(START, 12)),
        by=by,
    ),
    "begin_midpoint_review": lambda e, t, by: e.begin_midpoint_review(at=t, by=by),
    "complete_midpoint_review": lambda e, t, by: e.complete_midpoint_review(at=t, by=by),
    "pause": lambda e, t, by: e.pause(at=t, by=by, reason="illness"),
    "resume": lambda e, t, by: e.resume(at=t, by=by),
    "extend": lambda e, t, by: e.extend(2, at=t, by=by),
    "begin_closing": lambda e, t, by: e.begin_closing(at=t, by=by),
    "close": lambda e, t, by: e.close(
        at=t,
        by=by,
        attainment=[Attainment(g.id, 0) for g in e.goals],
        action_plan=ActionPlan(["Go on"]),
    ),
    "hold_follow_up": lambda e, t, by: e.hold_follow_up(
        at=t, by=by, participants=["coach", "client", "sponsor"]
    ),
    "skip_follow_up": lambda e, t, by: e.skip_follow_up(at=t, by=by, reason="manager left"),
    "terminate": lambda e, t, by: e.terminate(at=t, by=by, reason="moved on"),
    "book_session": lambda e, t, by: e.book_session(
        Booking(f"b{e.version}", max(t, at(START)) + dt.timedelta(days=2), 60, Mode.DIGITAL),
        at=t,
        by=by,
    ),
    "reschedule_session": lambda e, t, by: e.reschedule_session(
        READY, starts_at=max(t, at(START)) + dt.timedelta(days=3), at=t, by=by
    ),
    "cancel_session": lambda e, t, by: e.cancel_session(READY, at=t, by=by, reason="ill"),
    "record_no_show": lambda e, t, by: e.record_no_show(READY, at=max(t, at(START, 12)), by=by),
}
READY = "b-ready"  # the open booking `_ready` makes for the commands that need one
BOOKABLE = (Phase.ACTIVE, Phase.MIDPOINT_REVIEW, Phase.CLOSING, Phase.PAUSED)
RUNNING = (Phase.ACTIVE, Phase.MIDPOINT_REVIEW, Phase.CLOSING)

BOOKING_COMMANDS = ("book_session", "reschedule_session", "cancel_session")

# (command, from, to): API.md's table, row by row
TABLE = [
    ("agree", Phase.AGREEMENT, Phase.ACTIVE),
    ("record_session", Phase.ACTIVE, Phase.ACTIVE),
    ("record_session", Phase.MIDPOINT_REVIEW, Phase.MIDPOINT_REVIEW),
    ("record_session", Phase.CLOSING, Phase.CLOSING),
    ("begin_midpoint_review", Phase.ACTIVE, Phase.MIDPOINT_REVIEW),
    ("complete_midpoint_review", Phase.MIDPOINT_REVIEW, Phase.ACTIVE),
    ("pause", Phase.ACTIVE, Phase.PAUSED),
    ("resume", Phase.PAUSED, Phase.ACTIVE),
    ("extend", Phase.ACTIVE, Phase.ACTIVE),
    ("begin_closing", Phase.ACTIVE, Phase.CLOSING),
    ("close", Phase.CLOSING, Phase.COMPLETED),
    ("hold_follow_up", Phase.FOLLOW_UP, Phase.COMPLETED),
    ("skip_follow_up", Phase.FOLLOW_UP, Phase.COMPLETED),
    *(
        ("terminate", p, Phase.TERMINATED)
        for p in Phase
        if p not in (Phase.COMPLETED, Phase.TERMINATED)
    ),
    *((command, p, p) for command in BOOKING_COMMANDS for p in BOOKABLE),
    *(("record_no_show", p, p) for p in RUNNING),
]


def _ready(phase: Phase, command: str) -> Engagement:
    if phase is Phase.ACTIVE and command == "begin_closing":
        eng = active()
        with_midpoint(eng, START + days(90))
        return eng
    eng = in_phase(phase)
    if command in ("reschedule_session", "cancel_session", "record_no_show"):
        # an open booking that has begun by the time the command comes (`_next`)
        last = eng.events[-1].at
        starts = max(last + dt.timedelta(minutes=30), at(START, 10))
        booking = Booking(READY, starts, 60, Mode.DIGITAL)
        eng.book_session(booking, at=last + dt.timedelta(minutes=1), by="coach")
    return eng


@pytest.mark.parametrize(("command", "source", "dest"), TABLE)
def test_each_row_of_the_command_table_moves_as_documented(
    command: str, source: Phase, dest: Phase
) -> None:
    eng = _ready(source, command)
    assert eng.phase is source
    before = eng.version
    event = CALLS[command](eng, _next(eng), "coach")
    assert eng.phase is dest
    assert eng.version == before + 1
    assert eng.events[-1] is event
    assert type(event).command == command
    assert event.by == "coach"


def test_close_moves_to_follow_up_when_the_agreement_has_one() -> None:
    eng, day = closing(follow_up=True)
    close(eng, day)
    assert eng.phase is Phase.FOLLOW_UP


@pytest.mark.parametrize(
    ("command", "phase"),
    [
        (command, phase)
        for command in CALLS
        for phase in Phase
        if (command, phase) not in {(c, s) for c, s, _ in TABLE}
    ],
)
def test_a_command_outside_its_phases_raises_transition_not_allowed(
    command: str, phase: Phase
) -> None:
    eng = in_phase(phase)
    before = to_dict(eng)
    with pytest.raises(TransitionNotAllowed) as caught:
        CALLS[command](eng, _next(eng), "coach")
    assert caught.value.command == command
    assert caught.value.phase is phase
    assert caught.value.allowed == eng.allowed()
    assert repr(command) in str(caught.value)
    assert phase.value in str(caught.value)
    assert to_dict(eng) == before


def test_allowed_lists_the_commands_of_the_phase_and_only_corrections_once_terminal() -> None:
    assert opened().allowed() == (
        "agree",
        "sign_agreement",
        "give_consent",
        "withdraw_consent",
        "terminate",
    )
    assert in_phase(Phase.PAUSED).allowed() == (
        "sign_agreement",
        "amend_agreement",
        "give_consent",
        "withdraw_consent",
        "correct_session",
        "void_session",
        "book_session",
        "reschedule_session",
        "cancel_session",
        "void_no_show",
        "resume",
        "change_coach",
        "terminate",
    )
    # once terminal, only the record may still be corrected
    corrections = ("correct_session", "void_session", "void_no_show")
    assert in_phase(Phase.COMPLETED).allowed() == corrections
    assert in_phase(Phase.TERMINATED).allowed() == corrections
    for command, source, _ in TABLE:
        assert command in _ready(source, command).allowed()


CLIENT_MAY = {*BOOKING_COMMANDS, "pause", "resume", "terminate"}


@pytest.mark.parametrize(("command", "source", "dest"), TABLE)
@pytest.mark.parametrize("by", ["client", "sponsor", "stranger"])
def test_default_permissions(command: str, source: Phase, dest: Phase, by: str) -> None:
    eng = _ready(source, command)
    may = {"client": CLIENT_MAY, "sponsor": {"terminate"}, "stranger": set()}[by]
    if command in may:
        CALLS[command](eng, _next(eng), by)
        assert eng.phase is dest
    else:
        before = to_dict(eng)
        with pytest.raises(PermissionDenied) as caught:
            CALLS[command](eng, _next(eng), by)
        assert caught.value.party_id == by
        assert caught.value.command == command
        assert to_dict(eng) == before


def test_the_coach_opens_by_default_and_only_a_coach_may_open() -> None:
    assert opened().events[0].by == "coach"
    with pytest.raises(PermissionDenied, match="'client' may not open"):
        Engagement.open("e", coach=COACH, client=CLIENT, at=at(START), by="client")
    with pytest.raises(PermissionDenied, match="not a party"):
        Engagement.open("e", coach=COACH, client=CLIENT, at=at(START), by="nobody")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"coach": CLIENT, "client": CLIENT}, "'coach' must have role 'coach'"),
        ({"client": COACH}, "'client' must have role 'client'"),
        ({"sponsor": CLIENT}, "'sponsor' must have role 'sponsor'"),
        ({"client": Party("coach", "Twin", Role.CLIENT)}, "party ids must differ"),
    ],
)
def test_open_refuses_parties_in_the_wrong_slot(kwargs: dict[str, Any], message: str) -> None:
    parties: dict[str, Any] = {"coach": COACH, "client": CLIENT, **kwargs}
    with pytest.raises(ValueError, match=message):
        Engagement.open("e", **parties, at=at(START))


def test_open_records_the_first_event() -> None:
    eng = opened()
    assert eng.version == 1
    assert eng.phase is Phase.AGREEMENT
    assert (eng.coach, eng.client, eng.sponsor) == (COACH, CLIENT, SPONSOR)
    assert eng.agreement is None
    assert eng.programme is None
    assert eng.start is None
    assert eng.end is None
    assert eng.plan() is None


def test_open_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="'at' must be a timezone-aware datetime"):
        Engagement.open("e", coach=COACH, client=CLIENT, at=dt.datetime(2027, 1, 1))


def test_engagements_cannot_be_constructed_directly_nor_hashed() -> None:
    with pytest.raises(TypeError, match=r"Engagement.open"):
        Engagement()
    with pytest.raises(TypeError):
        hash(opened())


def test_a_command_earlier_than_the_last_event_is_refused() -> None:
    eng = active()
    before = to_dict(eng)
    with pytest.raises(ValueError, match="'at' must not be earlier than the last event"):
        eng.pause(at=eng.events[-1].at - dt.timedelta(seconds=1), by="coach", reason="x")
    assert to_dict(eng) == before
    eng.pause(at=eng.events[-1].at, by="coach", reason="same moment is fine")
    assert eng.phase is Phase.PAUSED


def test_a_session_held_after_it_was_recorded_is_refused() -> None:
    eng = active()
    with pytest.raises(ValueError, match="'held_at' must not be later than 'at'"):
        eng.record_session(session(START + days(1)), at=at(START), by="coach")
    assert eng.sessions == ()


def test_a_sessions_day_is_taken_in_the_engagements_zone() -> None:
    eng = active()  # agreed in Stockholm
    assert eng.agreement is not None and eng.agreement.time_zone == "Europe/Stockholm"
    tokyo_morning = dt.datetime(2027, 1, 11, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    # 2027-01-11 in its own offset, but still 2027-01-10 (23:30) in Stockholm
    with pytest.raises(ValueError, match="on or after the agreement's start 2027-01-11"):
        eng.record_session(Session(tokyo_morning, 60, Mode.PHONE), at=at(START, 12), by="coach")
    new_york_evening = dt.datetime(2027, 1, 10, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    # 2027-01-10 in its own offset, already 2027-01-11 (00:30) in Stockholm
    eng.record_session(Session(new_york_evening, 60, Mode.PHONE), at=at(START, 12), by="coach")
    assert len(eng.sessions) == 1
    assert eng.day_of(eng.sessions[0].held_at) == START


def test_sessions_may_be_recorded_late_and_are_kept_in_the_order_held() -> None:
    eng = active()
    eng.record_session(session(START + days(14)), at=at(START + days(14), 12), by="coach")
    eng.record_session(session(START), at=at(START + days(15)), by="coach")
    assert [s.held_on for s in eng.sessions] == [START, START + days(14)]


def test_check_order_is_phase_then_permission_then_time_then_rules() -> None:
    eng = in_phase(Phase.COMPLETED)
    with pytest.raises(TransitionNotAllowed):  # phase before permission and time
        eng.pause(at=at("2020-01-01"), by="stranger", reason="")
    eng = active(midpoint_review=True)
    with pytest.raises(PermissionDenied):  # permission before time
        eng.begin_closing(at=at("2020-01-01"), by="client")
    with pytest.raises(ValueError, match="earlier"):  # time before the command's rules
        eng.begin_closing(at=at("2020-01-01"), by="coach")
    with pytest.raises(RuleViolation):
        eng.begin_closing(at=_next(eng), by="coach")


def test_extend_moves_the_end_and_keeps_within_36_months() -> None:
    eng = active(6)
    eng.extend(6, at=_next(eng), by="coach")
    assert eng.programme is not None
    assert eng.programme.months == 12
    assert eng.end == dt.date(2028, 1, 11)
    assert eng.agreement is not None
    assert eng.agreement.programme.months == 6  # the agreement as made
    eng.extend(-11, at=_next(eng), by="coach")
    assert eng.end == dt.date(2027, 2, 11)
    with pytest.raises(
        ValueError, match=r"within 1\.\.36 months in total \(got -1 on 1, making 0\)"
    ):
        eng.extend(-1, at=_next(eng), by="coach")
    with pytest.raises(ValueError, match="'months' must not be 0"):
        eng.extend(0, at=_next(eng), by="coach")
    eng.extend(35, at=_next(eng), by="coach")
    with pytest.raises(ValueError, match=r"within 1\.\.36 months"):
        eng.extend(1, at=_next(eng), by="coach")
    assert eng.programme.months == 36


def test_agree_with_a_follow_up_needs_a_sponsor() -> None:
    eng = opened(sponsor=False)
    with pytest.raises(RuleViolation) as caught:
        eng.agree(agreement(follow_up=True), at=_next(eng), by="coach")
    assert [f.code for f in caught.value.findings] == ["agreement.sponsor_missing"]
    assert eng.phase is Phase.AGREEMENT
    eng.agree(agreement(follow_up=False), at=_next(eng), by="coach")
    assert eng.phase is Phase.ACTIVE  # type: ignore[comparison-overlap]


def test_begin_closing_without_a_required_midpoint_review_is_refused() -> None:
    eng = active(6, midpoint_review=True)  # the organisation made the review mandatory
    run_sessions(eng, START, 12)
    with pytest.raises(RuleViolation) as caught:
        eng.begin_closing(at=_next(eng), by="coach")
    assert "midpoint.missing" in [f.code for f in caught.value.findings]
    assert eng.phase is Phase.ACTIVE
    short = active(3)
    short.begin_closing(at=_next(short), by="coach")  # 3 months: no midpoint required
    assert short.phase is Phase.CLOSING


def test_begin_closing_without_an_expected_midpoint_review_is_judged_not_refused() -> None:
    eng = active(6)  # "in longer series a midpoint review is often done": not a must
    run_sessions(eng, START, 12)
    eng.begin_closing(at=_next(eng), by="coach")
    assert eng.phase is Phase.CLOSING


def test_a_programme_may_require_the_midpoint_review_explicitly() -> None:
    eng = active(3, midpoint_review=True)
    with pytest.raises(RuleViolation, match=r"midpoint\.missing"):
        eng.begin_closing(at=_next(eng), by="coach")
    relaxed = active(12, midpoint_review=False)
    relaxed.begin_closing(at=_next(relaxed), by="coach")
    assert relaxed.phase is Phase.CLOSING


def test_midpoint_revisions_reformulate_and_supplement_goals() -> None:
    eng = in_phase(Phase.MIDPOINT_REVIEW)
    event = eng.complete_midpoint_review(
        at=_next(eng),
        by="coach",
        revisions=[ReformulateGoal("g1", "Lead short meetings"), AddGoal(Goal("g3", "Say no"))],
    )
    assert [(g.id, g.statement) for g in eng.goals] == [
        ("g1", "Lead short meetings"),
        ("g2", "Delegate reporting"),
        ("g3", "Say no"),
    ]
    assert eng.agreement is not None
    assert eng.agreement.goals[0].statement == "Lead calm meetings"
    assert len(event.revisions) == 2


@pytest.mark.parametrize(
    ("revisions", "codes"),
    [
        ([ReformulateGoal("nope", "x")], ["midpoint.unknown_goal"]),
        ([AddGoal(Goal("g1", "again"))], ["midpoint.duplicate_goal"]),
        (
            [AddGoal(Goal("g3", "a")), AddGoal(Goal("g3", "b")), ReformulateGoal("zz", "c")],
            ["midpoint.duplicate_goal", "midpoint.unknown_goal"],
        ),
    ],
)
def test_bad_midpoint_revisions_change_nothing(revisions: list[Any], codes: list[str]) -> None:
    eng = in_phase(Phase.MIDPOINT_REVIEW)
    before = to_dict(eng)
    with pytest.raises(RuleViolation) as caught:
        eng.complete_midpoint_review(at=_next(eng), by="coach", revisions=revisions)
    assert [f.code for f in caught.value.findings] == codes
    assert to_dict(eng) == before
    assert [g.id for g in eng.goals] == ["g1", "g2"]


@pytest.mark.parametrize(
    ("scores", "codes"),
    [
        ([("g1", 1)], ["closing.attainment_missing"]),
        ([("g1", 1), ("g2", 0), ("g9", 2)], ["closing.attainment_unknown"]),
        ([("g1", 1), ("g2", 0), ("g2", 1)], ["closing.attainment_duplicate"]),
        ([("g9", 1)], ["closing.attainment_missing", "closing.attainment_unknown"]),
    ],
)
def test_close_needs_exactly_one_attainment_per_current_goal(
    scores: list[tuple[str, int]], codes: list[str]
) -> None:
    eng = in_phase(Phase.CLOSING)
    before = to_dict(eng)
    with pytest.raises(RuleViolation) as caught:
        eng.close(
            at=_next(eng),
            by="coach",
            attainment=[Attainment(g, s) for g, s in scores],
            action_plan=ActionPlan(["x"]),
        )
    assert [f.code for f in caught.value.findings] == codes
    assert to_dict(eng) == before


def test_close_records_attainment_action_plan_and_celebration() -> None:
    eng = in_phase(Phase.CLOSING)
    event = eng.close(
        at=_next(eng),
        by="coach",
        attainment=(Attainment("g2", 2), Attainment("g1", -1, "slower than hoped")),
        action_plan=ActionPlan(("Keep the log", "Quarterly review")),
        celebration="cake",
    )
    assert event.celebration == "cake"
    assert event.action_plan is not None
    assert event.action_plan.steps == ("Keep the log", "Quarterly review")
    assert eng.phase is Phase.COMPLETED


def test_the_follow_up_needs_the_client_and_the_sponsor() -> None:
    eng = in_phase(Phase.FOLLOW_UP)
    with pytest.raises(RuleViolation) as caught:
        eng.hold_follow_up(at=_next(eng), by="coach", participants=["coach", "client"])
    assert caught.value.findings[0].code == "follow_up.participants_missing"
    assert caught.value.findings[0].params["party_ids"] == ["sponsor"]
    assert eng.phase is Phase.FOLLOW_UP
    eng.hold_follow_up(
        at=_next(eng), by="coach", participants=["client", "sponsor", "hr-partner"], summary="ok"
    )
    assert eng.phase is Phase.COMPLETED  # type: ignore[comparison-overlap]


def test_homework_ids_are_unique_within_an_engagement() -> None:
    from coachflow import Assignment

    eng = active()
    eng.record_session(
        session(START, homework=[Assignment("a1", "Note it")]), at=at(START, 12), by="coach"
    )
    with pytest.raises(RuleViolation, match=r"homework\.duplicate_id"):
        eng.record_session(
            session(START + days(14), homework=[Assignment("a1", "Again")]),
            at=at(START + days(14), 12),
            by="coach",
        )
    assert len(eng.sessions) == 1


@pytest.mark.parametrize("change", ["none", "corrected", "voided"])
def test_homework_ids_given_before_a_load_are_taken_after_it(change: str) -> None:
    """A replay drops the set of homework ids (derived state: most loaded engagements are
    only read); the first command that needs it derives it from the sessions, with the
    corrections and voids of the history applied."""
    from coachflow import Assignment

    eng = active()
    eng.record_session(
        session(START, homework=[Assignment("a1", "Note it")]), at=at(START, 12), by="coach"
    )
    eng.record_session(
        session(START + days(7), homework=[Assignment("a2", "Ask")]),
        at=at(START + days(7), 12),
        by="coach",
    )
    if change == "corrected":  # a2 becomes a3
        eng.correct_session(
            at(START + days(7), 10),
            session(START + days(7), homework=[Assignment("a3", "Ask twice")]),
            reason="typo",
            at=at(START + days(8), 9),
            by="coach",
        )
    elif change == "voided":  # a2 is given back
        eng.void_session(
            at(START + days(7), 10), reason="never held", at=at(START + days(8), 9), by="coach"
        )
    loaded = from_json(to_json(eng))
    free = {"none": "a3", "corrected": "a2", "voided": "a2"}[change]
    taken = {"none": "a2", "corrected": "a3", "voided": "a1"}[change]
    later = START + days(14)
    with pytest.raises(RuleViolation, match=r"homework\.duplicate_id"):
        loaded.record_session(
            session(later, homework=[Assignment(taken, "Again")]), at=at(later, 12), by="coach"
        )
    loaded.record_session(
        session(later, homework=[Assignment(free, "New")]), at=at(later, 12), by="coach"
    )
    given = [a.id for s in loaded.sessions for a in s.homework]
    assert len(given) == len(set(given)) == (2 if change == "voided" else 3)


def test_pause_moves_the_end_by_the_days_paused() -> None:
    eng = active(6)
    assert eng.end == dt.date(2027, 7, 11)
    eng.pause(at=at("2027-03-01", 17), by="client", reason="illness")
    assert eng.paused_since == at("2027-03-01", 17)
    assert eng.end == dt.date(2027, 7, 11)  # only a finished pause moves the end
    eng.resume(at=at("2027-03-15", 8), by="client")
    assert eng.pauses == ((dt.date(2027, 3, 1), dt.date(2027, 3, 15)),)
    assert eng.end == dt.date(2027, 7, 25)
    assert eng.paused_since is None


def test_end_clamps_the_day_to_the_end_of_the_month() -> None:
    eng = opened()
    eng.agree(agreement(1, start=dt.date(2027, 1, 31)), at=_next(eng), by="coach")
    assert eng.end == dt.date(2027, 2, 28)


def test_equality_is_equality_of_histories() -> None:
    a, b = active(), active()
    assert a == b
    assert a != opened()
    assert a != "not an engagement"
    b.pause(at=_next(b), by="coach", reason="x")
    assert a != b
    assert "phase=paused version=3" in repr(b)


def test_a_pause_until_a_day_makes_resume_due_then() -> None:
    eng = active()
    leave = START + days(40)
    eng.pause(at=at(leave), by="client", reason="parental leave", until=leave + days(180))
    resume = [a for a in eng.next_actions(leave) if a.code == "engagement.resume"]
    assert [a.due for a in resume] == [leave + days(180)]  # not after the 30-day gap
    loaded = from_json(to_json(eng))
    assert loaded == eng
    assert loaded.next_actions(leave) == eng.next_actions(leave)
    eng.resume(at=at(leave + days(150)), by="client")
    eng.pause(at=at(leave + days(160)), by="client", reason="illness")  # no day agreed
    again = [a.due for a in eng.next_actions(leave) if a.code == "engagement.resume"]
    assert again == [leave + days(160) + days(30)]


def test_a_pause_until_a_day_before_it_begins_is_refused() -> None:
    eng = active()
    with pytest.raises(ValueError, match="'until' must not be before the day the pause begins"):
        eng.pause(at=at(START), by="client", reason="leave", until=START - days(1))
    assert eng.phase is Phase.ACTIVE
    eng.pause(at=at(START), by="client", reason="leave", until=START)  # the same day: fine
    assert eng.events[-1].until == START  # type: ignore[attr-defined]
