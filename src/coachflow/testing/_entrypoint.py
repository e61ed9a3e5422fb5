"""The hypothesis entry point: ``st.from_type`` for every public value type."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from coachflow._engagement import Engagement
from coachflow._values.amendment import Amendment
from coachflow._values.enums import Severity
from coachflow._values.events import EVENT_TYPES
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
from coachflow._values.policy import Policy
from coachflow._values.results import Action, Finding, Plan
from coachflow._values.sessions import Assignment, Booking, Session
from coachflow._values.validation import MAX_YEAR, MIN_YEAR
from coachflow.testing import _strategies as cs
from coachflow.testing._engagements import engagements
from coachflow.testing._events import events

__all__ = ["register", "strategies_by_type"]


def strategies_by_type() -> dict[type, st.SearchStrategy[object]]:
    """The strategy registered for each public value type."""
    days = st.dates(dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31))
    return {
        Party: cs.parties(),
        Break: st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)).flatmap(
            lambda day: st.integers(0, 91).map(lambda n: Break(day, day + dt.timedelta(days=n)))
        ),
        Goal: cs.goals(),
        Programme: cs.programmes(),
        Agreement: cs.agreements(),
        Assignment: cs.assignments(),
        Session: cs.sessions(),
        ReformulateGoal: cs.revisions().filter(lambda r: isinstance(r, ReformulateGoal)),
        AddGoal: st.builds(AddGoal, cs.goals()),
        Attainment: cs.attainments(),
        ActionPlan: cs.action_plans(),
        Finding: st.builds(
            Finding,
            st.sampled_from(("session.duration", "cadence.gap")),
            st.sampled_from(Severity),
            st.sampled_from(("a finding", "a 45-minute session (normally 60-90)")),
            st.none() | days,
            st.sampled_from(({}, {"minutes": 45, "min": 60, "max": 90})),
        ),
        Action: st.builds(
            Action,
            st.sampled_from(("session.book", "closing.begin", "agreement.sign")),
            days,
            st.sampled_from(("book the next session", "begin the closing session")),
            st.none() | st.sampled_from(("client", "sponsor")),
        ),
        Amendment: cs.amendments(start=dt.date(2027, 1, 11), months=6),
        Plan: st.builds(
            lambda start, n, middle: Plan(start, start, (start,) * n, middle, start),
            days,
            st.integers(1, 3),
            st.none() | days,
        ),
        Engagement: engagements(),
        Booking: cs.bookings(),
        Policy: cs.policies(),
        **{kind: events(kind) for kind in EVENT_TYPES},
    }


def register() -> None:
    """Register the strategies with hypothesis (run by its plugin entry point)."""
    for kind, strategy in strategies_by_type().items():
        st.register_type_strategy(kind, strategy)
