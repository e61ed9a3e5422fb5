"""Readers that keep their place: `store.follow`, `store.position` and `store.track`, on
every store, at least once, while writers race."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from sqlalchemy import text

from builders import CLIENT, COACH, at
from coachflow import Engagement, InvalidType, InvalidValue, Party, Role
from coachflow.store import FeedItem

Store = Any  # MemoryStore | SQLStore


def opened(number: int) -> Engagement:
    client = Party(f"client-{number}", CLIENT.name, Role.CLIENT)
    return Engagement.open(f"eng-{number}", coach=COACH, client=client, at=at("2027-01-04", 8))


def test_follow_hands_every_item_once_and_keeps_the_place(store: Store) -> None:
    for number in range(1, 4):
        store.save(opened(number))
    seen: list[FeedItem] = []
    assert store.position("mailer") == 0
    assert store.follow("mailer", seen.append, limit=2) == 2
    assert store.position("mailer") == seen[-1].position
    assert store.follow("mailer", seen.append) == 1
    assert store.follow("mailer", seen.append) == 0
    assert [item.engagement_id for item in seen] == ["eng-1", "eng-2", "eng-3"]
    assert [item.position for item in seen] == sorted(item.position for item in seen)
    other: list[FeedItem] = []
    assert store.follow("warehouse", other.append) == 3  # each reader has its own place
    store.save(opened(4))
    assert store.follow("mailer", seen.append) == 1 and seen[-1].engagement_id == "eng-4"


def test_a_failing_handler_gets_the_item_again(store: Store) -> None:
    for number in range(1, 5):
        store.save(opened(number))
    delivered: list[str] = []

    def flaky(item: FeedItem) -> None:
        if item.engagement_id == "eng-3" and "eng-3" not in failed:
            failed.add("eng-3")
            raise ConnectionError("the webhook is down")
        delivered.append(item.engagement_id)

    failed: set[str] = set()
    with pytest.raises(ConnectionError):
        store.follow("hook", flaky)
    assert delivered == ["eng-1", "eng-2"]
    assert store.position("hook") == store.feed()[1].position  # before the failed item
    assert store.follow("hook", flaky) == 2
    assert delivered == ["eng-1", "eng-2", "eng-3", "eng-4"]


def test_followers_see_every_event_while_writers_race(store: Store) -> None:
    writers, per_writer = 4, 5
    stop = threading.Event()
    delivered: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    attempts = [0]

    def handler(item: FeedItem) -> None:
        attempts[0] += 1
        if attempts[0] % 7 == 0:  # every seventh delivery fails once
            raise ConnectionError("flaky")
        delivered.append((item.engagement_id, item.version))

    def write(first: int) -> None:
        try:
            for number in range(first, first + per_writer):
                store.save(opened(number))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def follow() -> None:
        while not stop.is_set():
            with contextlib.suppress(ConnectionError):
                store.follow("racer", handler, limit=3)

    follower = threading.Thread(target=follow)
    follower.start()
    threads = [threading.Thread(target=write, args=(w * 100,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stop.set()
    follower.join(timeout=60)
    assert not errors
    while True:  # catch up
        try:
            if store.follow("racer", handler) == 0:
                break
        except ConnectionError:
            continue
    stored = {(item.engagement_id, item.version) for item in store.feed(limit=1000)}
    assert len(stored) == writers * per_writer
    assert set(delivered) == stored  # every event, at least once
    assert len(delivered) == len(set(delivered))  # and only a failed one was handed again


def test_track_moves_a_reader_and_bad_input_is_refused(store: Store) -> None:
    store.save(opened(1))
    store.save(opened(2))
    store.track("late-joiner", store.feed()[0].position)  # skip what came before
    seen: list[FeedItem] = []
    assert store.follow("late-joiner", seen.append) == 1 and seen[0].engagement_id == "eng-2"
    with pytest.raises(InvalidValue, match="non-blank name"):
        store.follow("  ", seen.append)
    with pytest.raises(InvalidType, match="'reader' must be a reader's name"):
        store.position(7)
    with pytest.raises(InvalidType, match="'handler' must be callable"):
        store.follow("r", "print")
    with pytest.raises(InvalidValue, match=r"'limit' must be an int in 1\.\.100000"):
        store.follow("r", seen.append, limit=0)
    with pytest.raises(InvalidValue, match=r"'after' must be a position, an int in 0\.\.9223"):
        store.track("r", -1)
    with pytest.raises(InvalidValue, match=r"an int in 0\.\.9223372036854775807"):
        store.feed(after=10**20)
    assert store.position("r") == 0  # nothing refused was recorded


def test_a_position_commits_with_the_handlers_own_transaction(sql: Store) -> None:
    sql.save(opened(1))
    sql.save(opened(2))
    first, second = sql.feed()
    with sql.engine.begin() as connection:  # the handler's work and the move commit together
        connection.execute(text("CREATE TABLE IF NOT EXISTS outbox (id TEXT)"))
        connection.execute(text("INSERT INTO outbox VALUES ('eng-1')"))
        sql.track("outbox", first.position, connection=connection)
    assert sql.position("outbox") == first.position

    def failing_handler() -> None:
        with sql.engine.begin() as connection:
            connection.execute(text("INSERT INTO outbox VALUES ('eng-2')"))
            sql.track("outbox", second.position, connection=connection)
            raise RuntimeError("the handler failed after writing")

    with pytest.raises(RuntimeError):
        failing_handler()
    assert sql.position("outbox") == first.position  # rolled back with the handler's work
    with sql.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM outbox")).scalar() == 1
