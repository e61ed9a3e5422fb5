"""Every public constructor, given a value of the wrong type for any field, says in one
plain sentence which field and what it expects (never attrs' tuple of internals)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachflow import (
    Action,
    ActionPlan,
    AddGoal,
    Agreement,
    Assignment,
    Attainment,
    Event,
    Finding,
    Goal,
    Party,
    Plan,
    Programme,
    ReformulateGoal,
    Session,
    from_json,
)

VALUES = [Party, Goal, Programme, Agreement, Assignment, Session, ReformulateGoal, AddGoal,
          Attainment, ActionPlan, Finding, Action, Plan]  # fmt: skip
GOLDEN = sorted((Path(__file__).parent / "golden" / "v1").glob("*.json"))


class Odd:
    """A value of no type any field takes."""

    def __repr__(self) -> str:
        return "<odd>"


def one_of_each_event() -> list[Event]:
    found: dict[type, Event] = {}
    for path in GOLDEN:
        for event in from_json(path.read_text()).events:
            found.setdefault(type(event), event)
    return list(found.values())


def assert_names_the_field(error: Exception, name: str) -> None:
    message = str(error)
    assert isinstance(error, TypeError | ValueError)
    assert re.match(rf"'{name}(\[\d+\])?' must ", message), message
    assert "(got " in message and "<odd>" in message, message
    assert "Attribute(" not in message and "<class" not in message, message
    assert "\n" not in message, message


@pytest.mark.parametrize("kind", VALUES, ids=lambda k: k.__name__)
@given(data=st.data())
def test_a_value_names_the_field_given_a_wrong_type(kind: type, data: Any) -> None:
    value = data.draw(st.from_type(kind))
    for field in attrs.fields(kind):
        if field.name == "params":  # Finding.params: any mapping, kept read-only
            continue
        with pytest.raises((TypeError, ValueError)) as caught:
            attrs.evolve(value, **{field.name: Odd()})
        assert_names_the_field(caught.value, field.name)


@pytest.mark.parametrize("event", one_of_each_event(), ids=lambda e: type(e).__name__)
def test_an_event_names_the_field_given_a_wrong_type(event: Event) -> None:
    for field in attrs.fields(type(event)):
        with pytest.raises((TypeError, ValueError)) as caught:
            attrs.evolve(event, **{field.name: Odd()})  # type: ignore[arg-type]
        assert_names_the_field(caught.value, field.name)


def test_the_golden_documents_give_every_event_type() -> None:
    types = {e["type"] for p in GOLDEN for e in json.loads(p.read_text())["events"]}
    assert len(one_of_each_event()) == len(types) == 13
