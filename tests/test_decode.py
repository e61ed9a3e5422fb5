"""Loading the fast way (orjson, the shortcut), held to the exact way's verdict."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from builders import (
    START,
    STOCKHOLM,
    active,
    at,
    contracted,
    days,
    in_phase,
    opened,
    run_sessions,
)
from coachflow import (
    ActionPlan,
    AddGoal,
    Attainment,
    Booking,
    Engagement,
    Goal,
    InvalidDocument,
    MidpointReviewBegun,
    Mode,
    Phase,
    ReformulateGoal,
    Session,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from coachflow._documents.converter import converter
from coachflow._documents.loaders import DECODERS
from coachflow._outputs.demo import demo_engagement
from coachflow._values.events import AnyEvent
from coachflow.testing import engagements
from fuzzing import edit_at_random


def _verdict(decode: Any, data: Any) -> tuple[str, object]:
    try:
        return "ok", decode(data)
    except Exception as exc:
        return "refused", exc


_structure = converter.get_structure_hook(AnyEvent)


def _converters(data: Any) -> tuple[str, object]:
    return _verdict(lambda d: _structure(d, AnyEvent), data)


def _assert_same_as_converters(data: dict[str, Any]) -> None:
    """The shortcut refuses, or builds exactly what the converters build."""
    fast, built = _verdict(DECODERS[data["type"]], copy.deepcopy(data))
    if fast == "refused":
        return
    slow, expected = _converters(copy.deepcopy(data))
    assert slow == "ok", f"the shortcut took what the converters refuse: {expected!r}"
    assert type(built) is type(expected)
    assert built == expected
    assert hash(built) == hash(expected)
    assert attrs.asdict(built, recurse=False) == attrs.asdict(expected, recurse=False)  # type: ignore[arg-type]
    attrs.validate(built)  # type: ignore[arg-type]
    session = getattr(built, "session", None)
    if session is not None:
        attrs.validate(session)
        for assignment in session.homework:
            attrs.validate(assignment)


@given(engagements())
def test_the_shortcut_takes_every_event_it_knows_from_a_good_document(
    engagement: Engagement,
) -> None:
    for data in to_dict(engagement)["events"]:
        decode = DECODERS.get(data["type"])
        if decode is None:
            continue
        assert _verdict(decode, copy.deepcopy(data))[0] == "ok", data
        _assert_same_as_converters(data)


def _every_kind_of_event() -> Engagement:
    """Extended, paused and resumed, both revisions, a skipped follow-up."""
    eng = active(follow_up=True)
    eng.extend(2, at=at(START + days(3)), by="coach")
    eng.pause(at=at(START + days(4)), by="client", reason="parental leave")
    eng.resume(at=at(START + days(30)), by="client")
    for n in (1, 2, 3):
        booking = Booking(f"b{n}", at(START + days(30 + n), 15), 60, Mode.PHONE)
        eng.book_session(booking, at=at(START + days(30), 11), by="client")
    eng.reschedule_session(
        "b1", starts_at=at(START + days(31), 16), at=at(START + days(30), 12), by="client"
    )
    eng.record_session(
        Session(at(START + days(31), 16), 60, Mode.PHONE),
        at=at(START + days(31), 18),
        by="coach",
        booking_id="b1",
    )
    eng.cancel_session("b2", at=at(START + days(32), 8), by="client", reason="a clash")
    eng.record_no_show("b3", at=at(START + days(33), 16), by="coach")
    day = run_sessions(eng, START + days(34), 6)
    eng.begin_midpoint_review(at=at(day), by="coach")
    eng.complete_midpoint_review(
        at=at(day, 10),
        by="coach",
        revisions=[ReformulateGoal("g1", "Lead short meetings"), AddGoal(Goal("g3", "Rest"))],
    )
    day = run_sessions(eng, day + days(1), 6)
    eng.begin_closing(at=at(day), by="coach")
    eng.close(
        at=at(day, 10),
        by="coach",
        attainment=[Attainment(g.id, 1, "steady") for g in eng.goals],
        action_plan=ActionPlan(["Keep the decision log", "Ask for feedback"]),
        celebration="Cake",
    )
    eng.skip_follow_up(at=at(day + days(20)), by="coach", reason="manager left")
    return eng


SEEDS = (demo_engagement(), _every_kind_of_event(), contracted(), opened(sponsor=False))
SEED_EVENTS: list[dict[str, Any]] = [
    event
    for engagement in (*SEEDS, *(in_phase(phase) for phase in Phase))
    for event in to_dict(engagement)["events"]
]

BOUNDARY: list[Any] = [
    None,
    True,
    False,
    -1,
    0,
    1,
    1440,
    1441,
    75.0,
    "",
    " ",
    "a1",
    "x" * 41,
    "digital",
    "telepathy",
    "2027-01-25",
    "2027-01-25T09:00:00",
    "2027-01-25T09:00:00+01:00",
    "2027-01-25T09:00:00Z",
    [],
    {},
    ["a1"],
    [1],
    [{"id": "a1", "description": "x"}],
    [{"id": "a1", "description": "x"}, {"id": "a1", "description": "y"}],
    {"id": "a1", "description": "x"},
]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, parents first."""
    children: list[Any] = list(value) if isinstance(value, dict) else []
    if isinstance(value, list):
        children = list(range(len(value)))
    found = [(*path, key) for key in children]
    for key in children:
        found += _paths(value[key], (*path, key))
    return found


