"""The JSON Schema of documents, checked with a validator we did not write (jsonschema)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
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
