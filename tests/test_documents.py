"""Documents: the JSON format, round trips, replay, and readable errors for bad input."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import START, STOCKHOLM, active, in_phase
from coachflow import (
    FORMAT_VERSION,
    AddGoal,
    Engagement,
    Goal,
    InvalidDocument,
    Mode,
    Phase,
    ReformulateGoal,
    RuleViolation,
    Session,
    TransitionNotAllowed,
    event_to_dict,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from coachflow._outputs.demo import demo_engagement
from coachflow._values.validation import MAX_YEAR, MIN_YEAR
from coachflow.testing import engagements


def _first(document: dict[str, Any], kind: str) -> dict[str, Any]:
    """The first event of type *kind* in a document."""
    return next(event for event in document["events"] if event["type"] == kind)


def test_document_shape() -> None:
    doc = to_dict(demo_engagement())
    assert list(doc) == ["format", "format_version", "id", "events"]
    assert doc["format"] == "coachflow.engagement"
    assert doc["format_version"] == FORMAT_VERSION
    assert doc["events"][1]["agreement"]["time_zone"] == "Europe/Stockholm"
    assert doc["id"] == "eng-2027-001"
    assert doc["events"][0]["type"] == "opened"
    assert doc["events"][0]["at"] == "2027-01-04T08:00:00+01:00"
    assert {e["type"] for e in doc["events"]} >= {
        "agreed",
        "session_recorded",
        "midpoint_review_begun",
        "midpoint_review_completed",
        "closing_begun",
        "closed",
        "follow_up_held",
    }
    agreed = doc["events"][1]["agreement"]
    assert agreed["start"] == "2027-01-11"
    assert agreed["modes"] == ["digital", "in_person"]  # sorted: stable bytes
    assert agreed["programme"]["session_minutes"] == [60, 90]
    revisions = next(e for e in doc["events"] if e["type"] == "midpoint_review_completed")
    assert [r["type"] for r in revisions["revisions"]] == ["reformulate_goal", "add_goal"]
    assert json.loads(json.dumps(doc)) == doc  # plain JSON types only


@pytest.mark.parametrize("phase", list(Phase))
def test_round_trips_in_every_phase(phase: Phase) -> None:
    eng = in_phase(phase)
    assert from_json(to_json(eng)) == eng
    assert from_dict(to_dict(eng)) == eng
    assert Engagement.replay(eng.events) == eng
    assert to_json(from_json(to_json(eng))) == to_json(eng)


@pytest.mark.parametrize("fold", [0, 1])
def test_round_trip_of_a_session_in_the_hour_the_clocks_go_back(fold: int) -> None:
    eng = active(12)
    night = dt.datetime(2027, 10, 31, 2, 30, tzinfo=STOCKHOLM, fold=fold)  # happened twice
    eng.record_session(Session(night, 60, Mode.DIGITAL), at=night, by="coach")
    loaded = from_json(to_json(eng))
    assert loaded == eng
    assert loaded.sessions[0].held_at.utcoffset() == night.utcoffset()
    assert Engagement.replay(loaded.events) == eng


def test_round_trip_keeps_state_not_only_events() -> None:
    eng = demo_engagement()
    loaded = from_json(to_json(eng, indent=2))
    assert loaded.phase is eng.phase
    assert loaded.goals == eng.goals
    assert loaded.sessions == eng.sessions
    assert loaded.end == eng.end
    assert loaded.plan() == eng.plan()
    assert loaded.check(START) == eng.check(START)


def _broken(mutate: Any) -> list[str]:
    doc = to_dict(demo_engagement())
    mutate(doc)
    with pytest.raises(InvalidDocument) as caught:
        from_dict(doc)
    assert isinstance(caught.value, ValueError)
    return caught.value.errors


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("format"), "required field missing @ $.format"),
        (
            lambda d: d.update(format="other"),
            "expected 'coachflow.engagement' (got 'other') @ $.format",
        ),
        (
            lambda d: d.update(format_version=FORMAT_VERSION + 1),
            f"format version {FORMAT_VERSION + 1} is newer than this coachflow reads "
            f"(1 to {FORMAT_VERSION}): upgrade coachflow @ $.format_version",
        ),
        (
            lambda d: d.update(format_version=True),
            "expected an integer format version (got True) @ $.format_version",
        ),
        (
            lambda d: d.update(format_version=1.0),
            "expected an integer format version (got 1.0) @ $.format_version",
        ),
        (
            lambda d: d.update(format_version=0),
            f"expected a format version from 1 to {FORMAT_VERSION} (got 0) @ $.format_version",
        ),
        (lambda d: d.update(id=5), "expected a string (got 5 of type int) @ $.id"),
        (lambda d: d.update(extra=1), "extra fields found (extra) @ $"),
        (
            lambda d: d.update(events={}),
            "expected a list of events (got {} of type dict) @ $.events",
        ),
        (
            lambda d: d.update(id="other"),
            "'other' differs from the opening event's 'eng-2027-001' @ $.id",
        ),
        (lambda d: d["events"][5].pop("at"), "required field missing @ $.events[5].at"),
        (
            lambda d: d["events"][5].update(colour="red"),
            "extra fields found (colour) @ $.events[5]",
        ),
        (lambda d: d["events"][5].update(type="party"), "unknown type 'party'"),
        (lambda d: d["events"][5].pop("type"), "missing 'type'"),
        (
            lambda d: d["events"].__setitem__(5, 7),
            "expected an object (got 7 of type int) @ $.events[5]",
        ),
        (
            lambda d: d["events"][5]["session"].update(minutes="75"),
            "expected an integer (got '75' of type str) @ $.events[5].session.minutes",
        ),
        (lambda d: d["events"][5]["session"].update(minutes=75.0), "expected an integer"),
        (
            lambda d: d["events"][5]["session"].update(minutes=0),
            "'minutes' must be >= 1 (got 0) @ $.events[5].session",
        ),
        (
            lambda d: d["events"][5]["session"].update(mode="telepathy"),
            "@ $.events[5].session.mode",
        ),
        (
            lambda d: d["events"][5]["session"].update(reviewed="a1"),
            "expected a list (got 'a1' of type str) @ $.events[5].session.reviewed",
        ),
        (
            lambda d: d["events"][5]["session"].update(held_at="2027-01-25T09:00:00"),
            "expected an RFC 3339 date-time with seconds and an offset in whole minutes, such as "
            "2027-01-11T09:00:00+01:00, in the years 1900..9000 (got '2027-01-25T09:00:00')",
        ),
        (
            lambda d: d["events"][5]["session"].update(held_at="yesterday"),
            "in the years 1900..9000 (got 'yesterday') @ $.events[5].session.held_at",
        ),
        (
            lambda d: d["events"][1]["agreement"].update(start="2027-01-11T00:00:00"),
            "expected an RFC 3339 date such as 2027-01-11, in the years 1900..9000 "
            "(got '2027-01-11T00:00:00') @ $.events[1].agreement.start",
        ),
        (
            lambda d: d["events"][1]["agreement"]["programme"].update(session_minutes=[60]),
            "expected a list of 2 items (got 1) @ $.events[1].agreement.programme.session_minutes",
        ),
        (
            lambda d: d["events"][1]["agreement"]["programme"].update(session_minutes=[60, "x"]),
            "@ $.events[1].agreement.programme.session_minutes[1]",
        ),
        (
            lambda d: d["events"][1]["agreement"].update(three_party_follow_up=1),
            "expected true or false (got 1 of type int)",
        ),
    ],
)
def test_malformed_documents_name_where(mutate: Any, expected: str) -> None:
    errors = _broken(mutate)
    assert any(expected in error for error in errors), errors


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["events"].pop(1),
            "RuleViolation: agreement.nothing_to_sign: nothing awaits a signature: no agreement or amendment is proposed @ $.events[1]",
        ),
        (
            lambda d: d["events"].pop(3),  # the sponsor's signature: still in agreement
            "TransitionNotAllowed: 'book_session' is not allowed in the agreement phase; allowed there: agree, sign_agreement, give_consent, withdraw_consent, terminate @ $.events[3]",
        ),
        (lambda d: d["events"].pop(0), "InvalidValue: a history must begin with an Opened event"),
        (
            lambda d: d["events"].insert(5, copy.deepcopy(d["events"][0])),
            "TransitionNotAllowed: 'open' is not allowed in the active phase",
        ),
        (
            lambda d: _first(d, "session_recorded").update(by="client-kim"),
            "PermissionDenied: 'client-kim' may not record_session",
        ),
        (
            lambda d: _first(d, "session_recorded").update(at="2020-01-01T00:00:00+00:00"),
            "'at' must not be earlier than the last event",
        ),
        (
            lambda d: next(e for e in d["events"] if e["type"] == "midpoint_review_completed")[
                "revisions"
            ].append({"type": "reformulate_goal", "goal_id": "zz", "statement": "x"}),
            "RuleViolation: midpoint.unknown_goal",
        ),
        (
            lambda d: d.update(events=[]),
            "InvalidValue: a history must begin with an Opened event (got None of type NoneType) @ $.events[0]",
        ),
    ],
)
def test_impossible_histories_are_invalid_documents(mutate: Any, expected: str) -> None:
    errors = _broken(mutate)
    assert any(expected in error for error in errors), errors


def test_from_json_names_an_id_that_differs_from_the_opening_event() -> None:
    doc = to_dict(demo_engagement())
    doc["id"] = "other"
    with pytest.raises(InvalidDocument) as caught:
        from_json(json.dumps(doc))
    assert caught.value.errors == [
        "'other' differs from the opening event's 'eng-2027-001' @ $.id"
    ]


def test_from_json_refuses_broken_json_and_wrong_inputs() -> None:
    with pytest.raises(InvalidDocument, match="not valid JSON"):
        from_json('{"format": ')
    with pytest.raises(
        InvalidDocument, match=r"expected a JSON object \(got \[\] of type list\) @ \$"
    ):
        from_json("[]")
    with pytest.raises(InvalidDocument, match="expected JSON text"):
        from_json(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidDocument, match="not valid JSON"):
        from_json("[" * 100_000)


def test_invalid_document_lists_every_error() -> None:
    doc = to_dict(demo_engagement())
    doc["events"][5]["session"]["minutes"] = "x"
    doc["events"][6]["by"] = 7
    with pytest.raises(InvalidDocument) as caught:
        from_dict(doc)
    assert len(caught.value.errors) == 2
    assert "@ $.events[5].session.minutes" in str(caught.value)
    assert "@ $.events[6].by" in str(caught.value)


def test_from_dict_does_not_change_its_input() -> None:
    doc = to_dict(demo_engagement())
    before = copy.deepcopy(doc)
    from_dict(doc)
    assert doc == before


def test_replay_raises_what_the_command_would_with_a_note() -> None:
    eng = active()
    events = list(eng.events)
    events.insert(1, events[1])  # agree twice
    with pytest.raises(TransitionNotAllowed) as caught:
        Engagement.replay(events)
    assert "while replaying event 2 (Agreed)" in caught.value.__notes__
    with pytest.raises(TypeError, match="expected an event"):
        Engagement.replay([*eng.events, "not an event"])  # type: ignore[list-item]


def test_replay_enforces_rules_on_revisions() -> None:
    eng = in_phase(Phase.MIDPOINT_REVIEW)
    done = eng.complete_midpoint_review(
        at=eng.events[-1].at,
        by="coach",
        revisions=[ReformulateGoal("g1", "Shorter meetings"), AddGoal(Goal("g3", "Say no"))],
    )
    forged = attrs.evolve(done, revisions=[ReformulateGoal("g9", "ghost")])
    with pytest.raises(RuleViolation, match=r"midpoint\.unknown_goal"):
        Engagement.replay([*eng.events[:-1], forged])


@settings(max_examples=80, deadline=None)
@given(engagements())
def test_the_generated_writers_write_what_the_converter_writes(engagement: Engagement) -> None:
    from coachflow._documents.converter import event_to_dict as by_the_converter
    from coachflow._documents.writers import event_to_dict as by_the_writers

    for event in engagement.events:
        written = by_the_writers(event)
        assert written == by_the_converter(event)
        assert list(written) == list(by_the_converter(event))  # the same key order


@settings(max_examples=80, deadline=None)
@given(engagements())
def test_the_native_writers_give_orjson_what_makes_the_same_bytes(engagement: Engagement) -> None:
    """A store's rows are written from `event_to_native` (datetimes, dates and members
    left to orjson): the same bytes as the plain JSON types, and the row's ``at`` is the
    event's instant as the document writes it."""
    from coachflow._documents.writers import event_to_dict as by_the_writers
    from coachflow._documents.writers import event_to_native
    from coachflow.store._mapper import encode

    for version, event in enumerate(engagement.events, start=1):
        plain = by_the_writers(event)
        assert orjson.dumps(event_to_native(event)) == orjson.dumps(plain)
        row = encode(event, version)
        assert (row.version, row.type, row.at) == (version, plain["type"], plain["at"])
        assert row.body == orjson.dumps(plain).decode()


