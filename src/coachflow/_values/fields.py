"""Reading the value classes' fields: what the generated loaders and the schema share."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

import attrs

__all__ = [
    "field_validators",
    "is_optional",
    "is_tagged_union",
    "json_schema",
    "schema_of",
    "snake_case",
]

F = typing.TypeVar("F", bound=Callable[..., Any])


def json_schema(fragment: dict[str, Any]) -> Callable[[F], F]:
    """Declare what a validator function checks of one value, as JSON Schema keywords:
    the document schema adds them to the field's own (`schema_of`)."""

    def declare(check: F) -> F:
        check.__dict__["json_schema"] = fragment
        return check

    return declare


def schema_of(check: object) -> dict[str, Any] | None:
    """The JSON Schema keywords a validator declares (`json_schema`, or a check class's
    ``json_schema``), else None: a rule over several values, for the loader alone."""
    fragment = getattr(check, "json_schema", None)
    return fragment if isinstance(fragment, dict) else None


def snake_case(name: str) -> str:
    """``SessionRecorded`` -> ``session_recorded`` (a document's ``"type"``)."""
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def is_optional(kind: Any) -> bool:
    """Whether a field's type is ``X | None``."""
    return type(kind) is types.UnionType and type(None) in typing.get_args(kind)


def is_tagged_union(kind: Any) -> bool:
    """Whether a field's type is a union of value classes (told apart by ``"type"``)."""
    return type(kind) is types.UnionType and all(attrs.has(a) for a in typing.get_args(kind))


def field_validators(validator: Any) -> list[Callable[..., Any]]:
    """The validators of a field, one by one (attrs combines a list into one)."""
    if validator is None:
        return []
    inner = getattr(validator, "_validators", None)  # attrs.validators.and_
    if inner is not None:
        return [v for part in inner for v in field_validators(part)]
    return [validator]
