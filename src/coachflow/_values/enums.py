"""The enumerations of the process, and how a field declares who may see it."""

from __future__ import annotations

import enum

__all__ = [
    "CONSENTS",
    "NOT_PERSONAL",
    "EndReason",
    "Mode",
    "Phase",
    "Role",
    "Severity",
    "Visibility",
    "visible_to",
]


class Mode(enum.Enum):
    """How a session is held."""

    __hash__ = object.__hash__  # members are singletons: Enum's hash(name) is slower

    IN_PERSON = "in_person"
    PHONE = "phone"
    DIGITAL = "digital"


class Role(enum.Enum):
    """The part a party plays: the coach, the client, or the sponsor (the client's manager)."""

    __hash__ = object.__hash__

    COACH = "coach"
    CLIENT = "client"
    SPONSOR = "sponsor"


class Visibility(enum.Enum):
    """Who may see a personal text: each personal field of a value or event declares one
    (`visible_to`), and views, reports, exports and erasure all read that declaration."""

    __hash__ = object.__hash__

    COACH = "coach"
    """The coach alone (a session's notes)."""
    CLIENT = "client"
    """The coach and the client; the sponsor only with the client's consent, where the
    field names a consent (`Agreement.sponsor_sees`)."""
    SPONSOR = "sponsor"
    """Every party of the engagement (the parties' names)."""


#: What the client may consent to show the sponsor (`Agreement.sponsor_sees`).
CONSENTS: tuple[str, ...] = ("goals", "attainment", "action_plan")


def visible_to(visibility: Visibility, *, consent: str | None = None) -> dict[str, object]:
    """The field metadata of a personal text: who may see it, and the consent
    (one of `CONSENTS`) that shows it to the sponsor too."""
    return {"visibility": visibility, "consent": consent}


#: The field metadata of a text that is not personal: ids, zones, rules, command names.
#: Visible to every party and kept by erasure.
NOT_PERSONAL: dict[str, object] = {"visibility": None}


class Severity(enum.Enum):
    """How much a finding matters."""

    __hash__ = object.__hash__

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Phase(enum.Enum):
    """Where an engagement is in the process."""

    __hash__ = object.__hash__

    AGREEMENT = "agreement"
    """Start-up: the coaching agreement is being made."""
    ACTIVE = "active"
    """Sessions under way."""
    MIDPOINT_REVIEW = "midpoint_review"
    """The midpoint review: is the direction right, do goals need revising?"""
    PAUSED = "paused"
    """Sessions suspended; the end moves by the pause's days once it is over."""
    CLOSING = "closing"
    """The final session: goal attainment, celebration, action plan."""
    FOLLOW_UP = "follow_up"
    """The three-party follow-up with the client's manager is due."""
    COMPLETED = "completed"
    """Terminal: the engagement ran its course."""
    TERMINATED = "terminated"
    """Terminal: the engagement ended early."""

    @property
    def is_terminal(self) -> bool:
        """True for the phases nothing leaves."""
        return self in (Phase.COMPLETED, Phase.TERMINATED)


class EndReason(enum.Enum):
    """Why an engagement ended early (`Engagement.terminate`): what reports count."""

    __hash__ = object.__hash__

    GOALS_MET = "goals_met"
    """The goals were reached before the series was over."""
    CLIENT_REQUEST = "client_request"
    """The client asked to end it."""
    REFERRAL = "referral"
    """The client was referred elsewhere (therapy, medical care, another coach)."""
    ROLE_CHANGE = "role_change"
    """The client's role changed, so the agreed goals no longer fit."""
    LEFT_ORGANISATION = "left_organisation"
    """The client left the organisation that sponsors the coaching."""
    OTHER = "other"
    """Any other reason (the free-text ``reason`` says which)."""