@pytest.mark.parametrize(
    "offset",
    [dt.timedelta(minutes=53, seconds=28), dt.timedelta(seconds=1, microseconds=5)],
    ids=["lmt", "odd"],
)
def test_a_datetime_whose_offset_has_seconds_is_written_by_python(offset: dt.timedelta) -> None:
    """Events refuse such offsets (RFC 3339 writes whole minutes), but should one get
    through, orjson would write it cut to whole minutes: the native writers leave it to
    `isoformat`, seconds and all. (A forged event: the validators would refuse it.)"""
    from coachflow._documents.writers import event_to_native
    from coachflow.store._mapper import encode

    moment = dt.datetime(1901, 5, 6, 10, 0, 0, 250, tzinfo=dt.timezone(offset))
    event = copy.copy(active().events[-1])
    object.__setattr__(event, "at", moment)
    assert orjson.dumps(event_to_native(event)) == orjson.dumps(event_to_dict(event))
    assert encode(event, 3).at == moment.isoformat()
    assert moment.isoformat() in encode(event, 3).body


@settings(max_examples=400, deadline=None)
@given(
    st.datetimes(dt.datetime(MIN_YEAR, 1, 1), dt.datetime(MAX_YEAR, 12, 31)),
    st.integers(-(24 * 60 - 1), 24 * 60 - 1),
)
def test_orjson_writes_a_whole_minute_datetime_as_isoformat_does(
    moment: dt.datetime, minutes: int
) -> None:
    """What the native writers leave to orjson: a datetime in a whole-minute offset, any
    microseconds, any year a value may hold. Should orjson ever write one otherwise,
    this fails before a store's rows differ from documents."""
    aware = moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    assert orjson.dumps(aware) == json.dumps(aware.isoformat()).encode()
