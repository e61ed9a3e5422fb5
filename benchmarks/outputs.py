"""Every output's cost per session as the history grows, and the calendar beside icalendar.

Imported by `run.py` (the rows "growth of ..."); on its own:

    python benchmarks/outputs.py [--sizes 100 2000]

Each output is measured *cold*: on a fresh copy of the engagement (replayed from its
events before the clock starts), so that nothing an earlier call kept is reused; the
best of several copies counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import time
from collections.abc import Callable
from typing import Any

from coachflow import Engagement, from_json, render, to_ics, to_json
from coachflow._outputs.ics import PRODID, _clean, _local
from coachflow._outputs.ics_entries import entries, quote, sequences
from coachflow.store import MemoryStore

ERASED_AT = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)


def _erase(engagement: Engagement) -> object:
    store = MemoryStore()
    store.save(engagement)
    return store.erase(engagement.id, reason="benchmark", at=ERASED_AT)


def outputs(today: dt.date) -> dict[str, Callable[[Engagement], object]]:
    """The outputs measured, each a call on one engagement (the goal: 2.0x growth per
    session from the smallest to the largest size; 1.5x for check)."""
    return {
        "check": lambda e: e.check(today),
        "next_actions": lambda e: e.next_actions(today),
        "plan": lambda e: e.plan(),
        "seen_by (sponsor)": lambda e: e.seen_by("sponsor"),
        "timeline (render, text)": lambda e: render(e, today=today),
        "render (html)": lambda e: render(e, format="html", today=today),
        "render (json)": lambda e: render(e, format="json", today=today),
        "to_json": to_json,
        "to_ics": to_ics,
        "erase (memory store)": _erase,
    }


GOALS = {"check": 1.5}
"""Growth goals other than the usual 2.0x."""


def cold(events: tuple[Any, ...], call: Callable[[Engagement], object], copies: int) -> float:
    """The best time of *call* on *copies* fresh replays of *events* (seconds)."""
    fresh = [Engagement.replay(events) for _ in range(copies)]
    times = []
    for engagement in fresh:
        gc.collect()
        started = time.perf_counter()
        call(engagement)
        times.append(time.perf_counter() - started)
    return min(times)


def growth(
    engagement: Callable[[int], Engagement], sizes: list[int], copies: int
) -> dict[str, list[float]]:
    """µs per session of every output at each size (and from_json and replay)."""
    found: dict[str, list[float]] = {}
    for size in sizes:
        built = engagement(size)
        today = built.end
        assert today is not None
        events = built.events
        for name, call in outputs(today).items():
            found.setdefault(name, []).append(cold(events, call, copies) / size * 1e6)
        document = to_json(built)
        loading = min(_timed(functools.partial(from_json, document)) for _ in range(copies))
        found.setdefault("from_json", []).append(loading / size * 1e6)
        replay = functools.partial(Engagement.replay, events)
        replaying = min(_timed(replay) for _ in range(copies))
        found.setdefault("replay", []).append(replaying / size * 1e6)
    return found


def _timed(call: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# -- the calendar beside icalendar writing the same VEVENTs --------------------------------


def icalendar_alone(engagement: Engagement) -> Callable[[], bytes]:
    """A call that writes the VEVENTs `to_ics` writes (the same properties and values,
    computed beforehand) with icalendar directly: icalendar's own cost of the file."""
    from icalendar import Calendar, Event, vText

    zone = engagement.time_zone
    assert zone is not None
    at = dt.time(9, 0)
    found = entries(engagement, at)
    moves = sequences(engagement, at)
    stamp = engagement.events[-1].at.astimezone(dt.UTC)
    uid = quote(engagement.id)
    rows = []
    for key, entry in found.items():
        begins = entry.start.astimezone(dt.UTC)
        rows.append(
            (
                f"{uid}-{key}@coachflow",
                moves.get(key, 0),
                _local(begins, zone, False),
                _local(begins + dt.timedelta(minutes=entry.minutes), zone, False),
                entry.summary,
                _clean(entry.description),
                entry.status,
            )
        )
    name = _clean(f"Coaching: {engagement.client.name} ({engagement.id})")

    def write() -> bytes:
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", vText(name))
        for ident, sequence, start, end, summary, description, status in rows:
            event = Event()
            event.add("uid", ident)
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            event.add("dtstart", start)
            event.add("dtend", end)
            event.add("summary", summary)
            event.add("description", description)
            event.add("status", status)
            event.add("categories", ["coaching"])
            calendar.add_component(event)
        return bytes(calendar.to_ical())

    return write


def beside_icalendar(engagement: Engagement, rounds: int) -> dict[str, float]:
    """µs per VEVENT: `to_ics` (fresh copies: cold) and icalendar writing the same events,
    alternately, best round of each."""
    written = icalendar_alone(engagement)
    count = to_ics(engagement).count(b"BEGIN:VEVENT")
    assert written().count(b"BEGIN:VEVENT") == count
    ours = theirs = float("inf")
    for _ in range(rounds):
        ours = min(ours, cold(engagement.events, to_ics, 1))
        theirs = min(theirs, _timed(written))
    return {
        "entries": count,
        "to_ics_us": ours / count * 1e6,
        "icalendar_us": theirs / count * 1e6,
    }


def main() -> None:
    import run  # the benchmark's engagement

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 2000])
    args = parser.parse_args()
    found = growth(lambda n: run.engagement(n, months=36, finish=False), args.sizes, 3)
    for name, costs in found.items():
        print(
            f"{name:26s} "
            + " ".join(f"{c:9.2f}" for c in costs)
            + f"  {costs[-1] / costs[0]:.2f}x"
        )
    print(beside_icalendar(run.engagement(200, months=36, finish=False), 5))


if __name__ == "__main__":
    main()
