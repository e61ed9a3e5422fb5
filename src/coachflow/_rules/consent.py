"""The rule of the client's consent: what the sponsor sees is the client's to say."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from coachflow._engine.contract import Contract
from coachflow._rules.registry import Found, rule
from coachflow._values.enums import CONSENTS, Role, Severity
from coachflow._values.i18n import t
from coachflow._values.names import name
from coachflow._values.sessions import Session
from coachflow._values.wording import list_words

__all__: list[str] = []


@rule(
    "consent.unconfirmed",
    Severity.WARNING,
    judged_in="from the agreement on",
    raised_when="the agreement proposes what the sponsor sees; the client has not said",
)
def consent_unconfirmed(
    state: Contract, today: dt.date, held: tuple[Session, ...], days: tuple[dt.date, ...]
) -> Iterator[Found]:
    """Consent is the client's (GDPR article 7). `Agreement.sponsor_sees` becomes the
    client's consent only when the client signs the agreement (``Role.CLIENT`` among its
    `signatories`); until then, and for an agreement the client does not sign, it is a
    proposal, and the sponsor sees none of it. Raised on `today` while the agreement
    proposes topics and the client has neither signed such an agreement nor given or
    withdrawn consent (`Engagement.consent_confirmed`). `params`: `topics` (sorted),
    `client_signs` (whether the client is a signatory).
    """
    agreement = state.agreement
    assert agreement is not None
    if not agreement.sponsor_sees or state.consent_confirmed:
        return
    topics = sorted(agreement.sponsor_sees)
    signs = Role.CLIENT in agreement.signatories
    yield (
        today,
        t(
            "the agreement proposes to show the sponsor {topics}, and the client has not "
            "consented: the sponsor sees none of it until the client signs or gives consent",
            topics=list_words(name(topic) for topic in CONSENTS if topic in topics),
        ),
        {"topics": topics, "client_signs": signs},
    )
