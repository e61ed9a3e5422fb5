"""The state machine's rules for the commands that make the client a party: signatures,
amendments, consent, corrections of the record and a change of coach."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.stateful import rule

from coachflow._values.amendment import Amendment
from coachflow._values.enums import CONSENTS, Role
from coachflow._values.model import Party
from coachflow._values.sessions import Session
from coachflow.testing import _strategies as cs
from coachflow.testing._clock import Step, steps
from coachflow.testing._pacing import RECORD_EVERY, Rules, in_turn, no_shows, sessions

if TYPE_CHECKING:
    from coachflow._engagement import Engagement

__all__ = ["ContractRules"]

_ACTORS = st.sampled_from(("coach", "coach", "coach", "client", "sponsor", "stranger"))
_REASONS = st.sampled_from(("recorded twice", "it ran over", "the client came after all"))
#: Mostly the client (whose consent it is), now and then another.
_CLIENT_FIRST = st.sampled_from(("client", "client", "client", "coach", "sponsor", "stranger"))
#: The booking of a no-show (mostly), or one that was none.
_NO_SHOWS = st.one_of(
    st.runner().flatmap(
        lambda machine: st.sampled_from([b.id for b in machine.engagement.no_shows] or ["b1"])
    ),
    st.sampled_from(("b1", "b2", "b3", "b4")),
)
#: Consent topics, now and then one that does not exist.
_TOPICS = st.frozensets(st.sampled_from((*CONSENTS, "notes")), max_size=2)
#: Consent to give: `_TOPICS`, now and then the consent in force already.
_TO_GIVE = st.one_of(
    _TOPICS,
    st.runner().flatmap(
        lambda machine: (
            st.just(machine.engagement.consent) if machine.engagement.consent else _TOPICS
        )
    ),
)
#: New coaches: mostly new ids, now and then one that is taken, or not a coach.
_COACHES = st.sampled_from(
    (
        Party("coach-2", "Bo Sund", Role.COACH),
        Party("coach-3", "Li Wei", Role.COACH),
        Party("client", "Kim Berg", Role.COACH),
        Party("coach-4", "Omar Haddad", Role.CLIENT),
    )
)


def consent(engagement: Engagement) -> object:
    """What withdrawing consent needs: consent given."""
    return engagement.consent


def awaiting(engagement: Engagement) -> object:
    """What a signature needs: one awaited (the agreement's, or an amendment's)."""
    return engagement.unsigned


class ContractRules(Rules):
    """Rules of `EngagementMachine` (a mixin: see there)."""

    def _held_at(self, pick: int, hours: int) -> dt.datetime:
        """The instant of a recorded session (mostly), or one no session was held at."""
        sessions = self.engagement.sessions
        if sessions and pick:
            return sessions[pick % len(sessions)].held_at
        return self.engagement.events[-1].at - dt.timedelta(hours=hours)

    @in_turn("sign_agreement", every=RECORD_EVERY, needs=awaiting)
    @rule(by=_ACTORS, hours=steps, awaited=st.sampled_from(("yes", "yes", "no", "outsider")))
    def sign_agreement(self, by: str, hours: Step, awaited: str) -> None:
        unsigned = self.engagement.unsigned
        if unsigned and awaited == "yes" and by != "stranger":  # mostly one yet to sign
            by = unsigned[0].id
        elif awaited == "outsider":  # now and then a party the agreement does not name
            by = next(iter(self._outsiders()), by)
        self.issue("sign_agreement", self.engagement.sign_agreement, at=self.at(hours), by=by)

    def _outsiders(self) -> list[str]:
        """The parties who are not among the signatories of the agreement in force."""
        engagement = self.engagement
        agreement = engagement.agreement
        if agreement is None:
            return []
        parties = engagement.parties.values()
        return [p.id for p in parties if p.role not in agreement.signatories]

    @in_turn("amend_agreement", every=RECORD_EVERY)
    @rule(by=_ACTORS, hours=steps, data=st.data())
    def amend_agreement(self, by: str, hours: Step, data: Any) -> None:
        agreement = self.engagement.agreement
        series = {} if agreement is None else {"start": agreement.start, "months": 6}
        mistake = data.draw(st.integers(0, 5))
        if mistake == 5:  # now and then one that changes no field
            amendment = Amendment()
        elif mistake == 4 and agreement is not None:  # or one that sets a field as it is
            amendment = Amendment(practicalities=agreement.practicalities)
        else:
            amendment = data.draw(cs.amendments(**series))  # type: ignore[arg-type]
        self.issue(
            "amend_agreement",
            self.engagement.amend_agreement,
            amendment=amendment,
            at=self.at(hours),
            by=by,
        )

    @in_turn("give_consent", every=RECORD_EVERY)
    @rule(by=_CLIENT_FIRST, hours=steps, topics=_TO_GIVE)
    def give_consent(self, by: str, hours: Step, topics: frozenset[str]) -> None:
        self.issue(
            "give_consent", self.engagement.give_consent, topics=topics, at=self.at(hours), by=by
        )

    @in_turn("withdraw_consent", every=RECORD_EVERY, needs=consent)
    @rule(by=_CLIENT_FIRST, hours=steps, topics=_TOPICS)
    def withdraw_consent(self, by: str, hours: Step, topics: frozenset[str]) -> None:
        self.issue(
            "withdraw_consent",
            self.engagement.withdraw_consent,
            topics=topics,
            at=self.at(hours),
            by=by,
        )

    @in_turn("correct_session", every=RECORD_EVERY, needs=sessions)
    @rule(
        by=_ACTORS,
        hours=steps,
        pick=st.integers(0, 5),
        earlier=st.integers(0, 48),
        reason=_REASONS,
        data=st.data(),
    )
    def correct_session(
        self, by: str, hours: Step, pick: int, earlier: int, reason: str, data: Any
    ) -> None:
        held_at = self._held_at(pick, earlier)
        drawn: Session = data.draw(cs.sessions())
        session = Session(held_at, drawn.minutes, drawn.mode, notes=drawn.notes)
        self.issue(
            "correct_session",
            self.engagement.correct_session,
            held_at=held_at,
            session=session,
            reason=reason,
            at=self.at(hours),
            by=by,
        )

    @in_turn("void_session", every=RECORD_EVERY, needs=sessions)
    @rule(by=_ACTORS, hours=steps, pick=st.integers(0, 5), earlier=st.integers(0, 48))
    def void_session(self, by: str, hours: Step, pick: int, earlier: int) -> None:
        self.issue(
            "void_session",
            self.engagement.void_session,
            held_at=self._held_at(pick, earlier),
            reason="recorded twice",
            at=self.at(hours),
            by=by,
        )

    @in_turn("void_no_show", every=RECORD_EVERY, needs=no_shows)
    @rule(by=_ACTORS, hours=steps, booking_id=_NO_SHOWS)
    def void_no_show(self, by: str, hours: Step, booking_id: str) -> None:
        self.issue(
            "void_no_show",
            self.engagement.void_no_show,
            booking_id=booking_id,
            reason="the client came after all",
            at=self.at(hours),
            by=by,
        )

    @in_turn("change_coach", every=RECORD_EVERY)
    @rule(by=_ACTORS, hours=steps, coach=_COACHES, reason=_REASONS)
    def change_coach(self, by: str, hours: Step, coach: Party, reason: str) -> None:
        self.issue(
            "change_coach",
            self.engagement.change_coach,
            coach=coach,
            reason=reason,
            at=self.at(hours),
            by=by,
        )
