"""Property-based tests: the engine against a simple model, round trips, fuzzed documents."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from typing import Any

from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from builders import CLIENT, COACH, SPONSOR, at, in_phase
from coachflow import (
    ActionPlan,
    AddGoal,
    Agreement,
    Assignment,
    Attainment,
    CoachflowError,
    Engagement,
    Goal,
    InvalidDocument,
    Mode,
    PermissionDenied,
    Phase,
    Programme,
    ReformulateGoal,
    RuleViolation,
    Session,
    TransitionNotAllowed,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from coachflow._demo import demo_engagement

# -- the simple model: API.md's table and policy, written out independently -------------

P = Phase
TABLE: dict[str, dict[Phase, Phase | None]] = {
    "agree": {P.AGREEMENT: P.ACTIVE},
    "record_session": {P.ACTIVE: None, P.MIDPOINT_REVIEW: None, P.CLOSING: None},
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
    "coach": set(TABLE),
    "client": {"pause", "resume", "terminate"},
    "sponsor": {"terminate"},
    "stranger": set(),
}
KNOWN_CODES = {
    "cadence.behind",
    "cadence.gap",
    "cadence.bunched",
    "session.duration",
    "session.mode",
    "midpoint.missing",
    "midpoint.timing",
    "length.overrun",
    "homework.unreviewed",
}

actors = st.sampled_from(["coach", "coach", "coach", "client", "sponsor", "stranger"])
# mostly forward, sometimes (one draw in eleven) backwards in time
hours = st.integers(-48, 24 * 20)
goal_ids = st.sampled_from(["g1", "g2", "g3", "g4"])
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12
).filter(str.strip)


class EngagementCommands(RuleBasedStateMachine):
    """Random commands by random actors at random times, judged against a simple model."""

    def __init__(self) -> None:
        super().__init__()
        self.eng = Engagement.open(
            "eng-p", coach=COACH, client=CLIENT, sponsor=SPONSOR, at=at("2027-01-04")
        )
        self.phase = Phase.AGREEMENT
        self.last = self.eng.events[-1].at
        self.start: dt.date | None = None
        self.follow_up = False
        self.months = 0
        self.requires_midpoint: bool | None = None
        self.midpoint_done = False
        self.goals: list[str] = []
        self.assignments: set[str] = set()

    # -- the one place commands are tried --------------------------------------------

    def attempt(self, command: str, by: str, when: dt.datetime, call: Any, rule_ok: bool) -> None:
        before = to_json(self.eng)
        version = self.eng.version
        expected: type[Exception] | None
        if self.phase not in TABLE[command]:
            expected = TransitionNotAllowed
        elif command not in MAY[by]:
            expected = PermissionDenied
        elif when < self.last:
            expected = ValueError
        elif not rule_ok:
            expected = Exception  # the command's own rule: RuleViolation or ValueError
        else:
            expected = None
        note(f"{command} by {by} at {when.isoformat()}: expect {expected}")
        try:
            event = call()
        except (CoachflowError, ValueError, TypeError) as exc:
            assert expected is not None, f"refused unexpectedly: {exc!r}"
            assert isinstance(exc, expected), f"expected {expected}, got {exc!r}"
            if expected is Exception:
                assert isinstance(exc, RuleViolation | ValueError)
            assert to_json(self.eng) == before, "a refused command changed the engagement"
            assert self.eng.version == version
            return
        assert expected is None, f"accepted although the model expected {expected}"
        assert self.eng.version == version + 1
        assert self.eng.events[-1] is event
        self.last = when
        dest = TABLE[command][self.phase]
        if command == "close" and self.follow_up:
            dest = Phase.FOLLOW_UP
        self.phase = dest or self.phase

    def when(self, delta: int) -> dt.datetime:
        return self.last + dt.timedelta(hours=delta)

    # -- one rule per public command ----------------------------------------------------

    @rule(
        by=actors,
        delta=hours,
        start_in=st.integers(-10, 30),
        months=st.sampled_from([1, 3, 6, 12]),
        midpoint=st.sampled_from([None, True, False]),
        follow_up=st.booleans(),
        modes=st.frozensets(st.sampled_from(Mode), min_size=1),
    )
    def agree(
        self,
        by: str,
        delta: int,
        start_in: int,
        months: int,
        midpoint: bool | None,
        follow_up: bool,
        modes: frozenset[Mode],
    ) -> None:
        when = self.when(delta)
        start = when.date() + dt.timedelta(days=start_in)
        agreement = Agreement(
            Programme(months, midpoint_review=midpoint),
            start,
            (Goal("g1", "Lead"), Goal("g2", "Delegate")),
            modes,
            three_party_follow_up=follow_up,
        )
        self.attempt("agree", by, when, lambda: self.eng.agree(agreement, at=when, by=by), True)
        if self.eng.agreement is agreement:
            self.start, self.follow_up, self.months = start, follow_up, months
            self.requires_midpoint = agreement.programme.requires_midpoint_review
            self.goals = ["g1", "g2"]

    @rule(
        by=actors,
        delta=hours,
        held_before=st.integers(-5, 24 * 30),
        minutes=st.integers(1, 200),
        mode=st.sampled_from(Mode),
        homework=st.lists(
            st.sampled_from(["a1", "a2", "a3", "a4", "a5"]), max_size=2, unique=True
        ),
        reviewed=st.lists(st.sampled_from(["a1", "a2", "a3", "a4", "a5"]), max_size=2),
    )
    def record_session(
        self,
        by: str,
        delta: int,
        held_before: int,
        minutes: int,
        mode: Mode,
        homework: list[str],
        reviewed: list[str],
    ) -> None:
        when = self.when(delta)
        held = when - dt.timedelta(hours=held_before)
        s = Session(held, minutes, mode, [Assignment(a, "practise") for a in homework], reviewed)
        ok = (
            held <= when
            and self.start is not None
            and held.date() >= self.start
            and not (set(homework) & self.assignments)
        )
        self.attempt(
            "record_session", by, when, lambda: self.eng.record_session(s, at=when, by=by), ok
        )
        if self.eng.events[-1].at == when and self.eng.sessions and s in self.eng.sessions:
            self.assignments |= set(homework)

    @rule(by=actors, delta=hours)
    def begin_midpoint_review(self, by: str, delta: int) -> None:
        when = self.when(delta)
        self.attempt(
            "begin_midpoint_review",
            by,
            when,
            lambda: self.eng.begin_midpoint_review(at=when, by=by),
            True,
        )

    @rule(
        by=actors,
        delta=hours,
        revisions=st.lists(
            st.one_of(
                st.builds(ReformulateGoal, goal_ids, texts),
                st.builds(AddGoal, st.builds(Goal, goal_ids, texts)),
            ),
            max_size=2,
        ),
    )
    def complete_midpoint_review(self, by: str, delta: int, revisions: list[Any]) -> None:
        when = self.when(delta)
        goals = list(self.goals)
        ok = True
        for revision in revisions:
            if isinstance(revision, ReformulateGoal):
                ok = ok and revision.goal_id in goals
            else:
                ok = ok and revision.goal.id not in goals
                goals.append(revision.goal.id)
        version = self.eng.version
        self.attempt(
            "complete_midpoint_review",
            by,
            when,
            lambda: self.eng.complete_midpoint_review(at=when, by=by, revisions=revisions),
            ok,
        )
        if self.eng.version > version:
            self.goals = list(dict.fromkeys(goals))
            self.midpoint_done = True

    @rule(by=actors, delta=hours, reason=texts)
    def pause(self, by: str, delta: int, reason: str) -> None:
        when = self.when(delta)
        self.attempt(
            "pause", by, when, lambda: self.eng.pause(at=when, by=by, reason=reason), True
        )

    @rule(by=actors, delta=hours)
    def resume(self, by: str, delta: int) -> None:
        when = self.when(delta)
        self.attempt("resume", by, when, lambda: self.eng.resume(at=when, by=by), True)

    @rule(by=actors, delta=hours, months=st.integers(-12, 12).filter(bool))
    def extend(self, by: str, delta: int, months: int) -> None:
        when = self.when(delta)
        ok = 1 <= self.months + months <= 36
        version = self.eng.version
        self.attempt("extend", by, when, lambda: self.eng.extend(months, at=when, by=by), ok)
        if self.eng.version > version:
            self.months += months
            programme = self.eng.programme
            assert programme is not None
            self.requires_midpoint = programme.requires_midpoint_review

    @rule(by=actors, delta=hours)
    def begin_closing(self, by: str, delta: int) -> None:
        when = self.when(delta)
        ok = not self.requires_midpoint or self.midpoint_done
        self.attempt("begin_closing", by, when, lambda: self.eng.begin_closing(at=when, by=by), ok)

    @rule(
        by=actors,
        delta=hours,
        extra=st.sampled_from([[], [], [], ["g4"], ["g1"]]),
        drop=st.sampled_from([False, False, False, True]),
    )
    def close(self, by: str, delta: int, extra: list[str], drop: bool) -> None:
        when = self.when(delta)
        named = list(self.goals[1:] if drop else self.goals) + extra
        ok = sorted(named) == sorted(self.goals)
        attainment = [Attainment(g, 1) for g in named]
        self.attempt(
            "close",
            by,
            when,
            lambda: self.eng.close(
                at=when, by=by, attainment=attainment, action_plan=ActionPlan(["Go on"])
            ),
            ok,
        )

    @rule(
        by=actors,
        delta=hours,
        participants=st.sampled_from(
            [["coach", "client", "sponsor"], ["sponsor", "client", "hr"], ["coach", "client"], []]
        ),
    )
    def hold_follow_up(self, by: str, delta: int, participants: list[str]) -> None:
        when = self.when(delta)
        ok = {"client", "sponsor"} <= set(participants)
        self.attempt(
            "hold_follow_up",
            by,
            when,
            lambda: self.eng.hold_follow_up(at=when, by=by, participants=participants),
            ok,
        )

    @rule(by=actors, delta=hours, reason=texts)
    def skip_follow_up(self, by: str, delta: int, reason: str) -> None:
        when = self.when(delta)
        self.attempt(
            "skip_follow_up",
            by,
            when,
            lambda: self.eng.skip_follow_up(at=when, by=by, reason=reason),
            True,
        )

    @precondition(lambda self: self.eng.version > 8)  # terminate late, so runs go deep
    @rule(by=actors, delta=hours, reason=texts)
    def terminate(self, by: str, delta: int, reason: str) -> None:
        when = self.when(delta)
        self.attempt(
            "terminate", by, when, lambda: self.eng.terminate(at=when, by=by, reason=reason), True
        )

    @precondition(lambda self: not self.phase.is_terminal)
    @rule(delta=st.integers(1, 24 * 15))
    def advance(self, delta: int) -> None:
        """The coach takes the next step of the process, so that runs reach the end."""
        if self.phase is Phase.AGREEMENT:
            self.agree("coach", delta, 0, 3, None, True, frozenset(Mode))
        elif self.phase is Phase.ACTIVE and self.requires_midpoint and not self.midpoint_done:
            self.begin_midpoint_review("coach", delta)
        elif self.phase is Phase.ACTIVE:
            self.begin_closing("coach", delta)
        elif self.phase is Phase.MIDPOINT_REVIEW:
            self.complete_midpoint_review("coach", delta, [])
        elif self.phase is Phase.PAUSED:
            self.resume("coach", delta)
        elif self.phase is Phase.CLOSING:
            self.close("coach", delta, [], False)
        else:
            self.hold_follow_up("coach", delta, ["client", "sponsor"])

    # -- after every step ---------------------------------------------------------------

    @invariant()
    def agrees_with_the_model(self) -> None:
        event(f"reached {self.phase.value}")
        assert self.eng.phase is self.phase
        assert self.eng.version == len(self.eng.events)
        assert set(self.eng.allowed()) == {c for c, rows in TABLE.items() if self.phase in rows}
        assert [g.id for g in self.eng.goals] == self.goals

    @invariant()
    def replay_and_documents_round_trip(self) -> None:
        assert Engagement.replay(self.eng.events) == self.eng
        assert from_json(to_json(self.eng)) == self.eng

    @invariant()
    def queries_hold_their_shape(self) -> None:
        today = self.last.date()
        for day in (today, today + dt.timedelta(days=45)):
            findings = self.eng.check(day)
            assert {f.code for f in findings} <= KNOWN_CODES
            actions = self.eng.next_actions(day)
            assert list(actions) == sorted(actions, key=lambda a: (a.due, a.code))
        plan = self.eng.plan()
        if plan is not None:
            assert plan.start <= plan.sessions[0] <= plan.sessions[-1] < plan.end == plan.closing
            assert self.eng.start == plan.start
            assert self.eng.end == plan.end
            assert len(plan.sessions) == self.months * 2
            assert (plan.midpoint is not None) == bool(self.requires_midpoint)


TestEngagementCommands = EngagementCommands.TestCase
TestEngagementCommands.settings = settings(stateful_step_count=80)


# -- fuzzed documents ---------------------------------------------------------------------

json_values = st.recursive(
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
    for _ in range(edits):
        parent: Any = doc
        path = "$"
        while True:
            keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
            if not keys:
                break
            key = data.draw(st.sampled_from(keys))
            child = parent[key]
            if isinstance(child, dict | list) and child and data.draw(st.booleans()):
                parent, path = child, f"{path}[{key!r}]"
                continue
            if data.draw(st.booleans()):
                note(f"delete {path}[{key!r}]")
                del parent[key]
            else:
                value = data.draw(json_values)
                note(f"replace {path}[{key!r}] with {value!r}")
                parent[key] = value
            break
    try:
        loaded = from_dict(doc)
    except InvalidDocument as exc:
        assert exc.errors
        assert all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert from_json(to_json(loaded)) == loaded


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
    assert plan.sessions[0] == start
    assert plan.sessions[-1] < plan.end
    assume(plan.midpoint is not None)
    assert start < plan.midpoint < plan.end  # type: ignore[operator]
