"""The aggregate: an engagement is the fold of its events; each command appends one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from coachflow._engagement.contracting import ContractCommands
from coachflow._engagement.course import CourseCommands
from coachflow._engagement.sessions import SessionCommands
from coachflow._engine.fold import ReplayError, replay
from coachflow._engine.machine import PROCESS
from coachflow._privacy.views import views_of
from coachflow._rules.actions import next_actions
from coachflow._rules.judging import in_order, judge
from coachflow._rules.plan import plan
from coachflow._rules.ruleset import RuleSet
from coachflow._values.enums import Role
from coachflow._values.events import (
    Event,
    Opened,
)
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.i18n import speaking
from coachflow._values.model import Party
from coachflow._values.policy import DEFAULT_POLICY, Policy
from coachflow._values.results import Action, Finding, Plan
from coachflow._values.validation import describe, require_date

__all__ = ["Engagement"]


class Engagement(CourseCommands, ContractCommands, SessionCommands):
    """One coaching engagement: a coach, a client, maybe a sponsor, and its history.

    Create one with `Engagement.open` or rebuild one with `Engagement.replay`.
    Every command checks, in order, the phase (`TransitionNotAllowed`), the
    acting party's permission (`PermissionDenied`), the time (`ValueError`) and
    its own rules (`RuleViolation`); only then does it append exactly one event
    and return it. A refused command raises and leaves the engagement as it was.

    Commands take ``at``, the aware datetime when the command happens (never
    earlier than the previous event), and ``by``, the acting party's id.
    Two engagements are equal when their histories are; they are unhashable.
    """

    __slots__ = ()

    def __init__(self) -> None:
        raise InvalidType(
            "create an engagement with Engagement.open(...) or Engagement.replay(...)"
        )

    @classmethod
    def open(
        cls,
        id: str,
        *,
        coach: Party,
        client: Party,
        sponsor: Party | None = None,
        at: dt.datetime,
        by: str | None = None,
        policy: Policy = DEFAULT_POLICY,
    ) -> Engagement:
        """Open an engagement; its first event is `Opened` (``version == 1``).

        Each party must have the role of its slot (`Role.COACH`, `Role.CLIENT`,
        `Role.SPONSOR`) and the ids must differ, else `ValueError`. ``by``
        defaults to the coach's id; under the default policy only the coach may open.
        *policy* says who may issue which command (`Policy`); it is recorded in the
        `Opened` event, so the engagement's document keeps it and replays with it.
        """
        if by is None and isinstance(coach, Party):
            by = coach.id
        event = Opened(
            at=at,
            by=by,
            engagement_id=id,
            coach=coach,
            client=client,
            sponsor=sponsor,
            policy=policy,
        )
        return cls._begin(event)

    @classmethod
    def replay(cls, events: Iterable[Event]) -> Engagement:
        """Rebuild an engagement from its events, enforcing the same rules as the commands.

        ``Engagement.replay(e.events) == e``. An impossible history raises what
        the offending command would have raised, with a note naming the event.
        """
        try:
            return replay(cls, events)
        except ReplayError as err:
            err.cause.add_note(f"while replaying event {err.index} ({err.kind})")
            raise err.cause from None

    def seen_by(self, party_id: str) -> Engagement:
        """The engagement as the party *party_id* may see it.

        Each personal text the party may not see reads `REDACTED`: the coach sees
        everything (``e.seen_by(coach_id) == e``); the client everything but the
        coach's own notes; the sponsor the parties' names and the three-party
        follow-up's summary, and what the client consents to show now (`consent`:
        goals, attainment, the action plan; a topic withdrawn is hidden, earlier texts
        and scores included). A former coach sees what a coach saw until the handover,
        and after it what the sponsor sees without consent. Phases, dates, durations,
        modes and counts are visible to every party; scores only with the consent
        ``"attainment"``. The view answers every query; its document says whose view it is
        (``"view"``) and loads back as that view; commands and stores refuse it. A view
        of a view stays a view and shows what both parties may see (the coach's view of
        the sponsor's view is the sponsor's view).
        An id that is no party of the engagement is a `ValueError`.
        """
        party = self._parties.get(party_id) if isinstance(party_id, str) else None
        if party is None:
            known = ", ".join(sorted(self._parties))
            raise InvalidValue(
                f"{party_id!r} is not a party to this engagement (parties: {known})"
            )
        saved = self._saved_version
        whole = party.role is Role.COACH and party_id not in self._former
        if whole and self._view is None:
            return replay(type(self), self._events, saved_version=saved)
        if whole:  # a view of a view stays the narrower view: nothing comes back
            return replay(type(self), self._events, view=self._view, saved_version=saved)
        events = views_of(self, party)  # on a view: what both may see
        return replay(type(self), events, view=party.id, saved_version=saved)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Engagement):
            return NotImplemented
        return self.events == other.events and self._view == other.view

    def __repr__(self) -> str:
        seen = f" view={self._view!r}" if self._view is not None else ""
        return (
            f"<Engagement {self._id!r} phase={self._phase.value} "
            f"version={len(self._events)}{seen}>"
        )

    # -- queries ----------------------------------------------------------------------

    def allowed(self) -> tuple[str, ...]:
        """The commands legal in the current phase, in the process table's order (once the
        engagement has ended, only the corrections of its record)."""
        return PROCESS.allowed(self._phase)

    def check(
        self, today: dt.date, *, rules: RuleSet | None = None, locale: str = "en"
    ) -> tuple[Finding, ...]:
        """Judge the process rules as of *today*; see the rules reference for each code.

        Each built-in rule has a stable code, listed with its exact definition in the
        rules reference. Nothing is judged before the agreement. The findings come
        ordered by day, then severity (errors first), then code.

        *rules*, an organisation's `RuleSet`, overrides severities, leaves codes out
        and adds rules of its own (those are judged in every phase). *locale*
        (``"en"`` or ``"sv"``) is the language of the messages; codes and ``params``
        are the same in every language.
        """
        require_date("today", today)
        if rules is not None and not isinstance(rules, RuleSet):
            raise InvalidType(f"'rules' must be a RuleSet or None (got {describe(rules)})")
        with speaking(locale):
            findings = judge(self, today)
            if rules is not None:
                findings = rules.judge(self, today, findings)
            return in_order(findings)

    def plan(self) -> Plan | None:
        """The planned session dates, midpoint and closing (None before `agree`)."""
        return plan(self)

    def next_actions(self, today: dt.date, *, locale: str = "en") -> tuple[Action, ...]:
        """What the host should get done next as of *today*, soonest due first.

        Codes: ``agreement.make``, ``session.book``, ``midpoint.begin``,
        ``midpoint.complete``, ``engagement.resume``, ``closing.begin``,
        ``closing.close``, ``follow_up.hold``, ``booking.confirm``. Empty once
        terminal. *locale* (``"en"`` or ``"sv"``) is the language of the messages.
        """
        require_date("today", today)
        with speaking(locale):
            return next_actions(self, today)
