"""The writers of documents, generated from the value and event classes.

As `coachflow._documents.loaders` generates the loaders, this module writes, once, one small
function per class that turns an instance into the plain JSON types of a document:
each field by its resolved type (texts, numbers and bools as they are; datetimes and
dates as ISO 8601; enum members by value; sets sorted, so that a document's bytes are
stable; value classes by their own writer; a union of classes tagged with ``"type"``).
A field added to a class is written at once; the cattrs converter, which structures and
explains documents, unstructures them exactly alike (a test holds the two together).
"""

from __future__ import annotations

import datetime as dt
import enum
import typing
from collections.abc import Callable
from typing import Any

import attrs

from coachflow._values.codegen import Generated
from coachflow._values.events import EVENT_TYPES, Event
from coachflow._values.failures import InvalidType
from coachflow._values.fields import is_optional, is_tagged_union, snake_case

__all__ = ["SOURCE", "event_to_dict"]


class _Writers(Generated):
    """Writes the writers' source, one function per class, into one namespace."""

    def __init__(self) -> None:
        super().__init__("<coachflow generated writers>", {"sorted": sorted})
        self.names: dict[object, str] = {}

    def writer(self, kind: Any) -> str:
        if kind not in self.names:
            if is_tagged_union(kind):
                members = typing.get_args(kind)
                table = {member: self.writer_tagged(member) for member in members}
                self.names[kind] = self.bind(
                    lambda value, table=table: table[type(value)](value), "union"
                )
            else:
                self.names[kind] = f"_dump_{kind.__name__}"
                self._class(kind, tagged=kind in EVENT_TYPES)
        return self.names[kind]

    def writer_tagged(self, kind: type) -> Callable[[Any], dict[str, Any]]:
        name = self.writer(kind)
        tag = snake_case(kind.__name__)
        return lambda value: {"type": tag, **self.namespace[name](value)}

    def _class(self, kind: type, *, tagged: bool) -> None:
        hints = typing.get_type_hints(kind)
        items = [f"'type': {snake_case(kind.__name__)!r}"] if tagged else []
        for field in attrs.fields(kind):
            items.append(f"{field.name!r}: {self.value(hints[field.name], f'obj.{field.name}')}")
        body = ",\n        ".join(items)
        self.lines += [
            f"def _dump_{kind.__name__}(obj):",
            f"    return {{\n        {body},\n    }}",
            "",
        ]

    def value(self, kind: Any, source: str) -> str:
        """An expression writing the value *source* of type *kind*."""
        if kind in (str, int, bool):
            return source
        if is_optional(kind):
            inner = next(a for a in typing.get_args(kind) if a is not type(None))
            return f"(None if {source} is None else {self.value(inner, source)})"
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin is tuple and Ellipsis not in args:  # a fixed pair of plain values
            return f"list({source})"
        if origin is tuple:
            return f"[{self.value(args[0], 'x')} for x in {source}]"
        if origin is frozenset:  # sorted: stable bytes
            return f"sorted([{self.value(args[0], 'x')} for x in {source}])"
        if kind in (dt.datetime, dt.date):
            return f"{source}.isoformat()"
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return f"{source}.value"
        if attrs.has(kind) or is_tagged_union(kind):
            return f"{self.writer(kind)}({source})"
        raise InvalidType(f"no writer for the field type {kind!r}")  # pragma: no cover


def _generate() -> tuple[str, dict[type, Callable[[Any], dict[str, Any]]]]:
    writer = _Writers()
    names = {kind: writer.writer(kind) for kind in EVENT_TYPES}
    source, namespace = writer.compile()
    return source, {kind: namespace[name] for kind, name in names.items()}


SOURCE, WRITERS = _generate()
"""The writers' generated source (for reading) and each event class's writer."""


def event_to_dict(event: Event) -> dict[str, Any]:
    """*event* as the JSON object a document holds (its ``"type"`` first)."""
    return WRITERS[type(event)](event)
