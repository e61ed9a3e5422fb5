"""coachflow's benchmark suite: one process run, a Markdown table and a JSON file.

    python benchmarks/run.py                 # the full run (about ten minutes here)
    python benchmarks/run.py --quick         # small N, as CI runs it so it cannot rot

Every timing is the best of several repeats (the least disturbed by a noisy machine).
Nothing here is asserted: the targets are reported beside the figures.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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
    to_ics,
    to_json,
)
from coachflow._values.events import AnyEvent
from coachflow._values.fields import snake_case

TZ = ZoneInfo("Europe/Stockholm")
START = dt.date(2027, 1, 11)
HERE = Path(__file__).resolve().parent

TARGETS = {
    "command_vs_transitions": 2.0,
    "command_vs_statemachine": 0.2,
    "replay_vs_floor": 3.0,
    "growth": 1.5,
    "portfolio_seconds": 60.0,
    "memory_bytes": 16 * 1024,
    "import_ms": 150.0,
}


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
    eng = engagement(26)
    text = to_json(eng)
    count = eng.version
    converter = floor_converter()
    events_type = list[AnyEvent]

    def floor() -> Phase:
        data = json.loads(text)
        events = converter.structure(data["events"], events_type)
        phase = Phase.AGREEMENT
        for event in events[1:]:
            phase = FOLD[(phase, snake_case(type(event).__name__))]
        return phase

    assert floor() is Phase.COMPLETED
    assert from_json(text) == eng
    ours = best(lambda: from_json(text), repeats=repeats, number=20) / count
    base = best(floor, repeats=repeats, number=20) / count
    return {"events": count, "coachflow_us": ours * 1e6, "floor_us": base * 1e6}


# -- 3. growth -------------------------------------------------------------------------------------


def growth(sizes: list[int], repeats: int) -> list[dict[str, float]]:
    rows = []
    for size in sizes:
        eng = engagement(size, months=36, finish=False)
        today = eng.end
        assert today is not None
        events = eng.events
        number = max(1, 2400 // size)

        def queries_once(e: Engagement = eng, t: dt.date = today) -> object:
            return e.check(t), e.next_actions(t)

        def replay_once(ev: tuple[Any, ...] = events) -> object:
            return Engagement.replay(ev)

        def calendar_once(e: Engagement = eng) -> object:
            return to_ics(e)

        queries = best(queries_once, repeats=repeats, number=number)
        replay = best(replay_once, repeats=repeats, number=number)
        calendar = best(calendar_once, repeats=repeats, number=max(1, number // 4))
        rows.append(
            {
                "sessions": size,
                "queries_us_per_session": queries / size * 1e6,
                "replay_us_per_session": replay / size * 1e6,
                "to_ics_us_per_session": calendar / size * 1e6,
            }
        )
    return rows


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
    return {"events": events, "bytes_per_engagement": (after - before) / count}


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


def encryption_cost(count: int, repeats: int) -> dict[str, float]:
    """Save and load of the demo's engagement (34 events) in SQLite, with and without a
    key, side by side: rounds alternate, the best round of each counts (µs per
    engagement)."""
    import tempfile

    from coachflow._outputs.demo import demo_engagement
    from coachflow.store import SQLStore

    document = to_json(demo_engagement())
    key = os.urandom(32)
    best_of: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(repeats):
            for keyed in (False, True):
                label = "keyed" if keyed else "plain"
                path = Path(folder) / f"{label}-{round_}.db"
                store = SQLStore(path, key=key if keyed else None)
                engagements = [
                    from_json(document.replace("eng-2027-001", f"e-{n}")) for n in range(count)
                ]
                started = time.perf_counter()
                for engagement in engagements:
                    store.save(engagement)
                saved = time.perf_counter()
                for n in range(count):
                    store.load(f"e-{n}")
                loaded = time.perf_counter()
                store.close()
                for name, seconds in (("save", saved - started), ("load", loaded - saved)):
                    key_name = f"{label}_{name}_us"
                    micro = seconds / count * 1e6
                    best_of[key_name] = min(best_of.get(key_name, micro), micro)
    best_of["engagements"] = count
    return best_of


# -- the report ------------------------------------------------------------------------------------------------


def report(results: dict[str, Any]) -> str:
    c, r, p, m, i = (results[k] for k in ("command", "replay", "portfolio", "memory", "import"))
    e = results["encryption"]
    g = results["growth"]
    growth_q = g[-1]["queries_us_per_session"] / g[0]["queries_us_per_session"]
    growth_r = g[-1]["replay_us_per_session"] / g[0]["replay_us_per_session"]
    growth_c = g[-1]["to_ics_us_per_session"] / g[0]["to_ics_us_per_session"]
    rows = [
        ("record_session (µs)", f"{c['coachflow_us']:.1f}", ""),
        ("raw transitions trigger with a guard (µs)", f"{c['transitions_us']:.1f}", ""),
        ("python-statemachine 3 send (µs)", f"{c['statemachine_us']:.1f}", ""),
        ("dict-table floor (µs)", f"{c['floor_us']:.2f}", ""),
        ("command vs transitions", f"{c['coachflow_us'] / c['transitions_us']:.2f}×", "≤ 2.0×"),
        (
            "command vs python-statemachine",
            f"{c['coachflow_us'] / c['statemachine_us']:.3f}×",
            "≤ 0.2×",
        ),
        (f"from_json per event ({r['events']} events, µs)", f"{r['coachflow_us']:.1f}", ""),
        ("floor per event (json + cattrs + dict fold, µs)", f"{r['floor_us']:.1f}", ""),
        ("replay vs floor", f"{r['coachflow_us'] / r['floor_us']:.2f}×", "≤ 3.0×"),
    ]
    for row in g:
        rows.append(
            (
                f"{row['sessions']} sessions: check + next_actions / replay / to_ics "
                "(µs per session)",
                f"{row['queries_us_per_session']:.2f} / {row['replay_us_per_session']:.2f} / "
                f"{row['to_ics_us_per_session']:.0f}",
                "",
            )
        )
    rows += [
        (
            f"growth {g[0]['sessions']} → {g[-1]['sessions']}: queries / replay",
            f"{growth_q:.2f}× / {growth_r:.2f}×",
            "≤ 1.5×",
        ),
        (
            f"growth {g[0]['sessions']} → {g[-1]['sessions']}: to_ics",
            f"{growth_c:.2f}×",
            "≤ 2.0×",
        ),
        (
            f"portfolio: {p['engagements']:,} engagements (~{p['mean_events']:.0f} events), one process",
            f"{p['one_process_seconds']:.1f} s ({p['one_process_per_second']:,.0f}/s)",
            "≤ 60 s",
        ),
        (
            f"portfolio on {p['cores']} cores",
            f"{p['all_cores_seconds']:.1f} s ({p['all_cores_per_second']:,.0f}/s)",
            "",
        ),
        (
            "portfolio peak memory: traced in a round / process max RSS",
            f"{p['peak_bytes_traced'] / 1e6:.1f} MB / {p['max_rss_bytes'] / 1e6:.0f} MB",
            "",
        ),
        (
            f"memory per loaded {m['events']}-event engagement",
            f"{m['bytes_per_engagement'] / 1024:.1f} KB",
            "≤ 16 KB",
        ),
        (
            "SQLite save per 34-event engagement: plain / with a key (µs)",
            f"{e['plain_save_us']:.0f} / {e['keyed_save_us']:.0f} "
            f"({e['keyed_save_us'] / e['plain_save_us']:.2f}×)",
            "",
        ),
        (
            "SQLite load per 34-event engagement: plain / with a key (µs)",
            f"{e['plain_load_us']:.0f} / {e['keyed_load_us']:.0f} "
            f"({e['keyed_load_us'] / e['plain_load_us']:.2f}×)",
            "",
        ),
        (
            "import coachflow (best / median)",
            f"{i['best_ms']:.0f} / {i['median_ms']:.0f} ms",
            "≤ 150 ms",
        ),
    ]
    lines = ["| figure | measured | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {t} |" for a, b, t in rows]
    return "\n".join(lines) + "\n"


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
    results = {
        "python": sys.version.split()[0],
        "quick": quick,
        "command": command_cost(50 if quick else 500, repeats),
        "replay": replay_cost(repeats),
        "growth": growth([6, 24] if quick else [6, 24, 240, 2400], repeats),
        "portfolio": portfolio(200 if quick else 100_000, 100 if quick else 500),
        "memory": memory_per_engagement(100 if quick else 1000),
        "import": import_time(3 if quick else 15),
        "encryption": encryption_cost(20 if quick else 300, repeats),
    }
    table = report(results)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "quick" if quick else "full"
    (args.out / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / f"{name}.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
