"""The seed's engagement: six months, about two sessions a month, a midpoint review,
a closing and a three-party follow-up with the client's manager."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from coachflow._engagement import Engagement
from coachflow._model import (
    ActionPlan,
    AddGoal,
    Agreement,
    Assignment,
    Attainment,
    Goal,
    Mode,
    Party,
    Programme,
    ReformulateGoal,
    Role,
    Session,
)

__all__ = ["DEMO_TODAY", "demo_engagement"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")

#: The day the demo's report is written, after the follow-up.
DEMO_TODAY = dt.date(2027, 8, 23)

# (day, minutes, mode, homework given, assignment ids followed up)
_Row = tuple[str, int, Mode, tuple[str, str] | None, tuple[str, ...]]

_FIRST_HALF: list[_Row] = [
    ("2027-01-11", 90, Mode.IN_PERSON, ("a1", "Keep a note of when you hold back"), ()),
    ("2027-01-25", 75, Mode.IN_PERSON, ("a2", "Ask one team member a week for input"), ("a1",)),
    ("2027-02-08", 60, Mode.DIGITAL, ("a3", "Open one meeting with its purpose"), ("a2",)),
    ("2027-02-22", 70, Mode.DIGITAL, None, ("a3",)),
    ("2027-03-08", 80, Mode.IN_PERSON, ("a4", "Hand over the weekly report"), ()),
    ("2027-03-22", 45, Mode.PHONE, None, ("a4",)),
    ("2027-04-05", 75, Mode.DIGITAL, ("a5", "Say no to one request, kindly"), ()),
]
_SECOND_HALF: list[_Row] = [
    ("2027-04-19", 90, Mode.IN_PERSON, None, ("a5",)),
    ("2027-05-03", 60, Mode.DIGITAL, ("a6", "Prepare the budget talk with two options"), ()),
    ("2027-05-17", 75, Mode.IN_PERSON, None, ("a6",)),
    ("2027-05-31", 60, Mode.DIGITAL, ("a7", "Run the planning day without the slides"), ()),
    ("2027-06-14", 75, Mode.IN_PERSON, None, ("a7",)),
    ("2027-06-28", 60, Mode.DIGITAL, None, ()),
]


def _at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), STOCKHOLM)


def _sessions(engagement: Engagement, rows: list[_Row]) -> None:
    for day, minutes, mode, homework, reviewed in rows:
        given = () if homework is None else (Assignment(*homework),)
        engagement.record_session(
            Session(_at(day), minutes, mode, homework=given, reviewed=reviewed),
            at=_at(day, 11),
            by="coach-anna",
        )


def demo_engagement() -> Engagement:
    """Run the seed's whole engagement through the public commands and return it."""
    coach = Party("coach-anna", "Anna Lind", Role.COACH)
    client = Party("client-kim", "Kim Berg", Role.CLIENT)
    manager = Party("manager-mia", "Mia Ek", Role.SPONSOR)
    engagement = Engagement.open(
        "eng-2027-001", coach=coach, client=client, sponsor=manager, at=_at("2027-01-04", 8)
    )
    engagement.agree(
        Agreement(
            programme=Programme(months=6),
            start=dt.date(2027, 1, 11),
            goals=(
                Goal("g1", "Lead team meetings with calm and focus", "team survey, 1-5"),
                Goal("g2", "Delegate the weekly reporting", "hours a week on reports"),
            ),
            modes={Mode.IN_PERSON, Mode.DIGITAL},
            practicalities="Mondays 09:00, every other week; the client's office or video.",
            expectations="Coach: presence, questions, candour. Client: practice between sessions.",
            three_party_follow_up=True,
        ),
        at=_at("2027-01-04", 10),
        by="coach-anna",
    )
    _sessions(engagement, _FIRST_HALF)
    engagement.begin_midpoint_review(at=_at("2027-04-12"), by="coach-anna")
    engagement.complete_midpoint_review(
        at=_at("2027-04-12", 10),
        by="coach-anna",
        revisions=[
            ReformulateGoal("g1", "Lead meetings that end with decisions and owners"),
            AddGoal(Goal("g3", "Hold the budget talk with the board", "talk held, 1-5")),
        ],
    )
    _sessions(engagement, _SECOND_HALF)
    engagement.begin_closing(at=_at("2027-07-05"), by="coach-anna")
    engagement.close(
        at=_at("2027-07-05", 10),
        by="coach-anna",
        attainment=[
            Attainment("g1", 1, "Meetings end with owners; the team noticed."),
            Attainment("g2", 1, "Reporting handed over in March."),
            Attainment("g3", 0, "The budget talk went as planned."),
        ],
        action_plan=ActionPlan(
            (
                "Keep the decision log in every team meeting",
                "Review delegation with the team each quarter",
                "Book a check-in with Mia after the autumn budget",
            )
        ),
        celebration="Lunch with the team; the client named three things she is proud of.",
    )
    engagement.hold_follow_up(
        at=_at("2027-08-23", 11),
        by="coach-anna",
        participants=("coach-anna", "client-kim", "manager-mia"),
        summary="Mia sees steadier meetings and a lighter week; the action plan stands.",
    )
    return engagement
