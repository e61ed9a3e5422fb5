"""The SQLite store beside eventsourcing's and beside the physical floor, in one run.

Imported by `run.py` (the rows "store: ..."); on its own:

    python benchmarks/store_floor.py [--engagements 300] [--rounds 5]

Per 32-event engagement (opened, agreed, 30 sessions), saved as new and loaded back:

- coachflow's `SQLStore`, plain and sealed (`key=`);
- eventsourcing 9.5's SQLite recorder with the same facts as an aggregate
  (``pip install -e ".[bench]"``; without it, its rows are left out);
- the floor: raw `sqlite3` on a database of the same schema and the same pragmas,
  inserting the rows coachflow wrote (already encoded) and the summary row in one
  transaction per engagement; and reading the rows back with `orjson` parsing each body.

Rounds alternate between the four, so a noisy machine slows them alike; the best round
of each counts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vs_eventsourcing import round_theirs, template

from coachflow import from_json
from coachflow.store import SQLStore

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON")
"""The pragmas `SQLStore` sets on each SQLite connection (`coachflow.store._sqlite`)."""

TEMPLATE_ID = "eng-1"


def round_ours(
    folder: str, count: int, label: str, document: str, key: bytes | None = None
) -> tuple[float, float]:
    store = SQLStore(Path(folder) / f"cf-{label}.db", key=key)
    engagements = [from_json(document.replace('"eng-1"', f'"e-{n}"')) for n in range(count)]
    started = time.perf_counter()
    for engagement in engagements:
        store.save(engagement)
    saved = time.perf_counter()
    for n in range(count):
        store.load(f"e-{n}")
    loaded = time.perf_counter()
    store.close()
    return (saved - started) / count, (loaded - saved) / count


def encoded_rows(
    folder: str, document: str
) -> tuple[list[str], list[tuple[object, ...]], tuple[object, ...]]:
    """The schema, the event rows and the summary row coachflow writes for the template."""
    path = Path(folder) / "template.db"
    store = SQLStore(path)
    store.save(from_json(document))
    store.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        schema = [
            sql
            for (sql,) in db.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
            )
        ]
        events = db.execute(
            "SELECT engagement_id, version, type, at, body, format_version, position "
            "FROM coachflow_events ORDER BY version"
        ).fetchall()
        summary = db.execute("SELECT * FROM coachflow_engagements").fetchone()
    return schema, events, summary


def round_floor(
    folder: str,
    count: int,
    label: str,
    rows: tuple[list[str], list[tuple[object, ...]], tuple[object, ...]],
) -> tuple[float, float]:
    schema, events, summary = rows
    path = Path(folder) / f"raw-{label}.db"
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        db.execute(f"PRAGMA {pragma}")
    for statement in schema:
        db.execute(statement)
    marks = ", ".join("?" * len(summary))
    insert_summary = f"INSERT INTO coachflow_engagements VALUES ({marks})"
    insert_events = (
        "INSERT INTO coachflow_events (engagement_id, version, type, at, body, format_version, "
        "position) VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    prepared = []
    for n in range(count):
        ident = f"e-{n}"
        prepared.append(
            (
                (ident, *summary[1:]),
                [
                    (ident, v, t, a, b, f, n * len(events) + int(v))  # type: ignore[call-overload]
                    for _, v, t, a, b, f, _ in events
                ],
            )
        )
    started = time.perf_counter()
    for summary_row, event_rows in prepared:
        db.execute("BEGIN IMMEDIATE")
        db.execute(insert_summary, summary_row)
        db.executemany(insert_events, event_rows)
        db.execute("COMMIT")
    saved = time.perf_counter()
    select = "SELECT version, type, at, body FROM coachflow_events WHERE engagement_id = ? ORDER BY version"
    for n in range(count):
        for row in db.execute(select, (f"e-{n}",)):
            orjson.loads(row[3])
    loaded = time.perf_counter()
    db.close()
    return (saved - started) / count, (loaded - saved) / count


def have_eventsourcing() -> bool:
    try:
        import eventsourcing  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


def side_by_side(count: int, rounds: int) -> dict[str, float]:
    """µs per engagement: ``{side}_save`` and ``{side}_load`` for each side measured."""
    document = template()
    key = os.urandom(32)
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        rows = encoded_rows(folder, document)
        sides = ["plain", "sealed", "floor"] + (["eventsourcing"] if have_eventsourcing() else [])
        for round_ in range(rounds):
            for side in sides:
                label = f"{side}-{round_}"
                if side == "plain":
                    save, load = round_ours(folder, count, label, document)
                elif side == "sealed":
                    save, load = round_ours(folder, count, label, document, key)
                elif side == "floor":
                    save, load = round_floor(folder, count, label, rows)
                else:
                    save, load = round_theirs(folder, count, label)
                for name, seconds in (("save", save), ("load", load)):
                    micro = seconds * 1e6
                    best[f"{side}_{name}"] = min(best.get(f"{side}_{name}", micro), micro)
    best["engagements"] = count
    best["events"] = len(rows[1])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engagements", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    found = side_by_side(args.engagements, args.rounds)
    for name, value in found.items():
        print(f"{name:22s} {value:10.1f}")


if __name__ == "__main__":
    main()
