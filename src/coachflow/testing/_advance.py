"""The rule of `EngagementMachine` that takes the process's next step as people do:
agreed at the start-up meeting, the midpoint review where the programme expects one,
the closing once sessions were held, the three-party follow-up; and, as people do,
now and then with a slip the engagement refuses (a signature by a party the agreement
does not name, a revision of a goal that is not there, a goal scored twice, the sponsor
left out of the follow-up), so that every refusal of the process is tried."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule

from coachflow._engagement import Engagement
from coachflow._values.amendment import Amendment
from coachflow._values.enums import CONSENTS, Phase
from coachflow._values.model import AddGoal, ReformulateGoal
from coachflow._values.outcomes import Attainment
from coachflow.testing import _strategies as cs
from coachflow.testing._pacing import Rules

__all__ = ["SLIP", "Advance"]

#: How long people take before the process's next step, in hours: a day to two weeks.
_WAIT = st.integers(20, 24 * 14)
#: One next step in this many comes with a slip.
SLIP = 3
_SLIPS = st.integers(0, SLIP - 1).map(lambda n: n == SLIP - 1)  # the simplest: none
#: What an amendment in the course of the series says of mutual expectations.
_EXPECTATIONS = st.sampled_from(("Candour both ways", "Notes shared after each session"))
#: What goes wrong in the scores of a closing.
_SCORING = st.sampled_from(("drop", "unknown", "twice"))


class Advance(Rules):
    """The opening and a rule of `EngagementMachine` (a mixin: see there)."""

    @initialize(
        agreed=st.sampled_from((True, True, True, False)),
        alone=st.sampled_from((False, False, False, False, True)),
        consent=st.sampled_from((False, False, True)),
        data=st.data(),
    )
    def opened(self, agreed: bool, alone: bool, consent: bool, data: Any) -> None:
        """Reports the opening; one run in five (unless `with_sponsor`) opens without a
        sponsor; three runs in four begin with the start-up meeting's agreement (the
        rest try the agreement phase's commands first), and of those one in three with
        the client's consent to what the sponsor may see."""
        if alone and not self.with_sponsor:
            first = self.engagement
            self.engagement = Engagement.open(
                first.id, coach=first.coach, client=first.client, at=first.events[0].at
            )
        self.on_event(self.engagement.events[0])
        while agreed and self.engagement.phase is Phase.AGREEMENT:  # agreed, then signed
            self._take_next_step(data.draw(st.integers(1, 24 * 7)), data)
        if agreed and consent:
            topics = data.draw(st.frozensets(st.sampled_from(CONSENTS), min_size=1))
            give = self.engagement.give_consent
            self.issue("give_consent", give, topics=topics, at=self.at(1), by="client")

    @rule(hours=_WAIT, data=st.data())
    def next_step(self, hours: int, data: Any) -> None:
        """The next step of the process, by the coach (a signature by whom it awaits),
        a day to two weeks on: always possible, so that runs move through every phase
        as well as trying the rest."""
        self._take_next_step(hours, data)

    def _take_next_step(self, hours: int, data: Any) -> None:
        engagement, when = self.engagement, self.at(hours)
        phase = engagement.phase
        slip = data.draw(_SLIPS)
        if slip and self._slipped_step(when, data):
            return
        if phase is Phase.AGREEMENT and engagement.agreement is not None:
            signer = engagement.unsigned[0].id  # the agreement awaits this signature
            if slip:  # one the agreement does not name, else one who signed already
                agreement, parties = engagement.agreement, engagement.parties.values()
                outsiders = [p.id for p in parties if p.role not in agreement.signatories]
                signer = outsiders[0] if outsiders else next(iter(engagement.signatures), signer)
            self.issue("sign_agreement", engagement.sign_agreement, at=when, by=signer)
        elif phase is Phase.AGREEMENT:
            start = when.date() + dt.timedelta(days=data.draw(st.integers(0, 14)))
            alone = None if engagement.sponsor else False  # nothing of a sponsor without one
            agreement = data.draw(
                cs.agreements(
                    start=start,
                    time_zone=str(when.tzinfo),
                    three_party_follow_up=alone,
                    sponsor_signs=alone,
                )
            )
            self.issue("agree", engagement.agree, agreement=agreement, at=when, by="coach")
        elif phase is Phase.ACTIVE:
            programme = engagement.programme
            assert programme is not None
            if self._life_happens(when, data):
                pass
            elif len(engagement.sessions) < 2:  # a few sessions first
                session = data.draw(cs.sessions(on=when.date(), zone=engagement.time_zone))
                self.issue(
                    "record_session",
                    engagement.record_session,
                    session=session,
                    at=max(when, session.held_at + dt.timedelta(hours=2)),
                    by="coach",
                    booking_id=None,  # the arguments as the rule gives them, for the hooks
                )
            elif programme.expects_midpoint_review and not engagement.midpoint_reviewed:
                self.issue(
                    "begin_midpoint_review",
                    engagement.begin_midpoint_review,
                    at=when,
                    by="coach",
                )
            else:
                self.issue("begin_closing", engagement.begin_closing, at=when, by="coach")
        elif phase is Phase.MIDPOINT_REVIEW:
            review = engagement.complete_midpoint_review
            revisions: tuple[ReformulateGoal | AddGoal, ...] = ()
            if slip:  # a goal that is not there reformulated, or one that is added again
                goal = engagement.goals[0]
                revisions = data.draw(
                    st.sampled_from(
                        ((ReformulateGoal("g-none", "Lead the team"),), (AddGoal(goal),))
                    )
                )
            self.issue(
                "complete_midpoint_review", review, at=when, by="coach", revisions=revisions
            )
        elif phase is Phase.PAUSED:
            self.issue("resume", engagement.resume, at=when, by="coach")
        elif phase is Phase.CLOSING:
            scores = [Attainment(g.id, data.draw(st.integers(-2, 2))) for g in engagement.goals]
            if slip:  # a goal left out, one the engagement does not have, or one twice
                scores = _slipped(scores, data.draw(_SCORING))
            plan = data.draw(cs.action_plans())
            self.issue(
                "close", engagement.close, at=when, by="coach", attainment=scores, action_plan=plan
            )
        elif phase is Phase.FOLLOW_UP:
            ids = [engagement.coach.id, engagement.client.id]
            sponsor = engagement.sponsor
            assert sponsor is not None
            if slip or data.draw(st.booleans()):  # held or skipped, as drawn
                hold, everyone = engagement.hold_follow_up, [*ids, sponsor.id]
                if slip:  # the sponsor (or the client) left out
                    everyone = everyone[:2] if data.draw(st.booleans()) else everyone[::2]
                self.issue("hold_follow_up", hold, at=when, by="coach", participants=everyone)
            else:
                skip = engagement.skip_follow_up
                self.issue("skip_follow_up", skip, at=when, by="coach", reason="the manager left")

    def _life_happens(self, when: dt.datetime, data: Any) -> bool:
        """Now and then, in the active phase, what happens besides the process: a no-show
        turns out to be none (the client came after all), the client misses a booked
        session, the coach proposes an amendment (now and then one that changes
        nothing), the client withdraws consent (now and then for a topic never given).
        False when nothing did."""
        engagement = self.engagement
        if engagement.no_shows and data.draw(_SLIPS):
            void, booking_id = engagement.void_no_show, engagement.no_shows[-1].id
            reason = "the client came after all"
            self.issue(
                "void_no_show", void, booking_id=booking_id, reason=reason, at=when, by="coach"
            )
            return True
        if engagement.bookings and data.draw(_SLIPS):
            booking = engagement.bookings[0]
            after = max(when, booking.starts_at + dt.timedelta(hours=1))
            missed = engagement.record_no_show
            self.issue("record_no_show", missed, booking_id=booking.id, at=after, by="coach")
            return True
        agreement = engagement.agreement
        if agreement is not None and engagement.pending_amendment is None and data.draw(_SLIPS):
            kind = data.draw(st.sampled_from(("changed", "changed", "empty", "as agreed")))
            amendment = (
                Amendment()
                if kind == "empty"
                else Amendment(practicalities=agreement.practicalities)
                if kind == "as agreed"
                else Amendment(expectations=data.draw(_EXPECTATIONS))
            )
            amend = engagement.amend_agreement
            self.issue("amend_agreement", amend, amendment=amendment, at=when, by="coach")
            return True
        if engagement.consent and data.draw(_SLIPS):
            given = sorted(engagement.consent)
            topics = frozenset(given[:1] if data.draw(st.booleans()) else CONSENTS)
            withdraw, client = engagement.withdraw_consent, engagement.client.id
            self.issue("withdraw_consent", withdraw, topics=topics, at=when, by=client)
            return True
        return False

    def _slipped_step(self, when: dt.datetime, data: Any) -> bool:
        """A slip that is a command of its own, where the phase has one: consent given
        before there is an agreement, a signature sent twice, an earlier session's homework
        recorded again. False where the phase has none."""
        engagement = self.engagement
        if engagement.phase is Phase.AGREEMENT and engagement.agreement is None:
            if engagement.sponsor is None:  # a three-party follow-up agreed without a sponsor
                follow_up = cs.agreements(start=when.date(), three_party_follow_up=True)
                agreement = data.draw(follow_up)
                self.issue("agree", engagement.agree, agreement=agreement, at=when, by="coach")
                return True
            give, topics = engagement.give_consent, frozenset({"goals"})
            self.issue("give_consent", give, topics=topics, at=when, by=engagement.client.id)
            return True
        if engagement.phase is not Phase.ACTIVE or engagement.pending_amendment is not None:
            return False
        given = [s for s in engagement.sessions if s.homework]
        if given and data.draw(st.booleans()):  # an earlier session's homework given again
            drawn = data.draw(cs.sessions(on=when.date(), zone=engagement.time_zone))
            session = attrs.evolve(drawn, homework=given[-1].homework)
            record, held = engagement.record_session, session.held_at
            after = max(when, held + dt.timedelta(hours=2))
            self.issue(
                "record_session", record, session=session, at=after, by="coach", booking_id=None
            )
        else:  # a signature sent twice
            sign, client = engagement.sign_agreement, engagement.client.id
            self.issue("sign_agreement", sign, at=when, by=client)
        return True


def _slipped(scores: list[Attainment], slip: str) -> list[Attainment]:
    """*scores* with a slip: a goal left out, one the engagement does not have, one twice."""
    if slip == "drop" and len(scores) > 1:  # (without any score, a closing is no slip)
        return scores[1:]
    if slip == "unknown":
        return [*scores, Attainment("g-none", 1)]
    return [*scores, scores[0]]
