"""Erasure down to the bytes of the database files, and erasures that meet an older
snapshot: on SQLite and on PostgreSQL (heap and TOAST files, read after a CHECKPOINT)."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import sqlite3
import string
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from builders import START, active, at, session
from coachflow import Engagement, from_json, to_json
from coachflow._outputs.demo import demo_engagement
from coachflow.store import SQLStore, StoreError

ERASED_AT = dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC)


def _noise(seed: int, size: int) -> str:
    """A text no compression shrinks, so that PostgreSQL keeps it out of line as it is."""
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_letters) for _ in range(size))


LONG = _noise(1, 6000)  # stored in the TOAST table
SHORT = "Kim Berg moved house to Uppsala"  # stored in the heap


def _engagement(engagement_id: str, notes: str) -> Engagement:
    engagement = from_json(to_json(active()).replace('"eng-1"', f'"{engagement_id}"'))
    engagement.record_session(session(START, notes=notes), at=at(START, 12), by="coach")
    return engagement


@contextlib.contextmanager
def _postgres(postgres_url: str, **options: object) -> Iterator[SQLStore]:
    from conftest import _fresh_postgres

    with contextlib.closing(SQLStore(_fresh_postgres(postgres_url), **options)) as store:  # type: ignore[arg-type]
        yield store


def _files(store: SQLStore) -> list[Path]:
    """The files of the events table and of its TOAST table, every segment."""
    with store.engine.connect() as connection:
        connection.execute(text("CHECKPOINT"))  # what is in memory reaches the files
        home = Path(connection.execute(text("SHOW data_directory")).scalar_one())
        paths = connection.execute(
            text(
                "SELECT pg_relation_filepath(oid), pg_relation_filepath(reltoastrelid) "
                "FROM pg_class WHERE relname = 'coachflow_events'"
            )
        ).one()
    found = []
    for relative in paths:
        base = home / relative
        found += [base, *sorted(base.parent.glob(f"{base.name}.[0-9]*"))]
    return [path for path in found if path.exists()]


def _bytes(paths: list[Path]) -> bytes:
    return b"".join(path.read_bytes() for path in paths)


def test_on_postgres_no_byte_of_an_erased_text_stays_in_the_heap_or_toast(
    postgres_url: str,
) -> None:
    with _postgres(postgres_url) as store:
        store.save(demo_engagement())
        store.save(_engagement("erased", SHORT + " " + LONG))
        store.save(_engagement("kept", "Kept: " + _noise(2, 6000)))
        before = _bytes(_files(store))
        assert SHORT.encode() in before and LONG[:200].encode() in before  # it can fail
        assert b"Lunch with the team" in before
        store.erase("erased", reason="request 1", at=ERASED_AT)
        store.erase("eng-2027-001", reason="request 2", at=ERASED_AT)
        after = _bytes(_files(store))
        demo = ("Lunch with the team", "Meetings end with owners", "the coach fell ill")
        for secret in (SHORT, LONG[:40], LONG[-40:], *demo):
            assert secret.encode() not in after, secret[:40]
        assert _noise(2, 6000)[:200].encode() in after  # what was not erased stays
        assert store.load("erased").sessions[0].notes == "[redacted]"


def test_on_postgres_an_erasure_waits_for_an_older_snapshot_then_completes(
    postgres_url: str,
) -> None:
    with _postgres(postgres_url, erase_timeout=20) as store:
        store.save(_engagement("erased", SHORT))
        reader = store.engine.connect()
        reader.execute(text("BEGIN ISOLATION LEVEL REPEATABLE READ"))
        assert reader.execute(text("SELECT count(*) FROM coachflow_events")).scalar_one() > 0
        ender = threading.Timer(0.5, reader.rollback)
        ender.start()
        started = time.monotonic()
        store.erase("erased", reason="request 3", at=ERASED_AT)
        ender.join()
        reader.close()
        assert time.monotonic() - started >= 0.4  # it waited for the reader
        assert SHORT.encode() not in _bytes(_files(store))


def test_on_postgres_an_older_snapshot_that_stays_is_named_and_nothing_is_erased(
    postgres_url: str,
) -> None:
    with _postgres(postgres_url, erase_timeout=0.3) as store:
        store.save(_engagement("erased", SHORT))
        with store.engine.connect() as reader:
            reader.execute(text("BEGIN ISOLATION LEVEL REPEATABLE READ"))
            reader.execute(text("SELECT count(*) FROM coachflow_events"))
            pid = reader.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with pytest.raises(StoreError, match=f"the erasure was not begun: session {pid}"):
                store.erase("erased", reason="request 4", at=ERASED_AT)
            reader.rollback()
        assert store.erasures() == []  # nothing was written
        assert store.load("erased").sessions[0].notes == SHORT
        assert [item.kind for item in store.feed()].count("erased") == 0
        store.erase("erased", reason="request 4", at=ERASED_AT)  # and once it is gone, it erases
        assert store.load("erased").sessions[0].notes == "[redacted]"


def test_on_sqlite_a_reader_that_stays_is_reported_and_nothing_is_erased(
    tmp_path: Path,
) -> None:
    path = tmp_path / "coaching.db"
    with contextlib.closing(SQLStore(path, erase_timeout=0.3)) as store:
        store.save(_engagement("erased", SHORT))
        reader = sqlite3.connect(path, isolation_level=None)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM coachflow_events").fetchone()  # a snapshot
            store.save(_engagement("other", "Other notes"))  # the log now has pages it needs
            with pytest.raises(StoreError, match="the erasure was not begun: a reader held"):
                store.erase("erased", reason="request 5", at=ERASED_AT)
        finally:
            reader.close()
        assert store.erasures() == []  # no commit before the error
        assert store.load("erased").sessions[0].notes == SHORT
        store.erase("erased", reason="request 5", at=ERASED_AT)
        assert SHORT.encode() not in path.read_bytes()


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0, ValueError, "'erase_timeout' must be between 0 and 86400 seconds"),
        ("5", TypeError, "'erase_timeout' must be a number of seconds"),
        (True, TypeError, "'erase_timeout' must be a number of seconds"),
    ],
)
def test_a_bad_erase_timeout_is_refused(
    tmp_path: Path, value: object, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        SQLStore(tmp_path / "x.db", erase_timeout=value)  # type: ignore[arg-type]
