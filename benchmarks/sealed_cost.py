"""What sealing costs: saves and loads of a sealed store beside a plain one, and a rekey.

    python benchmarks/sealed_cost.py [--engagements 1000] [--rounds 3]

On SQLite, in one process, round after round (the best round of each kept): save the
demo engagement (21 events) under *--engagements* ids into a plain store and into a
sealed one, load them all back, then `rekey` the sealed store.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time

from coachflow import from_json, to_json
from coachflow._outputs.demo import demo_engagement
from coachflow.store import SQLStore


def one_round(folder: str, count: int, key: bytes | None) -> tuple[float, float, float]:
    path = os.path.join(folder, f"{'sealed' if key else 'plain'}-{time.monotonic_ns()}.db")
    text = to_json(demo_engagement())
    engagements = [from_json(text.replace("eng-2027-001", f"e-{n}")) for n in range(count)]
    with contextlib.closing(SQLStore(path, key=key)) as store:
        started = time.perf_counter()
        for engagement in engagements:
            store.save(engagement)
        saved = time.perf_counter() - started
        started = time.perf_counter()
        for engagement in engagements:
            store.load(engagement.id)
        loaded = time.perf_counter() - started
        rekeyed = 0.0
        if key is not None:
            started = time.perf_counter()
            store.rekey(os.urandom(32))
            rekeyed = time.perf_counter() - started
    return saved, loaded, rekeyed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engagements", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    best: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            for name, key in (("plain", None), ("sealed", os.urandom(32))):
                figures = one_round(folder, args.engagements, key)
                earlier = best.get(name, figures)
                best[name] = [min(a, b) for a, b in zip(earlier, figures, strict=True)]
    n = args.engagements
    plain, sealed = best["plain"], best["sealed"]
    print(f"| SQLite, {n:,} engagements of 21 events | plain | sealed | sealed / plain |")
    print("|---|---|---|---|")
    for index, what in ((0, "save, per engagement"), (1, "load, per engagement")):
        print(
            f"| {what} | {plain[index] / n * 1e3:.2f} ms | {sealed[index] / n * 1e3:.2f} ms "
            f"| {sealed[index] / plain[index]:.2f} |"
        )
    print(f"| rekey, per 1,000 engagements | | {sealed[2] / n * 1e3:.2f} s | |")


if __name__ == "__main__":
    main()
