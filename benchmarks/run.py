"""coachflow's benchmark suite: one process run, a Markdown table and a JSON file.

    python benchmarks/run.py                 # the full run (about ten minutes here)
    python benchmarks/run.py --quick         # small N, as CI runs it so it cannot rot

Every timing is the best of several repeats (the least disturbed by a noisy machine).
Nothing here is asserted: the targets are reported beside the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import cattrs
from cattrs.preconf.json import make_converter
from cattrs.strategies import configure_tagged_union

from coachflow import (
    ActionPlan,
    Agreement,
    Assignment,
    Attainment,
    Engagement,
    Goal,
    Mode,
    Party,
    Phase,
    Programme,
    ReformulateGoal,
    Role,
    Session,
    from_json,
    to_json,
)
from coachflow._values.events import EVENT_TYPES, AnyEvent
from coachflow._values.fields import snake_case

TZ = ZoneInfo("Europe/Stockholm")
START = dt.date(2027, 1, 11)
HERE = Path(__file__).resolve().parent

GOALS = {
    "command_vs_transitions": 0.5,
    "command_vs_statemachine": 0.2,
    "replay_vs_floor": 1.2,
    "growth": 2.0,
    "growth_check": 1.5,
    "to_ics_vs_icalendar": 3.0,
    "portfolio_seconds": 20.0,
    "memory_bytes": 12 * 1024,
    "import_ms": 150.0,
    "save_vs_eventsourcing": 0.6,
    "load_vs_eventsourcing": 0.4,
    "save_vs_floor": 2.0,
}
"""The goals each row is reported against (issue #25's; "x" rows are ratios)."""


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TZ)


def best(run: Callable[[], object], *, repeats: int, number: int = 1) -> float:
    """The best time of *repeats* runs of *number* calls, in seconds per call."""
    times = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        for _ in range(number):
            run()
        times.append((time.perf_counter() - started) / number)
    return min(times)


# -- engagements to measure ----------------------------------------------------------------


