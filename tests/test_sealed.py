"""A sealed store fails closed and finds tampering: on SQLite and PostgreSQL alike."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from builders import START, active, at, session
from coachflow import Engagement, from_json, to_json
from coachflow._outputs.demo import demo_engagement
from coachflow.store import MemoryStore, SQLStore, StoreError

KEY, OTHER = os.urandom(32), os.urandom(32)
WHEN = dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC)


def _engagement(engagement_id: str, notes: str = "Kim Berg moved house") -> Engagement:
    engagement = from_json(to_json(active()).replace('"eng-1"', f'"{engagement_id}"'))
    engagement.record_session(session(START, notes=notes), at=at(START, 12), by="coach")
    return engagement


@pytest.fixture
def url(sql_url: str) -> str:
    return sql_url


@contextlib.contextmanager
def opened(url: str, key: bytes | None = KEY) -> Iterator[SQLStore]:
    with contextlib.closing(SQLStore(url, key=key)) as store:
        yield store


def _sql(url: str, statement: str, **values: object) -> list[tuple[object, ...]]:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), values)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


# -- fail closed ---------------------------------------------------------------------------


def test_a_sealed_store_opens_only_with_its_key(url: str) -> None:
    with opened(url) as store:
        store.save(_engagement("e1"))
    with pytest.raises(StoreError, match="the store is sealed: open it with its key"):
        SQLStore(url)
    with pytest.raises(StoreError, match="this key does not open the store"):
        SQLStore(url, key=OTHER)
    with opened(url) as store:
        assert store.load("e1").sessions[0].notes == "Kim Berg moved house"
        rows = _sql(url, "SELECT body FROM coachflow_events")
        assert all(str(body).startswith("aead2:") for (body,) in rows)
        assert not any("Kim Berg" in str(body) for (body,) in rows)


@pytest.mark.parametrize("key", [bytes(32), b"\xff" * 32, b"short", "x" * 32])
def test_a_key_that_is_no_secret_is_refused(tmp_path: Path, key: object) -> None:
    with pytest.raises((ValueError, TypeError), match="'key' must be 32 random bytes"):
        SQLStore(tmp_path / "k.db", key=key)  # type: ignore[arg-type]


def test_a_store_with_plain_rows_is_not_sealed_by_opening_it_with_a_key(url: str) -> None:
    with opened(url, key=None) as store:
        store.save(_engagement("e1"))
    with pytest.raises(StoreError, match=r"seal it with store\.rekey"):
        SQLStore(url, key=KEY)
    with opened(url, key=None) as store:  # nothing changed
        assert store.load("e1").version == _engagement("e1").version


# -- tampering -------------------------------------------------------------------------------


def _stored(url: str) -> int:
    """Two engagements in a sealed store; the first one's version."""
    with opened(url) as store:
        engagement = _engagement("e1")
        store.save(engagement)
        store.save(_engagement("e2", "Other notes"))
        return engagement.version


def _fails(url: str, match: str) -> None:
    with opened(url) as store, pytest.raises(StoreError, match=match):
        store.load("e1")


def test_a_plain_row_in_a_sealed_store_is_refused(url: str) -> None:
    _stored(url)
    plain = to_json(_engagement("e1"))  # any plain text
    _sql(
        url,
        "UPDATE coachflow_events SET body = :b WHERE version = 2 AND engagement_id = 'e1'",
        b=plain,
    )
    _fails(url, "has no seal, in a sealed store")


def test_deleting_the_last_row_is_found(url: str) -> None:
    version = _stored(url)
    _sql(url, f"DELETE FROM coachflow_events WHERE engagement_id = 'e1' AND version = {version}")
    _sql(
        url, f"UPDATE coachflow_engagements SET version = {version - 1} WHERE engagement_id = 'e1'"
    )
    _fails(url, "rows were deleted from its end")


def test_reordering_rows_is_found(url: str) -> None:
    _stored(url)
    found = _sql(url, "SELECT version, body FROM coachflow_events WHERE engagement_id = 'e1'")
    rows = {row[0]: row[1] for row in found}
    _sql(
        url,
        "UPDATE coachflow_events SET body = :b WHERE engagement_id = 'e1' AND version = 2",
        b=rows[3],
    )
    _sql(
        url,
        "UPDATE coachflow_events SET body = :b WHERE engagement_id = 'e1' AND version = 3",
        b=rows[2],
    )
    _fails(url, "does not open with this key|does not follow the row before it")


