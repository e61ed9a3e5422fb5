"""This coachflow beside an earlier revision of it, measured side by side in one process.

    python benchmarks/compare_release.py --rev 73b77c3

The earlier revision's ``src/coachflow`` is taken from git (``git archive``) and imported
under another name, so that both run in the same process, alternately, round after
round: a noisy machine slows both alike, and the best round of each is compared. Only
the API both revisions have is used: loading a document (per event), loading and
checking a portfolio document, replaying a live engagement (per session), and one
command (``record_session``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = dt.date(2027, 1, 11)


def earlier_package(rev: str, into: Path) -> str:
    """Extract ``src/coachflow`` at *rev* as the package ``coachflow_before`` in *into*."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src/coachflow"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    package = into / "coachflow_before"
    (into / "src" / "coachflow").rename(package)
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\bcoachflow\b(?=[. ]|$)", "coachflow_before", text, flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    return "coachflow_before"


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), STOCKHOLM)


def engagement(cf: Any, sessions: int, months: int) -> Any:
    """The benchmark suite's engagement, with the API every revision has."""
    eng = cf.Engagement.open(
        "bench",
        coach=cf.Party("coach", "Anna Lind", cf.Role.COACH),
        client=cf.Party("client", "Kim Berg", cf.Role.CLIENT),
        sponsor=cf.Party("sponsor", "Mia Ek", cf.Role.SPONSOR),
        at=at(START - dt.timedelta(days=7)),
    )
    goals = (cf.Goal("g1", "Lead calm meetings"), cf.Goal("g2", "Delegate reporting"))
    modes = {cf.Mode.IN_PERSON, cf.Mode.DIGITAL}
    agreement = cf.Agreement(cf.Programme(months), START, goals, modes)
    eng.agree(agreement, at=at(START - dt.timedelta(days=7), 10), by="coach")
    span = (eng.end - START).days
    step = dt.timedelta(minutes=span * 24 * 60 // max(sessions, 1))
    for number in range(sessions):
        held = at(START) + number * step
        homework = (cf.Assignment(f"a{number}", "Practise"),) if number % 2 == 0 else ()
        reviewed = (f"a{number - 1}",) if number % 2 == 1 else ()
        eng.record_session(
            cf.Session(held, 75, cf.Mode.DIGITAL, homework, reviewed),
            at=held + dt.timedelta(minutes=1),
            by="coach",
        )
    return eng


def measures(cf: Any) -> dict[str, tuple[Callable[[], object], int, float]]:
    """What to time: (one call, calls per round, units per call)."""
    live, small = engagement(cf, 240, 36), engagement(cf, 6, 6)
    document = cf.to_json(engagement(cf, 24, 6))
    events = len(cf.from_json(document).events)
    today = dt.date(2027, 5, 1)
    sessions = [cf.Session(at(START + dt.timedelta(days=d)), 75, cf.Mode.DIGITAL) for d in range(200)]  # fmt: skip

    def portfolio_document() -> object:
        loaded = cf.from_json(document)
        return loaded.check(today), loaded.next_actions(today)

    def commands() -> object:
        eng = engagement(cf, 0, 36)
        for number, session in enumerate(sessions):
            eng.record_session(session, at=at(START + dt.timedelta(days=number), 12), by="coach")
        return eng

    return {
        "from_json, per event (µs)": (lambda: cf.from_json(document), 50, events),
        "portfolio document: load + check + next_actions (µs)": (portfolio_document, 50, 1),
        "replay of a live 240-session engagement, per session (µs)": (
            lambda: cf.Engagement.replay(live.events),
            5,
            240,
        ),
        "replay of a live 6-session engagement, per replay (µs)": (
            lambda: cf.Engagement.replay(small.events),
            200,
            1,
        ),
        "record_session, per command (µs)": (commands, 2, 200),
    }


def best_rounds(modules: dict[str, ModuleType], rounds: int) -> dict[str, dict[str, float]]:
    work = {name: measures(module) for name, module in modules.items()}
    best: dict[str, dict[str, float]] = {name: {} for name in modules}
    for _ in range(rounds):
        for name, items in work.items():  # alternately: both see the same machine
            for label, (call, number, units) in items.items():
                started = time.perf_counter()
                for _ in range(number):
                    call()
                cost = (time.perf_counter() - started) / number / units * 1e6
                best[name][label] = min(best[name].get(label, cost), cost)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rev", required=True, help="the earlier revision (a git commit or tag)")
    parser.add_argument("--rounds", type=int, default=15, help="rounds of each (default 15)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        name = earlier_package(args.rev, Path(folder))
        sys.path.insert(0, folder)
        modules = {
            args.rev: importlib.import_module(name),
            "now": importlib.import_module("coachflow"),
        }
        best = best_rounds(modules, args.rounds)
    print(f"| figure | {args.rev} | now | now / {args.rev} |")
    print("|---|---|---|---|")
    for label, before in best[args.rev].items():
        now = best["now"][label]
        print(f"| {label} | {before:.2f} | {now:.2f} | {now / before:.2f}× |")


if __name__ == "__main__":
    main()
