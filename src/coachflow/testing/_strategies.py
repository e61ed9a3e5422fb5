"""Hypothesis strategies for coachflow's values and for engagements in any phase."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from coachflow._values.amendment import Amendment
from coachflow._values.enums import CONSENTS, Mode, Role
from coachflow._values.model import (
    AddGoal,
    Agreement,
    Goal,
    Party,
    Programme,
    ReformulateGoal,
)
from coachflow._values.outcomes import ActionPlan, Attainment
from coachflow._values.policy import DEFAULT_POLICY, Policy
from coachflow._values.sessions import Assignment, Booking, Session
from coachflow.testing._series import RHYTHMS, breaks, rhythms

__all__ = [
    "RHYTHMS",
    "action_plans",
    "agreements",
    "amendments",
    "assignments",
    "attainments",
    "bookings",
    "breaks",
    "goals",
    "parties",
    "policies",
    "programmes",
    "revisions",
    "rhythms",
    "sessions",
    "zones",
]

# Real zones, the first one the simplest: examples shrink towards it.
ZONE_NAMES = (
    "Europe/Stockholm",
    "UTC",
    "Europe/London",
    "Europe/Helsinki",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
)
GOAL_STATEMENTS = (
    "Lead team meetings with calm and focus",
    "Delegate the weekly reporting",
    "Say no to requests outside my role",
    "Prepare the budget talk with the board",
    "Give feedback within a day",
    "Protect two hours a week for planning",
    "Speak up in the management team",
)
MEASURES = ("", "team survey, 1-5", "hours a week", "times a month", "self-rating, 1-10")
PRACTICE = (
    "Keep a note of when you hold back",
    "Ask one team member a week for input",
    "Open each meeting with its purpose",
    "Hand over one report",
    "Say no to one request, kindly",
)
STEPS = (
    "Keep the decision log in every team meeting",
    "Review delegation with the team each quarter",
    "Book a check-in with the manager after the summer",
    "Read one book on leadership this autumn",
)
NAMES = ("Anna Lind", "Kim Berg", "Mia Ek", "Omar Haddad", "Li Wei", "Sara Nilsson")


def zones() -> st.SearchStrategy[ZoneInfo]:
    """Real IANA time zones (shrinking towards Europe/Stockholm)."""
    return st.sampled_from(ZONE_NAMES).map(ZoneInfo)


def _moments(
    *, on: dt.date | None = None, zone: ZoneInfo | None = None
) -> st.SearchStrategy[dt.datetime]:
    days = st.just(on) if on is not None else st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31))
    hours = st.integers(8, 17)
    tz = st.just(zone) if zone is not None else zones()
    return st.builds(
        lambda d, h, q, z: dt.datetime.combine(d, dt.time(h, 15 * q), z),
        days,
        hours,
        st.integers(0, 3),
        tz,
    )


def parties(*, role: Role | None = None, id: str | None = None) -> st.SearchStrategy[Party]:
    """Parties with plausible names; ``role`` and ``id`` pin those fields."""
    roles = st.just(role) if role is not None else st.sampled_from(Role)
    ids = st.just(id) if id is not None else st.sampled_from(("p1", "p2", "p3", "p4"))
    return st.builds(Party, ids, st.sampled_from(NAMES), roles)


#: Five outcomes of Goal Attainment Scaling, -2 .. +2, as a coach and client agree them.
LEVELS = (
    "Nothing has changed",
    "Tried now and then",
    "Done most weeks",
    "Done every week",
    "Done every week and taught to others",
)


def goals(*, id: str | None = None) -> st.SearchStrategy[Goal]:
    """Goals with realistic statements and measures, with or without the five levels of
    Goal Attainment Scaling agreed."""
    ids = st.just(id) if id is not None else st.sampled_from(("g1", "g2", "g3", "g4", "g5"))
    return st.builds(
        Goal,
        ids,
        st.sampled_from(GOAL_STATEMENTS),
        st.sampled_from(MEASURES),
        levels=st.none() | st.just(LEVELS),
    )


def programmes(
    *, months: int | None = None, sessions_per_month: int | None = None
) -> st.SearchStrategy[Programme]:
    """Programmes: five in six the standard 6, 3 or 12 months (the plainest, which
    examples shrink to, is six months at two sessions a month: long enough for a
    midpoint review), half of them at the method's two sessions a month; the allotment
    the cadence's or one an organisation buys (three quarters of it to a third more);
    the rules' tolerances at their defaults (the first choice) or another value an
    organisation might set."""
    # five in six the standard 6, 3 or 12 months (6 first: the plainest series
    # holds a midpoint review; 0: any length from 1 to 36)
    month_counts = (
        st.just(months)
        if months is not None
        else st.sampled_from((6, 3, 12, 6, 12, 0)).flatmap(
            lambda m: st.just(m) if m else st.integers(1, 36)
        )
    )
    cadence = (
        st.just(sessions_per_month)
        if sessions_per_month is not None
        else st.sampled_from((2, 2, 2, 1, 3, 4))  # half the time the method's two a month
    )
    minutes = st.sampled_from(((60, 90), (45, 60), (60, 120), (30, 45)))
    midpoint = st.sampled_from((None, True, False))
    return st.tuples(month_counts, cadence).flatmap(
        lambda pair: _programmes(pair[0], pair[1], minutes, midpoint)
    )


def _programmes(
    months: int,
    cadence: int,
    minutes: st.SearchStrategy[tuple[int, int]],
    midpoint: st.SearchStrategy[bool | None],
) -> st.SearchStrategy[Programme]:
    # the allotment: the cadence's (None), or as an organisation buys one: from three
    # quarters of the cadence's to a third more (at least one, at most 60)
    usual = months * cadence
    allotted = st.integers(max(1, min(60, usual * 3 // 4)), min(60, max(1, usual * 4 // 3)))
    return st.builds(
        Programme,
        months=st.just(months),
        sessions_per_month=st.just(cadence),
        session_minutes=minutes,
        midpoint_review=midpoint,
        sessions=st.none() | allotted,
        cancellation_notice_hours=st.sampled_from((24, 48, 0, 12)),
        late_cancellation_counts=st.sampled_from((True, False)),
        behind_tolerance=st.sampled_from((1, 0, 2)),
        gap_days=st.sampled_from((None, 21, 45)),
        bunching_window_days=st.sampled_from((7, 14)),
        bunching_limit=st.sampled_from((None, 3)),
        midpoint_tolerance_days=st.sampled_from((21, 14, 30)),
        overrun_tolerance_days=st.sampled_from((0, 7)),
        follow_up_within_days=st.sampled_from((30, 60)),
    )


def assignments(*, id: str | None = None) -> st.SearchStrategy[Assignment]:
    """Things to practise between sessions."""
    ids = st.just(id) if id is not None else st.sampled_from(("a1", "a2", "a3", "a4", "a5"))
    return st.builds(Assignment, ids, st.sampled_from(PRACTICE))


def agreements(
    *,
    programme: Programme | None = None,
    start: dt.date | None = None,
    three_party_follow_up: bool | None = None,
    time_zone: str | None = None,
    sponsor_signs: bool | None = None,
) -> st.SearchStrategy[Agreement]:
    """Coaching agreements with one to four goals (unique ids) and one to three modes,
    in *time_zone* (else none named, or one of `ZONE_NAMES`), with whatever consent is
    proposed to show the sponsor, now and then agreed breaks (`breaks`), signed by the
    coach alone, the coach and the client, or all three (*sponsor_signs* False: never
    the sponsor, for an engagement without one; True: always)."""
    programmes_ = st.just(programme) if programme is not None else programmes()
    starts = (
        st.just(start)
        if start is not None
        else st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31))
    )
    follow_ups = (
        st.just(three_party_follow_up) if three_party_follow_up is not None else st.booleans()
    )
    zones_ = (
        st.just(time_zone) if time_zone is not None else st.none() | st.sampled_from(ZONE_NAMES)
    )
    coach, client, sponsor = Role.COACH, Role.CLIENT, Role.SPONSOR
    two_way = st.sampled_from((frozenset({coach}), frozenset({coach, client})))
    three_way = st.just(frozenset({coach, client, sponsor}))
    signatories = {None: two_way | three_way, False: two_way, True: three_way}[sponsor_signs]
    return st.tuples(programmes_, starts).flatmap(
        lambda pair: st.builds(
            Agreement,
            programme=st.just(pair[0]),
            start=st.just(pair[1]),
            goals=st.lists(goals(), min_size=1, max_size=4, unique_by=lambda g: g.id).map(tuple),
            modes=st.frozensets(st.sampled_from(Mode), min_size=1),
            practicalities=st.sampled_from(("", "Mondays 09:00, every other week")),
            expectations=st.sampled_from(("", "Candour both ways; practice between sessions")),
            three_party_follow_up=follow_ups,
            rhythm=st.none() | rhythms(),
            time_zone=zones_,
            sponsor_sees=st.frozensets(st.sampled_from(CONSENTS)),
            breaks=breaks(start=pair[1], months=pair[0].months),
            signatories=signatories,
        )
    )


def amendments(
    *, start: dt.date | None = None, months: int | None = None
) -> st.SearchStrategy[Amendment]:
    """Amendments changing one to three fields of an agreement (breaks only when the
    series is given: *start* and *months*)."""
    fields: dict[str, st.SearchStrategy[object]] = {
        "modes": st.frozensets(st.sampled_from(Mode), min_size=1),
        "rhythm": st.just("") | rhythms(),
        "practicalities": st.sampled_from(("Any weekday at eight", "Fridays by phone", "")),
        "expectations": st.sampled_from(("Candour both ways", "Notes shared after each session")),
        "three_party_follow_up": st.booleans(),
        "sessions": st.integers(1, 30),
    }
    if start is not None and months is not None:
        fields["breaks"] = breaks(start=start, months=months)
    names = st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True)
    return names.flatmap(
        lambda chosen: st.fixed_dictionaries({name: fields[name] for name in chosen}).map(
            lambda values: Amendment(**values)  # type: ignore[arg-type]
        )
    )


def sessions(
    *,
    on: dt.date | None = None,
    zone: ZoneInfo | None = None,
    modes: frozenset[Mode] | None = None,
) -> st.SearchStrategy[Session]:
    """Sessions held in a real time zone, mostly 60-90 minutes, sometimes with homework."""
    minutes = st.one_of(st.sampled_from((60, 75, 90)), st.integers(20, 150))
    mode = (
        st.sampled_from(sorted(modes, key=lambda m: m.value)) if modes else st.sampled_from(Mode)
    )
    return st.builds(
        Session,
        held_at=_moments(on=on, zone=zone),
        minutes=minutes,
        mode=mode,
        homework=st.lists(assignments(), max_size=2, unique_by=lambda a: a.id).map(tuple),
        reviewed=st.lists(st.sampled_from(("a1", "a2", "a3", "a4", "a5")), max_size=2).map(tuple),
        notes=st.sampled_from(("", "Good energy today")),
        coach_id=st.sampled_from((None, "coach")),
    )


def bookings(
    *,
    id: str | None = None,
    on: dt.date | None = None,
    zone: ZoneInfo | None = None,
    modes: frozenset[Mode] | None = None,
) -> st.SearchStrategy[Booking]:
    """Bookings in a real time zone, mostly 60-90 minutes."""
    ids = st.just(id) if id is not None else st.sampled_from(("b1", "b2", "b3", "b4", "b5"))
    mode = (
        st.sampled_from(sorted(modes, key=lambda m: m.value)) if modes else st.sampled_from(Mode)
    )
    return st.builds(
        Booking,
        id=ids,
        starts_at=_moments(on=on, zone=zone),
        minutes=st.sampled_from((60, 75, 90)),
        mode=mode,
    )


def revisions() -> st.SearchStrategy[ReformulateGoal | AddGoal]:
    """Midpoint revisions: a reformulated goal or an added one."""
    return st.one_of(
        st.builds(
            ReformulateGoal, st.sampled_from(("g1", "g2")), st.sampled_from(GOAL_STATEMENTS)
        ),
        st.builds(AddGoal, goals()),
    )


def attainments(*, goal_id: str | None = None) -> st.SearchStrategy[Attainment]:
    """GAS scores from -2 to +2 (shrinking towards 0, "as expected")."""
    ids = st.just(goal_id) if goal_id is not None else st.sampled_from(("g1", "g2", "g3"))
    scores = st.integers(-2, 2)  # shrinks towards 0, "as expected"
    return st.builds(Attainment, ids, scores, st.sampled_from(("", "As hoped")))


def action_plans() -> st.SearchStrategy[ActionPlan]:
    """Action plans of one to three steps."""
    return st.lists(st.sampled_from(STEPS), min_size=1, max_size=3).map(ActionPlan)


def policies() -> st.SearchStrategy[Policy]:
    """Organisations' policies under which the process can still run: the coach may
    do everything but the client's own consent; the client keeps signing and consent,
    which are theirs, and a drawn part of the rest of their default rights (now and then
    recording sessions too); the sponsor a drawn part of theirs."""
    own = frozenset({"sign_agreement", "give_consent", "withdraw_consent"})  # the client's
    client = st.sets(st.sampled_from(sorted(DEFAULT_POLICY.client - own))).map(
        lambda chosen: frozenset(chosen) | own
    )
    sponsor = st.sets(st.sampled_from(sorted(DEFAULT_POLICY.sponsor))).map(frozenset)
    extra = st.sampled_from((frozenset(), frozenset({"record_session"})))
    # the coach may leave a change of coach to the others (who keep it by default)
    coach = st.sampled_from((DEFAULT_POLICY.coach, DEFAULT_POLICY.coach - {"change_coach"}))
    return st.builds(
        lambda ours, mine, theirs, more: Policy(
            {Role.COACH: ours, Role.CLIENT: mine | more, Role.SPONSOR: theirs}
        ),
        coach,
        client,
        sponsor,
        extra,
    )