def test_a_row_of_another_engagement_is_found(url: str) -> None:
    _stored(url)
    (other,) = _sql(
        url, "SELECT body FROM coachflow_events WHERE engagement_id = 'e2' AND version = 3"
    )
    _sql(
        url,
        "UPDATE coachflow_events SET body = :b WHERE engagement_id = 'e1' AND version = 3",
        b=other[0],
    )
    _fails(url, "does not open with this key")


def test_an_older_ciphertext_restored_after_an_erasure_is_found(url: str) -> None:
    _stored(url)
    before = _sql(url, "SELECT version, body FROM coachflow_events WHERE engagement_id = 'e1'")
    (head,) = _sql(url, "SELECT head FROM coachflow_seals WHERE engagement_id = 'e1'")
    with opened(url) as store:
        store.erase("e1", reason="request 1", at=WHEN)
        assert store.load("e1").sessions[0].notes == "[redacted]"
    for version, body in before:  # the whole chain as it was before the erasure
        _sql(
            url,
            "UPDATE coachflow_events SET body = :b WHERE engagement_id = 'e1' AND version = :v",
            b=body,
            v=version,
        )
    _fails(url, "restored from another time|its head")
    _sql(url, "UPDATE coachflow_seals SET head = :h WHERE engagement_id = 'e1'", h=head[0])
    _fails(url, "not the history its last erasure left")  # head restored too: the erasure tells
    with opened(url) as store:
        assert [e.engagement_id for e in store.erasures()] == ["e1"]


def test_a_forged_head_is_found(url: str) -> None:
    _stored(url)
    _sql(url, "UPDATE coachflow_seals SET head = '3:AAAA:0000' WHERE engagement_id = 'e1'")
    _fails(url, "its seal does not hold")


# -- rekey and head ----------------------------------------------------------------------------


def test_rekey_keeps_every_engagement_erasure_and_feed_position(url: str) -> None:
    with opened(url) as store:
        store.save(demo_engagement())
        store.save(_engagement("e1"))
        store.erase_party("client", reason="request 2", at=WHEN)
        store.track("warehouse", 5)
        before = {i: store.load(i) for i in store.ids()}
        heads = {i: store.head(i) for i in store.ids()}
        feed, erasures = store.feed(limit=10_000), store.erasures()
        assert store.rekey(OTHER) == 2
        assert {i: store.load(i) for i in store.ids()} == before
    with pytest.raises(StoreError, match="this key does not open the store"):
        SQLStore(url, key=KEY)
    with opened(url, key=OTHER) as store:
        assert {i: store.load(i) for i in store.ids()} == before
        assert {i: store.head(i) for i in store.ids()} == heads  # the history is the same
        assert store.feed(limit=10_000) == feed and store.erasures() == erasures
        assert store.position("warehouse") == 5
        engagement = store.load("eng-2027-001")
        store.save(engagement)  # and it goes on under the new key


def test_rekey_seals_a_plain_store(url: str) -> None:
    with opened(url, key=None) as store:
        store.save(_engagement("e1"))
        assert store.rekey(KEY) == 1
        assert store.load("e1").sessions[0].notes == "Kim Berg moved house"
    with pytest.raises(StoreError, match="the store is sealed"):
        SQLStore(url)


