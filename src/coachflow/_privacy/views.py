"""Who sees what: views of an engagement, erasure, all read from the fields' declarations.

Each personal text field of a value or event class declares its `Visibility` in its
attrs metadata (`visible_to`); fields that are not personal (ids, zones, rules) say
`NOT_PERSONAL`. This module walks the classes by those declarations alone, so a new
personal field is covered by views and erasure the moment it declares who may see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from coachflow._engine.contract import Contract
from coachflow._values.enums import Role, Visibility
from coachflow._values.events import Closed, Event
from coachflow._values.model import Party
from coachflow._values.redaction import REDACTED, hiding

__all__ = [
    "REDACTED",
    "Seer",
    "erased",
    "erased_for",
    "erased_kinds",
    "lens",
    "redacted",
    "seer",
    "views_of",
]


Seer = Callable[[Visibility, str | None], bool]
"""``seer(visibility, consent)``: whether a viewer may see a field so declared."""


def seer(role: Role, consents: Iterable[str]) -> Seer:
    """Who a party of *role* is: the coach sees everything, the client what is theirs,
    the sponsor what every party sees and what the client consented to show."""
    given = frozenset(consents)

    def sees(visibility: Visibility, consent: str | None) -> bool:
        if role is Role.COACH or visibility is Visibility.SPONSOR:
            return True
        if role is Role.CLIENT:
            return visibility is Visibility.CLIENT
        return consent is not None and consent in given and visibility is Visibility.CLIENT

    return sees


def _nobody(visibility: Visibility, consent: str | None) -> bool:
    return False


def _hidden(value: object) -> object:
    if isinstance(value, str):
        return REDACTED if value else value
    if isinstance(value, tuple):
        return tuple(REDACTED if item else item for item in value)
    return value  # pragma: no cover - personal fields are texts or tuples of texts


Hide = Callable[[object, "attrs.Attribute[Any]"], bool]
"""``hide(owner, field)``: whether the text of *field* (a personal field of the value
*owner*) is to read `REDACTED`."""


def _rewritten(value: Any, hide: Hide) -> Any:
    """*value* with the text of every personal field *hide* names replaced by `REDACTED`,
    recursively; the same object when nothing changes."""
    with hiding():
        return _rewrite(value, hide)


def _rewrite(value: Any, hide: Hide) -> Any:
    if not attrs.has(type(value)):
        if isinstance(value, tuple):
            items = tuple(_rewrite(item, hide) for item in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        return value
    changes: dict[str, object] = {}
    for field in attrs.fields(type(value)):
        current = getattr(value, field.name)
        if isinstance(field.metadata.get("visibility"), Visibility):
            if hide(value, field):
                hidden = _hidden(current)
                if hidden != current:
                    changes[field.name] = hidden
        elif attrs.has(type(current)) or isinstance(current, tuple):
            inner = _rewrite(current, hide)
            if inner is not current:
                changes[field.name] = inner
    return attrs.evolve(value, **changes) if changes else value


def redacted(value: Any, sees: Seer) -> Any:
    """*value* (a value or an event) with every text *sees* may not see replaced by
    `REDACTED`, recursively; the same object when nothing changes."""
    return _rewritten(
        value,
        lambda owner, field: not sees(field.metadata["visibility"], field.metadata.get("consent")),
    )


def erased(events: Iterable[Event]) -> list[Event]:
    """*events* with every personal text replaced by `REDACTED` (the parties' names
    included): what erasure keeps. Phases, dates, durations, modes, scores and ids stay."""
    return [redacted(event, _nobody) for event in events]


def _name_of(owner: object, field: attrs.Attribute[Any], party_id: str) -> bool:
    return isinstance(owner, Party) and field.name == "name" and owner.id == party_id


def erased_for(events: Iterable[Event], party_id: str, role: Role) -> list[Event]:
    """*events* as erasing the party *party_id* (of *role* in them) leaves them: what is
    that party's, as `REDACTED`.

    The client's: every personal text of the engagement but the other parties' names
    (the goals, notes, homework, comments, the action plan are about the client). A
    coach's or a sponsor's: their name (a coach's notes are about the client and stay
    until the client is erased).
    """

    def hide(owner: object, field: attrs.Attribute[Any]) -> bool:
        if role is Role.CLIENT:
            return not (isinstance(owner, Party) and field.name == "name") or _name_of(
                owner, field, party_id
            )
        return _name_of(owner, field, party_id)

    return [_rewritten(event, hide) for event in events]


def erased_kinds(events: Iterable[Event], after: Iterable[Event] | None = None) -> tuple[str, ...]:
    """The personal fields (``"Class.field"``) that hold any text in *events*: what an
    erasure of them removes, sorted. With *after* (the same events after an erasure):
    the fields whose text it removed."""
    found: set[str] = set()

    def walk(value: Any, then: Any) -> None:
        if isinstance(value, tuple):
            for item, later in zip(value, then, strict=True):
                walk(item, later)
            return
        if not attrs.has(type(value)):
            return
        for field in attrs.fields(type(value)):
            current, later = getattr(value, field.name), getattr(then, field.name)
            if isinstance(field.metadata.get("visibility"), Visibility):
                texts = current if isinstance(current, tuple) else (current,)
                if current != later and any(text and text != REDACTED for text in texts):
                    found.add(f"{type(value).__name__}.{field.name}")
            else:
                walk(current, later)

    events = list(events)
    gone = erased(events) if after is None else list(after)
    for event, later in zip(events, gone, strict=True):
        walk(event, later)
    return tuple(sorted(found))


def _unscored(event: Event) -> Event:
    if isinstance(event, Closed) and event.attainment:
        with hiding():
            return attrs.evolve(event, attainment=())
    return event


def lens(engagement: Contract, party: Party) -> Callable[[Event], Event]:
    """What *party* may see of each event of *engagement*: the one place that decides it
    (`views_of`, a view's document and `event_to_dict(for_party=)` all ask it).

    The coach in charge: everything. The client and the sponsor: each text by `seer`,
    the sponsor's by the consent in force now (`Contract.consent`), and without scores
    unless ``"attainment"`` is in it. A former coach: what a coach saw, for the events
    before the handover; after it, what the sponsor sees without consent.
    """
    if party.role is Role.COACH:
        left = engagement.former_coaches.get(party.id)
        if left is None:
            return _as_it_is
        before, after = seer(Role.COACH, ()), seer(Role.SPONSOR, ())
        return lambda event: (
            redacted(event, before) if event.at < left else _unscored(redacted(event, after))
        )
    consent = engagement.consent
    sees = seer(party.role, consent)
    if party.role is Role.SPONSOR and "attainment" not in consent:
        return lambda event: _unscored(redacted(event, sees))
    return lambda event: redacted(event, sees)


def _as_it_is(event: Event) -> Event:
    return event


def views_of(engagement: Contract, party: Party) -> list[Event]:
    """The history as *party* may see it (see `lens`)."""
    see = lens(engagement, party)
    return [see(event) for event in engagement.events]
