"""Documents: an engagement as plain JSON types and back, built with one cattrs converter.

A document is ``{"format": "coachflow.engagement", "format_version": 1, "id": ...,
"events": [...]}``; each event is an object whose ``"type"`` is its class name in
snake_case. Loading is strict (no coercion, no unknown keys) and replays the
history through the engine, so a loaded engagement obeys every rule.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any, get_args, get_origin

from cattrs import BaseValidationError, ForbiddenExtraKeysError, transform_error
from cattrs.cols import list_structure_factory
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.preconf.json import make_converter
from cattrs.v import format_exception

from coachflow._checks import describe
from coachflow._engagement import Engagement
from coachflow._errors import InvalidDocument
from coachflow._events import EVENT_TYPES, AnyEvent, Event, Opened
from coachflow._fold import ReplayError
from coachflow._model import AddGoal, Mode, ReformulateGoal

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "event_to_dict",
    "events_from_list",
    "from_dict",
    "from_json",
    "load_events",
    "to_dict",
    "to_json",
]

FORMAT = "coachflow.engagement"
FORMAT_VERSION = 1
_KEYS = ("format", "format_version", "id", "events")


def snake_case(name: str) -> str:
    """``SessionRecorded`` -> ``session_recorded``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


converter = make_converter(forbid_extra_keys=True)


def _strict(kind: type, what: str) -> None:
    def structure(value: object, _: object) -> object:
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            raise TypeError(f"expected {what} (got {describe(value)})")
        return value

    converter.register_structure_hook(kind, structure)


_strict(str, "a string")
_strict(int, "an integer")
_strict(bool, "true or false")


def _parse(kind: type[dt.date]) -> Callable[[object, object], dt.date]:
    what = "an ISO 8601 date-time with offset" if kind is dt.datetime else "an ISO 8601 date"

    def structure(value: object, _: object) -> dt.date:
        if not isinstance(value, str):
            raise TypeError(f"expected {what} (got {describe(value)})")
        try:
            return kind.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected {what} (got {value!r})") from None

    return structure


converter.register_structure_hook(dt.datetime, _parse(dt.datetime))
converter.register_structure_hook(dt.date, _parse(dt.date))
converter.register_unstructure_hook_func(
    lambda kind: kind == frozenset[Mode],  # sorted, so that a document's bytes are stable
    lambda modes: sorted(mode.value for mode in modes),
)


def _is_pair(kind: Any) -> bool:
    return get_origin(kind) is tuple and Ellipsis not in get_args(kind)


def _is_collection(kind: Any) -> bool:
    return get_origin(kind) in (tuple, frozenset)


def _collection_hook(kind: Any) -> Callable[[object, object], object]:
    """Collections come from JSON lists only (a string is not a list of characters)."""
    args, origin = get_args(kind), get_origin(kind)
    fixed = origin is tuple and Ellipsis not in args
    items = None if fixed else list_structure_factory(list[args[0]], converter)  # type: ignore[valid-type]

    def structure(value: object, _: object) -> object:
        if not isinstance(value, list):
            raise TypeError(f"expected a list (got {describe(value)})")
        if items is not None:
            return origin(items(value, list))
        if len(value) != len(args):
            raise ValueError(f"expected a list of {len(args)} items (got {len(value)})")
        errors, result = [], []
        for i, (item, item_kind) in enumerate(zip(value, args, strict=True)):
            try:
                result.append(converter.structure(item, item_kind))
            except Exception as exc:  # collected with its index, as cattrs does
                exc.__notes__ = [IterableValidationNote(f"index {i}", i, item_kind)]
                errors.append(exc)
        if errors:
            raise IterableValidationError("while structuring a list", errors, kind)
        return tuple(result)

    return structure


converter.register_structure_hook_factory(_is_collection, _collection_hook)
converter.register_unstructure_hook_func(
    lambda kind: _is_pair(kind),  # (60, 90): documents hold lists
    lambda value: [converter.unstructure(item) for item in value],
)


