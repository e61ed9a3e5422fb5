"""The JSON Schema (draft 2020-12) of the current document format, derived from the classes.

Like the generated loaders (`coachflow._documents.loaders`), the schema is read from the value and
event classes themselves: each field's name, type and validators. A field added to a
class is in the schema at once; nothing here repeats a class's shape.

What a schema can say, it says: types, required fields (those without a default),
no other keys, enum values, integer bounds, non-blank texts, the longest id, list
lengths, the event ``type`` tags. What only the history can say (a session before the
agreement, a closing without a review) is for `coachflow.from_dict`, which replays.
"""

from __future__ import annotations

import datetime as dt
import enum
import typing
from typing import Any

import attrs

from coachflow._documents.upcast import FORMAT, FORMAT_VERSION
from coachflow._values.containers import Items
from coachflow._values.events import EVENT_TYPES, MAX_ID_LENGTH
from coachflow._values.failures import InvalidType
from coachflow._values.fields import (
    field_validators,
    is_optional,
    is_tagged_union,
    schema_of,
    snake_case,
)
from coachflow._values.validation import (
    DATE_PATTERN,
    DATE_TIME_PATTERN,
    NO_NUL_PATTERN,
    NON_BLANK_PATTERN,
)
from coachflow._values.validators import RRULE_PATTERN, Integer, Optional, RRule, Text

__all__ = ["document_schema"]

SCHEMA_ID = f"urn:coachflow:engagement:{FORMAT_VERSION}"
# the loader's own patterns (RFC 3339, whole-minute offsets, the years coachflow takes);
# `format` alone is not asserted by default
_DATE_TIME = DATE_TIME_PATTERN
_DATE = DATE_PATTERN


class _Schema:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of(self, kind: Any, checks: list[Any]) -> dict[str, Any]:
        """The schema of one field's value: its type, narrowed by its validators (and by
        what each declares of one value, `json_schema`)."""
        schema = self.typed(kind, checks)
        if not is_optional(kind):
            for check in checks:
                fragment = schema_of(check)
                if fragment is not None:
                    schema.update(fragment)
        return schema

    def typed(self, kind: Any, checks: list[Any]) -> dict[str, Any]:
        """The schema of a value of *kind*, narrowed by the checks the generator knows."""
        if is_optional(kind):
            inner = next(a for a in typing.get_args(kind) if a is not type(None))
            narrowed = [c.check if isinstance(c, Optional) else c for c in checks]
            return {"anyOf": [self.of(inner, narrowed), {"type": "null"}]}
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin in (tuple, frozenset):
            if origin is tuple and Ellipsis not in args:  # a fixed pair
                return {
                    "type": "array",
                    "prefixItems": [self.of(arg, []) for arg in args],
                    "minItems": len(args),
                    "maxItems": len(args),
                }
            schema: dict[str, Any] = {"type": "array", "items": self.of(args[0], [])}
            choices = next((c.choices for c in checks if hasattr(c, "choices")), None)
            if choices is not None:  # a set of names, each one known
                schema["items"] = {"enum": list(choices)}
            least = max((c.min_len for c in checks if isinstance(c, Items)), default=0)
            if least:
                schema["minItems"] = least
            return schema
        if kind is str:  # the loader reads no NUL character into any text
            schema = {"type": "string", "pattern": NO_NUL_PATTERN}
            for check in checks:
                if isinstance(check, Text):
                    schema["pattern"] = NO_NUL_PATTERN if check.empty else NON_BLANK_PATTERN
                    schema["maxLength"] = check.max_len
                elif isinstance(check, RRule):
                    schema["pattern"] = RRULE_PATTERN
                    schema["description"] = "an RFC 5545 RRULE value (at most daily)"
            return schema
        if kind is int:
            schema = {"type": "integer"}
            for check in checks:
                if isinstance(check, Integer):
                    if check.low is not None:
                        schema["minimum"] = check.low
                    if check.high is not None:
                        schema["maximum"] = check.high
            return schema
        if kind is bool:
            return {"type": "boolean"}
        if kind is dt.datetime:
            return {"type": "string", "format": "date-time", "pattern": _DATE_TIME}
        if kind is dt.date:
            return {"type": "string", "format": "date", "pattern": _DATE}
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return {"enum": [member.value for member in kind]}
        if is_tagged_union(kind):
            return self.tagged(args)
        if attrs.has(kind):
            return self.ref(kind, tagged=False)
        raise InvalidType(f"no schema for the field type {kind!r}")  # pragma: no cover

    def tagged(self, members: tuple[type, ...]) -> dict[str, Any]:
        """Objects told apart by their ``type``: each checked by its own class's schema
        (``if``/``then``, so that a validator reports what is wrong in that one)."""
        tags = [snake_case(member.__name__) for member in members]
        return {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": tags}},
            "allOf": [
                {
                    "if": {"properties": {"type": {"const": tag}}},
                    "then": self.ref(member, tagged=True),
                }
                for tag, member in zip(tags, members, strict=True)
            ],
        }

    def ref(self, kind: type, *, tagged: bool) -> dict[str, Any]:
        name = kind.__name__
        if name not in self.defs:
            self.defs[name] = {}  # reserved: a class may refer to itself
            hints = typing.get_type_hints(kind)
            properties: dict[str, Any] = {}
            required: list[str] = []
            if tagged:
                properties["type"] = {"const": snake_case(name)}
                required.append("type")
            for field in attrs.fields(kind):
                properties[field.name] = self.of(
                    hints[field.name], field_validators(field.validator)
                )
                if field.default is attrs.NOTHING:
                    required.append(field.name)
            self.defs[name] = {
                "type": "object",
                "description": (kind.__doc__ or name).strip().splitlines()[0],
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}


def document_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the documents `to_dict` writes (format version
    `FORMAT_VERSION`), derived from the classes: every document `to_dict` makes
    validates against it. History rules (what may follow what) are for `from_dict`."""
    schema = _Schema()
    events = schema.tagged(EVENT_TYPES)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"coachflow engagement document, format version {FORMAT_VERSION}",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "id": {"type": "string", "pattern": NON_BLANK_PATTERN, "maxLength": MAX_ID_LENGTH},
            "view": {
                "type": "string",
                "description": "the party whose view this is (texts redacted); absent "
                "for the engagement itself",
            },
            "events": {"type": "array", "items": events},
        },
        "required": ["format", "format_version", "id", "events"],
        "additionalProperties": False,
        "$defs": schema.defs,
    }
