"""Many processes racing on one store, and a writer killed mid-transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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
    assert figures["conflicts"] > 0  # the writers really did collide
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
    import sys, time, datetime as dt
    from pathlib import Path
    from coachflow import Mode, Session
    from coachflow.store import SQLStore
    from coachflow.store import _sql

    url, flag = sys.argv[1], Path(sys.argv[2])
    store = SQLStore(url, create=False)
    engagement = store.load("race-1")
    at = dt.datetime(2027, 6, 1, 9, tzinfo=dt.timezone.utc)
    engagement.record_session(Session(at, 60, Mode.DIGITAL), at=at, by="coach")

    original = _sql.SQLRecorder.save_rows

    def stall(self, *arguments):
        original(self, *arguments)
        flag.write_text("events inserted, transaction open")
        time.sleep(600)

    _sql.SQLRecorder.save_rows = stall
    store.save(engagement)
    """
)


def test_a_writer_killed_mid_transaction_leaves_the_store_consistent(
    sql_url: str, tmp_path: Path
) -> None:
    SQLStore(sql_url).close()
    before = seed(sql_url)
    flag = tmp_path / "flag"
    victim = subprocess.Popen([sys.executable, "-c", VICTIM, sql_url, str(flag)])
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert victim.poll() is None, "the writer died before it stalled"
            assert time.monotonic() < deadline, "the writer never reached its transaction"
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)
    finally:
        victim.wait(timeout=60)
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
