"""A census of plans: how many rhythm plans put sessions on weekends, fall short of the
allotment, or draw a cadence finding when the engagement follows them exactly.

    python benchmarks/plan_census.py [--plans 2900] [--seed 21]

Rhythms are drawn at random (a fixed seed): a frequency, an interval, weekdays, now and
then a time of day, a COUNT or an UNTIL; programmes of 3, 6 and 12 months; starts over
three years; a zone from a sample; a summer break in one plan of four. Every figure is
counted from what coachflow says about the plan (`plan()`, `check()`), so a plan that
is short or holds weekend sessions *silently* (without its finding) is counted apart,
and so is a plan followed exactly that raises a cadence finding `plan.uneven` did not
foretell when it was agreed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections import Counter
from zoneinfo import ZoneInfo

from coachflow import Agreement, Break, Engagement, Goal, Mode, Party, Programme, Role, Session
from coachflow._values.calendar import add_months

ZONES = ("Europe/Stockholm", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "UTC")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def a_rhythm(rng: random.Random, start: dt.date) -> str:
    freq = rng.choice(("DAILY", "WEEKLY", "WEEKLY", "WEEKLY", "MONTHLY"))
    parts = [f"FREQ={freq}"]
    if rng.random() < 0.6:
        parts.append(f"INTERVAL={rng.randint(1, 4)}")
    if freq != "DAILY" or rng.random() < 0.3:
        chosen = sorted(rng.sample(DAYS, rng.randint(1, 3)), key=DAYS.index)
        parts.append("BYDAY=" + ",".join(chosen))
    if rng.random() < 0.5:
        parts.append(f"BYHOUR={rng.randint(7, 18)}")
    ending = rng.random()
    if ending < 0.15:
        parts.append(f"COUNT={rng.randint(1, 30)}")
    elif ending < 0.3:
        until = start + dt.timedelta(days=rng.randint(-30, 400))
        parts.append(f"UNTIL={until:%Y%m%d}")
    return ";".join(parts)


def census(plans: int, seed: int) -> Counter[str]:
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    coach = Party("coach", "Anna Lind", Role.COACH)
    client = Party("client", "Kim Berg", Role.CLIENT)
    for _ in range(plans):
        months = rng.choice((3, 6, 12))
        start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 3 * 365))
        name = rng.choice(ZONES)
        zone = ZoneInfo(name)
        breaks: tuple[Break, ...] = ()
        if rng.random() < 0.25:
            begins = start + dt.timedelta(days=rng.randint(20, 60))
            last = add_months(start, months) - dt.timedelta(days=1)
            ends = min(begins + dt.timedelta(days=rng.randint(14, 56)), last)
            breaks = (Break(begins, ends),)
        agreement = Agreement(
            Programme(months),
            start,
            [Goal("g1", "Lead the team", "a survey")],
            {Mode.DIGITAL},
            rhythm=a_rhythm(rng, start),
            time_zone=name,
            breaks=breaks,
        )
        opened = dt.datetime.combine(start - dt.timedelta(days=7), dt.time(9), zone)
        eng = Engagement.open("c", coach=coach, client=client, at=opened)
        eng.agree(agreement, at=opened + dt.timedelta(hours=1), by="coach")
        plan, programme = eng.plan(), eng.programme
        assert plan is not None and programme is not None
        found = {f.code for f in eng.check(start)}
        counts["plans"] += 1
        weekend = any(day.weekday() >= 5 for day in plan.sessions)
        short = len(plan.sessions) < programme.allotted
        counts["weekend sessions"] += weekend
        counts["weekend sessions, silently"] += weekend and "plan.weekend" not in found
        counts["short of the allotment"] += short
        counts["short, silently"] += short and "plan.short" not in found
        counts["no session at all"] += not plan.sessions
        milestones = [plan.closing, *([plan.midpoint] if plan.midpoint else [])]
        counts["milestones on a weekend"] += any(day.weekday() >= 5 for day in milestones)
        counts["closing before the last session (a weekend the series ends)"] += (
            bool(plan.sessions) and plan.closing < plan.sessions[-1]
        )
        months_ = Counter((day.year, day.month) for day in plan.sessions)
        counts["months over sessions_per_month"] += any(
            n > programme.sessions_per_month for n in months_.values()
        )
        rest = sum((b.end - b.start).days + 1 for b in breaks)
        room = (
            programme.allotted
            <= programme.sessions_per_month * ((plan.end - plan.start).days - rest) / 30.4375
        )
        uneven = "plan.uneven" in found
        counts["uneven (plan.uneven)"] += uneven
        if not short and room:
            counts["followed exactly"] += 1
            cadence = follow(eng, zone)
            counts["followed exactly, with a cadence finding"] += cadence
            counts["followed exactly, with a cadence finding not foretold"] += (
                cadence and not uneven
            )
            counts["followed exactly, foretold uneven yet clean"] += uneven and not cadence
    return counts


def follow(eng: Engagement, zone: ZoneInfo) -> bool:
    """Hold every planned session on its day (the midpoint review and the closing as
    planned); whether any cadence finding was raised on the way."""
    plan = eng.plan()
    assert plan is not None
    reviewed = plan.midpoint is None
    for index, day in enumerate(plan.sessions):
        last = index == len(plan.sessions) - 1
        if not reviewed and plan.midpoint is not None and (day >= plan.midpoint or last):
            review = dt.datetime.combine(day, dt.time(7), zone)
            eng.begin_midpoint_review(at=review, by="coach")
            eng.complete_midpoint_review(at=review + dt.timedelta(minutes=30), by="coach")
            reviewed = True
        held = dt.datetime.combine(day, dt.time(10), zone)
        if last:
            eng.begin_closing(at=held - dt.timedelta(hours=1), by="coach")
        eng.record_session(
            Session(held, 60, Mode.DIGITAL), at=held + dt.timedelta(hours=2), by="coach"
        )
        following = plan.sessions[index + 1] if not last else day + dt.timedelta(days=1)
        for today in (day, following - dt.timedelta(days=1)):
            if any(f.code.startswith("cadence.") for f in eng.check(max(today, day))):
                return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=2900)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    counts = census(args.plans, args.seed)
    width = max(map(len, counts))
    for name, count in counts.items():
        print(f"{name:<{width}}  {count:>6}")


if __name__ == "__main__":
    main()
