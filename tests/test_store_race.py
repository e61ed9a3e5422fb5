"""Many processes racing on one store, and a writer killed mid-transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import func, select

from coachflow.store import SQLStore
from coachflow.store._tables import events_table
from race import IDS, creation_race, race, seed


def _versions(url: str, engagement_id: str) -> list[int]:
    store = SQLStore(url, create=False)
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(events_table.c.version)
            .where(events_table.c.engagement_id == engagement_id)
            .order_by(events_table.c.version)
        )
        versions = list(rows.scalars())
    store.close()
    return versions


def test_eight_processes_race_and_nothing_is_lost_or_duplicated(sql_url: str) -> None:
    SQLStore(sql_url).close()
    figures = race(sql_url, processes=8, attempts=200)
    print(f"\nrace on {sql_url.split(':')[0]}: {figures}")
    assert figures["attempts"] == 1600
    assert figures["successes"] + figures["conflicts"] == 1600  # every lost race reported
    assert figures["events_stored"] == figures["successes"]
    assert figures["conflicts"] >= 7  # the first saves, held at a barrier, all but one lost
    for engagement_id, (initial, won, stored) in figures["per_id"].items():
        assert stored == initial + won
        assert _versions(sql_url, engagement_id) == list(range(1, stored + 1))


def test_processes_creating_one_new_id_at_once_leave_one_winner(sql_url: str) -> None:
    SQLStore(sql_url).close()
    for outcome in creation_race(sql_url, processes=6, rounds=5):
        assert sorted(outcome) == ["conflict 0 2"] * 5 + ["saved"], outcome
    for number in range(5):
        assert _versions(sql_url, f"new-{number}") == [1, 2]


VICTIM = textwrap.dedent(
    """
    import sys, datetime as dt
    from coachflow import Mode, Session
    from coachflow.store import SQLStore
    from coachflow.store import _sql

    url = sys.argv[1]
    store = SQLStore(url, create=False)
    engagement = store.load("race-1")
    at = dt.datetime(2027, 6, 1, 9, tzinfo=dt.timezone.utc)
    engagement.record_session(Session(at, 60, Mode.DIGITAL), at=at, by="coach")

    original = _sql.SQLRecorder.save_rows

    def stall(self, *arguments):
        original(self, *arguments)
        print("events inserted, transaction open", flush=True)
        sys.stdin.read()  # held open until killed

    _sql.SQLRecorder.save_rows = stall
    store.save(engagement)
    """
)


def test_a_writer_killed_mid_transaction_leaves_the_store_consistent(sql_url: str) -> None:
    SQLStore(sql_url).close()
    before = seed(sql_url)
    with subprocess.Popen(
        [sys.executable, "-c", VICTIM, sql_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as victim:
        try:
            assert victim.stdout is not None
            said = victim.stdout.readline()  # waits for the writer, as long as it takes
            assert said == "events inserted, transaction open\n", "the writer died first"
            os.kill(victim.pid, signal.SIGKILL)  # mid-transaction, as a crash would
        finally:
            victim.kill()
    store = SQLStore(sql_url, create=False)
    engagement = store.load("race-1")
    assert engagement.version == before["race-1"]  # the half-written save left no trace
    assert _versions(sql_url, "race-1") == list(range(1, before["race-1"] + 1))
    engagement.pause(at=engagement.events[-1].at, by="coach", reason="after the crash")
    assert store.save(engagement) == before["race-1"] + 1  # no lock was left behind
    with store.engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(events_table)).scalar()
    assert total == sum(before.values()) + 1
    assert sorted(store.ids()) == sorted(IDS)
    store.close()


def test_a_feed_reader_racing_eight_writers_sees_every_event_once_in_order(
    sql_url: str,
) -> None:
    from race import race_with_reader

    SQLStore(sql_url).close()
    figures = race_with_reader(sql_url, processes=8, attempts=60)
    seen, feed = figures["seen"], figures["feed"]
    assert len(feed) == figures["stored"]  # every stored event has a position
    assert seen == feed  # the poller saw each exactly once, in position order, none skipped
    positions = [position for position, _, _ in feed]
    assert positions == list(range(1, len(feed) + 1))  # strictly increasing, no gaps
    for engagement_id in {e for _, e, _ in feed}:
        versions = [v for _, e, v in feed if e == engagement_id]
        assert versions == list(range(1, len(versions) + 1))
