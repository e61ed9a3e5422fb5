"""The validators of collections: items of a kind, unique keys, names from a set, and
the five levels of Goal Attainment Scaling (see `coachflow._values.validators`)."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from coachflow._values.failures import InvalidValue
from coachflow._values.validation import good_text, require_item_text, require_text, require_type
from coachflow._values.validators import TEXT_ITEM, Check

__all__ = [
    "EMPTY_MAP",
    "EMPTY_SET",
    "Choices",
    "Items",
    "Levels",
    "Unique",
    "appended",
    "writable",
]

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

EMPTY_SET: frozenset[Any] = frozenset()
"""The one empty set the values and engagements share (each ``frozenset()`` is another
object of 216 bytes)."""
EMPTY_MAP: Mapping[Any, Any] = types.MappingProxyType({})
"""The one empty, read-only mapping engagements share until they hold something (an
empty dict is another object of 64 bytes)."""


def appended(items: Sequence[T], item: T) -> list[T]:
    """*items* with *item* appended: *items* itself when a list, else a new list (a
    state's lists begin as the shared empty tuple, most staying empty)."""
    if isinstance(items, list):
        items.append(item)
        return items
    return [*items, item]


def writable(mapping: Mapping[K, V]) -> dict[K, V]:
    """*mapping* itself when a dict, else a new dict of its items: the mappings'
    `appended` (a state's mappings begin as the shared `EMPTY_MAP`, most staying empty)."""
    return mapping if isinstance(mapping, dict) else dict(mapping)


class Choices(Check):
    """A set of names, each one of *choices* (``choices``: the schema's enum)."""

    __slots__ = ("choices",)
    passes_below: ClassVar[int] = 1

    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if type(value) is frozenset and value.issubset(self.choices):
            return  # the usual case, decided at once
        Items(str, "a str")(inst, attribute, value)
        unknown = sorted(c for c in value if c not in self.choices)
        if unknown:
            raise InvalidValue(
                f"{attribute.name!r} may name only {', '.join(map(repr, self.choices))} "
                f"(got {unknown})"
            )

    def __repr__(self) -> str:
        return f"<a set of {', '.join(self.choices)}>"


class Levels(Check):
    """The five levels of Goal Attainment Scaling: None, or five non-blank texts."""

    __slots__ = ()
    label = "five non-blank texts (-2 .. +2) or None"
    json_schema: ClassVar[dict[str, Any]] = {"prefixItems": [TEXT_ITEM] * 5}

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if value is None:
            return
        Items(str, "a str")(inst, attribute, value)
        if type(value) is not tuple or len(value) != 5:
            raise InvalidValue(
                f"{attribute.name!r} must be five texts, for -2, -1, 0, +1 and +2 "
                f"(got {len(value)})"
            )
        for i, text in enumerate(value):
            require_item_text(f"{attribute.name}[{i}]", text)


class Items(Check):
    """A collection whose every item is a *kind*, with at least *min_len* items."""

    __slots__ = ("kind", "min_len", "texts", "what")

    def __init__(self, kind: type | tuple[type, ...], what: str, *, min_len: int = 0) -> None:
        self.kind, self.what, self.min_len = kind, what, min_len
        kinds = kind if isinstance(kind, tuple) else (kind,)
        self.texts = any(issubclass(one, str) for one in kinds)  # items that may be texts

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if type(value) is not tuple and type(value) is not frozenset:
            require_type(attribute.name, value, (tuple, frozenset), "a sequence")
        assert isinstance(value, tuple | frozenset)
        kind = self.kind
        # the usual case settled in C: every item of exactly the one kind, none a text
        if self.texts or not value or set(map(type, value)) != {kind}:
            for i, item in enumerate(value):
                if type(item) is not kind:  # only a surprise pays for the message
                    require_type(f"{attribute.name}[{i}]", item, kind, self.what)
                if isinstance(item, str) and not good_text(item):
                    require_text(f"{attribute.name}[{i}]", item)
        if len(value) < self.min_len:
            raise InvalidValue(
                f"{attribute.name!r} must have at least {self.min_len} item(s) (got none)"
            )

    def inline(self, name: str) -> str:
        # a loader builds the items of the right kind; texts it checks as it reads them
        return f"len({name}) >= {self.min_len}" if self.min_len else "True"

    def __repr__(self) -> str:
        least = f", at least {self.min_len}" if self.min_len else ""
        return f"<items: {self.what}{least}>"


class Unique(Check):
    """No two items of a collection share ``key(item)``."""

    __slots__ = ("key", "what")
    passes_below: ClassVar[int] = 2  # no two items share a key of one

    def __init__(self, key: Callable[[Any], object], what: str) -> None:
        self.key, self.what = key, what

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        seen: set[object] = set()
        for item in value:
            k = self.key(item)
            if k in seen:
                raise InvalidValue(
                    f"{attribute.name!r} must have unique {self.what} (got {k!r} twice)"
                )
            seen.add(k)

    def __repr__(self) -> str:
        return f"<unique {self.what}>"
