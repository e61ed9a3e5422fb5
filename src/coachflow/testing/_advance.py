"""The rule of `EngagementMachine` that takes the process's next step as people do:
agreed at the start-up meeting, the midpoint review where the programme expects one,
the closing once sessions were held, the three-party follow-up."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.stateful import rule

from coachflow._values.enums import Phase
from coachflow._values.outcomes import Attainment
from coachflow.testing import _strategies as cs
from coachflow.testing._pacing import Rules

if TYPE_CHECKING:
    pass

__all__ = ["Advance"]

#: How long people take before the process's next step, in hours: a day to two weeks.
_WAIT = st.integers(20, 24 * 14)


class Advance(Rules):
    """A rule of `EngagementMachine` (a mixin: see there)."""

    @rule(hours=_WAIT, data=st.data())
    def next_step(self, hours: int, data: Any) -> None:
        """The next step of the process, by the coach (a signature by whom it awaits),
        a day to two weeks on: always possible, so that runs move through every phase
        as well as trying the rest."""
        self._take_next_step(hours, data)

    def _take_next_step(self, hours: int, data: Any) -> None:
        engagement, when = self.engagement, self.at(hours)
        phase = engagement.phase
        if phase is Phase.AGREEMENT and engagement.agreement is not None:
            signer = engagement.unsigned[0].id  # the agreement awaits this signature
            self.issue("sign_agreement", engagement.sign_agreement, at=when, by=signer)
        elif phase is Phase.AGREEMENT:
            start = when.date() + dt.timedelta(days=data.draw(st.integers(0, 14)))
            agreement = data.draw(cs.agreements(start=start, time_zone=str(when.tzinfo)))
            self.issue("agree", engagement.agree, agreement=agreement, at=when, by="coach")
        elif phase is Phase.ACTIVE:
            programme = engagement.programme
            assert programme is not None
            if len(engagement.sessions) < 2:  # a few sessions first
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
            self.issue("complete_midpoint_review", review, at=when, by="coach", revisions=())
        elif phase is Phase.PAUSED:
            self.issue("resume", engagement.resume, at=when, by="coach")
        elif phase is Phase.CLOSING:
            scores = [Attainment(g.id, data.draw(st.integers(-2, 2))) for g in engagement.goals]
            plan = data.draw(cs.action_plans())
            self.issue(
                "close", engagement.close, at=when, by="coach", attainment=scores, action_plan=plan
            )
        elif phase is Phase.FOLLOW_UP:
            ids = [engagement.coach.id, engagement.client.id]
            sponsor = engagement.sponsor
            assert sponsor is not None
            if data.draw(st.booleans()):  # held or skipped, as drawn
                hold, everyone = engagement.hold_follow_up, [*ids, sponsor.id]
                self.issue("hold_follow_up", hold, at=when, by="coach", participants=everyone)
            else:
                skip = engagement.skip_follow_up
                self.issue("skip_follow_up", skip, at=when, by="coach", reason="the manager left")
