"""coachflow: the logic of a coaching engagement, ready to embed.

A start-up meeting makes a coaching agreement; a 3-, 6- or 12-month series of
about two sessions a month follows, with a midpoint review in longer series; a
closing scores goal attainment, celebrates progress and makes an action plan;
a three-party follow-up with the client's manager may end it. An `Engagement`
runs that process as an event-sourced state machine.
"""

from coachflow._diagram import diagram
from coachflow._documents import document_schema, from_dict, from_json, to_dict, to_json
from coachflow._engagement import Engagement
from coachflow._errors import (
    CoachflowError,
    ConcurrencyConflict,
    InvalidDocument,
    PermissionDenied,
    RuleViolation,
    TransitionNotAllowed,
)
from coachflow._events import (
    Agreed,
    Closed,
    ClosingBegun,
    Event,
    Extended,
    FollowUpHeld,
    FollowUpSkipped,
    MidpointReviewBegun,
    MidpointReviewCompleted,
    NoShowRecorded,
    Opened,
    Paused,
    Resumed,
    SessionBooked,
    SessionCancelled,
    SessionRecorded,
    SessionRescheduled,
    Terminated,
)
from coachflow._gas import gas_t_score
from coachflow._i18n import LOCALES, speaking
from coachflow._ics import to_ics
from coachflow._model import (
    Action,
    ActionPlan,
    AddGoal,
    Agreement,
    Allocation,
    Assignment,
    Attainment,
    Booking,
    Finding,
    Goal,
    Mode,
    Party,
    Phase,
    Plan,
    Programme,
    ReformulateGoal,
    Role,
    Session,
    Severity,
    Visibility,
)
from coachflow._policy import DEFAULT_POLICY, Policy
from coachflow._portfolio import Report, report
from coachflow._privacy import REDACTED, SponsorReport, sponsor_report
from coachflow._ruleset import Rule, RuleSet
from coachflow._upcast import FORMAT_VERSION

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_POLICY",
    "FORMAT_VERSION",
    "LOCALES",
    "REDACTED",
    "Action",
    "ActionPlan",
    "AddGoal",
    "Agreed",
    "Agreement",
    "Allocation",
    "Assignment",
    "Attainment",
    "Booking",
    "Closed",
    "ClosingBegun",
    "CoachflowError",
    "ConcurrencyConflict",
    "Engagement",
    "Event",
    "Extended",
    "Finding",
    "FollowUpHeld",
    "FollowUpSkipped",
    "Goal",
    "InvalidDocument",
    "MidpointReviewBegun",
    "MidpointReviewCompleted",
    "Mode",
    "NoShowRecorded",
    "Opened",
    "Party",
    "Paused",
    "PermissionDenied",
    "Phase",
    "Plan",
    "Policy",
    "Programme",
    "ReformulateGoal",
    "Report",
    "Resumed",
    "Role",
    "Rule",
    "RuleSet",
    "RuleViolation",
    "Session",
    "SessionBooked",
    "SessionCancelled",
    "SessionRecorded",
    "SessionRescheduled",
    "Severity",
    "SponsorReport",
    "Terminated",
    "TransitionNotAllowed",
    "Visibility",
    "diagram",
    "document_schema",
    "from_dict",
    "from_json",
    "gas_t_score",
    "report",
    "speaking",
    "sponsor_report",
    "to_dict",
    "to_ics",
    "to_json",
]
