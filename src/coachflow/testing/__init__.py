"""Property-based testing support: hypothesis strategies and a state machine.

Install with ``pip install "coachflow[testing]"``. Strategies are plural nouns
with keyword-only options; every engagement they generate was built through the
public commands, so it is one the engine could really reach. Once installed,
``st.from_type(Agreement)`` (and every other public value type) works with no
setup: a hypothesis entry point registers them.
"""

from coachflow._values.failures import MissingExtra

try:
    import hypothesis  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise MissingExtra(
        'coachflow.testing needs hypothesis: pip install "coachflow[testing]"'
    ) from error

from coachflow.testing._engagements import engagements
from coachflow.testing._events import events
from coachflow.testing._features import FEATURES
from coachflow.testing._history import history
from coachflow.testing._stateful import EngagementMachine
from coachflow.testing._strategies import (
    action_plans,
    agreements,
    assignments,
    attainments,
    bookings,
    breaks,
    goals,
    parties,
    policies,
    programmes,
    revisions,
    rhythms,
    sessions,
    zones,
)

__all__ = [
    "FEATURES",
    "EngagementMachine",
    "action_plans",
    "agreements",
    "assignments",
    "attainments",
    "bookings",
    "breaks",
    "engagements",
    "events",
    "goals",
    "history",
    "parties",
    "policies",
    "programmes",
    "revisions",
    "rhythms",
    "sessions",
    "zones",
]
