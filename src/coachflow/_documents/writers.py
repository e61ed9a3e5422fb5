"""The writers of documents, generated from the value and event classes.

As `coachflow._documents.loaders` generates the loaders, this module writes, once, one small
function per class that turns an instance into the plain JSON types of a document:
each field by its resolved type (texts, numbers and bools as they are; datetimes and
dates as ISO 8601; enum members by value; sets sorted, so that a document's bytes are
stable; value classes by their own writer; a union of classes tagged with ``"type"``).
A field added to a class is written at once; the cattrs converter, which structures and
explains documents, unstructures them exactly alike (a test holds the two together).

A second set, the *native* writers, leaves what orjson writes itself as it is (datetimes
in a whole-minute offset, dates, enum members, tuples of plain values) for a store's
rows: orjson writes the same bytes in C (a test holds the two sets together).
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
from coachflow._values.validation import WHOLE_MINUTE_ZONES

__all__ = ["SOURCE", "event_to_dict", "event_to_native"]

_PLAIN = (str, int, bool)


class _Writers(Generated):
    """Writes the writers' source, one function per class, into one namespace."""

    def __init__(self, *, native: bool = False) -> None:
        super().__init__(
            f"<coachflow generated {'native ' if native else ''}writers>",
            {"sorted": sorted, "_WHOLE": WHOLE_MINUTE_ZONES},
        )
        self.names: dict[object, str] = {}
        self.native = native

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
        if kind in _PLAIN or (self.native and self.as_it_is(kind)):
            return source
        if is_optional(kind):
            inner = next(a for a in typing.get_args(kind) if a is not type(None))
            return f"(None if {source} is None else {self.value(inner, source)})"
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin is tuple and Ellipsis not in args:  # a fixed pair of plain values
            return f"list({source})"
        if origin is tuple:  # most are empty: no comprehension run for them
            return f"([{self.value(args[0], 'x')} for x in {source}] if {source} else [])"
        if self.native and kind is dt.datetime:  # orjson drops an offset's seconds
            return f"({source} if {source}.tzinfo in _WHOLE else {source}.isoformat())"
        if origin is frozenset:  # sorted as written (members by value): stable bytes
            native, self.native = self.native, False
            try:
                return f"sorted([{self.value(args[0], 'x')} for x in {source}])"
            finally:
                self.native = native
        if kind in (dt.datetime, dt.date):
            return f"{source}.isoformat()"
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return f"{source}.value"
        if attrs.has(kind) or is_tagged_union(kind):
            return f"{self.writer(kind)}({source})"
        raise InvalidType(f"no writer for the field type {kind!r}")  # pragma: no cover

    def as_it_is(self, kind: Any) -> bool:
        """Whether orjson writes a value of *kind* itself, exactly as a document holds it:
        a date, an enum member (by value), a tuple of plain values, or None or one of these."""
        if kind is dt.date or (isinstance(kind, type) and issubclass(kind, enum.Enum)):
            return True
        args = typing.get_args(kind)
        if is_optional(kind):
            return all(a is type(None) or a in _PLAIN or self.as_it_is(a) for a in args)
        return typing.get_origin(kind) is tuple and all(a in _PLAIN or a is ... for a in args)


def _generate(*, native: bool) -> tuple[str, dict[type, Callable[[Any], dict[str, Any]]]]:
    writer = _Writers(native=native)
    names = {kind: writer.writer(kind) for kind in EVENT_TYPES}
    source, namespace = writer.compile()
    return source, {kind: namespace[name] for kind, name in names.items()}


SOURCE, WRITERS = _generate(native=False)
"""The writers' generated source (for reading) and each event class's writer."""
NATIVE_SOURCE, NATIVE_WRITERS = _generate(native=True)
"""The native writers' source and each event class's native writer."""


def event_to_dict(event: Event) -> dict[str, Any]:
    """*event* as the JSON object a document holds (its ``"type"`` first)."""
    return WRITERS[type(event)](event)


def event_to_native(event: Event) -> dict[str, Any]:
    """*event* as `event_to_dict` writes it, but with datetimes (in a whole-minute offset),
    dates, enum members and tuples of plain values left as they are: ``orjson.dumps`` of
    it is ``orjson.dumps(event_to_dict(event))``, byte for byte, written faster."""
    return NATIVE_WRITERS[type(event)](event)
