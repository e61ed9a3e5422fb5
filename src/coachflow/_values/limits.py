"""How much coachflow takes in: `LIMITS`, far beyond any real engagement, so that a
document or a history made to exhaust memory is refused before it is built."""

from __future__ import annotations

import attrs

__all__ = ["LIMITS", "Limits"]


@attrs.frozen(weakref_slot=False)
class Limits:
    """The most coachflow takes in (see `LIMITS`)."""

    events: int = 10_000
    """Events in one engagement's history. A 36-month series with a session every
    weekday, each booked first, stays under 2,500."""
    document_bytes: int = 32 * 1024 * 1024
    """Bytes of one JSON document (32 MiB), checked before it is parsed."""
    text: int = 100_000
    """Characters in one text: a name, a goal, a note (some fifty pages)."""


LIMITS = Limits()
"""The limits in force: a longer history, a larger document or a longer text is refused
with a clear error (`InvalidValue`; `InvalidDocument` when loading) before it is built, so
a document from an untrusted party cannot exhaust memory."""
