"""The method's example engagement: a three-way agreement signed by the coach, the
client and the client's manager; six months, about two sessions a month with an Easter
break, a midpoint review, the closing conversation at the last session and a
three-party follow-up with the manager.

Sessions are booked as real ones are: each at the end of the one before, every other
Monday as agreed. One is moved a day, one is cancelled the evening before by the coach
(late, but it uses up none of the client's sessions), and once the client does not
turn up. The first goal has the five levels of Goal Attainment Scaling agreed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from coachflow._engagement import Engagement
from coachflow._values.enums import Mode, Role
from coachflow._values.i18n import N_, speaking, t
from coachflow._values.model import (
    AddGoal,
    Agreement,
    Break,
    Goal,
    Party,
    Programme,
    ReformulateGoal,
)
from coachflow._values.outcomes import ActionPlan, Attainment
from coachflow._values.sessions import Assignment, Booking, Session

__all__ = ["DEMO_TODAY", "demo_engagement"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")

#: The day the demo's report is written, after the follow-up.
DEMO_TODAY = dt.date(2027, 8, 23)

# (day, minutes, mode, homework given, assignment ids followed up)
_Row = tuple[str, int, Mode, tuple[str, str] | None, tuple[str, ...]]

_FIRST_HALF: list[_Row] = [
    ("2027-01-11", 90, Mode.IN_PERSON, ("a1", N_("Keep a note of when you hold back")), ()),
    (
        "2027-01-25",
        75,
        Mode.IN_PERSON,
        ("a2", N_("Ask one team member a week for input")),
        ("a1",),
    ),
    ("2027-02-08", 60, Mode.DIGITAL, ("a3", N_("Open one meeting with its purpose")), ("a2",)),
    ("2027-02-22", 70, Mode.DIGITAL, None, ("a3",)),
    ("2027-03-08", 80, Mode.IN_PERSON, ("a4", N_("Hand over the weekly report")), ()),
    ("2027-03-22", 45, Mode.PHONE, None, ("a4",)),
    ("2027-04-05", 75, Mode.DIGITAL, ("a5", N_("Say no to one request, kindly")), ()),
]
_SECOND_HALF: list[_Row] = [
    ("2027-04-19", 90, Mode.IN_PERSON, None, ("a5",)),
    ("2027-05-03", 60, Mode.DIGITAL, ("a6", N_("Prepare the budget talk with two options")), ()),
    # 2027-05-17: cancelled by the client the evening before; 2027-05-31: a no-show
    (
        "2027-06-14",
        75,
        Mode.IN_PERSON,
        ("a7", N_("Run the planning day without the slides")),
        ("a6",),
    ),
]
#: The last planned session: the closing conversation is held in it.
_CLOSING: _Row = ("2027-06-28", 60, Mode.DIGITAL, None, ("a7",))
_MOVED = {"2027-02-22": ("2027-02-23", 14, "2027-02-17")}  # booked day: (to, hour, when asked)


def _at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), STOCKHOLM)


def _book(engagement: Engagement, day: str, minutes: int, mode: Mode, *, at: dt.datetime) -> str:
    """Book the session of *day* at nine (the agreed Mondays), by the client."""
    booking = Booking(f"bk-{day}", _at(day), minutes, mode)
    engagement.book_session(booking, at=at, by="client-kim")
    return booking.id


def _sessions(engagement: Engagement, rows: list[_Row], *, booked_at: dt.datetime) -> None:
    """Each session booked at the end of the one before, held, and recorded."""
    for day, minutes, mode, homework, reviewed in rows:
        booking_id = _book(engagement, day, minutes, mode, at=booked_at)
        held_at = _at(day)
        if day in _MOVED:
            to, hour, asked = _MOVED[day]
            held_at = _at(to, hour)
            engagement.reschedule_session(
                booking_id, starts_at=held_at, at=_at(asked, 8), by="client-kim"
            )
        given = () if homework is None else (Assignment(homework[0], t(homework[1])),)
        engagement.record_session(
            Session(held_at, minutes, mode, homework=given, reviewed=reviewed),
            at=held_at + dt.timedelta(hours=2),
            by="coach-anna",
            booking_id=booking_id,
        )
        booked_at = held_at + dt.timedelta(hours=2, minutes=5)


def demo_engagement(locale: str = "en") -> Engagement:
    """Run the seed's whole engagement through the public commands and return it, its
    texts (goals, homework, reasons, the action plan) in *locale*."""
    with speaking(locale):
        return _demo()


def _demo() -> Engagement:
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
                Goal(
                    "g1",
                    t("Lead team meetings with calm and focus"),
                    t("team survey, 1-5"),
                    levels=(
                        t("Meetings run over and end without decisions"),
                        t("Meetings end on time, without owners for what was decided"),
                        t("Most meetings end with decisions and owners"),
                        t("Every meeting ends with decisions and owners"),
                        t("The team runs its meetings that way without the client"),
                    ),
                ),
                Goal("g2", t("Delegate the weekly reporting"), t("hours a week on reports")),
            ),
            modes={Mode.IN_PERSON, Mode.DIGITAL},
            practicalities=t("Mondays 09:00, every other week; the client's office or video."),
            expectations=t(
                "Coach: presence, questions, candour. Client: practice between sessions."
            ),
            three_party_follow_up=True,
            rhythm="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9",
            sponsor_sees={"goals", "attainment", "action_plan"},
            breaks=(Break(dt.date(2027, 3, 27), dt.date(2027, 4, 4)),),  # the Easter holidays
            signatories={Role.COACH, Role.CLIENT, Role.SPONSOR},  # a three-way contract
        ),
        at=_at("2027-01-04", 10),
        by="coach-anna",
    )
    engagement.sign_agreement(at=_at("2027-01-04", 10, 15), by="client-kim")
    engagement.sign_agreement(at=_at("2027-01-04", 10, 30), by="manager-mia")
    _sessions(engagement, _FIRST_HALF, booked_at=_at("2027-01-04", 11))
    engagement.begin_midpoint_review(at=_at("2027-04-12"), by="coach-anna")
    engagement.complete_midpoint_review(
        at=_at("2027-04-12", 10),
        by="coach-anna",
        revisions=[
            ReformulateGoal("g1", t("Lead meetings that end with decisions and owners")),
            AddGoal(Goal("g3", t("Hold the budget talk with the board"), t("talk held, 1-5"))),
        ],
    )
    _sessions(engagement, _SECOND_HALF[:2], booked_at=_at("2027-04-12", 11))
    late = _book(engagement, "2027-05-17", 75, Mode.IN_PERSON, at=_at("2027-05-03", 11))
    engagement.cancel_session(
        late, at=_at("2027-05-16", 20), by="coach-anna", reason=t("the coach fell ill")
    )
    missed = _book(engagement, "2027-05-31", 60, Mode.DIGITAL, at=_at("2027-05-17", 8))
    engagement.record_no_show(missed, at=_at("2027-05-31", 10), by="coach-anna")
    _sessions(engagement, _SECOND_HALF[2:], booked_at=_at("2027-05-31", 11))
    day, minutes, mode, _, reviewed = _CLOSING
    last = _book(engagement, day, minutes, mode, at=_at("2027-06-14", 11, 5))
    engagement.begin_closing(at=_at(day), by="coach-anna")  # at the last session
    engagement.record_session(
        Session(_at(day), minutes, mode, reviewed=reviewed),
        at=_at(day, 11),
        by="coach-anna",
        booking_id=last,
    )
    engagement.close(
        at=_at(_CLOSING[0], 11, 30),
        by="coach-anna",
        attainment=[
            Attainment("g1", 1, t("Meetings end with owners; the team noticed.")),
            Attainment("g2", 1, t("Reporting handed over in March.")),
            Attainment("g3", 0, t("The budget talk went as planned.")),
        ],
        action_plan=ActionPlan(
            (
                t("Keep the decision log in every team meeting"),
                t("Review delegation with the team each quarter"),
                t("Book a check-in with Mia after the autumn budget"),
            )
        ),
        celebration=t("Lunch with the team; the client named three things she is proud of."),
    )
    engagement.hold_follow_up(
        at=_at("2027-08-23", 11),
        by="coach-anna",
        participants=("coach-anna", "client-kim", "manager-mia"),
        summary=t("Mia sees steadier meetings and a lighter week; the action plan stands."),
    )
    return engagement