def test_the_head_changes_with_each_event_and_erasure_and_tells_a_restored_copy(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    with opened(f"sqlite:///{path}") as store:
        engagement = _engagement("e1")
        store.save(engagement)
        kept = store.head("e1")
    shutil.copy(path, tmp_path / "backup.db")  # closed: the log is in the file
    with opened(f"sqlite:///{path}") as store:
        assert store.head("e1") == kept
        store.erase("e1", reason="request 3", at=WHEN)
        assert store.head("e1") != kept
        kept = store.head("e1")
    shutil.copy(tmp_path / "backup.db", path)  # the database restored from the backup
    with opened(f"sqlite:///{path}") as store:
        assert store.head("e1") != kept  # the host that kept the head can tell
    memory = MemoryStore()
    memory.save(engagement)
    with opened(f"sqlite:///{tmp_path / 'plain.db'}", key=None) as plain:
        plain.save(engagement)
        assert memory.head("e1") == plain.head("e1")  # the same history, the same head


def test_a_sealed_store_erases_and_follows_the_feed(url: str) -> None:
    with opened(url) as store:
        store.save(_engagement("e1"))
        store.erase("e1", reason="request 4", at=WHEN)
        kinds = [item.kind for item in store.feed()]
        assert kinds[-1] == "erased"
        assert store.feed()[0].event is not None
        again = store.load("e1")
        again.record_session(
            session(START + dt.timedelta(days=14)),
            at=at(START + dt.timedelta(days=14), 12),
            by="coach",
        )
        store.save(again)
    with opened(url) as store:
        assert store.load("e1").version == again.version


def test_a_store_sealed_by_coachflow_0_2_is_sealed_in_the_chain_when_opened(
    tmp_path: Path,
) -> None:
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    url = f"sqlite:///{tmp_path / 'old.db'}"
    with opened(url, key=None) as store:
        store.save(_engagement("e1"))
    for version, body in _sql(url, "SELECT version, body FROM coachflow_events"):
        nonce = os.urandom(12)  # as 0.2 sealed a row: bound to its engagement and version
        sealed = AESGCM(KEY).encrypt(nonce, str(body).encode(), f"coachflow:e1:{version}".encode())
        old = "aead1:" + base64.b64encode(nonce + sealed).decode()
        _sql(url, "UPDATE coachflow_events SET body = :b WHERE version = :v", b=old, v=version)
    with pytest.raises(StoreError, match="does not open with this key"):
        SQLStore(url, key=OTHER)  # another key opens none of its rows: nothing changes
    with opened(url) as store:
        assert store.load("e1").sessions[0].notes == "Kim Berg moved house"
    bodies = [str(body) for (body,) in _sql(url, "SELECT body FROM coachflow_events")]
    assert all(body.startswith("aead2:") for body in bodies)
    with pytest.raises(StoreError, match="the store is sealed"):
        SQLStore(url)


# -- copying between stores ----------------------------------------------------------------------


def _filled(store: object) -> None:
    store.save(demo_engagement())  # type: ignore[attr-defined]
    store.save(_engagement("e1"))  # type: ignore[attr-defined]
    store.erase_party("client", reason="request 5", at=WHEN)  # type: ignore[attr-defined]
    again = store.load("e1")  # type: ignore[attr-defined]
    again.record_session(
        session(START + dt.timedelta(days=14)),
        at=at(START + dt.timedelta(days=14), 12),
        by="coach",
    )
    store.save(again)  # type: ignore[attr-defined]
    store.track("warehouse", 9)  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "sealed"])
def test_a_copy_keeps_every_engagement_erasure_and_feed_position(
    url: str, key: bytes | None
) -> None:
    source = MemoryStore()
    _filled(source)
    with opened(url, key=key) as target:
        assert target.copy_from(source) == 2
        assert target.ids() == source.ids()
        assert [target.load(i) for i in target.ids()] == [source.load(i) for i in source.ids()]
        assert target.feed(limit=10_000) == source.feed(limit=10_000)
        assert target.erasures() == source.erasures() and target.erasures()[0].position
        assert target.readers() == source.readers() == {"warehouse": 9}
        assert {i: target.head(i) for i in target.ids()} == {
            i: source.head(i) for i in source.ids()
        }
        engagement = target.load("e1")
        engagement.terminate(at=engagement.events[-1].at, by="coach", reason="moved")
        target.save(engagement)  # it goes on, the feed after the copied positions
        assert target.feed(limit=10_000)[-1].position == len(source.feed(limit=10_000)) + 1
        with pytest.raises(ValueError, match="the store to copy into must be empty"):
            target.copy_from(source)
    back = MemoryStore()
    with opened(url, key=key) as target:
        back.copy_from(target)
        assert back.feed(limit=10_000) == target.feed(limit=10_000)
        assert back.erasures() == target.erasures()


def test_a_copy_refuses_what_is_no_store(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="'source' must be an event store"):
        MemoryStore().copy_from("sqlite:///x.db")  # type: ignore[arg-type]
