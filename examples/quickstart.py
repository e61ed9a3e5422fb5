"""Quickstart: open an engagement, agree, hold sessions, and ask what is due."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from coachflow import (
    Agreement,
    Assignment,
    Engagement,
    Goal,
    Mode,
    Party,
    Programme,
    Role,
    Session,
    from_json,
    to_json,
)

TZ = ZoneInfo("Europe/Stockholm")


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), TZ)


def main() -> None:
    engagement = Engagement.open(
        "quickstart",
        coach=Party("anna", "Anna Lind", Role.COACH),
        client=Party("kim", "Kim Berg", Role.CLIENT),
        at=at("2027-01-04"),
    )
    engagement.agree(
        Agreement(
            programme=Programme(months=3),
            start=dt.date(2027, 1, 11),
            goals=[Goal("g1", "Delegate the weekly reporting")],
            modes={Mode.DIGITAL},
        ),
        at=at("2027-01-04", 10),
        by="anna",
    )
    engagement.record_session(
        Session(
            at("2027-01-11"),
            70,
            Mode.DIGITAL,
            homework=[Assignment("a1", "Hand over one report")],
        ),
        at=at("2027-01-11", 11),
        by="anna",
    )
    today = dt.date(2027, 2, 20)
    print(f"{engagement.id}: {engagement.phase.value}, ends {engagement.end}")
    for finding in engagement.check(today):
        print(f"  finding {finding.code}: {finding.message}")
    for action in engagement.next_actions(today):
        print(f"  due {action.due}: {action.code}")
    assert from_json(to_json(engagement)) == engagement


if __name__ == "__main__":
    main()