def engagement(
    sessions: int, *, months: int = 6, finish: bool = True, ident: str = "bench"
) -> Engagement:
    """An engagement with *sessions* sessions (homework and follow-ups included),
    a midpoint review, and (if *finish*) a closing and a three-party follow-up."""
    eng = Engagement.open(
        ident,
        coach=Party("coach", "Anna Lind", Role.COACH),
        client=Party("client", "Kim Berg", Role.CLIENT),
        sponsor=Party("sponsor", "Mia Ek", Role.SPONSOR),
        at=at(START - dt.timedelta(days=7)),
    )
    eng.agree(
        Agreement(
            Programme(months),
            START,
            (Goal("g1", "Lead calm meetings"), Goal("g2", "Delegate reporting")),
            {Mode.IN_PERSON, Mode.DIGITAL},
            three_party_follow_up=True,
        ),
        at=at(START - dt.timedelta(days=7), 10),
        by="coach",
    )
    span = (eng.end - START).days  # type: ignore[operator]
    step = dt.timedelta(minutes=span * 24 * 60 // max(sessions, 1))
    first = at(START)
    for number in range(sessions):
        held = first + number * step
        if number == sessions // 2:
            eng.begin_midpoint_review(at=held - dt.timedelta(minutes=3), by="coach")
            eng.complete_midpoint_review(
                at=held - dt.timedelta(minutes=2),
                by="coach",
                revisions=[ReformulateGoal("g1", "Lead short meetings")],
            )
        homework = (Assignment(f"a{number}", "Practise"),) if number % 2 == 0 else ()
        reviewed = (f"a{number - 1}",) if number % 2 == 1 else ()
        eng.record_session(
            Session(held, 75, Mode.DIGITAL, homework, reviewed),
            at=held + dt.timedelta(minutes=1),
            by="coach",
        )
    if finish:
        end = eng.end
        assert end is not None
        eng.begin_closing(at=at(end), by="coach")
        eng.close(
            at=at(end, 10),
            by="coach",
            attainment=[Attainment(g.id, 1) for g in eng.goals],
            action_plan=ActionPlan(["Keep going"]),
        )
        eng.hold_follow_up(
            at=at(end + dt.timedelta(days=30)), by="coach", participants=["client", "sponsor"]
        )
    return eng


# -- 1. command cost --------------------------------------------------------------------------


def command_cost(calls: int, repeats: int) -> dict[str, float]:
    from statemachine import State, StateMachine
    from transitions import Machine

    days = [START + dt.timedelta(days=i) for i in range(calls)]
    sessions = [Session(at(d), 75, Mode.DIGITAL) for d in days]
    moments = [at(d, 12) for d in days]

    def ours() -> float:
        eng = engagement(0, finish=False)
        started = time.perf_counter()
        for session, moment in zip(sessions, moments, strict=True):
            eng.record_session(session, at=moment, by="coach")
        return time.perf_counter() - started

    def timed(fn: Callable[[], float]) -> float:
        results = []
        for _ in range(repeats):
            gc.collect()
            results.append(fn() / calls)
        return min(results)

    states = [p.value for p in Phase]

    class Model:
        state = "active"

    def guard(*_: object, **__: object) -> bool:
        return True

    machine = Machine(
        model=None,
        states=states,
        initial="agreement",
        transitions=[
            {
                "trigger": "record_session",
                "source": ["active", "midpoint_review", "closing"],
                "dest": None,
                "conditions": [guard],
            },
            {"trigger": "agree", "source": "agreement", "dest": "active"},
        ],
        auto_transitions=False,
    )
    model = Model()
    trigger = machine.events["record_session"].trigger

    def raw() -> float:
        started = time.perf_counter()
        for _ in range(calls):
            trigger(model)
        return time.perf_counter() - started

    class Process(StateMachine):  # the same shape, in python-statemachine 3
        agreement = State(initial=True)
        active = State()
        midpoint_review = State()
        closing = State()
        completed = State(final=True)
        agree = agreement.to(active)
        record_session = (
            active.to.itself(internal=True, cond="allowed")  # type: ignore[no-untyped-call]
            | midpoint_review.to.itself(internal=True, cond="allowed")  # type: ignore[no-untyped-call]
            | closing.to.itself(internal=True, cond="allowed")  # type: ignore[no-untyped-call]
        )
        begin_midpoint_review = active.to(midpoint_review)
        complete_midpoint_review = midpoint_review.to(active)
        begin_closing = active.to(closing)
        close = closing.to(completed)

        def allowed(self) -> bool:
            return True

    def peer() -> float:
        sm = Process()
        sm.send("agree")
        started = time.perf_counter()
        for _ in range(calls):
            sm.send("record_session")
        return time.perf_counter() - started

    table = {("active", "record_session"): None, ("agreement", "agree"): "active"}

    def floor() -> float:
        state, log = "active", []
        started = time.perf_counter()
        for session in sessions:
            key = (state, "record_session")
            if key not in table or not guard(session):
                raise RuntimeError
            state = table[key] or state
            log.append(session)
        return time.perf_counter() - started

    return {
        "coachflow_us": timed(ours) * 1e6,
        "transitions_us": timed(raw) * 1e6,
        "statemachine_us": timed(peer) * 1e6,
        "floor_us": timed(floor) * 1e6,
    }


# -- 2. replay ----------------------------------------------------------------------------------


def floor_converter() -> cattrs.Converter:
    """Plain cattrs: the preconf JSON converter and its tagged-union strategy."""
    converter = make_converter()
    configure_tagged_union(
        AnyEvent, converter, tag_generator=lambda cl: snake_case(cl.__name__), tag_name="type"
    )
    return converter


_GENERIC: dict[Any, type] = {}


def generic(cls: Any) -> type:
    """A generic attrs class of *cls*'s fields and types (nested classes made generic
    too): no validators, no converters, not frozen: what cattrs structures at its best."""
    if cls in _GENERIC:
        return _GENERIC[cls]
    attrs.resolve_types(cls)
    fields = {
        f.name: attrs.field(type=_generic_type(f.type), kw_only=True)
        if f.default is attrs.NOTHING
        else attrs.field(type=_generic_type(f.type), default=f.default, kw_only=True)
        for f in attrs.fields(cls)
    }
    made = _GENERIC[cls] = attrs.make_class(cls.__name__, fields, slots=True)
    return made


def _generic_type(kind: Any) -> Any:
    if attrs.has(kind):
        return generic(kind)
    origin = typing.get_origin(kind)
    if origin is None:
        return kind
    arguments = tuple(_generic_type(a) for a in typing.get_args(kind))
    if origin in (typing.Union, types.UnionType):
        return typing.Union[arguments]  # noqa: UP007 - built from a tuple
    return origin[arguments]


FOLD = {
    (Phase.AGREEMENT, "agreed"): Phase.ACTIVE,
    (Phase.ACTIVE, "session_recorded"): Phase.ACTIVE,
    (Phase.ACTIVE, "midpoint_review_begun"): Phase.MIDPOINT_REVIEW,
    (Phase.MIDPOINT_REVIEW, "midpoint_review_completed"): Phase.ACTIVE,
    (Phase.ACTIVE, "closing_begun"): Phase.CLOSING,
    (Phase.CLOSING, "closed"): Phase.FOLLOW_UP,
    (Phase.FOLLOW_UP, "follow_up_held"): Phase.COMPLETED,
}


def replay_cost(repeats: int) -> dict[str, float]:
    """Loading a document per event, beside two floors doing less: the standard json
    module and cattrs structuring each event into a generic attrs class of the same
    fields (the floor of the goal), or into coachflow's own classes (their validators
    run); then one table step per event."""
    eng = engagement(26)
    text = to_json(eng)
    count = eng.version
    generic_events = [generic(kind) for kind in EVENT_TYPES]
    tags = {generic(kind): snake_case(kind.__name__) for kind in EVENT_TYPES}
    union: Any = typing.Union[tuple(generic_events)]  # noqa: UP007 - built from a tuple
    plain = make_converter()
    configure_tagged_union(
        union, plain, tag_generator=lambda cl: snake_case(cl.__name__), tag_name="type"
    )
    typed = floor_converter()
    typed_tags = {kind: snake_case(kind.__name__) for kind in EVENT_TYPES}

    def fold(events: list[Any], tag: dict[type, str]) -> Phase:
        phase = Phase.AGREEMENT
        for event in events[1:]:
            phase = FOLD[(phase, tag[type(event)])]
        return phase

    def floor() -> Phase:
        return fold(plain.structure(json.loads(text)["events"], list[union]), tags)

    def floor_typed() -> Phase:
        data = json.loads(text)["events"]
        return fold(typed.structure(data, list[AnyEvent]), typed_tags)

    assert floor() is Phase.COMPLETED and floor_typed() is Phase.COMPLETED
    assert from_json(text) == eng
    found: dict[str, float] = {"events": count}
    for _ in range(repeats):  # alternately: both see the same machine
        for name, call in (
            ("coachflow", lambda: from_json(text)),
            ("floor", floor),
            ("typed", floor_typed),
        ):
            cost = best(call, repeats=1, number=20)
            found[f"{name}_us"] = min(found.get(f"{name}_us", 1e9), cost / count * 1e6)
    return found


# -- 3. growth -------------------------------------------------------------------------------------


def growth(sizes: list[int], copies: int) -> dict[str, list[float]]:
    """µs per session of every output (cold: `outputs.cold`) for each size, 36 months."""
    import outputs

    return outputs.growth(lambda n: engagement(n, months=36, finish=False), sizes, copies)


def calendar_beside_icalendar(sessions: int, rounds: int) -> dict[str, float]:
    import outputs

    return outputs.beside_icalendar(engagement(sessions, months=36, finish=False), rounds)


def store_side_by_side(count: int, rounds: int) -> dict[str, float]:
    import store_floor

    return store_floor.side_by_side(count, rounds)


# -- 4. portfolio -------------------------------------------------------------------------------------


def portfolio_documents(distinct: int) -> list[str]:
    """Documents of mixed phases, about 30 events each."""
    rng = random.Random(12)
    documents = []
    for number in range(distinct):
        sessions = rng.randint(20, 28)
        eng = engagement(sessions, finish=rng.random() < 0.5, ident=f"p-{number}")
        if eng.phase is Phase.ACTIVE and rng.random() < 0.3:
            eng.pause(at=eng.events[-1].at, by="client", reason="leave")
        documents.append(to_json(eng))
    return documents


def check_documents(documents: list[str], today: dt.date = dt.date(2027, 6, 1)) -> int:
    findings = 0
    for text in documents:
        eng = from_json(text)
        findings += len(eng.check(today)) + len(eng.next_actions(today))
    return findings


def _worker(arguments: tuple[list[str], int]) -> int:
    documents, times = arguments
    return sum(check_documents(documents) for _ in range(times))


def portfolio(total: int, distinct: int) -> dict[str, float]:
    import resource

    documents = portfolio_documents(distinct)
    events = statistics.mean(len(json.loads(d)["events"]) for d in documents)
    rounds = max(1, total // distinct)
    gc.collect()
    started = time.perf_counter()
    for _ in range(rounds):
        check_documents(documents)
    one = time.perf_counter() - started
    tracemalloc.start()  # one more round, traced (tracing slows it: not timed)
    check_documents(documents)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    cores = os.cpu_count() or 1
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        shares = [rounds // cores + (1 if i < rounds % cores else 0) for i in range(cores)]
        pool.map(_worker, [(documents, share) for share in shares if share])
    many = time.perf_counter() - started
    return {
        "engagements": rounds * distinct,
        "mean_events": events,
        "one_process_seconds": one,
        "one_process_per_second": rounds * distinct / one,
        "cores": cores,
        "all_cores_seconds": many,
        "all_cores_per_second": rounds * distinct / many,
        "peak_bytes_traced": peak,
        "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


# -- 5. memory, 6. import --------------------------------------------------------------------------------


def memory_per_engagement(count: int) -> dict[str, float]:
    text = to_json(engagement(26))
    events = len(json.loads(text)["events"])
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [from_json(text) for _ in range(count)]
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(kept) == count
    del kept
    gc.collect()
    tracemalloc.start()  # the events alone: each engagement loaded, only its events kept
    alone = tracemalloc.get_traced_memory()[0]
    histories = [from_json(text).events for _ in range(count)]
    gc.collect()
    events_bytes = (tracemalloc.get_traced_memory()[0] - alone) / count
    tracemalloc.stop()
    assert len(histories) == count
    return {
        "events": events,
        "bytes_per_engagement": (after - before) / count,
        "events_bytes_per_engagement": events_bytes,
    }


def import_time(repeats: int) -> dict[str, float]:
    """A fresh interpreter's ``import coachflow``, bytecode compiled as an install would."""
    import compileall

    import coachflow

    compileall.compile_dir(str(Path(coachflow.__file__).parent), quiet=1)
    code = "import time; t = time.perf_counter(); import coachflow; print(time.perf_counter() - t)"
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return {"best_ms": min(times) * 1000, "median_ms": statistics.median(times) * 1000}


# -- the report ------------------------------------------------------------------------------------------------


Row = tuple[str, str, str, bool | None]
"""A row of the report: figure, measured, goal, whether the goal is met (None: no goal)."""


def _ratio(label: str, value: float, goal: float, digits: int = 2) -> Row:
    return (label, f"{value:.{digits}f}×", f"≤ {goal}×", value <= goal)


def report_rows(results: dict[str, Any]) -> list[Row]:
    c, r, p, m, i = (results[k] for k in ("command", "replay", "portfolio", "memory", "import"))
    g, cal, st = results["growth"], results["calendar"], results["store"]
    sizes = results["sizes"]
    rows: list[Row] = [
        ("record_session (µs)", f"{c['coachflow_us']:.2f}", "", None),
        ("raw transitions trigger with a guard (µs)", f"{c['transitions_us']:.2f}", "", None),
        ("python-statemachine 3 send (µs)", f"{c['statemachine_us']:.1f}", "", None),
        ("dict-table floor (µs)", f"{c['floor_us']:.2f}", "", None),
        _ratio(
            "command vs transitions",
            c["coachflow_us"] / c["transitions_us"],
            GOALS["command_vs_transitions"],
        ),
        _ratio(
            "command vs python-statemachine",
            c["coachflow_us"] / c["statemachine_us"],
            GOALS["command_vs_statemachine"],
            3,
        ),
        (f"from_json per event ({r['events']} events, µs)", f"{r['coachflow_us']:.2f}", "", None),
        (
            "floor per event: json + cattrs into generic attrs classes + a table step (µs)",
            f"{r['floor_us']:.2f}",
            "",
            None,
        ),
        (
            "the same into coachflow's classes, validators run (µs)",
            f"{r['typed_us']:.2f}",
            "",
            None,
        ),
        _ratio(
            "replay (from_json) vs floor",
            r["coachflow_us"] / r["floor_us"],
            GOALS["replay_vs_floor"],
        ),
    ]
    small, large = sizes[0], sizes[-1]
    for name, costs in g.items():
        goal = GOALS["growth_check"] if name == "check" else GOALS["growth"]
        per = " / ".join(f"{cost:.2f}" for cost in costs)
        growth = costs[-1] / costs[0]
        rows.append(
            (
                f"{name}: µs per session at {' / '.join(map(str, sizes))} sessions; growth {small} → {large}",
                f"{per}; {growth:.2f}×",
                f"≤ {goal}×",
                growth <= goal,
            )
        )
    rows += [
        (
            f"to_ics per entry ({cal['entries']} entries, µs) / icalendar writing the same VEVENTs",
            f"{cal['to_ics_us']:.1f} / {cal['icalendar_us']:.1f}",
            "",
            None,
        ),
        _ratio(
            "to_ics vs icalendar alone",
            cal["to_ics_us"] / cal["icalendar_us"],
            GOALS["to_ics_vs_icalendar"],
        ),
        (
            f"portfolio: {p['engagements']:,} engagements (~{p['mean_events']:.0f} events) loaded, checked, next actions; one process",
            f"{p['one_process_seconds']:.1f} s ({p['one_process_per_second']:,.0f}/s)",
            f"≤ {GOALS['portfolio_seconds'] * p['engagements'] / 100_000:g} s",
            p["one_process_seconds"] * 100_000 / p["engagements"] <= GOALS["portfolio_seconds"],
        ),
        (
            "portfolio per engagement (µs) / its events at the replay floor alone (µs)",
            f"{p['one_process_seconds'] / p['engagements'] * 1e6:.0f}"
            f" / {r['floor_us'] * p['mean_events']:.0f}",
            "",
            None,
        ),
        (
            f"portfolio on {p['cores']} cores",
            f"{p['all_cores_seconds']:.1f} s ({p['all_cores_per_second']:,.0f}/s)",
            "",
            None,
        ),
        (
            "portfolio peak memory: traced in a round / process max RSS",
            f"{p['peak_bytes_traced'] / 1e6:.1f} MB / {p['max_rss_bytes'] / 1e6:.0f} MB",
            "",
            None,
        ),
        (
            f"memory per loaded {m['events']}-event engagement",
            f"{m['bytes_per_engagement'] / 1024:.1f} KB",
            f"≤ {GOALS['memory_bytes'] / 1024:g} KB",
            m["bytes_per_engagement"] <= GOALS["memory_bytes"],
        ),
        (
            "of which its events alone (the engagement dropped, its history kept)",
            f"{m['events_bytes_per_engagement'] / 1024:.1f} KB",
            "",
            None,
        ),
        (
            "import coachflow (best / median)",
            f"{i['best_ms']:.0f} / {i['median_ms']:.0f} ms",
            f"≤ {GOALS['import_ms']:g} ms",
            i["best_ms"] <= GOALS["import_ms"],
        ),
    ]
    events = st["events"]
    for name in ("save", "load"):
        sides = [("plain", "coachflow"), ("sealed", "coachflow sealed"), ("floor", "raw sqlite3")]
        if "eventsourcing_save" in st:
            sides.append(("eventsourcing", "eventsourcing 9.5"))
        rows.append(
            (
                f"SQLite {name} per {events}-event engagement (µs): "
                + " / ".join(label for _, label in sides),
                " / ".join(f"{st[f'{side}_{name}']:.0f}" for side, _ in sides),
                "",
                None,
            )
        )
        rows.append(
            (
                f"sealed {name} vs plain",
                f"{st[f'sealed_{name}'] / st[f'plain_{name}']:.2f}×",
                "",
                None,
            )
        )
        if "eventsourcing_save" in st:
            goal = GOALS[f"{name}_vs_eventsourcing"]
            rows.append(
                _ratio(
                    f"{name} vs eventsourcing",
                    st[f"plain_{name}"] / st[f"eventsourcing_{name}"],
                    goal,
                )
            )
    rows.append(
        _ratio(
            "save vs raw sqlite3 (the same encoded rows and summary row)",
            st["plain_save"] / st["floor_save"],
            GOALS["save_vs_floor"],
        )
    )
    rows.append(
        (
            "load vs raw sqlite3 + orjson reading the same rows",
            f"{st['plain_load'] / st['floor_load']:.2f}×",
            "",
            None,
        )
    )
    return rows


def report(results: dict[str, Any]) -> str:
    rows = report_rows(results)
    met = sum(1 for *_, ok in rows if ok)
    goals = sum(1 for *_, ok in rows if ok is not None)
    machine = results["machine"]
    lines = [
        f"Run {machine['when']} on {machine['cpu']} ({machine['cores']} cores, "
        f"{machine['memory_gb']:.0f} GB), {machine['system']}, Python {machine['python']}, "
        f"coachflow {machine['revision']}{' (quick)' if results['quick'] else ''}.",
        "",
        f"Goals met: {met} of {goals}.",
        "",
        "| figure | measured | goal | met |",
        "|---|---|---|---|",
    ]
    marks = {True: "yes", False: "**no**", None: ""}
    lines += [f"| {a} | {b} | {goal} | {marks[ok]} |" for a, b, goal, ok in rows]
    return "\n".join(lines) + "\n"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import platform

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 1024 / 1024
    revision = subprocess.run(
        ["git", "-C", str(HERE), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count() or 1,
        "memory_gb": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "revision": revision or "unknown",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small N: checks the suite runs")
    parser.add_argument(
        "--out", type=Path, default=HERE / "results", help="folder for the results"
    )
    args = parser.parse_args()
    quick = args.quick
    repeats = 3 if quick else 7
    sizes = [10, 40] if quick else [100, 2000]
    results = {
        "machine": machine(),
        "quick": quick,
        "sizes": sizes,
        "command": command_cost(50 if quick else 500, repeats),
        "replay": replay_cost(repeats if quick else 15),  # alternating rounds: the best of each
        "growth": growth(sizes, 2 if quick else 5),
        "calendar": calendar_beside_icalendar(10 if quick else 200, repeats),
        "portfolio": portfolio(200 if quick else 100_000, 100 if quick else 500),
        "memory": memory_per_engagement(100 if quick else 1000),
        "import": import_time(3 if quick else 15),
        "store": store_side_by_side(20 if quick else 300, 2 if quick else 5),
    }
    table = report(results)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "quick" if quick else "full"
    (args.out / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / f"{name}.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
