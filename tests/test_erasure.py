"""Erasure on request, down to the bytes on disk, and encryption at rest."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from coachflow import REDACTED, ConcurrencyConflict, Phase, from_json, to_json
from coachflow._outputs.demo import demo_engagement
from coachflow.store import MemoryStore, SQLStore, StoreError, UnknownEngagement

Store = Any

SECRETS = (
    "Anna Lind",  # the coach's name
    "Kim Berg",  # the client's name
    "Mia Ek",  # the sponsor's name
    "Lead team meetings with calm and focus",  # a goal
    "hours a week on reports",  # a measure
    "Keep a note of when you hold back",  # homework
    "the coach fell ill",  # a cancellation's reason
    "Lunch with the team",  # the celebration
    "Keep the decision log",  # the action plan
    "Meetings end with owners",  # an attainment comment
    "Mia sees steadier meetings",  # the follow-up's summary
    "the client's office or video",  # practicalities
)
WHEN = dt.datetime(2027, 11, 30, 10, tzinfo=dt.UTC)

ERASED_AT = dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC)  # when a request was met


def test_every_secret_is_in_the_demo() -> None:
    document = to_json(demo_engagement())
    assert [secret for secret in SECRETS if secret not in document] == []


def test_erasure_keeps_the_shape_and_removes_every_personal_text(store: Store) -> None:
    engagement = demo_engagement()
    store.save(engagement)
    record = store.erase(engagement.id, reason="GDPR art. 17, request 42", at=WHEN)
    loaded = store.load(engagement.id)
    # phases, dates, durations, modes, scores and counts stay, so reports still count it
    assert loaded.phase is Phase.COMPLETED
    assert [s.held_at for s in loaded.sessions] == [s.held_at for s in engagement.sessions]
    assert [s.minutes for s in loaded.sessions] == [s.minutes for s in engagement.sessions]
    assert loaded.allocation == engagement.allocation
    assert loaded.end == engagement.end
    assert [f.code for f in loaded.check(dt.date(2027, 8, 23))] == [
        f.code for f in engagement.check(dt.date(2027, 8, 23))
    ]
    assert loaded.coach.name == loaded.client.name == REDACTED
    document = to_json(loaded)
    for secret in SECRETS:
        assert secret not in document, secret
    # recorded: when, why, what kind of data; never the data
    assert record.engagement_id == engagement.id
    assert record.erased_at == WHEN
    assert {"Party.name", "Goal.statement", "Assignment.description", "ActionPlan.steps"} <= set(
        record.what
    )
    assert store.erasures() == [record]
    assert store.erasures(engagement.id) == [record]
    assert store.erasures("other") == []
    assert not any(secret in repr(record) for secret in SECRETS)


def test_erasing_by_party_erases_each_engagement_it_is_in(store: Store) -> None:
    first = demo_engagement()
    store.save(first)
    other = from_json(to_json(first).replace("eng-2027-001", "eng-2027-002"))
    store.save(other)
    records = store.erase_party("client-kim", reason="request 7", at=WHEN)
    assert [r.engagement_id for r in records] == ["eng-2027-001", "eng-2027-002"]
    assert store.load("eng-2027-002").client.name == REDACTED
    assert store.erase_party("nobody", reason="request 8", at=ERASED_AT) == []


def test_a_second_erasure_records_nothing_left_to_erase(store: Store) -> None:
    engagement = demo_engagement()
    store.save(engagement)
    first = store.erase(engagement.id, reason="request 1", at=WHEN)
    again = store.erase(engagement.id, reason="request 2", at=WHEN)
    assert "Party.name" in first.what
    assert again.what == ()  # every personal text already reads REDACTED


def test_an_unknown_engagement_and_a_blank_reason(store: Store) -> None:
    with pytest.raises(UnknownEngagement):
        store.erase("missing", reason="request 9", at=ERASED_AT)
    store.save(demo_engagement())
    with pytest.raises(ValueError, match="'reason' must be a non-blank text"):
        store.erase("eng-2027-001", reason=" ", at=ERASED_AT)
    with pytest.raises(ValueError, match="'at' must be a timezone-aware datetime"):
        store.erase("eng-2027-001", reason="r", at=dt.datetime(2027, 1, 1))
    with pytest.raises(TypeError, match="'party_id' must be a party's id"):
        store.erase_party(5, reason="r", at=ERASED_AT)
    assert store.erasures() == []  # a refused erasure records nothing


def test_a_copy_loaded_before_the_erasure_cannot_be_saved(store: Store) -> None:
    store.save(demo_engagement())
    stale = store.load("eng-2027-001")
    store.erase("eng-2027-001", reason="request 10", at=WHEN)
    with pytest.raises(ConcurrencyConflict) as caught:
        store.save(stale)  # nothing new: still refused, it holds what was erased
    assert "erased since it was loaded" in "".join(caught.value.__notes__)
    fresh = store.load("eng-2027-001")
    assert store.save(fresh) == fresh.version  # a copy loaded after the erasure saves


# -- what is whose: erasing one party -------------------------------------------------------

NAMES = {"coach-anna": "Anna Lind", "client-kim": "Kim Berg", "manager-mia": "Mia Ek"}


@pytest.mark.parametrize("party", sorted(NAMES))
def test_erasing_a_party_takes_what_is_theirs_alone(store: Store, party: str) -> None:
    engagement = demo_engagement()
    store.save(engagement)
    (record,) = store.erase_party(party, reason="request 11", at=WHEN)
    loaded = store.load(engagement.id)
    document = to_json(loaded)
    assert NAMES[party] not in document
    for other, name in NAMES.items():  # the other parties keep their names
        if other != party:
            assert name in document, (party, other)
    client_texts = [s for s in SECRETS if s not in NAMES.values()]
    if party == "client-kim":  # the goals, notes, homework and plan are about the client
        assert not any(text in document for text in client_texts)
        assert {"Goal.statement", "Assignment.description", "ActionPlan.steps"} <= set(record.what)
    else:  # a coach's or a sponsor's name only; the client's texts stay
        assert [text for text in client_texts if text not in document] == []
        assert record.what == ("Party.name",)
    assert (record.party_id, record.version) == (party, engagement.version)
    assert store.erasures(engagement.id) == [record]


def test_an_erasure_is_fed_to_the_readers_with_the_kinds_of_data_never_the_data(
    store: Store,
) -> None:
    engagement = demo_engagement()
    store.save(engagement)
    seen: list[Any] = []
    assert store.follow("webhook", seen.append, limit=1000) == engagement.version
    record = store.erase(engagement.id, reason="request 12", at=WHEN)
    assert store.follow("webhook", seen.append) == 1
    erased = seen[-1]
    assert (erased.kind, erased.event, erased.engagement_id) == ("erased", None, engagement.id)
    assert erased.position == engagement.version + 1 and erased.version == engagement.version
    assert erased.what == record.what
    payload = erased.to_dict()
    assert payload["kind"] == "erased" and payload["event"] is None
    assert payload["what"] == list(record.what)
    assert not any(secret in repr(payload) for secret in SECRETS)
    assert record.reason not in repr(payload)  # the request's reference stays in the store
    # the events the feed gives now are the erased ones; new events continue after it
    assert all(item.kind == "event" for item in seen[:-1])
    assert not any(secret in to_json(store.load(engagement.id)) for secret in SECRETS)
    again = store.load(engagement.id)
    _go_on(again)
    store.save(again)
    (last,) = store.feed(after=erased.position)
    assert (last.kind, last.position, last.version) == (
        "event",
        erased.position + 1,
        again.version,
    )


def _go_on(engagement: Any) -> None:
    """One more event on the (completed) demo engagement: a session voided."""
    engagement.void_session(
        engagement.sessions[0].held_at,
        reason="recorded twice",
        at=engagement.events[-1].at,
        by="coach-anna",
    )


def test_a_feed_page_holds_erasures_in_their_place(store: Store) -> None:
    first = demo_engagement()
    store.save(first)
    store.erase(first.id, reason="request 13", at=WHEN)
    second = from_json(to_json(demo_engagement()).replace("eng-2027-001", "eng-2027-002"))
    store.save(second)
    every = store.feed(after=0, limit=100_000)
    assert [i.position for i in every] == list(range(1, len(every) + 1))
    assert [i.kind for i in every].count("erased") == 1
    paged: list[Any] = []
    while page := store.feed(after=paged[-1].position if paged else 0, limit=7):
        paged += page
    assert paged == every


def test_after_a_sponsors_erasure_the_engagement_goes_on(store: Store) -> None:
    store.save(demo_engagement())
    stale = store.load("eng-2027-001")
    store.erase_party("manager-mia", reason="request 14", at=WHEN)
    with pytest.raises(ConcurrencyConflict):
        store.save(stale)  # it still holds the sponsor's name
    fresh = store.load("eng-2027-001")
    _go_on(fresh)
    assert store.save(fresh) == fresh.version  # and once more, after another erasure
    store.erase_party("coach-anna", reason="request 15", at=WHEN)
    again = store.load("eng-2027-001")
    assert store.save(again) == again.version


def _raw_bytes(path: Path) -> bytes:
    found = b""
    for suffix in ("", "-wal", "-journal"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            found += part.read_bytes()
    return found


def test_on_sqlite_no_personal_byte_survives_in_the_file_or_its_log(tmp_path: Path) -> None:
    path = tmp_path / "coaching.db"
    with contextlib.closing(SQLStore(path)) as store:
        store.save(demo_engagement())
        before = _raw_bytes(path)
        assert all(secret.encode() in before for secret in SECRETS[:5])  # the test can fail
        store.erase("eng-2027-001", reason="request 11", at=ERASED_AT)
        after = _raw_bytes(path)
        for secret in SECRETS:
            assert secret.encode() not in after, secret
        assert store.load("eng-2027-001").phase is Phase.COMPLETED


def test_on_postgres_no_row_holds_personal_text(postgres_url: str) -> None:
    from conftest import _fresh_postgres

    with contextlib.closing(SQLStore(_fresh_postgres(postgres_url))) as store:
        store.save(demo_engagement())
        store.erase("eng-2027-001", reason="request 12", at=ERASED_AT)
        with store.engine.connect() as connection:
            rows = connection.execute(text("SELECT body FROM coachflow_events")).scalars().all()
            every = " ".join(rows)
            summaries = str(connection.execute(text("SELECT * FROM coachflow_engagements")).all())
            erasures = str(connection.execute(text("SELECT * FROM coachflow_erasures")).all())
        for secret in SECRETS:
            assert secret not in every and secret not in summaries and secret not in erasures


def test_an_erasure_racing_a_save_leaves_nothing_personal(store_url: str) -> None:
    from builders import START, active, at, session

    store = MemoryStore() if store_url == "memory" else SQLStore(store_url)
    try:
        for round_ in range(6):
            engagement = active()
            engagement = from_json(to_json(engagement).replace('"eng-1"', f'"race-{round_}"'))
            store.save(engagement)
            copy = store.load(engagement.id)
            copy.record_session(
                session(START, notes="Kim Berg moved house"), at=at(START, 12), by="coach"
            )
            outcome: list[object] = []

            def save(copy: Any = copy, outcome: list[object] = outcome) -> None:
                try:
                    outcome.append(store.save(copy))
                except ConcurrencyConflict as conflict:
                    outcome.append(conflict)

            threads = [
                threading.Thread(target=save),
                threading.Thread(
                    target=store.erase,
                    args=(engagement.id,),
                    kwargs={"reason": "r", "at": ERASED_AT},
                ),
            ]
            for thread in threads[:: 1 if round_ % 2 else -1]:
                thread.start()
            for thread in threads:
                thread.join()
            # either the save came first and the erasure covered it, or the save conflicted
            document = to_json(store.load(engagement.id))
            for secret in ("Kim Berg", "Anna Lind", "moved house", "Lead calm meetings"):
                assert secret not in document
            assert len(outcome) == 1 and isinstance(outcome[0], int | ConcurrencyConflict)
    finally:
        if isinstance(store, SQLStore):
            store.close()


# -- encryption at rest ----------------------------------------------------------------------


def test_with_a_key_the_file_holds_no_plain_personal_text(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "sealed.db"
    with contextlib.closing(SQLStore(path, key=key)) as store:
        store.save(demo_engagement())
    for secret in SECRETS:
        assert secret.encode() not in _raw_bytes(path), secret
    with contextlib.closing(SQLStore(path, key=key)) as store:
        assert store.load("eng-2027-001") == demo_engagement()
        store.erase("eng-2027-001", reason="request 14", at=ERASED_AT)  # erasure works sealed too
        assert store.load("eng-2027-001").client.name == REDACTED


def test_a_wrong_key_or_none_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "sealed.db"
    with contextlib.closing(SQLStore(path, key=os.urandom(32))) as store:
        store.save(demo_engagement())
    with pytest.raises(StoreError, match="this key does not open the store"):
        SQLStore(path, key=os.urandom(32))  # fails closed: at once, before any row
    with pytest.raises(StoreError, match="the store is sealed: open it with its key"):
        SQLStore(path)


@pytest.mark.parametrize(("key", "says"), [(b"short", "got 5 bytes"), ("x" * 32, "got str")])
def test_a_key_is_32_bytes(key: object, says: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"'key' must be 32 random bytes.*{says}"):
        SQLStore(tmp_path / "k.db", key=key)  # type: ignore[arg-type]


def test_a_sealed_row_moved_elsewhere_does_not_open(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "sealed.db"
    with contextlib.closing(SQLStore(path, key=key)) as store:
        store.save(demo_engagement())
        with store.engine.begin() as connection:  # swap two rows' texts
            one, two = connection.execute(
                text("SELECT body FROM coachflow_events WHERE version IN (1, 2) ORDER BY version")
            ).scalars()
            connection.execute(text("UPDATE coachflow_events SET body = :b WHERE version = 1"), {"b": two})  # fmt: skip
            connection.execute(text("UPDATE coachflow_events SET body = :b WHERE version = 2"), {"b": one})  # fmt: skip
        with pytest.raises(StoreError, match="version 1 does not open"):
            store.load("eng-2027-001")


def test_a_sealed_row_moved_to_another_engagement_at_its_version_does_not_open(
    tmp_path: Path,
) -> None:
    key = os.urandom(32)
    path = tmp_path / "sealed.db"
    with contextlib.closing(SQLStore(path, key=key)) as store:
        first = demo_engagement()
        store.save(first)
        second = from_json(to_json(first).replace('"eng-2027-001"', '"eng-2027-002"'))
        store.save(second)
        with store.engine.begin() as connection:  # the same version, the other engagement
            body = connection.execute(
                text(
                    "SELECT body FROM coachflow_events WHERE engagement_id = 'eng-2027-001' AND version = 5"
                )
            ).scalar_one()
            connection.execute(
                text(
                    "UPDATE coachflow_events SET body = :b WHERE engagement_id = 'eng-2027-002' AND version = 5"
                ),
                {"b": body},
            )
        with pytest.raises(StoreError, match="'eng-2027-002' version 5 does not open"):
            store.load("eng-2027-002")
