"""Documents: an engagement as plain JSON types and back, built with one cattrs converter.

A document is ``{"format": "coachflow.engagement", "format_version": FORMAT_VERSION, "id": ...,
"events": [...]}``; each event is an object whose ``"type"`` is its class name in
snake_case. Loading is strict (no coercion, no unknown keys) and replays the
history through the engine, so a loaded engagement obeys every rule. Documents of
an older format version are upcast first (`coachflow._documents.upcast`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from typing import Any

from cattrs import BaseValidationError, ForbiddenExtraKeysError, transform_error
from cattrs.v import format_exception
from orjson import loads as _orjson_loads

from coachflow._documents.converter import converter
from coachflow._documents.loaders import DECODERS, event
from coachflow._documents.upcast import FORMAT, FORMAT_VERSION, upcast_events, version_problem
from coachflow._documents.writers import event_to_dict as write_event
from coachflow._engagement import Engagement
from coachflow._engine.fold import ReplayError, replay
from coachflow._privacy.views import lens
from coachflow._values.errors import InvalidDocument
from coachflow._values.events import AnyEvent, Event, Opened
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.limits import LIMITS
from coachflow._values.redaction import REDACTED, hiding
from coachflow._values.validation import describe

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "event_to_dict",
    "events_from_list",
    "from_dict",
    "from_json",
    "load_events",
    "load_usual",
    "to_dict",
    "to_json",
]

_KEYS = ("format", "format_version", "id", "events")


def load_usual(items: Iterable[tuple[int, str | bytes]]) -> Engagement:
    """The engagement of the JSON texts of its events, each with its format version,
    if they are of the usual shape.

    The fast way to load: orjson parses, older formats are upcast, the generated
    loaders (`coachflow._documents.loaders`) build the events, the engine replays them. It
    raises (any exception) for anything unusual, and the caller loads the same
    input the exact way (`json`, then the converter), which decides and explains.
    orjson differs from `json` only where the shortcut refuses anyway: it reads
    integers beyond 64 bits as floats.
    """
    events = []
    for version, item in items:
        data = _orjson_loads(item)
        if version != FORMAT_VERSION:
            if version_problem(version):
                raise InvalidValue("not a format version this coachflow reads")
            data = upcast_events([data], version)[0]
        events.append(event(data))
    return replay(Engagement, events)


_MARK = f'"{REDACTED}"'


def _from_usual_json(text: str | bytes | bytearray) -> Engagement:
    marked = _MARK in text if isinstance(text, str) else _MARK.encode() in text
    if marked:
        raise InvalidValue("not the usual shape")  # a view's, or refused: the exact way says
    data = _orjson_loads(text)
    if type(data) is not dict or len(data) != 4 or data["format"] != FORMAT:
        raise InvalidValue("not the usual shape")
    version, id, items = data["format_version"], data["id"], data["events"]
    if type(id) is not str or type(items) is not list or len(items) > LIMITS.events:
        raise InvalidValue("not the usual shape")
    if version != FORMAT_VERSION or type(version) is not int:
        if version_problem(version) or type(items) is not list:
            raise InvalidValue("not the usual shape")
        items = upcast_events(items, version)
    decoders = DECODERS  # `event`, inline: anything but an object of a known type raises
    engagement = replay(Engagement, [decoders[item["type"]](item) for item in items])
    if engagement.id != id:
        raise InvalidValue("not the usual shape")
    return engagement


def _message(exc: BaseException, kind: type | None) -> str:
    if isinstance(exc, KeyError | ForbiddenExtraKeysError | AttributeError):
        return format_exception(exc, kind)
    return str(exc) or format_exception(exc, kind)


def to_dict(engagement: Engagement) -> dict[str, Any]:
    """The engagement as a document of plain JSON types (see the module docs).

    A party's view (`Engagement.seen_by`) says whose it is: ``"view": party_id``.
    """
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": engagement.id,
    }
    if engagement.view is not None:
        document["view"] = engagement.view
    document["events"] = [write_event(event) for event in engagement.events]
    return document


def event_to_dict(
    event: Event, *, for_party: str | None = None, engagement: Engagement | None = None
) -> dict[str, Any]:
    """See `coachflow.event_to_dict` (the package face documents it)."""
    if not isinstance(event, Event):
        raise InvalidType(f"'event' must be a coachflow event (got {describe(event)})")
    if for_party is None:
        return write_event(event)
    if not isinstance(engagement, Engagement):
        raise InvalidType(
            "'engagement' must be the Engagement the event belongs to, to redact it for "
            f"{for_party!r} (got {describe(engagement)})"
        )
    party = engagement.parties.get(for_party) if isinstance(for_party, str) else None
    if party is None:
        known = ", ".join(sorted(engagement.parties))
        raise InvalidValue(
            f"'for_party' must be a party of engagement {engagement.id!r} ({known}; "
            f"got {for_party!r})"
        )
    return write_event(lens(engagement, party)(event))


def to_json(engagement: Engagement, *, indent: int | None = None) -> str:
    """The engagement as a JSON document; ``from_json(to_json(e)) == e``."""
    return json.dumps(to_dict(engagement), ensure_ascii=False, indent=indent)


def events_from_list(data: object, path: str = "$.events") -> list[Event]:
    """Structure a list of event objects, or raise `InvalidDocument` naming where.

    A list of the usual shape is built directly (`coachflow._documents.loaders`); any
    other goes through the cattrs converter, which loads it or says where each
    problem is.
    """
    if not isinstance(data, list):
        raise InvalidDocument([f"expected a list of events (got {describe(data)}) @ {path}"])
    try:
        return [event(item) for item in data]
    except Exception:
        pass
    try:
        structured = converter.structure(data, list[AnyEvent])
    except (BaseValidationError, ValueError, TypeError) as exc:
        raise InvalidDocument(transform_error(exc, path, _message)) from None
    return list(structured)


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
    extra = sorted(str(key) for key in data if key not in _KEYS and key != "view")
    if extra:
        errors.append(f"extra fields found ({', '.join(extra)}) @ $")
    if data.get("format", FORMAT) != FORMAT:
        errors.append(f"expected {FORMAT!r} (got {data['format']!r}) @ $.format")
    problem = version_problem(data.get("format_version", FORMAT_VERSION))
    if problem:
        errors.append(f"{problem} @ $.format_version")
    events = data.get("events")
    if isinstance(events, list) and len(events) > LIMITS.events:
        errors.append(
            f"a history may hold at most {LIMITS.events} events (coachflow.LIMITS; got "
            f"{len(events)}) @ $.events"
        )
    if not isinstance(data.get("id", ""), str):
        errors.append(f"expected a string (got {describe(data['id'])}) @ $.id")
    view = data.get("view")
    if "view" in data and not isinstance(view, str):
        errors.append(f"expected a party id (got {describe(view)}) @ $.view")
    if view is None and (where := _redacted_at(data.get("events"), "$.events")):
        errors.append(
            f"{REDACTED!r} marks a text hidden from a party or erased: only a view's "
            f"document may hold it @ {where}"
        )
    if errors:
        raise InvalidDocument(errors)
    items = data["events"]
    if isinstance(items, list):
        items = upcast_events(items, data["format_version"])
    with hiding() if view is not None else contextlib.nullcontext():
        events = events_from_list(items)
    if events and isinstance(events[0], Opened) and events[0].engagement_id != data["id"]:
        raise InvalidDocument(
            [f"{data['id']!r} differs from the opening event's {events[0].engagement_id!r} @ $.id"]
        )
    engagement = load_events(events, "$.events", view=view if isinstance(view, str) else None)
    if view is not None and view not in engagement.parties:
        known = ", ".join(sorted(engagement.parties))
        raise InvalidDocument([f"{view!r} is no party of the engagement ({known}) @ $.view"])
    return engagement


def _redacted_at(value: object, path: str) -> str | None:
    """The path of the first text in *value* that is `REDACTED` (None: there is none)."""
    if value == REDACTED:
        return path
    if isinstance(value, dict):
        items: Iterable[tuple[object, object]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _redacted_at(item, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}")
        if found:
            return found
    return None


def load_events(events: list[Event], path: str, *, view: str | None = None) -> Engagement:
    """Replay *events* (as *view*'s view when given), turning a refusal into
    `InvalidDocument` naming the event."""
    try:
        return replay(Engagement, events, view=view)
    except ReplayError as err:
        where = f"{path}[{err.index}]"
        kind = type(err.cause).__name__
        raise InvalidDocument([f"{kind}: {err.cause} @ {where}"]) from err.cause


def from_json(text: str | bytes) -> Engagement:
    """Load a JSON document made by `to_json`; anything malformed raises `InvalidDocument`."""
    if not isinstance(text, str | bytes | bytearray):
        raise InvalidDocument([f"expected JSON text (got {describe(text)}) @ $"])
    most = LIMITS.document_bytes
    size = len(text)  # a str's characters: at most its bytes, and a quarter of them at least
    if isinstance(text, str) and size * 4 > most:
        size = len(text.encode("utf-8", "surrogatepass"))
    if size > most:
        raise InvalidDocument(
            [f"a document may hold at most {most} bytes (coachflow.LIMITS; got {size}) @ $"]
        )
    try:
        return _from_usual_json(text)
    except Exception:
        pass  # not the usual shape, or not loadable: the exact way decides
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidDocument([f"not valid JSON: {exc} @ $"]) from None
    return from_dict(data)
