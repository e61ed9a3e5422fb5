"""A short, readable history of an engagement: what a failing property prints."""

from __future__ import annotations

import re
from typing import Any

from coachflow._documents.documents import event_to_dict
from coachflow._engagement import Engagement
from coachflow._values.failures import InvalidType
from coachflow._values.validation import describe

__all__ = ["History", "history"]

#: The fields of a nested value (a session, a booking, a party) worth a line's room.
_BRIEF = ("id", "held_at", "starts_at", "minutes", "mode", "name", "start", "sessions")
_WIDTH = 48


def history(engagement: Engagement) -> str:
    """*engagement*'s events, one line each: the time in the engagement's zone, what
    happened, who did it, and the gist of the rest (a session's time, length and mode,
    a booking's id, a reason). `engagements()` and `EngagementMachine` `note()` it, so
    that a failing property prints the history it failed on."""
    if not isinstance(engagement, Engagement):
        raise InvalidType(f"'engagement' must be an Engagement (got {describe(engagement)})")
    zone = engagement.time_zone
    events = engagement.events
    lines = [
        f"{engagement.id}: {engagement.phase.value}, {len(events)} events"
        + (f", in {zone.key}" if zone is not None else "")
    ]
    for event in events:
        at = event.at.astimezone(zone) if zone is not None else event.at
        kind = re.sub(r"(?<!^)(?=[A-Z])", " ", type(event).__name__).lower()
        gist = _gist(event_to_dict(event))
        lines.append(f"  {at:%Y-%m-%d %H:%M}  {kind:<26} by {event.by:<10} {gist}".rstrip())
    return "\n".join(lines)


def _gist(data: dict[str, Any]) -> str:
    parts = []
    for key, value in data.items():
        if key in ("type", "at", "by") or value in (None, "", [], {}):
            continue
        if isinstance(value, dict):
            inner = " ".join(str(value[k]) for k in _BRIEF if value.get(k) not in (None, ""))
            parts.append(f"{key}: {inner}" if inner else key)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            parts.append(f"{key}: {', '.join(value)}")
        elif isinstance(value, list):
            parts.append(f"{key}: {len(value)}")
        else:
            text = str(value)
            parts.append(f"{key}: {text[:_WIDTH] + '...' if len(text) > _WIDTH else text}")
    return "; ".join(parts)


class History:
    """An engagement's `history`, written only when shown: what `note()` is given, so
    that a passing example costs nothing."""

    def __init__(self, engagement: Engagement) -> None:
        self.engagement = engagement

    def __repr__(self) -> str:
        return history(self.engagement)
