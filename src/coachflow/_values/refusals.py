"""What the process cannot allow: every code a `RuleViolation` of the process carries,
with the commands that refuse and when (the rules reference is written from `REFUSALS`;
a test holds the engine's raises to it). A rule an organisation made mandatory refuses
with its finding's own code (`RuleSet`)."""

from __future__ import annotations

import attrs

__all__ = ["REFUSALS", "Refusal"]


@attrs.frozen(weakref_slot=False)
class Refusal:
    """A refusal of the process: its `code`, the `commands` that raise it, `when`."""

    code: str
    commands: tuple[str, ...]
    when: str


_BOOKED = ("reschedule_session", "cancel_session", "record_no_show", "record_session")

REFUSALS: tuple[Refusal, ...] = (
    Refusal(
        "agreement.sponsor_missing",
        ("agree", "amend_agreement"),
        "a three-party follow-up is agreed (or amended in), but no sponsor was named when "
        "the engagement was opened",
    ),
    Refusal(
        "agreement.nothing_to_sign",
        ("sign_agreement",),
        "no agreement or amendment awaits a signature",
    ),
    Refusal(
        "agreement.not_a_signatory",
        ("sign_agreement",),
        "the party's role is not among the agreement's signatories",
    ),
    Refusal(
        "agreement.already_signed",
        ("sign_agreement",),
        "the party signed what awaits signatures already",
    ),
    Refusal("amendment.empty", ("amend_agreement",), "the amendment changes no field"),
    Refusal(
        "amendment.unchanged",
        ("amend_agreement",),
        "every field the amendment names is already as agreed",
    ),
    Refusal(
        "consent.no_agreement",
        ("give_consent", "withdraw_consent"),
        "no agreement has been made yet",
    ),
    Refusal("consent.already_given", ("give_consent",), "a topic's consent is in force already"),
    Refusal("consent.not_given", ("withdraw_consent",), "a topic's consent is not in force"),
    Refusal(
        "homework.duplicate_id",
        ("record_session", "correct_session"),
        "an assignment id was already given in this engagement",
    ),
    Refusal("booking.unknown", _BOOKED, "no booking of the engagement has the id"),
    Refusal("booking.settled", _BOOKED, "the booking was held, cancelled or missed already"),
    Refusal("booking.duplicate_id", ("book_session",), "the id was booked before"),
    Refusal(
        "session.unknown",
        ("correct_session", "void_session"),
        "no session recorded was held at the instant given",
    ),
    Refusal("no_show.unknown", ("void_no_show",), "no no-show was recorded for the booking"),
    Refusal(
        "midpoint.unknown_goal",
        ("complete_midpoint_review",),
        "a reformulation names no current goal",
    ),
    Refusal(
        "midpoint.duplicate_goal", ("complete_midpoint_review",), "an added goal reuses an id"
    ),
    Refusal(
        "midpoint.missing",
        ("begin_closing",),
        "the organisation made the midpoint review mandatory and it was not completed",
    ),
    Refusal(
        "closing.attainment_missing",
        ("close",),
        "some current goals are scored and others not (score all or none)",
    ),
    Refusal("closing.attainment_unknown", ("close",), "a score names a goal the engagement lacks"),
    Refusal("closing.attainment_duplicate", ("close",), "a goal is scored twice"),
    Refusal(
        "follow_up.participants_missing",
        ("hold_follow_up",),
        "the client or the sponsor is not among the participants",
    ),
)
"""Every refusal of the process, in the order of the process."""
