"""Saves per second for SQLite and PostgreSQL, and the eight-process race, in one run.

    python benchmarks/store_throughput.py [--saves 500]

PostgreSQL: the server named by COACHFLOW_TEST_POSTGRES_URL, else a throw-away one on
loopback (PostgreSQL's binaries must be installed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from sqlalchemy import create_engine

from coachflow import Mode, Session
from coachflow.store import SQLStore
from coachflow.store._tables import metadata
from pg import ENV_URL, Cluster
from race import race, seed


def fresh(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        metadata.drop_all(connection)
    engine.dispose()


def saves_per_second(url: str, saves: int) -> float:
    """One writer: record a session and save it, *saves* times (the engagement stays loaded)."""
    if url.startswith("postgresql"):
        fresh(url)
    seed(url)
    store = SQLStore(url, create=False)
    engagement = store.load("race-1")
    held = dt.datetime(2027, 1, 11, 9, tzinfo=dt.UTC)
    started = time.perf_counter()
    for _ in range(saves):
        held += dt.timedelta(minutes=1)
        engagement.record_session(Session(held, 60, Mode.DIGITAL), at=held, by="coach")
        store.save(engagement)
    elapsed = time.perf_counter() - started
    store.close()
    return saves / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--attempts", type=int, default=200)
    args = parser.parse_args()
    cluster = None
    postgres = os.environ.get(ENV_URL)
    if not postgres:
        cluster = Cluster()
        postgres = cluster.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            urls = {
                "SQLite": f"sqlite:///{folder}/throughput.db",
                "PostgreSQL": postgres,
            }
            print(
                "| store | saves/s (one writer) | race: attempts | successes | conflicts "
                "| events stored |"
            )
            print("|---|---|---|---|---|---|")
            for name, url in urls.items():
                rate = saves_per_second(url, args.saves)
                if name == "SQLite":
                    url = f"sqlite:///{folder}/race.db"
                else:
                    fresh(url)
                figures = race(url, processes=args.processes, attempts=args.attempts)
                print(
                    f"| {name} | {rate:,.0f} | {figures['attempts']} | {figures['successes']} "
                    f"| {figures['conflicts']} | {figures['events_stored']} |"
                )
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
