"""The JSON Schema of documents, checked with a validator we did not write (jsonschema)."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import in_phase
from coachflow import (
    FORMAT_VERSION,
    Engagement,
    InvalidDocument,
    Phase,
    document_schema,
    from_dict,
    from_json,
    to_dict,
)
from coachflow._outputs.demo import demo_engagement
from coachflow._values.events import EVENT_TYPES
from coachflow.testing import engagements
from fuzzing import edit_at_random

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = document_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def valid(document: object) -> bool:
    return VALIDATOR.is_valid(document)


def test_the_schema_is_a_draft_2020_12_schema_of_the_current_version() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["format_version"] == {"const": FORMAT_VERSION}


def test_the_published_schema_is_the_one_derived_from_the_classes() -> None:
    published = json.loads((ROOT / "docs" / "reference" / "engagement.schema.json").read_text())
    assert published == SCHEMA, "run: coachflow schema > docs/reference/engagement.schema.json"
    printed = subprocess.run(
        [sys.executable, "-m", "coachflow", "schema"], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(printed) == SCHEMA


def test_every_field_of_every_event_is_in_the_schema() -> None:
    for kind in EVENT_TYPES:
        definition = SCHEMA["$defs"][kind.__name__]
        assert set(definition["properties"]) == {"type"} | {f.name for f in attrs.fields(kind)}
        assert definition["additionalProperties"] is False


@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_documents_of_every_phase_validate(phase: Phase) -> None:
    document = to_dict(in_phase(phase))
    VALIDATOR.validate(document)


def test_the_demo_and_the_golden_documents_saved_again_validate() -> None:
    VALIDATOR.validate(to_dict(demo_engagement()))
    for path in sorted((ROOT / "tests" / "golden" / "v1").glob("*.json")):
        VALIDATOR.validate(to_dict(from_json(path.read_text())))
        assert not valid(json.loads(path.read_text()))  # version 1: another format


@given(engagements())
def test_any_generated_document_validates(engagement: Engagement) -> None:
    VALIDATOR.validate(to_dict(engagement))


def _session(document: dict[str, Any]) -> dict[str, Any]:
    """The first session a document records."""
    return next(e["session"] for e in document["events"] if e["type"] == "session_recorded")


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.pop("id"),
        lambda d: d.update(extra=1),
        lambda d: d["events"][0].update(type="opened_twice"),
        lambda d: d["events"][0].pop("at"),
        lambda d: d["events"][0].update(at="2027-01-04 08:00"),
        lambda d: d["events"][0].update(colour="red"),
        lambda d: d["events"][1]["agreement"]["programme"].update(months=37),
        lambda d: d["events"][1]["agreement"].update(goals=[]),
        lambda d: d["events"][1]["agreement"].update(modes=["by pigeon"]),
        lambda d: _session(d).update(minutes="75"),
        lambda d: _session(d).update(held_at="2027-01-11T09:00:00+01:12:12"),
        lambda d: d["events"][1]["agreement"].update(rhythm="FREQ WEEKLY"),
        lambda d: d["events"][1]["agreement"]["programme"].update(sessions=0),
        lambda d: d["events"][4]["booking"].update(starts_at="2027-01-11"),
    ],
)
def test_what_the_schema_refuses_from_dict_refuses(edit: Any) -> None:
    document = to_dict(demo_engagement())
    edit(document)
    assert not valid(document)
    with pytest.raises(InvalidDocument):
        from_dict(document)


ODD: list[Any] = [None, True, 0, -1, 2**40, 1.5, "", " ", "x", "2027-01-11", "2027-01-11T09:00:00+01:00",
       "digital", "Europe/Stockholm", [], {}, ["x"], [{"id": "a", "description": "b"}]]  # fmt: skip
DOCUMENTS = [to_dict(demo_engagement())] + [to_dict(in_phase(p)) for p in Phase]


@given(st.data(), st.sampled_from(range(len(DOCUMENTS))), st.integers(1, 2))
def test_what_from_dict_accepts_the_schema_accepts(data: Any, index: int, edits: int) -> None:
    document = copy.deepcopy(DOCUMENTS[index])
    edit_at_random(data, document, st.sampled_from(ODD), edits=edits)
    try:
        from_dict(document)
    except InvalidDocument:
        return
    if document.get("format_version") == FORMAT_VERSION:
        assert valid(document), list(VALIDATOR.iter_errors(document))[:3]


# -- schema and loader agree on every single value --------------------------------------------

EVENT_SCHEMA: dict[str, Any] = {  # one event, with every $def
    "$schema": SCHEMA["$schema"],
    "$defs": SCHEMA["$defs"],
    **SCHEMA["properties"]["events"]["items"],
}
STRICT = jsonschema.Draft202012Validator(
    EVENT_SCHEMA,
    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
)
#: Values put in place of one value of an event: wrong types, blanks, bounds, dates and
#: times that are not RFC 3339 (or not real days), NUL, a character ECMA calls space.
MUTANTS: list[Any] = [
    None, True, 0, -1, 1, 37, 1441, 2**40, 1.5, "", " ", "\u0000", "a\u0000b", "\ufeff",
    "\u2003", "x", "digital", "coach", "Europe/Stockholm", "Mars/Olympus", "goals",
    "2027-01-11", "2027-02-30", "1899-12-31", "20270111", "2027-W02-1",
    "2027-01-11T09:00:00+01:00", "2027-01-11T09:00+01:00", "2027-01-11 09:00:00+01:00",
    "2027-01-11T09:00:00", "2027-02-30T09:00:00Z", "2027-01-11T09:00:00+01:12:12",
    "9001-01-01T00:00:00Z", [], {}, ["x"], ["coach"], [" "], [60, 90], [90, 60],
]  # fmt: skip
#: Rules over more than one value, which JSON Schema cannot state: the loader's alone.
ACROSS_VALUES = (
    "0 < min <= max",  # session_minutes: the first no greater than the second
    "must lie within the series",  # breaks and the agreement's start and months
    "must begin after the break before it ends",
    "must not be before 'start'",  # a break's end
    "must have unique",  # goal, assignment and revision ids
    "must include Role.COACH",  # the signatories, when a mutant drops "coach"
)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [
            p for key, item in value.items() if key != "type" for p in _leaves(item, (*path, key))
        ]
    if isinstance(value, list) and value:
        return [p for i, item in enumerate(value) for p in _leaves(item, (*path, i))] + [path]
    return [path]


def _put(event: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    mutant = copy.deepcopy(event)
    where: Any = mutant
    for step in path[:-1]:
        where = where[step]
    where[path[-1]] = value
    return mutant


def _structured(event: dict[str, Any]) -> str | None:
    """None when the loader builds the event (its history aside), else why not."""
    from coachflow._documents.documents import events_from_list

    try:
        events_from_list([event])
    except InvalidDocument as error:
        return "; ".join(error.errors)
    return None


def _one_of_each_event() -> list[dict[str, Any]]:
    """One event of each type, as documents write them, from the scenarios that hold
    every event type between them (`test_every_event.SCENARIOS`)."""
    from test_every_event import SCENARIOS

    found: dict[str, dict[str, Any]] = {}
    for make in SCENARIOS.values():
        for event in to_dict(make())["events"]:
            found.setdefault(event["type"], event)
    return list(found.values())


EACH_EVENT = _one_of_each_event()
EACH_MUTANT = [_put(e, path, v) for e in EACH_EVENT for path in _leaves(e) for v in MUTANTS]


def test_schema_and_loader_agree_on_every_single_value_mutant() -> None:
    """Every value of one event of each type, replaced in turn by each of `MUTANTS`: the
    schema refuses exactly what the loader refuses, but for rules across values."""
    assert len(EACH_EVENT) == len(EVENT_TYPES)
    disagreements = []
    for mutant in EACH_MUTANT:
        refused = _structured(mutant)
        if STRICT.is_valid(mutant) == (refused is None):
            continue
        if refused is not None and any(rule in refused for rule in ACROSS_VALUES):
            continue
        disagreements.append((mutant["type"], refused))
    assert len(EACH_MUTANT) > 9_000  # some forty values in each of ~230 places
    assert disagreements == [], disagreements[:10]


# -- a second validator, not in Python: ajv (with ajv-formats), through Node ----------------------


@pytest.fixture(scope="module")
def ajv() -> str:
    """The ``node_modules`` folder holding ajv and ajv-formats (.ci/run installs them)."""
    folder = os.environ.get("COACHFLOW_TEST_AJV", "")
    if folder and (Path(folder) / "ajv").is_dir() and shutil.which("node"):
        return folder
    if os.environ.get("CI"):
        pytest.fail("CI must check the schema with ajv: COACHFLOW_TEST_AJV is not set")
    pytest.skip("ajv is not installed here; .ci/run installs it with npm")


def _ajv(folder: str, schema: dict[str, Any], values: list[Any]) -> list[bool]:
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "ajv" / "validate.mjs")],
        input=json.dumps({"schema": schema, "values": values}),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COACHFLOW_TEST_AJV": folder},
        timeout=120,
    )
    found: list[bool] = json.loads(result.stdout)
    return found


@settings(max_examples=6, deadline=None)
@given(st.lists(engagements(), min_size=8, max_size=8))  # one node process for 8 histories
def test_ajv_takes_every_generated_document_and_view(ajv: str, found: list[Engagement]) -> None:
    documents = [to_dict(e) for e in found]
    documents += [to_dict(e.seen_by(party)) for e in found for party in e.parties]
    assert all(_ajv(ajv, SCHEMA, documents))


def test_ajv_agrees_with_jsonschema_on_every_single_value_mutant(ajv: str) -> None:
    by_ajv = _ajv(ajv, EVENT_SCHEMA, EACH_MUTANT)
    by_jsonschema = [STRICT.is_valid(m) for m in EACH_MUTANT]
    differ = [m for m, a, j in zip(EACH_MUTANT, by_ajv, by_jsonschema, strict=True) if a != j]
    assert differ == [], differ[:5]
