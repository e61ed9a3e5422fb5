"""The commands of the agreement as a contract: signatures, amendments, the client's
consent, and a change of coach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from coachflow._engine.fold import Fold
from coachflow._values.amendment import Amendment
from coachflow._values.changes import (
    AgreementAmended,
    AgreementSigned,
    CoachChanged,
    ConsentGiven,
    ConsentWithdrawn,
)
from coachflow._values.model import Party

__all__ = ["ContractCommands"]


class ContractCommands(Fold):
    """The commands that sign and change the agreement, and hand over to another coach
    (see `Engagement`)."""

    __slots__ = ()

    def sign_agreement(self, *, at: dt.datetime, by: str) -> AgreementSigned:
        """Sign the agreement awaiting signatures, or the amendment awaiting them.

        In AGREEMENT, after `agree`: the last signature a signatory of the agreement
        (`Agreement.signatories`) gives puts it in force, AGREEMENT -> ACTIVE. In a later
        phase: a signature on the pending amendment (`pending_amendment`); the last
        puts it in force from *at* on. A party whose role is no signatory:
        `RuleViolation` (``agreement.not_a_signatory``); one who signed it already
        (``agreement.already_signed``); nothing awaiting signatures
        (``agreement.nothing_to_sign``).
        """
        self._guard("sign_agreement", by)
        return self._commit(AgreementSigned(at=at, by=by))

    def amend_agreement(
        self, amendment: Amendment, *, at: dt.datetime, by: str
    ) -> AgreementAmended:
        """Propose an amendment to the agreement in force (ACTIVE, MIDPOINT_REVIEW or
        PAUSED; coach or client by default): the proposer's signature on it.

        It takes effect when every signatory has signed it (`sign_agreement`), at once
        when the proposer is the only one; until then it is `pending_amendment`, and a
        new proposal replaces it. An amendment that sets no field: `RuleViolation`
        (``amendment.empty``); one that changes nothing (``amendment.unchanged``); a
        three-party follow-up without a sponsor (``agreement.sponsor_missing``); breaks
        outside the series: `ValueError`.
        """
        self._guard("amend_agreement", by)
        return self._commit(AgreementAmended(at=at, by=by, amendment=amendment))

    def give_consent(self, topics: Iterable[str], *, at: dt.datetime, by: str) -> ConsentGiven:
        """The client consents to show the sponsor *topics* (some of ``"goals"``,
        ``"attainment"``, ``"action_plan"``) from now on; see `consent`.

        The client's alone by default. An unknown topic: `ValueError` naming the known
        ones; a topic already consented to: `RuleViolation` (``consent.already_given``);
        before `agree` (``consent.no_agreement``).
        """
        self._guard("give_consent", by)
        return self._commit(ConsentGiven(at=at, by=by, topics=topics))

    def withdraw_consent(
        self, topics: Iterable[str], *, at: dt.datetime, by: str
    ) -> ConsentWithdrawn:
        """The client withdraws consent to *topics*: every output made for the sponsor
        hides them from now on, earlier texts and scores included.

        As easy as giving it (GDPR article 7(3)): the client's alone by default. A topic
        not consented to: `RuleViolation` (``consent.not_given``); an unknown one:
        `ValueError`.
        """
        self._guard("withdraw_consent", by)
        return self._commit(ConsentWithdrawn(at=at, by=by, topics=topics))

    def change_coach(self, coach: Party, *, reason: str, at: dt.datetime, by: str) -> CoachChanged:
        """Hand the engagement over to *coach* (ACTIVE, MIDPOINT_REVIEW or PAUSED).

        *coach* must have `Role.COACH` and an id new to the engagement: else
        `ValueError`. From *at* on `coach` is the new coach; the former coach may issue
        nothing (`PermissionDenied`), keeps their view of the sessions they held
        (`Session.coach_id`) and stays among `parties`, so `erase_party` finds them.
        """
        self._guard("change_coach", by)
        return self._commit(CoachChanged(at=at, by=by, coach=coach, reason=reason))
