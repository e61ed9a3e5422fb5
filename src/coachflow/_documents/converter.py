"""The cattrs converter: strict JSON-to-value structuring, and the tagged unions.

It writes every document. In loading it defines what a document may hold and
explains a bad one with paths like ``$.events[3].session.minutes``; documents
of the usual shape take the shortcut of `coachflow._documents.loaders`, held to its verdict.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any, get_args, get_origin

from cattrs import Converter
from cattrs.cols import list_structure_factory
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.preconf.json import make_converter

from coachflow._documents.loaders import share_zone
from coachflow._documents.loaders import text as _text
from coachflow._values.events import EVENT_TYPES, AnyEvent
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.fields import snake_case
from coachflow._values.model import AddGoal, ReformulateGoal
from coachflow._values.validation import (
    MAX_YEAR,
    MIN_YEAR,
    RFC3339_DATE,
    RFC3339_DATE_TIME,
    describe,
    good_text,
)

__all__ = ["converter", "event_to_dict"]


def _strict(kind: type, what: str) -> Callable[[object, object], object]:
    def structure(value: object, _: object) -> object:
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            raise InvalidType(f"expected {what} (got {describe(value)})")
        return value

    return structure


def _string(value: object, _: object) -> str:
    if type(value) is not str:
        raise InvalidType(f"expected a string (got {describe(value)})")
    if not good_text(value):
        raise InvalidValue(
            f"expected text without NUL characters or lone surrogates (got {value!r})"
        )
    # ids, names and codes repeat across events and documents: keep one copy of each
    return _text(value)


def _parse(kind: type[dt.date]) -> Callable[[object, object], dt.date]:
    if kind is dt.datetime:
        what = (
            "an RFC 3339 date-time with seconds and an offset in whole minutes, such as "
            f"2027-01-11T09:00:00+01:00, in the years {MIN_YEAR}..{MAX_YEAR}"
        )
        form = RFC3339_DATE_TIME
    else:
        what = f"an RFC 3339 date such as 2027-01-11, in the years {MIN_YEAR}..{MAX_YEAR}"
        form = RFC3339_DATE

    def structure(value: object, _: object) -> dt.date:
        if not isinstance(value, str):
            raise InvalidType(f"expected {what} (got {describe(value)})")
        if form.fullmatch(value) is None:
            raise InvalidValue(f"expected {what} (got {value[:40]!r})")
        try:
            parsed = kind.fromisoformat(value)
        except ValueError:
            raise InvalidValue(f"expected {what} (got {value!r}: no such day)") from None
        return share_zone(parsed) if isinstance(parsed, dt.datetime) else parsed

    return structure


def _is_pair(kind: Any) -> bool:
    return get_origin(kind) is tuple and Ellipsis not in get_args(kind)


def _is_collection(kind: Any) -> bool:
    return get_origin(kind) in (tuple, frozenset)


def _collection_hook(conv: Converter) -> Callable[[Any], Callable[[object, object], object]]:
    def factory(kind: Any) -> Callable[[object, object], object]:
        """Collections come from JSON lists only (a string is not a list of characters)."""
        args, origin = get_args(kind), get_origin(kind)
        items = None if _is_pair(kind) else list_structure_factory(list[args[0]], conv)  # type: ignore[valid-type]

        def structure(value: object, _: object) -> object:
            if not isinstance(value, list):
                raise InvalidType(f"expected a list (got {describe(value)})")
            if items is not None:
                return origin(items(value, list))
            if len(value) != len(args):
                raise InvalidValue(f"expected a list of {len(args)} items (got {len(value)})")
            errors, result = [], []
            for i, (item, item_kind) in enumerate(zip(value, args, strict=True)):
                try:
                    result.append(conv.structure(item, item_kind))
                except Exception as exc:  # collected with its index, as cattrs does
                    exc.__notes__ = [IterableValidationNote(f"index {i}", i, item_kind)]
                    errors.append(exc)
            if errors:
                raise IterableValidationError("while structuring a list", errors, kind)
            return tuple(result)

        return structure

    return factory


def _tagged(
    conv: Converter, members: tuple[type, ...]
) -> tuple[Callable[..., Any], Callable[[Any], Any]]:
    by_tag = {snake_case(member.__name__): member for member in members}
    tag_of = {member: tag for tag, member in by_tag.items()}
    tags = ", ".join(by_tag)
    hooks: dict[type, Callable[..., Any]] = {}

    def structure(value: object, _: object) -> object:
        if not isinstance(value, dict):
            raise InvalidType(f"expected an object (got {describe(value)})")
        tag = value.get("type")
        if tag is None:
            raise InvalidValue(f"missing 'type' (one of: {tags})")
        member = by_tag.get(tag) if isinstance(tag, str) else None
        if member is None:
            raise InvalidValue(f"unknown type {tag!r} (expected one of: {tags})")
        hook = hooks.get(member)
        if hook is None:
            hook = hooks[member] = conv.get_structure_hook(member)
        rest = dict(value)
        del rest["type"]
        return hook(rest, member)

    def unstructure(value: object) -> dict[str, Any]:
        data: dict[str, Any] = conv.unstructure(value, unstructure_as=type(value))
        return {"type": tag_of[type(value)], **data}

    return structure, unstructure


def _is_set_of_members(kind: Any) -> bool:
    """A frozenset of enum members (modes, signatories)."""
    args = get_args(kind)
    return (
        get_origin(kind) is frozenset
        and len(args) == 1
        and isinstance(args[0], type)
        and issubclass(args[0], enum.Enum)
    )


def _make() -> tuple[Converter, Callable[[Any], dict[str, Any]]]:
    conv = make_converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _string)
    conv.register_structure_hook(int, _strict(int, "an integer"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(dt.datetime, _parse(dt.datetime))
    conv.register_structure_hook(dt.date, _parse(dt.date))
    conv.register_unstructure_hook_func(
        _is_set_of_members,  # sorted, so that a document's bytes are stable
        lambda members: sorted(member.value for member in members),
    )
    conv.register_unstructure_hook_func(
        lambda kind: kind == frozenset[str],  # a policy's commands, sorted likewise
        sorted,
    )
    conv.register_structure_hook_factory(_is_collection, _collection_hook(conv))
    conv.register_unstructure_hook_func(
        _is_pair,  # (60, 90): documents hold lists
        lambda value: [conv.unstructure(item) for item in value],
    )
    event_structure, event_unstructure = _tagged(conv, EVENT_TYPES)
    conv.register_structure_hook(AnyEvent, event_structure)
    revision_structure, revision_unstructure = _tagged(conv, (ReformulateGoal, AddGoal))
    conv.register_structure_hook(ReformulateGoal | AddGoal, revision_structure)
    conv.register_unstructure_hook(ReformulateGoal | AddGoal, revision_unstructure)
    return conv, event_unstructure


converter, event_to_dict = _make()
