"""coachflow: the logic of a coaching engagement, ready to embed.

A start-up meeting makes a coaching agreement; a 3-, 6- or 12-month series of
about two sessions a month follows, with a midpoint review in longer series; a
closing scores goal attainment, celebrates progress and makes an action plan;
a three-party follow-up with the client's manager may end it. An `Engagement`
runs that process as an event-sourced state machine.
"""

from coachflow._documents import (
    document_schema,
    event_to_dict,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from coachflow._documents.upcast import FORMAT_VERSION
from coachflow._engagement import Engagement
from coachflow._outputs.diagram import diagram
from coachflow._outputs.ics import to_ics
from coachflow._outputs.render import render
from coachflow._outputs.report import Report, SponsorReport, report, sponsor_report
from coachflow._privacy.views import REDACTED
from coachflow._rules.ruleset import Rule, RuleSet
from coachflow._values.amendment import Amendment
from coachflow._values.enums import EndReason, Mode, Phase, Role, Severity, Visibility
from coachflow._values.errors import (
    CoachflowError,
    ConcurrencyConflict,
    InvalidDocument,
    InvalidTime,
    InvalidType,
    InvalidValue,
    MissingExtra,
    PermissionDenied,
    RuleViolation,
    TransitionNotAllowed,
)
from coachflow._values.events import (
    Agreed,
    AgreementAmended,
    AgreementSigned,
    Closed,
    ClosingBegun,
    CoachChanged,
    ConsentGiven,
    ConsentWithdrawn,
    Event,
    Extended,
    FollowUpHeld,
    FollowUpSkipped,
    MidpointReviewBegun,
    MidpointReviewCompleted,
    NoShowRecorded,
    NoShowVoided,
    Opened,
    Paused,
    Resumed,
    SessionBooked,
    SessionCancelled,
    SessionCorrected,
    SessionRecorded,
    SessionRescheduled,
    SessionVoided,
    Terminated,
)
from coachflow._values.gas import gas_t_score
from coachflow._values.i18n import LOCALES, speaking
from coachflow._values.limits import LIMITS, Limits
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
from coachflow._values.policy import DEFAULT_POLICY, Policy
from coachflow._values.results import Action, Allocation, Finding, Plan
from coachflow._values.rhythm_words import describe_rhythm
from coachflow._values.sessions import Assignment, Booking, Session

__version__ = "0.3.0.dev0"
"""The version: the newest heading of CHANGELOG.md (``.dev0`` while it is unreleased)."""

__all__ = [
    "DEFAULT_POLICY",
    "FORMAT_VERSION",
    "LIMITS",
    "LOCALES",
    "REDACTED",
    "Action",
    "ActionPlan",
    "AddGoal",
    "Agreed",
    "Agreement",
    "AgreementAmended",
    "AgreementSigned",
    "Allocation",
    "Amendment",
    "Assignment",
    "Attainment",
    "Booking",
    "Break",
    "Closed",
    "ClosingBegun",
    "CoachChanged",
    "CoachflowError",
    "ConcurrencyConflict",
    "ConsentGiven",
    "ConsentWithdrawn",
    "EndReason",
    "Engagement",
    "Event",
    "Extended",
    "Finding",
    "FollowUpHeld",
    "FollowUpSkipped",
    "Goal",
    "InvalidDocument",
    "InvalidTime",
    "InvalidType",
    "InvalidValue",
    "Limits",
    "MidpointReviewBegun",
    "MidpointReviewCompleted",
    "MissingExtra",
    "Mode",
    "NoShowRecorded",
    "NoShowVoided",
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
    "SessionCorrected",
    "SessionRecorded",
    "SessionRescheduled",
    "SessionVoided",
    "Severity",
    "SponsorReport",
    "Terminated",
    "TransitionNotAllowed",
    "Visibility",
    "describe_rhythm",
    "diagram",
    "document_schema",
    "event_to_dict",
    "from_dict",
    "from_json",
    "gas_t_score",
    "render",
    "report",
    "speaking",
    "sponsor_report",
    "to_dict",
    "to_ics",
    "to_json",
]
