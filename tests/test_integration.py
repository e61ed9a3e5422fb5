"""Integration points: one event as JSON (whole or for a party), feed items as webhook
payloads."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from builders import contracted
from coachflow import (
    ConcurrencyConflict,
    Engagement,
    InvalidType,
    InvalidValue,
    event_to_dict,
    to_dict,
)
from coachflow.store import MemoryStore
from coachflow.testing import engagements


@settings(max_examples=40, deadline=None)
@given(engagements())
def test_an_event_is_written_as_its_document_writes_it(engagement: Engagement) -> None:
    written = [event_to_dict(event) for event in engagement.events]
    assert written == to_dict(engagement)["events"]


@settings(max_examples=40, deadline=None)
@given(engagements())
def test_an_event_for_a_party_is_what_the_partys_view_holds(engagement: Engagement) -> None:
    for party_id in engagement.parties:
        view = to_dict(engagement.seen_by(party_id))["events"]
        one_by_one = [
            event_to_dict(event, for_party=party_id, engagement=engagement)
            for event in engagement.events
        ]
        assert one_by_one == view, party_id


def test_every_party_of_the_contract_gets_its_own_payload() -> None:
    eng = contracted()  # a former coach, consent withdrawn, a sponsor
    for party_id in eng.parties:
        view = to_dict(eng.seen_by(party_id))["events"]
        assert [event_to_dict(e, for_party=party_id, engagement=eng) for e in eng.events] == view
    note = next(e for e in eng.events if type(e).__name__ == "SessionCorrected")
    assert event_to_dict(note)["session"]["notes"] == "Started late"
    assert event_to_dict(note, for_party="client", engagement=eng)["session"]["notes"] == (
        "[redacted]"
    )


def test_event_to_dict_says_what_it_needs() -> None:
    eng = contracted()
    with pytest.raises(InvalidType, match="must be a coachflow event"):
        event_to_dict(eng)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="'engagement' must be the Engagement"):
        event_to_dict(eng.events[0], for_party="client")
    with pytest.raises(InvalidValue, match="'for_party' must be a party of engagement 'eng-1'"):
        event_to_dict(eng.events[0], for_party="hr", engagement=eng)


def test_a_feed_item_is_a_webhook_payload() -> None:
    store = MemoryStore()
    eng = contracted()
    store.save(eng)
    loaded = store.load(eng.id)
    items = store.feed(after=0, limit=1000)
    payload = items[5].to_dict()
    assert payload == {
        "position": 6,
        "engagement_id": "eng-1",
        "version": 6,
        "kind": "event",
        "event": event_to_dict(eng.events[5]),
    }
    for_sponsor = items[5].to_dict(for_party="sponsor", engagement=loaded)
    assert for_sponsor["event"] == event_to_dict(
        eng.events[5], for_party="sponsor", engagement=eng
    )


def test_an_engagement_from_another_store_is_saved_whole(store: Any) -> None:
    from coachflow.store import MemoryStore

    source = MemoryStore()
    eng = contracted()
    source.save(eng)
    copy = source.load(eng.id)
    assert copy.saved_version == eng.version
    target = store
    assert target.save(copy) == eng.version  # new to this store: its whole history
    assert target.load(eng.id) == eng
    assert [item.version for item in target.feed(limit=1000)] == list(range(1, eng.version + 1))
    with pytest.raises(ConcurrencyConflict, match="already exists"):
        target.save(contracted())  # a fresh copy that was never saved anywhere: a conflict
