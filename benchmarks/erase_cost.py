"""What one erasure costs as a store grows: SQLite and PostgreSQL, 10k and 100k engagements.

    python benchmarks/erase_cost.py [--sizes 10000 100000] [--erasures 3]

Each store is filled with copies of the demo engagement (21 events each, written by
SQL from one saved engagement, so that filling takes seconds), then one engagement is
erased *--erasures* times (a fresh one each time); the table gives the median time of
an erasure and the size of the events table. On PostgreSQL an erasure rewrites the
events table (``VACUUM FULL``), so its cost grows with the table; on SQLite it rewrites
the engagement's rows and checkpoints the log, whatever the size.

PostgreSQL: the server named by COACHFLOW_TEST_POSTGRES_URL, else a throw-away one on
loopback (PostgreSQL's binaries must be installed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from sqlalchemy import create_engine, text

from coachflow import from_json, to_json
from coachflow._outputs.demo import demo_engagement
from coachflow.store import SQLStore
from coachflow.store._tables import metadata
from pg import ENV_URL, Cluster

AT = dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC)

_COPY = {
    "events": (
        "INSERT INTO coachflow_events (engagement_id, version, type, at, body, format_version, "
        "position) SELECT 'copy-' || n, version, type, at, replace(body, 'eng-2027-001', "
        "'copy-' || n), format_version, n * 100 + version FROM coachflow_events, "
        "{series} WHERE engagement_id = 'eng-2027-001'"
    ),
    "engagements": (
        "INSERT INTO coachflow_engagements SELECT 'copy-' || n, version, phase, start, \"end\", "
        "next_due, coach_id, client_id, sponsor_id, last_session FROM coachflow_engagements, "
        "{series} WHERE engagement_id = 'eng-2027-001'"
    ),
}


def fill(store: SQLStore, size: int, postgres: bool) -> None:
    """*size* engagements: the demo, saved, and *size - 1* copies of its rows."""
    store.save(demo_engagement())
    series = (
        f"generate_series(1, {size - 1}) AS n"
        if postgres
        else f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
        f"WHERE n < {size - 1}) SELECT n FROM s)"
    )
    with store.engine.begin() as connection:
        for statement in _COPY.values():
            connection.execute(text(statement.format(series=series)))
        connection.execute(text(f"UPDATE coachflow_positions SET last = {size * 100 + 100}"))
    if postgres:
        engine = store.engine.execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))


def table_size(store: SQLStore, postgres: bool) -> int:
    query = (
        "SELECT pg_total_relation_size('coachflow_events')"
        if postgres
        else "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
    )
    with store.engine.connect() as connection:
        return int(connection.execute(text(query)).scalar_one())


def erase_times(store: SQLStore, erasures: int) -> list[float]:
    times = []
    for n in range(erasures):
        engagement = from_json(to_json(demo_engagement()).replace("eng-2027-001", f"gone-{n}"))
        store.save(engagement)
        started = time.perf_counter()
        store.erase(engagement.id, reason=f"request {n}", at=AT)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--erasures", type=int, default=3)
    args = parser.parse_args()
    cluster = None
    postgres = os.environ.get(ENV_URL)
    if not postgres:
        cluster = Cluster()
        postgres = cluster.start()
    print(
        "| database | engagements | size (events table; SQLite: file) "
        f"| erase (median of {args.erasures}) |"
    )
    print("|---|---|---|---|")
    try:
        with tempfile.TemporaryDirectory() as folder:
            for size in args.sizes:
                for name, url in (
                    ("SQLite", f"sqlite:///{folder}/erase-{size}.db"),
                    ("PostgreSQL", postgres),
                ):
                    on_postgres = name == "PostgreSQL"
                    if on_postgres:
                        engine = create_engine(url)
                        with engine.begin() as connection:
                            metadata.drop_all(connection)
                        engine.dispose()
                    store = SQLStore(url, erase_timeout=600)
                    try:
                        fill(store, size, on_postgres)
                        megabytes = table_size(store, on_postgres) / 1e6
                        median = statistics.median(erase_times(store, args.erasures))
                    finally:
                        store.close()
                    print(f"| {name} | {size:,} | {megabytes:,.0f} MB | {median:.2f} s |")
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
