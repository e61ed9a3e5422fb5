"""Writers racing on one store, for the race test and for measuring saves per second.

The racers are synchronised by barriers, never by the clock: every writer loads the same
engagement, waits until all have, then saves, so at least all but one of those first
saves conflict however the machine schedules them.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

import attrs

from builders import active
from coachflow import ConcurrencyConflict, Engagement, Mode, Opened, Session
from coachflow.store import SQLStore

IDS = ("race-1", "race-2", "race-3", "race-4")


def seed(url: str) -> dict[str, int]:
    """Store one active engagement per id; return their versions."""
    store = SQLStore(url)
    versions = {}
    for engagement_id in IDS:
        first, *rest = active().events
        assert isinstance(first, Opened)
        renamed = attrs.evolve(first, engagement_id=engagement_id)
        versions[engagement_id] = store.save(Engagement.replay([renamed, *rest]))
    store.close()
    return versions


def writer(url: str, attempts: int, seed_value: int, barrier: Any = None) -> dict[str, Any]:
    """Load, record a session, save; *attempts* times. Returns what happened.

    With a *barrier* (shared by the writers), the first attempt loads ``race-1`` and
    waits for every writer to have loaded it before saving: a certain collision.
    """
    rng = random.Random(seed_value)
    store = SQLStore(url, create=False)
    successes: dict[str, int] = dict.fromkeys(IDS, 0)
    conflicts = 0
    started = time.perf_counter()
    for attempt in range(attempts):
        engagement_id = IDS[0] if barrier is not None and attempt == 0 else rng.choice(IDS)
        engagement = store.load(engagement_id)
        last = engagement.events[-1].at
        held = max(last, dt.datetime(2027, 1, 11, 9, tzinfo=last.tzinfo)) + dt.timedelta(minutes=1)
        engagement.record_session(Session(held, 60, Mode.DIGITAL), at=held, by="coach")
        if barrier is not None and attempt == 0:
            barrier.wait()  # every writer holds the same version: one save can win
        try:
            store.save(engagement)
        except ConcurrencyConflict:
            conflicts += 1
        else:
            successes[engagement_id] += 1
    elapsed = time.perf_counter() - started
    store.close()
    return {"successes": successes, "conflicts": conflicts, "seconds": elapsed}


def race(url: str, *, processes: int = 8, attempts: int = 200) -> dict[str, Any]:
    """Run *processes* writers at once; return the figures and the stored versions."""
    import multiprocessing

    initial = seed(url)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(processes) as pool:
        barrier = manager.Barrier(processes)
        work = [(url, attempts, n, barrier) for n in range(processes)]
        results = pool.starmap(writer, work)
    store = SQLStore(url, create=False)
    stored = {i: store.load(i).version for i in IDS}
    store.close()
    successes = {i: sum(r["successes"][i] for r in results) for i in IDS}
    return {
        "processes": processes,
        "attempts": processes * attempts,
        "successes": sum(successes.values()),
        "conflicts": sum(r["conflicts"] for r in results),
        "events_stored": sum(stored.values()) - sum(initial.values()),
        "per_id": {i: (initial[i], successes[i], stored[i]) for i in IDS},
        "slowest_writer_seconds": max(r["seconds"] for r in results),
    }


def creator(url: str, engagement_id: str, barrier: Any) -> str:
    """Save a new engagement under *engagement_id* once every creator is ready (the
    *barrier*); returns how it went."""
    store = SQLStore(url, create=False)
    first, *rest = active().events
    assert isinstance(first, Opened)
    engagement = Engagement.replay([attrs.evolve(first, engagement_id=engagement_id), *rest])
    barrier.wait()  # all at once
    try:
        store.save(engagement)
    except ConcurrencyConflict as conflict:
        return f"conflict {conflict.expected} {conflict.actual}"
    finally:
        store.close()
    return "saved"


def creation_race(url: str, *, processes: int = 6, rounds: int = 5) -> list[list[str]]:
    """*rounds* times, *processes* creators of one new id at once; their outcomes."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    outcomes = []
    with context.Manager() as manager, context.Pool(processes) as pool:
        for number in range(rounds):
            barrier = manager.Barrier(processes)
            work = [(url, f"new-{number}", barrier)] * processes
            outcomes.append(pool.starmap(creator, work))
    return outcomes


def race_with_reader(url: str, *, processes: int = 8, attempts: int = 100) -> dict[str, Any]:
    """`race`, with a reader polling the feed from its last position all along; returns
    what the reader saw (position, engagement, version) and the whole feed afterwards."""
    import threading

    seen: list[tuple[int, str, int]] = []
    done = threading.Event()

    def read() -> None:
        store = SQLStore(url, create=False)
        after = 0
        while True:
            finished = done.is_set()  # one more poll after the writers finished
            for item in store.feed(after=after, limit=50):
                seen.append((item.position, item.engagement_id, item.version))
                after = item.position
            if finished:
                break
        store.close()

    seed(url)
    reader = threading.Thread(target=read)
    reader.start()
    figures = race_writers(url, processes=processes, attempts=attempts)
    done.set()
    reader.join()
    store = SQLStore(url, create=False)
    everything = []
    after = 0
    while page := store.feed(after=after, limit=1000):
        everything += [(i.position, i.engagement_id, i.version) for i in page]
        after = page[-1].position
    stored = sum(store.load(i).version for i in IDS)
    store.close()
    return {**figures, "seen": seen, "feed": everything, "stored": stored}


def race_writers(url: str, *, processes: int, attempts: int) -> dict[str, Any]:
    """Only the writers of `race`, on an already seeded store."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(processes) as pool:
        barrier = manager.Barrier(processes)
        results = pool.starmap(writer, [(url, attempts, n, barrier) for n in range(processes)])
    return {"successes": sum(sum(r["successes"].values()) for r in results)}
