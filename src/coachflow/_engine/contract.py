"""The agreement as a contract between parties: who signed, the amendment awaiting
signatures, the agreement in force at each instant, the client's consent in force, the
coaches the engagement has had, and the rules and effects of the commands that change
them (`sign_agreement`, `amend_agreement`, `give_consent`, `withdraw_consent`,
`change_coach`)."""

from __future__ import annotations

import bisect
import datetime as dt
import types
from collections.abc import Mapping, Sequence

import attrs

from coachflow._engine.state import State
from coachflow._values.amendment import Amendment
from coachflow._values.calendar import day_of
from coachflow._values.changes import (
    AgreementAmended,
    AgreementSigned,
    CoachChanged,
    ConsentGiven,
    ConsentWithdrawn,
)
from coachflow._values.containers import EMPTY_MAP, EMPTY_SET, appended
from coachflow._values.enums import CONSENTS, Phase, Role, Severity
from coachflow._values.errors import RuleViolation
from coachflow._values.events import Agreed, Terminated
from coachflow._values.failures import InvalidValue
from coachflow._values.i18n import t
from coachflow._values.model import Agreement, Party
from coachflow._values.names import NAMES, name
from coachflow._values.redaction import hiding
from coachflow._values.results import Finding
from coachflow._values.wording import list_words

__all__ = ["Contract", "refuse"]


def refuse(code: str, message: str, on: dt.date, **params: object) -> RuleViolation:
    """A `RuleViolation` of one error finding."""
    return RuleViolation([Finding(code, Severity.ERROR, message, on, params)])


def _topics(topics: list[str]) -> str:
    """Consent topics in words, in the order of `CONSENTS` (an unknown one as given)."""
    ordered = sorted(topics, key=lambda x: CONSENTS.index(x) if x in CONSENTS else len(CONSENTS))
    return list_words(name(topic) if topic in NAMES else topic for topic in ordered)


def _at(entry: tuple[dt.datetime, Agreement]) -> dt.datetime:
    return entry[0]


