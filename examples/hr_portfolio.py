"""An HR system's view of many engagements: phases, findings and what is due this week.

It opens 200 engagements with a seeded random generator, runs each some way through the
process with the public commands, keeps them in a SQLite store, and then reports from
the store's summaries and from the engagements themselves.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections import Counter
from zoneinfo import ZoneInfo

from coachflow import (
    ActionPlan,
    Agreement,
    Attainment,
    Engagement,
    Goal,
    Mode,
    Party,
    Phase,
    Programme,
    Role,
    Session,
    Severity,
)
from coachflow.store import SQLStore

TZ = ZoneInfo("Europe/Stockholm")
TODAY = dt.date(2027, 6, 14)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), TZ)


def one_engagement(number: int, rng: random.Random) -> Engagement:
    """An engagement started some time before TODAY, run as far as TODAY allows."""
    start = TODAY - dt.timedelta(days=rng.randint(0, 400))
    months = rng.choice((3, 6, 6, 12))
    eng = Engagement.open(
        f"hr-{number:04d}",
        coach=Party(f"coach-{number % 7}", f"Coach {number % 7}", Role.COACH),
        client=Party(f"client-{number}", f"Client {number}", Role.CLIENT),
        sponsor=Party(f"manager-{number % 13}", f"Manager {number % 13}", Role.SPONSOR),
        at=at(start - dt.timedelta(days=7)),
    )
    if rng.random() < 0.05:
        return eng  # still making the agreement
    eng.agree(
        Agreement(
            Programme(months),
            start,
            (Goal("g1", "Lead with focus"), Goal("g2", "Delegate more")),
            {Mode.IN_PERSON, Mode.DIGITAL},
            three_party_follow_up=rng.random() < 0.5,
        ),
        at=at(start - dt.timedelta(days=7), 10),
        by=eng.coach.id,
    )
    end = eng.end
    assert end is not None
    day, coach = start, eng.coach.id
    pace = rng.choice((14, 14, 15, 21, 35))  # some keep the cadence, some do not
    while day <= min(TODAY, end - dt.timedelta(days=7)):
        programme = eng.programme
        assert programme is not None
        if (
            programme.requires_midpoint_review
            and not eng.midpoint_reviewed
            and day >= start + (end - start) / 2
        ):
            eng.begin_midpoint_review(at=at(day, 8), by=coach)
            eng.complete_midpoint_review(at=at(day, 8), by=coach)
        minutes = rng.choice((60, 75, 90, 90, 45))
        eng.record_session(
            Session(at(day), minutes, rng.choice((Mode.IN_PERSON, Mode.DIGITAL, Mode.PHONE))),
            at=at(day, 12),
            by=coach,
        )
        day += dt.timedelta(days=pace)
    if rng.random() < 0.03:
        eng.terminate(at=at(min(day, TODAY), 13), by=eng.client.id, reason="new job")
    elif end <= TODAY and (
        not eng.programme.requires_midpoint_review or eng.midpoint_reviewed  # type: ignore[union-attr]
    ):
        closing_day = max(day, end - dt.timedelta(days=3))
        eng.begin_closing(at=at(closing_day, 13), by=coach)
        eng.close(
            at=at(closing_day, 14),
            by=coach,
            attainment=[Attainment(g.id, rng.randint(-1, 2)) for g in eng.goals],
            action_plan=ActionPlan(["Keep going"]),
        )
    return eng


def main() -> None:
    rng = random.Random(2027)
    engagements = [one_engagement(n, rng) for n in range(200)]
    with tempfile.TemporaryDirectory() as folder:
        store = SQLStore(f"sqlite:///{folder}/hr.db")
        for eng in engagements:
            store.save(eng)
        phases = Counter({phase.value: len(store.ids(phase=phase)) for phase in Phase})
        due = store.ids(due_by=TODAY + dt.timedelta(days=7))
        store.close()

    print(f"{len(engagements)} engagements as of {TODAY.isoformat()}")
    shown = [f"{name} {count}" for name, count in phases.most_common() if count]
    print("by phase: " + ", ".join(shown))
    findings: Counter[str] = Counter()
    errors = []
    for eng in engagements:
        for finding in eng.check(TODAY):
            findings[finding.code] += 1
            if finding.severity is Severity.ERROR:
                errors.append((eng.id, finding.message))
    print("findings: " + ", ".join(f"{code} {n}" for code, n in findings.most_common()))
    print(f"needing attention now ({len(errors)}):")
    for engagement_id, message in errors[:5]:
        print(f"  {engagement_id}: {message}")
    print(f"something due within a week (from the store's summaries): {len(due)}")
    actions = Counter(
        action.code
        for eng in engagements
        for action in eng.next_actions(TODAY)
        if action.due <= TODAY + dt.timedelta(days=7)
    )
    print("  " + ", ".join(f"{code} {n}" for code, n in actions.most_common()))
    assert sum(phases.values()) == len(engagements)


if __name__ == "__main__":
    main()