def _tagged(members: tuple[type, ...]) -> tuple[Callable[..., Any], Callable[[Any], Any]]:
    by_tag = {snake_case(member.__name__): member for member in members}
    tags = ", ".join(by_tag)

    def structure(value: object, _: object) -> object:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object (got {describe(value)})")
        tag = value.get("type")
        if tag is None:
            raise ValueError(f"missing 'type' (one of: {tags})")
        member = by_tag.get(tag) if isinstance(tag, str) else None
        if member is None:
            raise ValueError(f"unknown type {tag!r} (expected one of: {tags})")
        return converter.structure({k: v for k, v in value.items() if k != "type"}, member)

    def unstructure(value: object) -> dict[str, Any]:
        data: dict[str, Any] = converter.unstructure(value, unstructure_as=type(value))
        return {"type": snake_case(type(value).__name__), **data}

    return structure, unstructure


_event_structure, event_to_dict = _tagged(EVENT_TYPES)
converter.register_structure_hook(AnyEvent, _event_structure)
_revision_structure, _revision_unstructure = _tagged((ReformulateGoal, AddGoal))
converter.register_structure_hook(ReformulateGoal | AddGoal, _revision_structure)
converter.register_unstructure_hook(ReformulateGoal | AddGoal, _revision_unstructure)


def _message(exc: BaseException, kind: type | None) -> str:
    if isinstance(exc, KeyError | ForbiddenExtraKeysError | AttributeError):
        return format_exception(exc, kind)
    return str(exc) or format_exception(exc, kind)


def to_dict(engagement: Engagement) -> dict[str, Any]:
    """The engagement as a document of plain JSON types (see the module docs)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": engagement.id,
        "events": [event_to_dict(event) for event in engagement.events],
    }


def to_json(engagement: Engagement, *, indent: int | None = None) -> str:
    """The engagement as a JSON document; ``from_json(to_json(e)) == e``."""
    return json.dumps(to_dict(engagement), ensure_ascii=False, indent=indent)


def events_from_list(data: object, path: str = "$.events") -> list[Event]:
    """Structure a list of event objects, or raise `InvalidDocument` naming where."""
    if not isinstance(data, list):
        raise InvalidDocument([f"expected a list of events (got {describe(data)}) @ {path}"])
    try:
        events: list[Event] = converter.structure(data, list[AnyEvent])  # type: ignore[arg-type]
    except (BaseValidationError, ValueError, TypeError) as exc:
        raise InvalidDocument(transform_error(exc, path, _message)) from None
    return events


def from_dict(data: object) -> Engagement:
    """Load a document made by `to_dict`; anything malformed raises `InvalidDocument`.

    The history is replayed through the engine, so an impossible history (a
    session before the agreement, a closing without a midpoint review, ...) is
    refused with the error the offending command would have raised, named by
    its place in the document.
    """
    if not isinstance(data, dict):
        raise InvalidDocument([f"expected a JSON object (got {describe(data)}) @ $"])
    errors = [f"required field missing @ $.{key}" for key in _KEYS if key not in data]
    extra = sorted(str(key) for key in data if key not in _KEYS)
    if extra:
        errors.append(f"extra fields found ({', '.join(extra)}) @ $")
    if data.get("format", FORMAT) != FORMAT:
        errors.append(f"expected {FORMAT!r} (got {data['format']!r}) @ $.format")
    version = data.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        errors.append(f"expected {FORMAT_VERSION} (got {version!r}) @ $.format_version")
    if not isinstance(data.get("id", ""), str):
        errors.append(f"expected a string (got {describe(data['id'])}) @ $.id")
    if errors:
        raise InvalidDocument(errors)
    events = events_from_list(data["events"])
    if events and isinstance(events[0], Opened) and events[0].engagement_id != data["id"]:
        raise InvalidDocument(
            [f"{data['id']!r} differs from the opening event's {events[0].engagement_id!r} @ $.id"]
        )
    return load_events(events, "$.events")


def load_events(events: list[Event], path: str) -> Engagement:
    """Replay *events*, turning a refusal into `InvalidDocument` naming the event."""
    try:
        return Engagement._replay(events)
    except ReplayError as err:
        where = f"{path}[{err.index}]"
        kind = type(err.cause).__name__
        raise InvalidDocument([f"{kind}: {err.cause} @ {where}"]) from err.cause


def from_json(text: str | bytes) -> Engagement:
    """Load a JSON document made by `to_json`; anything malformed raises `InvalidDocument`."""
    if not isinstance(text, str | bytes | bytearray):
        raise InvalidDocument([f"expected JSON text (got {describe(text)}) @ $"])
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidDocument([f"not valid JSON: {exc} @ $"]) from None
    return from_dict(data)
