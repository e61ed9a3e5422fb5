"""The value types: frozen, validated, with messages naming field, expectation and value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from builders import GOALS, START, at
from coachflow import (
    Action,
    ActionPlan,
    AddGoal,
    Agreement,
    Assignment,
    Attainment,
    Finding,
    Goal,
    Mode,
    Party,
    Plan,
    Programme,
    ReformulateGoal,
    Role,
    Session,
    Severity,
)


def test_programme_months_alone_is_the_standard_process() -> None:
    programme = Programme(months=6)
    assert programme.sessions_per_month == 2
    assert programme.session_minutes == (60, 90)
    assert programme.expects_midpoint_review  # "often" in longer series ...
    assert not programme.requires_midpoint_review  # ... but not required (v0.3)
    assert not Programme(months=3).expects_midpoint_review
    assert Programme(months=3, midpoint_review=True).requires_midpoint_review
    assert Programme(months=3, midpoint_review=True).expects_midpoint_review
    assert not Programme(months=12, midpoint_review=False).expects_midpoint_review


def test_programme_resolved_tolerances() -> None:
    assert Programme(6).max_gap_days == 30
    assert Programme(6, sessions_per_month=1).max_gap_days == 60
    assert Programme(6, gap_days=21).max_gap_days == 21
    assert Programme(6).max_sessions_in_window == 2
    assert Programme(6, sessions_per_month=8).max_sessions_in_window == 4
    assert Programme(6, bunching_limit=5).max_sessions_in_window == 5
    assert Programme(6).interval_days == pytest.approx(15.21875)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"months": 0}, ValueError, "'months' must be >= 1 (got 0)"),
        ({"months": 37}, ValueError, "'months' must be <= 36 (got 37)"),
        ({"months": "6"}, TypeError, "'months' must be an int (got '6' of type str)"),
        ({"months": True}, TypeError, "'months' must be an int (got True of type bool)"),
        ({"months": 6, "sessions_per_month": 0}, ValueError, "'sessions_per_month' must be >= 1"),
        ({"months": 6, "session_minutes": (90, 60)}, ValueError, "0 < min <= max"),
        ({"months": 6, "session_minutes": (0, 60)}, ValueError, "0 < min <= max"),
        ({"months": 6, "session_minutes": (60,)}, ValueError, "a (min, max) pair"),
        (
            {"months": 6, "session_minutes": (60.0, 90)},
            TypeError,
            "'session_minutes[0]' must be an int",
        ),
        (
            {"months": 6, "session_minutes": 60},
            TypeError,
            "'session_minutes' must be a (min, max)",
        ),
        ({"months": 6, "midpoint_review": "yes"}, TypeError, "'midpoint_review' must be a bool"),
        ({"months": 6, "gap_days": 0}, ValueError, "'gap_days' must be >= 1 (got 0)"),
        ({"months": 6, "behind_tolerance": -1}, ValueError, "'behind_tolerance' must be >= 0"),
    ],
)
def test_programme_refuses_bad_values(kwargs: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        Programme(**kwargs)
    assert message in str(caught.value)


def _agreement(**kwargs: Any) -> Agreement:
    fields: dict[str, Any] = {
        "programme": Programme(6),
        "start": START,
        "goals": GOALS,
        "modes": {Mode.DIGITAL},
        **kwargs,
    }
    return Agreement(**fields)


def test_agreement_takes_lists_and_sets_and_stores_immutable_collections() -> None:
    agreement = _agreement(goals=list(GOALS), modes=[Mode.DIGITAL, Mode.PHONE])
    assert agreement.goals == GOALS
    assert agreement.modes == frozenset({Mode.DIGITAL, Mode.PHONE})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        agreement.start = START  # type: ignore[misc]
    assert hash(agreement) == hash(_agreement(modes={Mode.PHONE, Mode.DIGITAL}))
    from_iterables = _agreement(goals=iter(GOALS), modes=(Mode.PHONE, Mode.DIGITAL))
    assert from_iterables.goals == GOALS
    assert from_iterables.modes == agreement.modes


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"goals": ()}, ValueError, "'goals' must have at least 1 item(s)"),
        (
            {"goals": (GOALS[0], GOALS[0])},
            ValueError,
            "'goals' must have unique goal ids (got 'g1' twice)",
        ),
        ({"goals": ("g1",)}, TypeError, "'goals[0]' must be a Goal (got 'g1' of type str)"),
        ({"goals": "g1"}, TypeError, "'goals' must be a sequence"),
        ({"modes": set()}, ValueError, "'modes' must have at least 1 item(s)"),
        ({"modes": {"digital"}}, TypeError, "must be a Mode"),
        ({"modes": "digital"}, TypeError, "'modes' must be a sequence"),
        ({"start": at(START)}, TypeError, "'start' must be a date (got datetime"),
        ({"start": "2027-01-11"}, TypeError, "'start' must be a date"),
        ({"programme": 6}, TypeError, "'programme' must be a Programme (got 6 of type int)"),
        (
            {"three_party_follow_up": 1},
            TypeError,
            "'three_party_follow_up' must be a bool (got 1 of type int)",
        ),
        ({"time_zone": "Mars/Olympus"}, ValueError, "'time_zone' must be an IANA time zone"),
        ({"time_zone": "localtime"}, ValueError, "'time_zone' must be an IANA time zone"),
        ({"time_zone": 1}, TypeError, "'time_zone' must be an IANA time zone name"),
        ({"practicalities": None}, TypeError, "'practicalities' must be a str"),
    ],
)
def test_agreement_refuses_bad_values(kwargs: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        _agreement(**kwargs)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"held_at": dt.datetime(2027, 1, 11, 9)},
            ValueError,
            "'held_at' must be a timezone-aware datetime (got naive 2027-01-11T09:00:00)",
        ),
        ({"held_at": START}, TypeError, "'held_at' must be a datetime"),
        ({"minutes": 0}, ValueError, "'minutes' must be >= 1 (got 0)"),
        ({"minutes": -5}, ValueError, "'minutes' must be >= 1 (got -5)"),
        ({"minutes": 24 * 60 + 1}, ValueError, "'minutes' must be <= 1440"),
        ({"mode": "phone"}, TypeError, "'mode' must be a Mode (got 'phone' of type str)"),
        (
            {"homework": [Assignment("a", "x"), Assignment("a", "y")]},
            ValueError,
            "unique assignment ids",
        ),
        ({"reviewed": [1]}, TypeError, "'reviewed[0]' must be a str"),
        ({"notes": 5}, TypeError, "'notes' must be a str"),
    ],
)
def test_session_refuses_bad_values(kwargs: dict[str, Any], error: type, message: str) -> None:
    fields: dict[str, Any] = {"held_at": at(START), "minutes": 60, "mode": Mode.DIGITAL, **kwargs}
    with pytest.raises(error) as caught:
        Session(**fields)
    assert message in str(caught.value)


def test_session_day_is_taken_in_its_own_zone() -> None:
    held = dt.datetime(2027, 1, 11, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    assert Session(held, 60, Mode.PHONE).held_on == dt.date(2027, 1, 11)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Party("", "Anna", Role.COACH), ValueError, "'id' must not be empty (got '')"),
        (lambda: Party("a", "  ", Role.COACH), ValueError, "'name' must not be empty"),
        (
            lambda: Party("a", "Anna", "coach"),  # type: ignore[arg-type]
            TypeError,
            "'role' must be a Role",
        ),
        (lambda: Goal("g", ""), ValueError, "'statement' must not be empty"),
        (
            lambda: Goal(1, "x"),  # type: ignore[arg-type]
            TypeError,
            "'id' must be a str (got 1 of type int)",
        ),
        (lambda: Assignment("a", ""), ValueError, "'description' must not be empty"),
        (lambda: Attainment("g", 3), ValueError, "'score' must be <= 2 (got 3)"),
        (lambda: Attainment("g", -3), ValueError, "'score' must be >= -2 (got -3)"),
        (
            lambda: Attainment("g", 1.0),  # type: ignore[arg-type]
            TypeError,
            "'score' must be an int",
        ),
        (lambda: ActionPlan(()), ValueError, "'steps' must have at least 1 item(s)"),
        (lambda: ActionPlan(["ok", " "]), ValueError, "'steps[1]' must not be empty"),
        (lambda: ActionPlan("do it"), TypeError, "'steps' must be a sequence"),
        (lambda: ReformulateGoal("g1", ""), ValueError, "'statement' must not be empty"),
        (
            lambda: AddGoal("g1"),  # type: ignore[arg-type]
            TypeError,
            "'goal' must be a Goal (got 'g1' of type str)",
        ),
        (
            lambda: Finding("x", "error", "m"),  # type: ignore[arg-type]
            TypeError,
            "'severity' must be a Severity",
        ),
        (lambda: Action("x", at(START), "m"), TypeError, "'due' must be a date"),
    ],
)
def test_small_values_refuse_bad_input(make: Any, error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        make()
    assert message in str(caught.value)


def test_finding_params_are_read_only_and_left_out_of_the_hash() -> None:
    params = {"minutes": 40}
    finding = Finding("session.duration", Severity.INFO, "short", START, params)
    params["minutes"] = 10
    assert finding.params == {"minutes": 40}
    with pytest.raises(TypeError):
        finding.params["minutes"] = 1  # type: ignore[index]
    assert hash(finding) == hash(Finding("session.duration", Severity.INFO, "short", START))
    assert Finding("c", Severity.INFO, "m").on is None


def test_plan_is_a_plain_value() -> None:
    plan = Plan(START, START, [START], None, START)
    assert plan.sessions == (START,)


def test_appended_grows_a_list_in_place_and_leaves_a_shared_empty_tuple_alone() -> None:
    """A state's lists begin as the one empty tuple: the first item makes a list, the
    next go into it; the shared tuple never changes."""
    from coachflow._values.containers import EMPTY_MAP, appended

    empty: tuple[int, ...] = ()
    first = appended(empty, 1)
    assert first == [1] and empty == ()
    assert appended(first, 2) is first and first == [1, 2]
    with pytest.raises(TypeError):
        EMPTY_MAP["x"] = 1  # type: ignore[index]
    assert dict(EMPTY_MAP) == {}


def test_writable_gives_a_dict_itself_and_a_new_dict_for_the_shared_empty_mapping() -> None:
    from coachflow._values.containers import EMPTY_MAP, writable

    made = writable(EMPTY_MAP)
    made["x"] = 1
    assert made == {"x": 1} and dict(EMPTY_MAP) == {}
    assert writable(made) is made


def _held_values(value: Any) -> Any:
    """*value* and every attrs value inside it (fields, items of tuples and sets)."""
    yield value
    items = (
        [getattr(value, f.name) for f in attrs.fields(type(value))]
        if attrs.has(type(value))
        else list(value)
        if isinstance(value, tuple | frozenset)
        else []
    )
    for item in items:
        yield from _held_values(item)


def test_a_collection_shorter_than_a_checks_passes_below_passes_it() -> None:
    """A loader skips a check for a collection of fewer items than its `passes_below`:
    for every such field of every value the scenarios hold, the collection cut to that
    size passes the check, even one item repeated (and the test finds such fields)."""
    from builders import contracted
    from coachflow._outputs.demo import demo_engagement
    from coachflow._values.fields import field_validators
    from coachflow._values.validators import Check

    judged = set()
    for eng in (demo_engagement(), contracted()):
        for value in (v for event in eng.events for v in _held_values(event)):
            if not attrs.has(type(value)):
                continue
            for field in attrs.fields(type(value)):
                for check in field_validators(field.validator):
                    fewest = getattr(check, "passes_below", 0) if isinstance(check, Check) else 0
                    items = getattr(value, field.name)
                    if fewest and isinstance(items, tuple | frozenset) and items:
                        # the same item repeated: a key shared if the skip went too far
                        cut = type(items)([next(iter(items))] * (fewest - 1))
                        check(value, field, cut)  # raises if the skip were wrong
                        judged.add((type(value).__name__, field.name, fewest))
    assert ("Session", "homework", 2) in judged
    assert any(fewest == 1 for *_, fewest in judged)
