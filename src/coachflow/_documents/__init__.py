"""Documents: an engagement as JSON and back, the JSON Schema, and upcasting.

This package's face holds the public functions, which import the machinery
(cattrs, the generated loaders and writers) on first use, so that ``import
coachflow`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coachflow._engagement import Engagement
    from coachflow._values.events import Event

__all__ = ["document_schema", "event_to_dict", "from_dict", "from_json", "to_dict", "to_json"]


def event_to_dict(
    event: Event, *, for_party: str | None = None, engagement: Engagement | None = None
) -> dict[str, Any]:
    """One event as the JSON object a document holds for it (its ``"type"`` first): what a
    webhook sends, and what `from_dict` reads back in a document's ``"events"``.

    With *for_party*, the event as that party may see it (`Engagement.seen_by` decides,
    by the party's role, the client's consent in force now, and a coach's handover):
    pass the *engagement* the event belongs to, as it stands now. Without *for_party*
    the event is whole: send that only to whom may see everything. A *for_party* without
    the engagement is a `TypeError`; an id that is no party's a `ValueError`.
    """
    from coachflow._documents import documents

    return documents.event_to_dict(event, for_party=for_party, engagement=engagement)


def to_dict(engagement: Engagement) -> dict[str, Any]:
    """The engagement as a document of plain JSON types.

    ``{"format": "coachflow.engagement", "format_version": FORMAT_VERSION, "id": ...,
    "events": [...]}``; each event is an object whose ``"type"`` is its class name in
    snake_case; datetimes and dates in ISO 8601 (with offset), enums by value,
    tuples and sets as lists.
    """
    from coachflow._documents import documents

    return documents.to_dict(engagement)


def to_json(engagement: Engagement, *, indent: int | None = None) -> str:
    """The engagement as a JSON document (see `to_dict`); ``from_json(to_json(e)) == e``."""
    from coachflow._documents import documents

    return documents.to_json(engagement, indent=indent)


def from_dict(data: object) -> Engagement:
    """Load a document made by `to_dict`; anything malformed raises `InvalidDocument`.

    Loading is strict (no coercion, no unknown keys or event types) and replays
    the history through the engine, so an impossible history (a session before
    the agreement, a closing without a required midpoint review, ...) is refused
    with the error the offending command would have raised. `InvalidDocument.errors`
    name where, e.g. ``"required field missing @ $.events[3].at"``.
    """
    from coachflow._documents import documents

    return documents.from_dict(data)


def from_json(text: str | bytes) -> Engagement:
    """Load a JSON document made by `to_json`; anything malformed, broken JSON
    included, raises `InvalidDocument` (see `from_dict`)."""
    from coachflow._documents import documents

    return documents.from_json(text)


def document_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the documents `to_dict` writes, derived from
    the value and event classes: every document `to_dict` makes validates against it.
    What only a history can say (what may follow what) is for `from_dict`, which replays.
    ``coachflow schema`` prints it."""
    from coachflow._documents import schema

    return schema.document_schema()
