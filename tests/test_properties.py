"""Property-based tests: the engine against a simple model, round trips, fuzzed documents."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from builders import CLIENT, COACH, at, in_phase
from coachflow import (
    ActionPlan,
    Agreement,
    Amendment,
    Attainment,
    CoachflowError,
    Engagement,
    Event,
    Goal,
    InvalidDocument,
    Mode,
    Opened,
    PermissionDenied,
    Phase,
    Programme,
    ReformulateGoal,
    Role,
    TransitionNotAllowed,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from coachflow._outputs.demo import demo_engagement
from coachflow._outputs.ics import to_ics
from coachflow._rules.judging import CODES
from coachflow._rules.plan import next_weekday
from coachflow._values.calendar import add_months
from coachflow.store import MemoryStore
from coachflow.testing import EngagementMachine
from fuzzing import edit_at_random

# -- the simple model: API.md's table and policy, written out independently -------------

P = Phase
_LIVE = [p for p in Phase if not p.is_terminal]
_AMENDABLE = (P.ACTIVE, P.MIDPOINT_REVIEW, P.PAUSED)
TABLE: dict[str, dict[Phase, Phase | None]] = {
    "agree": {P.AGREEMENT: P.ACTIVE},  # AGREEMENT still while others are to sign
    "sign_agreement": dict.fromkeys(_LIVE),  # ACTIVE with the agreement's last signature
    "amend_agreement": dict.fromkeys(_AMENDABLE),
    "give_consent": dict.fromkeys(_LIVE),
    "withdraw_consent": dict.fromkeys(_LIVE),
    "correct_session": {p: None for p in Phase if p is not P.AGREEMENT},
    "void_session": {p: None for p in Phase if p is not P.AGREEMENT},
    "void_no_show": {p: None for p in Phase if p is not P.AGREEMENT},
    "change_coach": dict.fromkeys(_AMENDABLE),
    "record_session": {P.ACTIVE: None, P.MIDPOINT_REVIEW: None, P.CLOSING: None},
    "book_session": {P.ACTIVE: None, P.MIDPOINT_REVIEW: None, P.CLOSING: None, P.PAUSED: None},
    "reschedule_session": {
        P.ACTIVE: None,
        P.MIDPOINT_REVIEW: None,
        P.CLOSING: None,
        P.PAUSED: None,
    },
    "cancel_session": {P.ACTIVE: None, P.MIDPOINT_REVIEW: None, P.CLOSING: None, P.PAUSED: None},
    "record_no_show": {P.ACTIVE: None, P.MIDPOINT_REVIEW: None, P.CLOSING: None},
    "begin_midpoint_review": {P.ACTIVE: P.MIDPOINT_REVIEW},
    "complete_midpoint_review": {P.MIDPOINT_REVIEW: P.ACTIVE},
    "pause": {P.ACTIVE: P.PAUSED},
    "resume": {P.PAUSED: P.ACTIVE},
    "extend": {P.ACTIVE: None},
    "begin_closing": {P.ACTIVE: P.CLOSING},
    "close": {P.CLOSING: P.COMPLETED},  # FOLLOW_UP when agreed: see the model
    "hold_follow_up": {P.FOLLOW_UP: P.COMPLETED},
    "skip_follow_up": {P.FOLLOW_UP: P.COMPLETED},
    "terminate": {p: P.TERMINATED for p in Phase if p not in (P.COMPLETED, P.TERMINATED)},
}
MAY = {
    "coach": set(TABLE) - {"give_consent", "withdraw_consent"},
    "client": {
        "sign_agreement",
        "amend_agreement",
        "give_consent",
        "withdraw_consent",
        "book_session",
        "reschedule_session",
        "cancel_session",
        "pause",
        "resume",
        "change_coach",
        "terminate",
    },
    "sponsor": {"sign_agreement", "change_coach", "terminate"},
    "stranger": set(),
}
ROLES = {Role.COACH: "coach", Role.CLIENT: "client", Role.SPONSOR: "sponsor"}
KNOWN_CODES = set(CODES)
CONTRACT = {
    "sign_agreement",
    "amend_agreement",
    "give_consent",
    "withdraw_consent",
    "correct_session",
    "void_session",
    "void_no_show",
    "change_coach",
}


class ModelChecked(EngagementMachine):
    """The shipped state machine, with every outcome judged against a simple model."""

    with_sponsor = True  # the model knows the three parties

    def __init__(self) -> None:
        super().__init__()
        self.phase = Phase.AGREEMENT
        self.last = self.now
        self.start: dt.date | None = None
        self.zone: ZoneInfo | None = None  # the engagement's, from the agreement's 'at'
        self.follow_up = False
        self.months = 0
        self.requires_midpoint = self.expects_midpoint = False
        self.midpoint_done = False
        self.goals: list[str] = []
        self.assignments: set[str] = set()
        self.open: dict[str, dt.datetime] = {}  # open bookings: their start
        self.booked: set[str] = set()
        self.expected: type[Exception] | None = None
        self.arguments: Mapping[str, Any] = {}
        # the agreement as a contract
        self.coach, self.former = "coach", set[str]()
        self.agreement: Agreement | None = None  # the agreement in force (or proposed)
        self.signatories: set[str] = set()  # roles
        self.signed: set[str] = set()
        self.pending: Amendment | None = None
        self.pending_signed: set[str] = set()
        self.consent: frozenset[str] = frozenset()
        # the record: each session's instant, assignments and booking; no-shows
        self.held: list[tuple[dt.datetime, set[str], str | None]] = []
        self.fulfilled: dict[str, dt.datetime] = {}  # bookings held: their start
        self.no_shows: dict[str, dt.datetime] = {}

    def role(self, by: str) -> str:
        """The role a party id plays ("stranger" for none, or for a former coach)."""
        if by == self.coach:
            return "coach"
        return by if by in ("client", "sponsor") else "stranger"

    def ids_of(self, roles: set[str]) -> list[str]:
        return [{"coach": self.coach}.get(role, role) for role in roles]

    def before_command(self, command: str, arguments: Mapping[str, Any]) -> None:
        self.arguments = arguments
        by, when = arguments["by"], arguments["at"]
        if self.phase not in TABLE[command]:
            self.expected = TransitionNotAllowed
        elif command not in MAY[self.role(by)]:
            self.expected = PermissionDenied
        elif when.astimezone(dt.UTC) < self.last.astimezone(dt.UTC):  # by instant
            self.expected = ValueError
        elif not self.rules_allow(command, arguments):
            self.expected = Exception  # the command's own rule: RuleViolation or ValueError
        else:
            self.expected = None
        note(f"{command} by {by} at {when.isoformat()}: expect {self.expected}")

    def from_start(self, moment: dt.datetime) -> bool:
        assert self.start is not None and self.zone is not None  # after the agreement
        return moment.astimezone(self.zone).date() >= self.start

    def unsigned(self) -> set[str]:
        signed = self.pending_signed if self.pending is not None else self.signed
        return set(self.ids_of(self.signatories)) - signed

    def contract_allows(self, command: str, arguments: Mapping[str, Any]) -> bool:
        by = arguments["by"]
        if command == "agree":
            return True
        if command == "sign_agreement":
            awaiting = self.pending is not None or (
                self.phase is Phase.AGREEMENT and self.agreement is not None
            )
            return awaiting and by in self.unsigned()
        if command == "amend_agreement":
            return self.amended(arguments["amendment"]) is not None
        if command in ("give_consent", "withdraw_consent"):
            topics = set(arguments["topics"])
            if self.agreement is None or not topics or not topics <= {"goals", "attainment", "action_plan"}:  # fmt: skip
                return False
            if command == "give_consent":
                return not topics & self.consent
            return topics <= self.consent
        if command in ("correct_session", "void_session"):
            instant = arguments["held_at"].astimezone(dt.UTC)
            if not any(held.astimezone(dt.UTC) == instant for held, _, _ in self.held):
                return False
            if command == "void_session":
                return True
            session = arguments["session"]
            return session.held_at.astimezone(dt.UTC) <= arguments["at"].astimezone(
                dt.UTC
            ) and self.from_start(session.held_at)
        if command == "void_no_show":
            return arguments["booking_id"] in self.no_shows
        assert command == "change_coach"
        coach = arguments["coach"]
        taken = {self.coach, *self.former, "client", "sponsor"}
        return coach.role is Role.COACH and coach.id not in taken

    def amended(self, amendment: Amendment) -> Agreement | None:
        """The agreement *amendment* makes of the one in force, or None when refused."""
        assert self.agreement is not None
        current = attrs.evolve(
            self.agreement, programme=attrs.evolve(self.agreement.programme, months=self.months)
        )
        try:
            amended = amendment.applied_to(current)
        except ValueError:
            return None
        return None if amended == current else amended

    def rules_allow(self, command: str, arguments: Mapping[str, Any]) -> bool:
        if command in CONTRACT:
            return self.contract_allows(command, arguments)
        if command == "record_session":
            session = arguments["session"]
            given = {a.id for a in session.homework}
            booking_id = arguments["booking_id"]
            return (
                session.held_at.astimezone(dt.UTC) <= arguments["at"].astimezone(dt.UTC)
                and self.from_start(session.held_at)
                and not given & self.assignments
                and (booking_id is None or booking_id in self.open)
            )
        if command == "book_session":
            booking = arguments["booking"]
            return booking.id not in self.booked and self.from_start(booking.starts_at)
        if command == "reschedule_session":
            return arguments["booking_id"] in self.open and self.from_start(arguments["starts_at"])
        if command == "cancel_session":
            return arguments["booking_id"] in self.open
        if command == "record_no_show":
            starts = self.open.get(arguments["booking_id"])
            return starts is not None and arguments["at"] >= starts
        if command == "pause":
            until = arguments["until"]
            assert self.zone is not None  # a pause follows the agreement
            return until is None or until >= arguments["at"].astimezone(self.zone).date()
        if command == "complete_midpoint_review":
            return self.revised(arguments["revisions"]) is not None
        if command == "extend":
            total = self.months + arguments["months"]
            assert self.agreement is not None and self.start is not None
            last = add_months(self.start, total) - dt.timedelta(days=1) if total > 0 else None
            proposed = self.pending.breaks if self.pending and self.pending.breaks else ()
            breaks = (*self.agreement.breaks, *proposed)
            inside = last is not None and all(b.end <= last for b in breaks)
            return bool(1 <= total <= 36) and inside
        if command == "begin_closing":
            return not self.requires_midpoint or self.midpoint_done
        if command == "close":
            scored = sorted(a.goal_id for a in arguments["attainment"])
            return not scored or scored == sorted(self.goals)  # all goals or none
        if command == "hold_follow_up":
            return bool({"client", "sponsor"} <= set(arguments["participants"]))
        return True

    def revised(self, revisions: list[Any]) -> list[str] | None:
        goals = list(self.goals)
        for revision in revisions:
            if isinstance(revision, ReformulateGoal):
                if revision.goal_id not in goals:
                    return None
            elif revision.goal.id in goals:
                return None
            else:
                goals.append(revision.goal.id)
        return goals

    def on_refused(self, command: str, error: Exception) -> None:
        assert self.expected is not None, f"refused unexpectedly: {error!r}"
        assert isinstance(error, self.expected), f"expected {self.expected}, got {error!r}"
        assert isinstance(error, CoachflowError | ValueError)

    def on_event(self, event: Event) -> None:
        if isinstance(event, Opened):
            return
        command = type(event).command
        assert self.expected is None, (
            f"{command} accepted although the model expected {self.expected}"
        )
        arguments = self.arguments
        self.last = event.at
        dest = TABLE[command][self.phase]
        if command == "close" and self.follow_up:
            dest = Phase.FOLLOW_UP
        self.phase = dest or self.phase
        if command in CONTRACT:
            self.contract_changed(command, arguments)
        elif command == "agree":
            agreement = arguments["agreement"]
            self.start, self.follow_up = agreement.start, agreement.three_party_follow_up
            zone = arguments["at"].tzinfo
            self.zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC")
            self.months = agreement.programme.months
            self.requires_midpoint = agreement.programme.requires_midpoint_review
            self.expects_midpoint = agreement.programme.expects_midpoint_review
            self.goals = [goal.id for goal in agreement.goals]
            self.agreement = agreement
            self.signatories = {ROLES[role] for role in agreement.signatories}
            self.signed = {arguments["by"]}
            if self.unsigned():
                self.phase = Phase.AGREEMENT  # until the last signature
            elif "client" in self.signatories:
                self.consent = agreement.sponsor_sees
        elif command == "record_session":
            self.assignments |= {a.id for a in arguments["session"].homework}
            booking_id = arguments["booking_id"]
            if booking_id is not None:
                self.fulfilled[booking_id] = self.open.pop(booking_id)
            homework = {a.id for a in arguments["session"].homework}
            self.held.append((arguments["session"].held_at, homework, booking_id))
        elif command == "book_session":
            booking = arguments["booking"]
            self.open[booking.id] = booking.starts_at
            self.booked.add(booking.id)
        elif command == "reschedule_session":
            self.open[arguments["booking_id"]] = arguments["starts_at"]
        elif command == "cancel_session":
            del self.open[arguments["booking_id"]]
        elif command == "record_no_show":
            booking_id = arguments["booking_id"]
            self.no_shows[booking_id] = self.open.pop(booking_id)
        elif command == "complete_midpoint_review":
            self.goals = self.revised(arguments["revisions"]) or []
            self.midpoint_done = True
        elif command == "extend":
            self.months += arguments["months"]
            programme = self.engagement.programme
            assert programme is not None
            self.requires_midpoint = programme.requires_midpoint_review
            self.expects_midpoint = programme.expects_midpoint_review

    def contract_changed(self, command: str, arguments: Mapping[str, Any]) -> None:
        by = arguments["by"]
        if command == "sign_agreement":
            if self.pending is not None:
                self.pending_signed.add(by)
                if not self.unsigned():
                    self.take_effect()
            else:
                self.signed.add(by)
                if not self.unsigned():
                    self.phase = Phase.ACTIVE
                    if "client" in self.signatories:
                        assert self.agreement is not None
                        self.consent = self.agreement.sponsor_sees
        elif command == "amend_agreement":
            self.pending = arguments["amendment"]
            self.pending_signed = {by} if self.role(by) in self.signatories else set()
            if not self.unsigned():
                self.take_effect()
        elif command == "give_consent":
            self.consent = self.consent | frozenset(arguments["topics"])
        elif command == "withdraw_consent":
            self.consent = self.consent - frozenset(arguments["topics"])
        elif command in ("correct_session", "void_session"):
            instant = arguments["held_at"].astimezone(dt.UTC)
            index = next(
                i for i, (held, _, _) in enumerate(self.held) if held.astimezone(dt.UTC) == instant
            )
            _, homework, booking_id = self.held.pop(index)
            self.assignments -= homework
            if command == "correct_session":
                self.held.append((arguments["session"].held_at, set(), booking_id))
            elif booking_id is not None:
                self.open[booking_id] = self.fulfilled.pop(booking_id)
        elif command == "void_no_show":
            booking_id = arguments["booking_id"]
            self.open[booking_id] = self.no_shows.pop(booking_id)
        else:
            assert command == "change_coach"
            self.former.add(self.coach)
            self.coach = arguments["coach"].id

    def take_effect(self) -> None:
        assert self.pending is not None
        amended = self.amended(self.pending)
        assert amended is not None
        self.agreement, self.pending, self.pending_signed = amended, None, set()
        self.follow_up = amended.three_party_follow_up

    @precondition(lambda self: not self.phase.is_terminal)
    @rule(hours=st.integers(1, 24 * 15))
    def advance(self, hours: int) -> None:
        """The next step of the process, so that runs reach the end: the coach's, or a
        signature awaited."""
        eng, when = self.engagement, self.at(hours)
        unsigned = sorted(self.unsigned()) if self.agreement is not None else []
        if unsigned and (self.pending is not None or self.phase is Phase.AGREEMENT):
            self.issue("sign_agreement", eng.sign_agreement, at=when, by=unsigned[0])
        elif self.phase is Phase.AGREEMENT:
            agreement = Agreement(
                Programme(6),
                when.date(),
                (Goal("g1", "Lead"),),
                frozenset(Mode),
                three_party_follow_up=True,
            )
            self.issue("agree", eng.agree, agreement=agreement, at=when, by=self.coach)
        elif self.phase is Phase.ACTIVE and self.expects_midpoint and not self.midpoint_done:
            self.issue("begin_midpoint_review", eng.begin_midpoint_review, at=when, by="coach")
        elif self.phase is Phase.ACTIVE:
            self.issue("begin_closing", eng.begin_closing, at=when, by="coach")
        elif self.phase is Phase.MIDPOINT_REVIEW:
            self.issue(
                "complete_midpoint_review",
                eng.complete_midpoint_review,
                at=when,
                by="coach",
                revisions=[],
            )
        elif self.phase is Phase.PAUSED:
            self.issue("resume", eng.resume, at=when, by="coach")
        elif self.phase is Phase.CLOSING:
            attainment = [Attainment(g, 1) for g in self.goals]
            plan = ActionPlan(["Go on"])
            self.issue(
                "close", eng.close, at=when, by="coach", attainment=attainment, action_plan=plan
            )
        else:
            participants = ["client", "sponsor"]
            self.issue(
                "hold_follow_up",
                eng.hold_follow_up,
                at=when,
                by="coach",
                participants=participants,
            )

    @invariant()
    def agrees_with_the_model(self) -> None:
        event(f"reached {self.phase.value}")
        assert self.engagement.phase is self.phase
        assert set(self.engagement.allowed()) == {
            c for c, rows in TABLE.items() if self.phase in rows
        }
        assert [g.id for g in self.engagement.goals] == self.goals

    @invariant()
    def queries_hold_their_shape(self) -> None:
        today = self.engagement.day_of(self.last)
        for day in (today, today + dt.timedelta(days=45)):
            findings = self.engagement.check(day)
            assert {f.code for f in findings} <= KNOWN_CODES
            actions = self.engagement.next_actions(day)
            assert list(actions) == sorted(actions, key=lambda a: (a.due, a.code))
        plan = self.engagement.plan()
        if plan is not None:
            programme, agreement = self.engagement.programme, self.engagement.agreement
            assert programme is not None and agreement is not None
            assert all(plan.start <= day < plan.end for day in plan.sessions)
            assert plan.closing <= plan.end and plan.closing.weekday() < 5
            if plan.midpoint is not None:
                assert plan.midpoint.weekday() < 5 and plan.midpoint <= plan.closing
            if plan.sessions and plan.closing != plan.midpoint:  # at the last session
                last = plan.sessions[-1]
                monday = next_weekday(last)
                friday = last - dt.timedelta(days=last.weekday() - 4)
                assert plan.closing == (monday if monday <= plan.end else friday)
            assert list(plan.sessions) == sorted(plan.sessions)
            assert self.engagement.start == plan.start
            assert self.engagement.end == plan.end
            months = {(day.year, day.month) for day in plan.sessions}
            assert all(
                sum((d.year, d.month) == m for d in plan.sessions) <= programme.sessions_per_month
                for m in months
            )
            agreed_at = self.engagement.agreed_at  # plan.short is on the day it came in force
            assert agreed_at is not None
            judged = max(plan.end, self.engagement.day_of(agreed_at))
            short = any(f.code == "plan.short" for f in self.engagement.check(judged))
            assert short == (len(plan.sessions) < programme.allotted)
            if agreement.rhythm is None:
                assert all(day.weekday() < 5 for day in plan.sessions)
                if not agreement.breaks and not self.engagement.pauses:
                    # every month takes up to sessions_per_month of its weekdays
                    weekdays: dict[tuple[int, int], int] = {}
                    day = plan.start
                    while day < plan.end:
                        if day.weekday() < 5:
                            weekdays[day.year, day.month] = (
                                weekdays.get((day.year, day.month), 0) + 1
                            )
                        day += dt.timedelta(days=1)
                    room = sum(min(programme.sessions_per_month, n) for n in weekdays.values())
                    assert len(plan.sessions) == min(programme.allotted, room)
            else:
                assert len(plan.sessions) <= programme.allotted
            assert (plan.midpoint is not None) == self.expects_midpoint

    def teardown(self) -> None:
        """The calendar of a loaded copy is the live one's, byte for byte (checked once
        a run: a calendar walks the whole history)."""
        if self.engagement.agreement is not None:
            assert to_ics(from_json(to_json(self.engagement))) == to_ics(self.engagement)


@pytest.mark.timeout(300)  # 100 runs of 80 steps, each replayed: ~80 s under coverage
class TestModelChecked(ModelChecked.TestCase):  # type: ignore[valid-type,misc]
    settings = settings(stateful_step_count=80)


# -- fuzzed documents ---------------------------------------------------------------------

ODD = [2**70, -(2**70), 10**12, 0, -1, 1.0, "9999-12-31", "0001-01-01", "2027-01-01",
       "2027-01-01T00:00:00+01:12:12", "9999-12-31T23:59:59+14:00", "2027-10-31T02:30:00+01:00",
       "x\ud800", "x\x00", "Europe/Stockholm", "Mars/Base", "localtime", "a" * 300, "", " "]  # fmt: skip
json_values = st.sampled_from(ODD) | st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)

SEEDS = [to_dict(demo_engagement())] + [to_dict(in_phase(phase)) for phase in Phase]


@given(data=st.data(), doc_index=st.integers(0, len(SEEDS) - 1), edits=st.integers(1, 3))
def test_fuzzed_documents_load_or_raise_invalid_document(
    data: st.DataObject, doc_index: int, edits: int
) -> None:
    doc = copy.deepcopy(SEEDS[doc_index])
    edit_at_random(data, doc, json_values, edits=edits)
    try:
        loaded = from_dict(doc)
    except InvalidDocument as exc:
        assert exc.errors
        assert all(isinstance(e, str) and e for e in exc.errors)
    else:  # an accepted engagement saves, loads, answers and exports
        assert from_json(to_json(loaded)) == loaded
        store = MemoryStore()
        store.save(loaded)
        assert store.load(loaded.id) == loaded
        last = loaded.day_of(loaded.events[-1].at)
        for day in (last, last + dt.timedelta(days=400)):
            loaded.check(day)
            loaded.next_actions(day)
        loaded.plan()
        if loaded.agreement is not None:
            assert to_ics(loaded).startswith(b"BEGIN:VCALENDAR")


@given(text=st.text(max_size=200) | st.binary(max_size=200))
def test_arbitrary_text_loads_or_raises_invalid_document(text: str | bytes) -> None:
    with contextlib.suppress(InvalidDocument):
        from_json(text)


@given(
    months=st.integers(1, 36),
    per_month=st.integers(1, 8),
    start=st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)),
)
def test_plan_invariants_for_any_programme(months: int, per_month: int, start: dt.date) -> None:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, at=at("2000-01-01"))
    eng.agree(
        Agreement(Programme(months, per_month), start, (Goal("g", "x"),), {Mode.PHONE}),
        at=at("2000-01-01"),
        by="coach",
    )
    plan = eng.plan()
    assert plan is not None
    assert len(plan.sessions) == months * per_month
    assert list(plan.sessions) == sorted(plan.sessions)
    assert all(day.weekday() < 5 for day in plan.sessions)  # never on a weekend
    first_weekday = start + dt.timedelta(
        days=max(0, 7 - start.weekday()) if start.weekday() >= 5 else 0
    )
    assert plan.sessions[0] == first_weekday
    assert plan.sessions[-1] < plan.end
    assume(plan.midpoint is not None)
    assert start < plan.midpoint < plan.end  # type: ignore[operator]
