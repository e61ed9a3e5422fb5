"""coachflow's SQLite store beside the eventsourcing library's, side by side in one run.

    python benchmarks/vs_eventsourcing.py [--engagements 300] [--rounds 5]

The same engagement, 32 events (opened, agreed, 30 sessions), is saved as a new
aggregate and loaded back, by coachflow's `SQLStore` and by eventsourcing 9.5 with its
SQLite recorder (``pip install "coachflow[bench]"``). Rounds alternate between the two,
so a noisy machine slows both alike; the best round of each counts. Also reported:
PostgreSQL saves per second (with COACHFLOW_TEST_POSTGRES_URL set) and the time of a
summaries query over a store of many engagements.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from builders import START, active, at, session
from coachflow import Agreed, Engagement, Opened, from_json, to_json
from coachflow.store import SQLStore

SESSIONS = 30


def template() -> str:
    engagement = active(12)
    for n in range(SESSIONS):
        day = START + dt.timedelta(days=7 * n)
        engagement.record_session(
            session(day, notes="Good energy today"), at=at(day, 12), by="coach"
        )
    assert engagement.version == 32
    return to_json(engagement)


# -- eventsourcing's side: the same facts as an aggregate of 32 events -------------------------


@functools.cache
def eventsourcing_classes() -> tuple[Any, Any]:
    """The aggregate and application classes, defined once (the library registers them)."""
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class CoachingEngagement(Aggregate):
        @event("Opened")
        def __init__(self, engagement_id: str, coach: str, client: str, sponsor: str) -> None:
            self.engagement_id, self.coach, self.client, self.sponsor = (
                engagement_id,
                coach,
                client,
                sponsor,
            )
            self.sessions: list[tuple[str, int, str, str]] = []

        @event("Agreed")
        def agree(self, months: int, start: str, goals: list[str], modes: list[str]) -> None:
            self.months, self.start, self.goals, self.modes = months, start, goals, modes

        @event("SessionRecorded")
        def record_session(self, held_at: str, minutes: int, mode: str, notes: str) -> None:
            self.sessions.append((held_at, minutes, mode, notes))

    class Coaching(Application[UUID]):
        pass

    return Coaching, CoachingEngagement


def eventsourcing_app(path: str) -> Any:
    application, aggregate = eventsourcing_classes()
    app = application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path})
    return app, aggregate


def build_theirs(kind: Any, number: int) -> Any:
    aggregate = kind(f"e-{number}", "Anna Lind", "Kim Berg", "Mia Ek")
    aggregate.agree(12, "2027-01-11", ["Lead calm meetings", "Delegate reporting"], ["digital"])
    for n in range(SESSIONS):
        day = START + dt.timedelta(days=7 * n)
        aggregate.record_session(at(day, 10).isoformat(), 75, "in_person", "Good energy today")
    return aggregate


def round_theirs(folder: str, count: int, label: str) -> tuple[float, float]:
    app, kind = eventsourcing_app(str(Path(folder) / f"es-{label}.db"))
    aggregates = [build_theirs(kind, n) for n in range(count)]
    ids = [a.id for a in aggregates]
    started = time.perf_counter()
    for aggregate in aggregates:
        app.save(aggregate)
    saved = time.perf_counter()
    for aggregate_id in ids:
        app.repository.get(aggregate_id)
    loaded = time.perf_counter()
    app.close()
    return (saved - started) / count, (loaded - saved) / count


def postgres_saves_per_second(document: str, count: int) -> float | None:
    url = os.environ.get("COACHFLOW_TEST_POSTGRES_URL")
    if not url:
        return None
    from sqlalchemy import create_engine

    from coachflow.store._tables import metadata

    engine = create_engine(url)
    with engine.begin() as connection:
        metadata.drop_all(connection)
    engine.dispose()
    store = SQLStore(url)
    engagements = [from_json(document.replace('"eng-1"', f'"pg-{n}"')) for n in range(count)]
    started = time.perf_counter()
    for engagement in engagements:
        store.save(engagement)
    seconds = time.perf_counter() - started
    store.close()
    return count / seconds


def summaries_query(folder: str, total: int) -> tuple[float, int, float]:
    """Store *total* engagements (opened and agreed, 500 coaches, due days spread over
    half a year), then time "this coach's clients due by a day" (best of 5). Returns
    the query's seconds, what it found, and the seconds the saves took."""
    from coachflow import Party, Role
    from coachflow.store._records import Summary

    store = SQLStore(Path(folder) / "many.db")
    base = active(6)
    opened, agreed = base.events[:2]
    started = time.perf_counter()
    for n in range(total):
        coach = Party(f"coach-{n % 500}", "Coach", Role.COACH)
        first = Opened(
            at=opened.at,
            by=coach.id,
            engagement_id=f"e-{n:06d}",
            coach=coach,
            client=Party(f"client-{n}", "Client", Role.CLIENT),
            sponsor=Party(f"sponsor-{n % 2000}", "Sponsor", Role.SPONSOR),
        )
        assert isinstance(agreed, Agreed)
        agreement = agreed.agreement
        start = agreement.start + dt.timedelta(days=n % 180)
        second = Agreed(at=agreed.at, by=coach.id, agreement=attrs.evolve(agreement, start=start))
        store.save(Engagement.replay([first, second]))
    saving = time.perf_counter() - started
    best = float("inf")
    found = 0
    for _ in range(5):
        started = time.perf_counter()
        found = len(store.summaries(coach="coach-42", due_by=dt.date(2027, 2, 1)))
        best = min(best, time.perf_counter() - started)
    assert all(isinstance(s, Summary) for s in store.summaries(coach="coach-42"))
    store.close()
    return best, found, saving


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engagements", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--summaries", type=int, default=100_000)
    args = parser.parse_args()
    from store_floor import round_ours  # the same rounds as the benchmark suite's

    document = template()
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            for side in ("ours", "theirs"):
                if side == "ours":
                    save, load = round_ours(folder, args.engagements, str(round_), document)
                else:
                    save, load = round_theirs(folder, args.engagements, str(round_))
                best[f"{side}_save"] = min(best.get(f"{side}_save", save), save)
                best[f"{side}_load"] = min(best.get(f"{side}_load", load), load)
        query, found, saving = summaries_query(folder, args.summaries)
    pg = postgres_saves_per_second(document, min(args.engagements, 300))
    us = {k: v * 1e6 for k, v in best.items()}
    print(
        "| figure (32-event engagement, SQLite) | coachflow | eventsourcing 9.5 | ratio | target |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| save per engagement (µs) | {us['ours_save']:.0f} | {us['theirs_save']:.0f} | {us['ours_save'] / us['theirs_save']:.2f}× | ≤ 0.6× |"
    )
    print(
        f"| load per engagement (µs) | {us['ours_load']:.0f} | {us['theirs_load']:.0f} | {us['ours_load'] / us['theirs_load']:.2f}× | ≤ 0.4× |"
    )
    print()
    print(
        f"PostgreSQL saves per second (new 32-event engagements): {pg:.0f}"
        if pg
        else "PostgreSQL: COACHFLOW_TEST_POSTGRES_URL not set"
    )
    print(
        f"summaries(coach=..., due_by=...) over {args.summaries:,} stored engagements: "
        f"{query * 1e3:.2f} ms ({found} found; storing them took {saving:.0f} s)"
    )


if __name__ == "__main__":
    main()
