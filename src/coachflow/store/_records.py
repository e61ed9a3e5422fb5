"""What stores keep and give out besides engagements: rows, summaries, feed items and
the records of erasures."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import attrs

from coachflow._documents import event_to_dict
from coachflow._documents.upcast import FORMAT_VERSION
from coachflow._engagement import Engagement
from coachflow._values.enums import Phase, Role
from coachflow._values.events import Event
from coachflow._values.failures import InvalidValue

__all__ = [
    "FEED_KINDS",
    "MAX_POSITION",
    "Erasure",
    "FeedItem",
    "StoredEvent",
    "Summary",
    "check_feed",
]


@attrs.frozen
class Erasure:
    """The record of one erasure: when, why, and what kind of data, never the data.

    ``what`` names the personal fields whose texts were erased (``"Session.notes"``,
    ``"Party.name"``, ...), from their `Visibility` declarations.
    """

    engagement_id: str
    erased_at: dt.datetime
    reason: str
    what: tuple[str, ...]
    version: int = 0
    """The engagement's version when it was erased (0 in records of schema 6 and before)."""
    party_id: str | None = None
    """The party erased (`EventStore.erase_party`); None when the whole engagement was."""
    position: int | None = None
    """Its feed position (None in records of schema 6 and before, which were not fed)."""


@attrs.frozen
class Copied:
    """One engagement as a copy between stores carries it: its rows as plain text, each
    row's feed position, its summary and the parties it ever had."""

    engagement_id: str
    rows: list[StoredEvent]
    positions: list[int]
    summary: Summary
    parties: list[tuple[str, Role]]


class StoredEvent(NamedTuple):
    """One stored row: an event's version, its JSON text (sealed, in a store with a key),
    the document format version the text is in (older rows are upcast when loaded,
    never rewritten), and the event's type and time (kept apart from the text, so a
    sealed row still says what and when). A named tuple: a save makes one per event,
    and a load one per row."""

    version: int
    body: str
    format_version: int = FORMAT_VERSION
    type: str = ""
    at: str = ""


@attrs.frozen
class Summary:
    """What a store keeps beside the events, so hosts can list without loading:
    the phase, the dates, what is due next, the parties, the last session.

    It is a projection of the events, written in the same transaction as they are.
    """

    engagement_id: str
    version: int
    phase: Phase
    start: dt.date | None
    end: dt.date | None
    next_due: dt.date | None
    coach_id: str | None = None
    client_id: str | None = None
    sponsor_id: str | None = None
    last_session: dt.date | None = None
    """The day of the last session held (in the engagement's zone), if any."""

    @classmethod
    def of(cls, engagement: Engagement) -> Summary:
        """Summarise *engagement*; ``next_due`` is as of the day of its last event."""
        today = engagement.day_of(engagement.events[-1].at)
        actions = engagement.next_actions(today)
        sessions = engagement.sessions
        sponsor = engagement.sponsor
        return cls(
            engagement.id,
            engagement.version,
            engagement.phase,
            engagement.start,
            engagement.end,
            actions[0].due if actions else None,
            engagement.coach.id,
            engagement.client.id,
            sponsor.id if sponsor is not None else None,
            engagement.day_of(sessions[-1].held_at) if sessions else None,
        )

    def matches(
        self,
        *,
        phase: Phase | None = None,
        coach: str | None = None,
        client: str | None = None,
        sponsor: str | None = None,
        due_by: dt.date | None = None,
    ) -> bool:
        """Whether this summary passes every filter given."""
        return (
            (phase is None or self.phase is phase)
            and (coach is None or self.coach_id == coach)
            and (client is None or self.client_id == client)
            and (sponsor is None or self.sponsor_id == sponsor)
            and (due_by is None or (self.next_due is not None and self.next_due <= due_by))
        )


FEED_KINDS = ("event", "erased")
"""The kinds of feed items: a stored event, or an erasure readers must act on."""


@attrs.frozen
class FeedItem:
    """One item of the feed: its position in the store (strictly increasing, never
    reused), its engagement and that engagement's version, and what happened.

    ``kind`` is ``"event"`` (a stored event: ``event``) or ``"erased"`` (the engagement,
    or a party of it, was erased up to ``version``: ``event`` is None and ``what`` names
    the kinds of data erased, never the data). A reader that kept anything of the
    engagement must forget it then: load the engagement again, or drop it.
    """

    position: int
    engagement_id: str
    version: int
    event: Event | None
    kind: str = "event"
    what: tuple[str, ...] = ()

    def to_dict(
        self, *, for_party: str | None = None, engagement: Engagement | None = None
    ) -> dict[str, Any]:
        """The item as a webhook payload: ``{"position", "engagement_id", "version",
        "kind", "event"}``, the event as `coachflow.event_to_dict` writes it (for
        *for_party*, as that party may see it: pass the *engagement*, loaded from the
        store); an erasure's ``"event"`` is null and ``"what"`` lists the kinds of
        data erased."""
        document: dict[str, Any] = {
            "position": self.position,
            "engagement_id": self.engagement_id,
            "version": self.version,
            "kind": self.kind,
            "event": None,
        }
        if self.event is None:
            document["what"] = list(self.what)
        else:
            document["event"] = event_to_dict(
                self.event, for_party=for_party, engagement=engagement
            )
        return document


#: The largest feed position (a signed 64-bit integer, as the SQL stores keep it).
MAX_POSITION = 2**63 - 1


def check_feed(after: object, limit: object) -> tuple[int, int]:
    """*after* and *limit* of `EventStore.feed`, or a clear error."""
    if type(after) is not int or not 0 <= after <= MAX_POSITION:
        raise InvalidValue(
            f"'after' must be a position, an int in 0..{MAX_POSITION} (got {after!r})"
        )
    if type(limit) is not int or not 1 <= limit <= 100_000:
        raise InvalidValue(f"'limit' must be an int in 1..100000 (got {limit!r})")
    return after, limit
