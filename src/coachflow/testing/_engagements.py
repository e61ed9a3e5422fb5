"""The strategy of engagements in any phase, each built through the public commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import note
from hypothesis import strategies as st

from coachflow._engagement import Engagement
from coachflow._values.enums import CONSENTS, Phase
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.model import Programme
from coachflow._values.policy import Policy
from coachflow._values.validation import describe
from coachflow.testing._builder import Builder
from coachflow.testing._features import FEATURE_COMMANDS, FEATURES
from coachflow.testing._history import History

__all__ = ["engagements"]

_NON_TERMINAL = tuple(p for p in Phase if not p.is_terminal)
#: The phases drawn when none is pinned, as a firm's records hold them: every phase,
#: active engagements twice as often and completed ones three times (most engagements on
#: record have run their course); the agreement phase first: what examples shrink to.
_PHASES = (*Phase, Phase.ACTIVE, Phase.COMPLETED, Phase.COMPLETED)
#: The commands the builder cannot do without: a policy must let some party issue each.
_NEEDED = (
    "agree", "record_session", "book_session", "cancel_session", "reschedule_session",
    "record_no_show", "begin_midpoint_review", "complete_midpoint_review", "pause", "resume",
    "extend", "begin_closing", "close", "hold_follow_up", "skip_follow_up", "terminate",
)  # fmt: skip
#: The features only a completed engagement (with a three-party follow-up) can have.
_FOLLOW_UP = frozenset({"follow_up_held", "follow_up_skipped"})


def engagements(
    *,
    phase: Phase | None = None,
    programme: Programme | None = None,
    zone: ZoneInfo | str | None = None,
    sponsor: bool | None = None,
    policy: Policy | None = None,
    consents: Iterable[str] | None = None,
    features: Iterable[str] = (),
    min_sessions: int = 0,
    full_length: bool = False,
) -> st.SearchStrategy[Engagement]:
    """Engagements built through the public commands, so every one is reachable.

    ``phase`` pins the phase the engagement ends up in (any phase, terminal ones
    included); ``programme`` pins the agreed programme; ``zone`` the engagement's time
    zone (a `ZoneInfo` or an IANA name); ``sponsor`` whether there is a sponsor (None:
    drawn); ``policy`` the organisation's `Policy` it is opened with (each step is
    issued by a party the policy lets); ``consents`` the topics the client consents to
    show the sponsor (signed by the client, so in force; a sponsor is then named);
    ``min_sessions`` the least sessions held. The sessions follow the agreed plan over
    the series, with the deviations people make (a session later than planned, skipped,
    held twice, in another mode, booked and then missed ...): an engagement past its
    series has run it to its end, one left active or paused some way into it; now and
    then (and as examples shrink) it takes only a few steps. ``full_length=True`` always
    runs the series (no closing then begins before the middle). ``features`` makes sure of some of
    `FEATURES` (``"no_show"``, ``"late_cancellation"``, ``"pause_until"``,
    ``"extension"``, ``"amendment"``, ``"correction"``, ``"coach_change"``, ``"break"``,
    ...), each by construction, so any combination generates as fast as none. A feature
    the phase cannot hold (any feature in `Phase.AGREEMENT`, a follow-up outcome before
    `Phase.COMPLETED`) is a `ValueError`, as is a policy that lets no one issue a
    command the process needs.
    """
    if phase is not None and not isinstance(phase, Phase):
        raise InvalidType(f"'phase' must be a Phase or None (got {describe(phase)})")
    if programme is not None and not isinstance(programme, Programme):
        raise InvalidType(f"'programme' must be a Programme or None (got {describe(programme)})")
    if policy is not None and not isinstance(policy, Policy):
        raise InvalidType(f"'policy' must be a Policy or None (got {describe(policy)})")
    if not isinstance(full_length, bool):
        raise InvalidType(f"'full_length' must be a bool (got {describe(full_length)})")
    if type(min_sessions) is not int or not 0 <= min_sessions <= 40:
        raise InvalidValue(f"'min_sessions' must be an int in 0..40 (got {min_sessions!r})")
    wanted = frozenset(features)
    unknown = sorted(wanted - set(FEATURES))
    if unknown:
        raise InvalidValue(f"'features' may name only {', '.join(FEATURES)} (got {unknown})")
    if wanted & _FOLLOW_UP and phase not in (None, Phase.COMPLETED):
        raise InvalidValue(f"a follow-up is held or skipped once completed (got phase {phase})")
    if len(wanted & _FOLLOW_UP) > 1:
        raise InvalidValue("a follow-up is either held or skipped, not both")
    if (wanted or min_sessions) and phase is Phase.AGREEMENT:
        raise InvalidValue("an engagement in the agreement phase has no sessions or features")
    topics = None if consents is None else frozenset(consents)
    if topics is not None and not topics <= set(CONSENTS):
        raise InvalidValue(
            f"'consents' may name only {', '.join(CONSENTS)} (got {sorted(topics)})"
        )
    late = "late_cancellation" in wanted
    if late and programme is not None and not programme.cancellation_notice_hours:
        raise InvalidValue("a late cancellation needs a programme that asks for notice")
    if policy is not None:
        needed = [*_NEEDED, *(c for f in sorted(wanted) for c in FEATURE_COMMANDS.get(f, ()))]
        missing = [c for c in needed if not any(c in policy[r] for r in policy.permissions)]
        if missing:
            raise InvalidValue(f"'policy' lets no party issue {', '.join(missing)}")
    where = ZoneInfo(zone) if isinstance(zone, str) else zone
    if where is not None and not isinstance(where, ZoneInfo):
        raise InvalidType(
            f"'zone' must be a ZoneInfo, an IANA name or None (got {describe(zone)})"
        )
    if wanted & _FOLLOW_UP:
        phases: st.SearchStrategy[Phase] = st.just(Phase.COMPLETED)
    elif phase is not None:
        phases = st.just(phase)
    elif wanted or min_sessions:
        phases = st.sampled_from([p for p in Phase if p is not Phase.AGREEMENT])
    else:
        phases = st.sampled_from(_PHASES)
    options: dict[str, Any] = {
        "programme": programme,
        "zone": where,
        "sponsor": True if topics is not None else sponsor,
        "policy": policy,  # None: the default, now and then an organisation's own
        "consents": topics,
        "features": wanted,
        "min_sessions": min_sessions,
        "full_length": full_length,
    }
    return phases.flatmap(lambda p: _engagement_in(p, options))


@st.composite
def _engagement_in(draw: st.DrawFn, target: Phase, options: dict[str, Any]) -> Engagement:
    before = target
    if target is Phase.TERMINATED:
        after_agreement = options["features"] or options["min_sessions"]
        before = draw(
            st.sampled_from(
                [p for p in _NON_TERMINAL if not (after_agreement and p is Phase.AGREEMENT)]
            )
        )
    wanted = options["features"]
    assert isinstance(wanted, frozenset)
    # a completed engagement went through its three-party follow-up three times in four
    follow_up = (
        before is Phase.FOLLOW_UP
        or bool(wanted & _FOLLOW_UP)
        or (
            before is Phase.COMPLETED
            and options["sponsor"] is not False
            and draw(st.sampled_from((True, True, True, False)))
        )
    )
    builder = Builder(draw, needs_sponsor=follow_up, **options)
    builder.reach(before)
    if target is Phase.TERMINATED:
        builder.terminate()
    note(History(builder.engagement))  # a failing example prints its history
    return builder.engagement
