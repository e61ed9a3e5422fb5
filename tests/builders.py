"""Small builders the tests share: aware times, parties, and engagements in every phase."""

from __future__ import annotations

import datetime as dt
from typing import Any
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
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = dt.date(2027, 1, 11)

COACH = Party("coach", "Anna Lind", Role.COACH)
CLIENT = Party("client", "Kim Berg", Role.CLIENT)
SPONSOR = Party("sponsor", "Mia Ek", Role.SPONSOR)
GOALS = (
    Goal("g1", "Lead calm meetings", "team survey, 1-5"),
    Goal("g2", "Delegate reporting", "hours a week on reports"),
)


def at(day: dt.date | str, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware Stockholm datetime on *day*."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return dt.datetime.combine(day, dt.time(hour, minute), STOCKHOLM)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def agreement(
    months: int = 6,
    *,
    start: dt.date = START,
    follow_up: bool = False,
    modes: frozenset[Mode] = frozenset({Mode.IN_PERSON, Mode.DIGITAL}),
    **programme: Any,
) -> Agreement:
    return Agreement(
        programme=Programme(months, **programme),
        start=start,
        goals=GOALS,
        modes=modes,
        practicalities="Mondays at nine, every other week",
        expectations="Candour both ways; practice between sessions",
        three_party_follow_up=follow_up,
    )


def session(day: dt.date, minutes: int = 75, mode: Mode = Mode.IN_PERSON, **kw: object) -> Session:
    return Session(at(day, 10), minutes, mode, **kw)  # type: ignore[arg-type]


def opened(*, sponsor: bool = True) -> Engagement:
    return Engagement.open(
        "eng-1",
        coach=COACH,
        client=CLIENT,
        sponsor=SPONSOR if sponsor else None,
        at=at(START - days(7), 8),
    )


def active(months: int = 6, *, follow_up: bool = False, **programme: Any) -> Engagement:
    eng = opened()
    eng.agree(
        agreement(months, follow_up=follow_up, **programme), at=at(START - days(7), 9), by="coach"
    )
    return eng


def run_sessions(eng: Engagement, first: dt.date, count: int, every: int = 14) -> dt.date:
    """Record *count* sessions *every* days from *first*; returns the day after the last."""
    day = first
    for _ in range(count):
        eng.record_session(session(day), at=at(day, 12), by="coach")
        day += days(every)
    return day


def with_midpoint(eng: Engagement, day: dt.date) -> None:
    eng.begin_midpoint_review(at=at(day, 13), by="coach")
    eng.complete_midpoint_review(at=at(day, 14), by="coach")


def closing(*, follow_up: bool = False) -> tuple[Engagement, dt.date]:
    eng = active(follow_up=follow_up)
    day = run_sessions(eng, START, 6)
    with_midpoint(eng, day)
    day = run_sessions(eng, day + days(1), 6)
    eng.begin_closing(at=at(day, 9), by="coach")
    return eng, day


def close(eng: Engagement, day: dt.date) -> None:
    eng.close(
        at=at(day, 10),
        by="coach",
        attainment=[Attainment(g.id, 1) for g in eng.goals],
        action_plan=ActionPlan(["Keep the decision log"]),
    )


def in_phase(phase: Phase) -> Engagement:
    """An engagement in *phase*, reached through the public commands."""
    if phase is Phase.AGREEMENT:
        return opened()
    if phase is Phase.ACTIVE:
        return active()
    if phase is Phase.MIDPOINT_REVIEW:
        eng = active()
        eng.begin_midpoint_review(at=at(START + days(90)), by="coach")
        return eng
    if phase is Phase.PAUSED:
        eng = active()
        eng.pause(at=at(START + days(20)), by="client", reason="parental leave")
        return eng
    if phase is Phase.TERMINATED:
        eng = active()
        eng.terminate(at=at(START + days(20)), by="sponsor", reason="reorganisation")
        return eng
    eng, day = closing(follow_up=phase is Phase.FOLLOW_UP)
    if phase is not Phase.CLOSING:
        close(eng, day)
    return eng


NEW_COACH = Party("coach-2", "Bo Sund", Role.COACH)


def contracted() -> Engagement:
    """A three-way agreement signed by all, amended by the client and signed, consent
    given and withdrawn, a session corrected and one voided, a no-show voided, a new
    coach, and an early end for a change of role."""
    from coachflow import Amendment, Booking, EndReason

    eng = opened()
    signed = attrs_evolve(
        agreement(6, follow_up=True),
        signatories={Role.COACH, Role.CLIENT, Role.SPONSOR},
        sponsor_sees={"goals"},
    )
    eng.agree(signed, at=at(START - days(7), 10), by="coach")
    eng.sign_agreement(at=at(START - days(7), 11), by="client")
    eng.sign_agreement(at=at(START - days(6), 9), by="sponsor")
    eng.give_consent({"attainment"}, at=at(START - days(6), 10), by="client")
    day = run_sessions(eng, START, 2)
    eng.amend_agreement(
        Amendment(modes={Mode.IN_PERSON, Mode.DIGITAL, Mode.PHONE}, practicalities="Any weekday"),
        at=at(day),
        by="client",
    )
    eng.sign_agreement(at=at(day, 10), by="coach")
    eng.sign_agreement(at=at(day, 11), by="sponsor")
    eng.correct_session(
        at(START, 10),
        session(START, 60, notes="Started late"),
        reason="it lasted an hour",
        at=at(day, 12),
        by="coach",
    )
    eng.book_session(
        Booking("b1", at(day + days(1), 15), 60, Mode.PHONE), at=at(day, 13), by="client"
    )
    eng.record_no_show("b1", at=at(day + days(1), 16), by="coach")
    eng.void_no_show(
        "b1", reason="the client came; the coach was late", at=at(day + days(1), 17), by="coach"
    )
    eng.record_session(
        Session(at(day + days(1), 15, 20), 55, Mode.PHONE),
        at=at(day + days(1), 18),
        by="coach",
        booking_id="b1",
    )
    eng.void_session(
        at(START + days(14), 10), reason="entered twice", at=at(day + days(2)), by="coach"
    )
    eng.withdraw_consent({"goals"}, at=at(day + days(3)), by="client")
    eng.change_coach(NEW_COACH, reason="Anna leaves the firm", at=at(day + days(4)), by="sponsor")
    for later in (day + days(10), day + days(24)):
        eng.record_session(session(later), at=at(later, 12), by=NEW_COACH.id)
    eng.terminate(
        at=at(day + days(60)),
        by="client",
        reason="a new role abroad",
        end_reason=EndReason.ROLE_CHANGE,
    )
    return eng


def attrs_evolve(value: Any, **changes: Any) -> Any:
    import attrs

    return attrs.evolve(value, **changes)
