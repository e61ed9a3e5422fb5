"""The events that make the client a party: signatures, amendments, consent given and
withdrawn, corrections of the record, and a change of coach."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import attrs

from coachflow._values.amendment import Amendment
from coachflow._values.containers import Choices
from coachflow._values.enums import CONSENTS, NOT_PERSONAL
from coachflow._values.eventbase import REASON, Event, of
from coachflow._values.failures import InvalidValue
from coachflow._values.fields import json_schema
from coachflow._values.model import Party
from coachflow._values.sessions import Session
from coachflow._values.validation import fixed_offset, instant, to_frozenset
from coachflow._values.validators import Text, aware

__all__ = [
    "AgreementAmended",
    "AgreementSigned",
    "CoachChanged",
    "ConsentGiven",
    "ConsentWithdrawn",
    "NoShowVoided",
    "SessionCorrected",
    "SessionVoided",
]


@attrs.frozen(kw_only=True, weakref_slot=False)
class AgreementSigned(Event):
    """A signatory signed the agreement, or the amendment awaiting signatures."""

    command: ClassVar[str] = "sign_agreement"


@attrs.frozen(kw_only=True, weakref_slot=False)
class AgreementAmended(Event):
    """A party proposed an amendment to the agreement in force (their signature on it):
    it takes effect once every signatory has signed."""

    command: ClassVar[str] = "amend_agreement"

    amendment: Amendment = attrs.field(validator=of(Amendment))
    """What changes."""


@json_schema({"minItems": 1})
def _some(inst: object, attribute: Any, value: frozenset[str]) -> None:
    if not value:
        known = ", ".join(map(repr, CONSENTS))
        raise InvalidValue(f"{attribute.name!r} must name at least one of {known} (got none)")


@attrs.frozen(kw_only=True, weakref_slot=False)
class ConsentGiven(Event):
    """The client consented to show the sponsor more."""

    command: ClassVar[str] = "give_consent"

    topics: frozenset[str] = attrs.field(
        converter=to_frozenset, validator=[Choices(CONSENTS), _some], metadata=NOT_PERSONAL
    )
    """What the sponsor may now see: some of ``"goals"``, ``"attainment"``,
    ``"action_plan"``."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class ConsentWithdrawn(Event):
    """The client withdrew consent: the sponsor no longer sees these topics, earlier
    texts and scores included."""

    command: ClassVar[str] = "withdraw_consent"

    topics: frozenset[str] = attrs.field(
        converter=to_frozenset, validator=[Choices(CONSENTS), _some], metadata=NOT_PERSONAL
    )
    """What the sponsor may no longer see."""


_HELD_AT = attrs.field(converter=fixed_offset, validator=aware, eq=instant)


@attrs.frozen(kw_only=True, weakref_slot=False)
class SessionCorrected(Event):
    """A session recorded wrongly was corrected: the original record stays, the
    corrected session counts from now on."""

    command: ClassVar[str] = "correct_session"

    held_at: dt.datetime = _HELD_AT
    """When the session corrected was held, as recorded (which session)."""
    session: Session = attrs.field(validator=of(Session))
    """The session as it really was."""
    reason: str = attrs.field(validator=Text(), metadata=REASON)
    """Why the record was wrong."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class SessionVoided(Event):
    """A session recorded by mistake was voided: it counts nowhere, and the booking it
    fulfilled is open again."""

    command: ClassVar[str] = "void_session"

    held_at: dt.datetime = _HELD_AT
    """When the session voided was held, as recorded."""
    reason: str = attrs.field(validator=Text(), metadata=REASON)
    """Why it never happened as recorded."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class NoShowVoided(Event):
    """A no-show recorded by mistake was voided: the booking is open again."""

    command: ClassVar[str] = "void_no_show"

    booking_id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """The booking the no-show was recorded for."""
    reason: str = attrs.field(validator=Text(), metadata=REASON)
    """Why the client was not absent after all."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class CoachChanged(Event):
    """Another coach took over: the former coach issues nothing from now on, and the
    sessions they held stay theirs."""

    command: ClassVar[str] = "change_coach"

    coach: Party = attrs.field(validator=of(Party))
    """The new coach (`Role.COACH`, an id new to the engagement)."""
    reason: str = attrs.field(validator=Text(), metadata=REASON)
    """Why the coach changed."""