def _at(event: dict[str, Any], path: tuple[Any, ...]) -> Any:
    parent: Any = event
    for key in path[:-1]:
        parent = parent[key]
    return parent


def _edits(event: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each event edited in one place: every value replaced, every key dropped, extras."""
    edits = []
    for path in _paths(event):
        for value in BOUNDARY:
            edited = copy.deepcopy(event)
            _at(edited, path)[path[-1]] = value
            edits.append((f"{path} = {value!r}", edited))
        edited = copy.deepcopy(event)
        del _at(edited, path)[path[-1]]
        edits.append((f"del {path}", edited))
        if isinstance(_at(event, path)[path[-1]], dict):
            edited = copy.deepcopy(event)
            _at(edited, path)[path[-1]]["colour"] = "red"
            edits.append((f"{path} + colour", edited))
    edits.append(("+ colour", {**copy.deepcopy(event), "colour": "red"}))
    return edits


def _shapes() -> list[dict[str, Any]]:
    """One seed event of each type, and sessions with and without homework."""
    shapes: dict[object, dict[str, Any]] = {}
    for event in SEED_EVENTS:
        session = event.get("session", {})
        shape = (
            event["type"],
            bool(session.get("homework")),
            bool(session.get("reviewed")),
            event.get("sponsor") is None,
            event.get("booking_id") is None,
        )
        shapes.setdefault(shape, event)
    return list(shapes.values())


def test_every_single_edit_gets_the_converters_verdict() -> None:
    shapes = _shapes()
    assert {event["type"] for event in shapes} == set(DECODERS)
    for event in shapes:
        for what, edited in _edits(event):
            if isinstance(edited.get("type"), str) and edited["type"] in DECODERS:
                try:
                    _assert_same_as_converters(edited)
                except AssertionError as exc:
                    raise AssertionError(f"{event['type']}: {what}: {exc}") from None


# a fresh copy of each boundary value: the test edits what it draws in place
json_values = st.sampled_from(BOUNDARY).map(copy.deepcopy) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=5,
)


@given(data=st.data(), index=st.integers(0, len(SEED_EVENTS) - 1), edits=st.integers(1, 3))
def test_the_shortcut_never_accepts_more_than_the_converters(
    data: st.DataObject, index: int, edits: int
) -> None:
    event = copy.deepcopy(SEED_EVENTS[index])
    edit_at_random(data, event, json_values, edits=edits, add=True)
    if isinstance(event.get("type"), str) and event["type"] in DECODERS:
        _assert_same_as_converters(event)


def _session_event(**changes: Any) -> dict[str, Any]:
    event = copy.deepcopy(next(e for e in SEED_EVENTS if e["type"] == "session_recorded"))
    event["session"].update(changes)
    return event


@pytest.mark.parametrize(
    "changes",
    [
        {"minutes": 0},
        {"minutes": 1441},
        {"minutes": True},
        {"minutes": 75.0},
        {"mode": "telepathy"},
        {"mode": 1},
        {"held_at": "2027-01-25T09:00:00"},
        {"held_at": 20270125},
        {"homework": [{"id": "a1", "description": "x"}, {"id": "a1", "description": "y"}]},
        {"homework": [{"id": " ", "description": "x"}]},
        {"homework": [{"id": "a1"}]},
        {"homework": "a1"},
        {"reviewed": [1]},
        {"reviewed": "a1"},
        {"notes": None},
        {"colour": "red"},
    ],
)
def test_the_shortcut_refuses_what_the_converters_refuse(changes: dict[str, Any]) -> None:
    event = _session_event(**changes)
    assert _verdict(DECODERS["session_recorded"], event)[0] == "refused"
    assert _converters(event)[0] == "refused"


def test_an_unusual_but_valid_event_is_left_to_the_converters() -> None:
    class Data(dict[str, Any]):
        pass

    doc = to_dict(demo_engagement())
    for event in doc["events"]:
        if "session" in event:
            event["session"] = Data(event["session"])
    homework = doc["events"][5]["session"]["homework"]
    doc["events"][5]["session"]["homework"] = tuple(homework)  # the converters refuse it too
    with pytest.raises(InvalidDocument, match=r"expected a list .* @ \$\.events\[5\]"):
        from_dict(doc)
    doc["events"][5]["session"]["homework"] = homework
    assert from_dict(doc) == demo_engagement()  # dict subclasses: not the shortcut's, but valid


def test_loaded_datetimes_share_one_zone_object_per_offset() -> None:
    loaded = from_json(to_json(demo_engagement()))
    zones = {
        id(event.at.tzinfo)
        for event in loaded.events
        if event.at.utcoffset() == dt.timedelta(hours=1)
    }
    zones |= {
        id(s.held_at.tzinfo)
        for s in loaded.sessions
        if s.held_at.utcoffset() == dt.timedelta(hours=1)
    }
    assert len(zones) == 1


@pytest.mark.parametrize("fold", [0, 1])
def test_an_event_in_the_hour_the_clocks_go_back_equals_itself_loaded(fold: int) -> None:
    # 02:30 on 27 October 2024 happened twice in Stockholm; Python's own == between
    # zones calls such a time unequal to everything (PEP 495), the values do not
    ambiguous = dt.datetime(2024, 10, 27, 2, 30, tzinfo=STOCKHOLM, fold=fold)
    event = MidpointReviewBegun(at=ambiguous, by="coach")
    loaded = DECODERS["midpoint_review_begun"](
        {"type": "midpoint_review_begun", "at": ambiguous.isoformat(), "by": "coach"}
    )
    assert loaded.at.utcoffset() == ambiguous.utcoffset()
    assert loaded == event
    assert hash(loaded) == hash(event)
    other = MidpointReviewBegun(at=ambiguous.replace(fold=1 - fold), by="coach")
    assert loaded != other  # an hour apart


def test_values_at_the_same_instant_shown_in_other_offsets_differ() -> None:
    here = at("2027-01-25")
    there = here.astimezone(dt.UTC)
    assert here == there
    assert MidpointReviewBegun(at=here, by="c") != MidpointReviewBegun(at=there, by="c")


def _outcome(load: Any, source: Any) -> object:
    try:
        return load(source)
    except InvalidDocument as exc:
        return exc.errors


@given(data=st.data(), index=st.integers(0, len(SEEDS) - 1), edits=st.integers(0, 2))
def test_from_json_loads_exactly_as_json_and_from_dict_do(
    data: st.DataObject, index: int, edits: int
) -> None:
    """The fast way (orjson, the shortcut) and the exact way (json, the converter) agree."""
    doc = to_dict(SEEDS[index])
    for _ in range(edits):
        place = data.draw(st.sampled_from(_paths(doc)))
        value = data.draw(
            json_values | st.integers(2**63, 2**70) | st.integers(-(2**70), -(2**63))
        )
        note(f"{place} = {value!r}")
        _at(doc, place)[place[-1]] = value
    text = json.dumps(doc)
    expected = _outcome(lambda t: from_dict(json.loads(t)), text)
    assert _outcome(from_json, text) == expected
    assert _outcome(from_json, text.encode()) == expected


def test_integers_beyond_64_bits_are_refused_by_name() -> None:
    # orjson reads them as floats; the fast way refuses those and json decides: no
    # field takes so large a number, and the error names the field
    data = to_dict(active())
    data["events"][1]["agreement"]["programme"]["gap_days"] = 2**70
    with pytest.raises(InvalidDocument, match=r"'gap_days' must be <= 366 .* @ \$\.events\[1\]"):
        from_json(json.dumps(data))


def test_loading_gives_out_one_object_for_equal_policies_and_programmes() -> None:
    """What an organisation repeats in every engagement (its policy, its programmes) is
    held once however many engagements are loaded; unequal values stay apart, and the
    shared value is the one the converters build."""
    from coachflow import DEFAULT_POLICY, Policy, Role

    text = to_json(active())
    first, second = from_json(text), from_json(text)
    assert first.policy is DEFAULT_POLICY  # opened with the default: loaded, it holds it
    assert first.programme is second.programme is not None
    assert from_dict(json.loads(text)).programme == first.programme
    longer = from_json(to_json(active(12)))
    assert longer.programme != first.programme and longer.programme is not first.programme

    strict = Policy({Role.COACH: DEFAULT_POLICY[Role.COACH], Role.CLIENT: ()})
    own = Engagement.open(
        "eng-2", coach=opened().coach, client=opened().client, at=at(START), policy=strict
    )
    one, other = from_json(to_json(own)), from_json(to_json(own))
    assert one.policy == strict and one.policy is other.policy is not DEFAULT_POLICY


def test_a_loaded_engagement_takes_every_command_its_live_copy_takes() -> None:
    """A loaded engagement keeps its short lists as tuples and no mapping of bookings until
    the first: the commands that add to them after a load give what they give live."""
    from coachflow import Amendment

    live = active()
    day = run_sessions(live, START, 2)
    live.pause(at=at(day), by="client", reason="leave")
    live.resume(at=at(day + days(7)), by="client")
    live.amend_agreement(Amendment(practicalities="Tuesdays"), at=at(day + days(8)), by="coach")
    live.begin_midpoint_review(at=at(day + days(60)), by="coach")
    loaded = from_json(to_json(live))
    later = day + days(61)
    for eng in (live, loaded):
        eng.complete_midpoint_review(
            at=at(later, 8), by="coach", revisions=[ReformulateGoal("g1", "Lead short meetings")]
        )
        eng.book_session(
            Booking("b1", at(later + days(2)), 60, Mode.DIGITAL), at=at(later), by="client"
        )
        eng.book_session(
            Booking("b2", at(later + days(9)), 60, Mode.DIGITAL), at=at(later, 10), by="coach"
        )
        eng.cancel_session("b1", at=at(later + days(2), 8), by="client", reason="ill")
        eng.record_no_show("b2", at=at(later + days(9), 11), by="coach")
        eng.pause(at=at(later + days(10)), by="client", reason="leave")
        eng.resume(at=at(later + days(12)), by="client")
        eng.amend_agreement(Amendment(expectations="Candour"), at=at(later + days(13)), by="coach")
    assert loaded == live and to_json(loaded) == to_json(live)
    for query in ("midpoint_reviews", "cancellations", "no_shows", "pauses", "goals"):
        assert getattr(loaded, query) == getattr(live, query), query
    assert len(loaded.midpoint_reviews) == 1 and loaded.midpoint_reviews[0].revised
    assert len(loaded.amendments_in_force) == 3 and len(loaded.pauses) == 2
    assert [c.booking.id for c in loaded.cancellations] == ["b1"]

    fresh = from_json(to_json(active()))  # loaded before any booking: the first makes the map
    fresh.book_session(
        Booking("b9", at(START + days(3)), 60, Mode.DIGITAL), at=at(START), by="coach"
    )
    assert [b.id for b in fresh.bookings] == ["b9"]


def test_what_loading_shares_between_engagements_can_hold_no_ones_text() -> None:
    """The loaders keep one object per distinct set, policy and programme for the life of
    the process, so none may hold a text a person wrote or a name (erasure could not
    reach it): every field of a shared class, and every set field of every value an
    event holds, refuses a name; a class that grew a free-text field fails here."""
    import typing

    from coachflow import Party, Programme
    from coachflow._documents.loaders import SHARED_VALUES
    from coachflow._values.events import EVENT_TYPES

    name = "Kim Berg"
    samples: dict[type, Any] = {Programme: Programme(6)}
    pending: list[Any] = [*contracted().events, opened().policy]
    while pending:  # every value the events hold, one of each class
        value = pending.pop()
        if attrs.has(type(value)):
            samples.setdefault(type(value), value)
            pending += [getattr(value, field.name) for field in attrs.fields(type(value))]
        elif isinstance(value, tuple | frozenset):
            pending += list(value)
    seen: set[type] = set()
    refused: list[tuple[str, str]] = []

    def walk(kind: type) -> None:
        if kind in seen:
            return
        seen.add(kind)
        hints = typing.get_type_hints(kind)
        for field in attrs.fields(kind):
            hint = hints[field.name]
            inner = [hint, *typing.get_args(hint)]
            inner += [deeper for part in typing.get_args(hint) for deeper in typing.get_args(part)]
            for part in inner:
                if attrs.has(part):
                    walk(part)
            shared_text = kind in SHARED_VALUES and str in inner
            if typing.get_origin(hint) is frozenset or shared_text:
                assert typing.get_origin(hint) is frozenset, (kind, field.name)  # no bare text
                if typing.get_args(hint)[0] is not str:
                    continue  # a set of enum members: no text at all
                value = samples.get(kind)
                assert value is not None, f"no sample of {kind.__name__} to try"
                with pytest.raises(ValueError, match=r"Kim Berg|may (only|name only)"):
                    attrs.evolve(value, **{field.name: frozenset({name})})
                refused.append((kind.__name__, field.name))

    for kind in (*EVENT_TYPES, *SHARED_VALUES):
        walk(kind)
    assert ("Policy", "coach") in refused and ("Agreement", "sponsor_sees") in refused
    assert ("ConsentGiven", "topics") in refused
    assert Party not in SHARED_VALUES  # names are never shared