class Contract(State):
    """Who signed what, the consent in force and the coaches, with the commands that
    change them."""

    __slots__ = (
        "_agreements",
        "_consent",
        "_consent_confirmed",
        "_entered",
        "_former",
        "_pending",
        "_pending_signatures",
        "_proposed_at",
        "_signatures",
        "_terminated",
    )

    _signatures: dict[str, dt.datetime]  # of the agreement in force (or proposed)
    _pending: Amendment | None
    _pending_signatures: Mapping[str, dt.datetime]
    _proposed_at: dt.datetime | None  # the agreement's or the pending amendment's
    _agreements: Sequence[tuple[dt.datetime, Agreement]]  # in force from each instant on
    _consent: frozenset[str]
    _consent_confirmed: bool  # the client signed an agreement or gave or withdrew consent
    _former: Mapping[str, dt.datetime]  # former coaches: id -> when they handed over
    _terminated: Terminated | None
    _entered: tuple[int | Phase, ...]  # each event that changed the phase: index, phase
    # (flat, index and phase by turns: no pair allocated per change)

    def _begin_contract(self) -> None:
        self._signatures = {}
        self._pending = None
        self._pending_signatures = EMPTY_MAP  # each mapping: the shared empty one till set
        self._proposed_at = None
        self._agreements = ()
        self._consent = EMPTY_SET
        self._consent_confirmed = False
        self._former = EMPTY_MAP
        self._terminated = None
        self._entered = ()

    # -- queries ------------------------------------------------------------------------

    @property
    def signatures(self) -> Mapping[str, dt.datetime]:
        """Who signed the agreement in force (or the one proposed, before it is in force),
        by party id: when (read-only). `Engagement.agree` is the coach's signature."""
        return types.MappingProxyType(self._signatures)

    @property
    def unsigned(self) -> tuple[Party, ...]:
        """The signatories who have yet to sign: the agreement while the engagement is in
        `Phase.AGREEMENT`, else the pending amendment (empty when nothing awaits them)."""
        agreement = self._agreement
        if agreement is None:
            return ()
        if self._pending is not None:
            signed = self._pending_signatures
        elif self._phase is Phase.AGREEMENT:
            signed = self._signatures
        else:
            return ()
        return tuple(p for p in self._signatories(agreement) if p.id not in signed)

    @property
    def pending_amendment(self) -> Amendment | None:
        """The amendment proposed and awaiting signatures (None when none is)."""
        return self._pending

    @property
    def proposed_at(self) -> dt.datetime | None:
        """When what awaits signatures was proposed: the pending amendment, else the
        agreement (`agree`); None before `agree`."""
        return self._proposed_at

    @property
    def pending_signatures(self) -> Mapping[str, dt.datetime]:
        """Who signed the pending amendment, by party id: when (read-only)."""
        return types.MappingProxyType(self._pending_signatures)

    def agreement_at(self, moment: dt.datetime) -> Agreement | None:
        """The agreement in force at the instant *moment*: the first one for a moment
        before it took effect (None before `agree`)."""
        entries = self._agreements
        if not entries:
            return self._agreement
        index = bisect.bisect_right(entries, moment, key=_at)
        return entries[max(index - 1, 0)][1]

    @property
    def amendments_in_force(self) -> tuple[tuple[dt.datetime, Agreement], ...]:
        """Each agreement in force with the instant it took effect, oldest first."""
        return tuple(self._agreements)

    @property
    def consent(self) -> frozenset[str]:
        """What the client consents to show the sponsor now: `Agreement.sponsor_sees`
        once the client signed the agreement (``Role.CLIENT`` in its signatories), as
        changed since by `give_consent` and `withdraw_consent`."""
        return self._consent

    @property
    def consent_confirmed(self) -> bool:
        """Whether the client has spoken on consent: signed an agreement, or given or
        withdrawn consent (until then `Agreement.sponsor_sees` is only a proposal)."""
        return self._consent_confirmed

    @property
    def former_coaches(self) -> Mapping[str, dt.datetime]:
        """The coaches who handed over (`change_coach`), by id: when (read-only)."""
        return types.MappingProxyType(self._former)

    def coach_at(self, moment: dt.datetime) -> str:
        """The id of the coach in charge at the instant *moment*."""
        for coach_id, left in self._former.items():  # in the order they handed over
            if moment < left:
                return coach_id
        return self._coach.id

    @property
    def phases_entered(self) -> tuple[tuple[int, Phase], ...]:
        """Each change of phase: the index in `events` of the event that made it, and the
        phase it entered, oldest first."""
        entered = self._entered
        return tuple(zip(entered[::2], entered[1::2], strict=True))  # type: ignore[arg-type]

    @property
    def terminated(self) -> Terminated | None:
        """The early end's record (its reason and `EndReason`), once terminated."""
        return self._terminated

    # -- helpers of the commands ------------------------------------------------------

    def _signatories(self, agreement: Agreement) -> tuple[Party, ...]:
        slots = {Role.COACH: self._coach, Role.CLIENT: self._client, Role.SPONSOR: self._sponsor}
        return tuple(
            party
            for role in (Role.COACH, Role.CLIENT, Role.SPONSOR)
            if role in agreement.signatories and (party := slots[role]) is not None
        )

    def _completes(self, by: str) -> bool:
        """Whether *by*'s signature is the last the proposed agreement awaits."""
        return [party.id for party in self.unsigned] == [by] and self._pending is None

    def _in_force(self, agreement: Agreement, at: dt.datetime) -> None:
        self._agreement = agreement
        self._agreed_at = at
        self._programme = agreement.programme
        self._agreements = appended(self._agreements, (at, agreement))

    def _first_in_force(self, agreement: Agreement, at: dt.datetime) -> None:
        """The agreement comes into force: signed by the client, its `sponsor_sees` is
        the client's consent."""
        self._in_force(agreement, at)
        if Role.CLIENT in agreement.signatories:
            self._consent = agreement.sponsor_sees
            self._consent_confirmed = True

    def _contract_may_agree(self, agreement: Agreement) -> None:
        """Refuses an agreement the sponsor must sign when there is no sponsor (checked
        before `agree` changes anything)."""
        if Role.SPONSOR in agreement.signatories and self._sponsor is None:
            raise InvalidValue(
                t(
                    "'signatories' names Role.SPONSOR, but no sponsor was named when the "
                    "engagement was opened"
                )
            )

    def _contract_agreed(self, event: Agreed) -> None:
        """`agree`: the coach's signature on the proposed agreement (in force at once
        when the coach is its only signatory)."""
        agreement = event.agreement
        self._signatures = {event.by: event.at}
        self._proposed_at = event.at
        if len(agreement.signatories) == 1 or not self.unsigned:  # the coach's alone
            self._first_in_force(agreement, event.at)

    def _party_signs(self, by: str, signed: Mapping[str, dt.datetime], on: dt.date) -> None:
        agreement = self._agreement
        assert agreement is not None
        party = self._parties[by]
        if party.role not in agreement.signatories:
            roles = [name(role) for role in Role if role in agreement.signatories]
            raise refuse(
                "agreement.not_a_signatory",
                t(
                    "{party_id!r} is not a signatory of the agreement (signatories: {roles})",
                    party_id=by,
                    roles=list_words(roles),
                ),
                on,
                party_id=by,
            )
        if by in signed:
            raise refuse(
                "agreement.already_signed",
                t("{party_id!r} has signed this already", party_id=by),
                on,
                party_id=by,
            )

    # -- the commands' rules and effects ------------------------------------------------

    def _on_sign_agreement(self, event: AgreementSigned) -> None:
        on = day_of(event.at, self._zone)
        pending, agreement = self._pending, self._agreement
        if pending is not None and agreement is not None:
            self._party_signs(event.by, self._pending_signatures, on)
            self._pending_signatures = {**self._pending_signatures, event.by: event.at}
            if not self.unsigned:
                self._take_effect(pending, event.at)
            return
        if agreement is None or self._phase is not Phase.AGREEMENT:
            raise refuse(
                "agreement.nothing_to_sign",
                t("nothing awaits a signature: no agreement or amendment is proposed"),
                on,
            )
        self._party_signs(event.by, self._signatures, on)
        self._signatures[event.by] = event.at
        if not self.unsigned:
            self._first_in_force(agreement, event.at)

    def _take_effect(self, amendment: Amendment, at: dt.datetime) -> None:
        agreement, programme = self._agreement, self._programme
        assert agreement is not None and programme is not None
        with hiding():  # the agreement of the record may hold erased texts
            amended = amendment.applied_to(attrs.evolve(agreement, programme=programme))
        self._pending, self._pending_signatures = None, EMPTY_MAP
        self._in_force(amended, at)

    def _on_amend_agreement(self, event: AgreementAmended) -> None:
        amendment, agreement, programme = event.amendment, self._agreement, self._programme
        assert agreement is not None and programme is not None
        on = day_of(event.at, self._zone)
        if not amendment.changed:
            raise refuse("amendment.empty", t("an amendment must change at least one field"), on)
        with hiding():  # the agreement of the record may hold erased texts
            current = attrs.evolve(agreement, programme=programme)
            amended = amendment.applied_to(current)  # ValueError when not a valid agreement
        if amended == current:
            raise refuse(
                "amendment.unchanged",
                t(
                    "the amendment changes nothing: {fields} are already as agreed",
                    fields=list_words(amendment.changed),
                ),
                on,
                fields=list(amendment.changed),
            )
        if amended.three_party_follow_up and self._sponsor is None:
            raise refuse(
                "agreement.sponsor_missing",
                t(
                    "a three-party follow-up needs a sponsor (the client's manager), "
                    "but none was named when the engagement was opened"
                ),
                on,
            )
        self._pending = amendment
        self._proposed_at = event.at
        proposer = self._parties[event.by]
        signs = proposer.role in agreement.signatories
        self._pending_signatures = {event.by: event.at} if signs else EMPTY_MAP
        if not self.unsigned:
            self._take_effect(amendment, event.at)

    def _consent_topics(self, event: ConsentGiven | ConsentWithdrawn) -> dt.date:
        on = day_of(event.at, self._zone)
        if self._agreement is None:
            raise refuse(
                "consent.no_agreement",
                t("consent is given under an agreement, and none has been made yet"),
                on,
            )
        return on

    def _on_give_consent(self, event: ConsentGiven) -> None:
        on = self._consent_topics(event)
        again = sorted(event.topics & self._consent)
        if again:
            raise refuse(
                "consent.already_given",
                t("consent is in force already for: {topics}", topics=_topics(again)),
                on,
                topics=again,
            )
        self._consent = self._consent | event.topics
        self._consent_confirmed = True

    def _on_withdraw_consent(self, event: ConsentWithdrawn) -> None:
        on = self._consent_topics(event)
        absent = sorted(event.topics - self._consent)
        if absent:
            raise refuse(
                "consent.not_given",
                t("no consent is in force for: {topics}", topics=_topics(absent)),
                on,
                topics=absent,
            )
        self._consent = self._consent - event.topics
        self._consent_confirmed = True

    def _on_change_coach(self, event: CoachChanged) -> None:
        coach = event.coach
        if coach.role is not Role.COACH:
            raise InvalidValue(
                t(
                    "'coach' must have role 'coach' (got {role!r})",
                    role=coach.role.value,
                )
            )
        if coach.id in self._parties:
            raise InvalidValue(
                t(
                    "'coach' must have an id new to the engagement (got {coach_id!r}, "
                    "already a party)",
                    coach_id=coach.id,
                )
            )
        outgoing = self._coach.id
        if not self._former:  # the sessions held so far name their coach from now on
            self._sessions[:] = [
                held if held.coach_id is not None else held.held_by(outgoing)
                for held in self._sessions
            ]
        self._former = {**self._former, outgoing: event.at}
        self._may = None  # derived again: the former coach may issue nothing more
        self._coach = coach
        self._parties[coach.id] = coach

    def _on_terminate(self, event: Terminated) -> None:
        self._terminated = event
