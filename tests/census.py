"""A census of what the property-testing kit generates: how long the histories are, which
events, findings and refusals appear, how far `EngagementMachine` runs get.

    python tests/census.py [--examples 500] [--runs 50] [--seed 26]

`tests/test_kit_census.py` runs a smaller census in CI and holds the kit to its goals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
from collections import Counter
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.stateful import get_state_machine_test

from coachflow import Closed, Engagement, Event, speaking
from coachflow import Phase as Stage
from coachflow._rules.judging import CODES
from coachflow._values.events import EVENT_TYPES
from coachflow.testing import EngagementMachine, engagements

__all__ = ["Census", "MachineCensus", "engagement_census", "machine_census"]

_EVENT_NAMES = tuple(t.__name__ for t in EVENT_TYPES)
_QUIET = settings(
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
    deadline=None,
)


@attrs.define
class Census:
    """What a number of drawn engagements hold."""

    examples: int = 0
    lengths: list[int] = attrs.Factory(list)
    events: Counter[str] = attrs.Factory(Counter)  # examples holding each event type
    findings: Counter[str] = attrs.Factory(Counter)  # examples raising each finding code
    phases: Counter[str] = attrs.Factory(Counter)
    closings: int = 0
    early: int = 0
    zones: set[str] = attrs.Factory(set)
    dst: int = 0  # examples whose events lie on both sides of a change of UTC offset

    def add(self, engagement: Engagement) -> None:
        events = engagement.events
        self.examples += 1
        self.lengths.append(len(events))
        self.events.update({type(e).__name__ for e in events})
        self.phases[engagement.phase.value] += 1
        zone = engagement.time_zone or dt.UTC
        self.zones.add(str(zone))
        if len({e.at.astimezone(zone).utcoffset() for e in events}) > 1:
            self.dst += 1
        today = events[-1].at.astimezone(zone).date()
        codes = {f.code for f in engagement.check(today)}
        codes |= {f.code for f in engagement.check(today + dt.timedelta(days=90))}
        self.findings.update(codes)
        if any(isinstance(e, Closed) for e in events):
            self.closings += 1
            self.early += "closing.early" in codes

    @property
    def median(self) -> float:
        return statistics.median(self.lengths) if self.lengths else 0.0

    def rare(self, share: float) -> list[str]:
        """The event types in fewer than *share* of the examples."""
        least = share * self.examples
        return sorted(n for n in _EVENT_NAMES if self.events[n] < least)

    def missing(self) -> list[str]:
        """The finding codes no example raised."""
        return sorted(set(CODES) - set(self.findings))

    def table(self) -> str:
        rows = [f"examples {self.examples}, median events {self.median:g}"]
        rows.append(f"closings {self.closings}, judged early {self.early}")
        rows.append(f"zones {len(self.zones)}, across a change of UTC offset {self.dst}")
        rows.append("phases " + ", ".join(f"{p} {n}" for p, n in sorted(self.phases.items())))
        rows.append("event type                 examples")
        rows += [f"  {n:<24} {self.events[n]:>5}" for n in _EVENT_NAMES]
        rows.append("finding code               examples")
        rows += [f"  {c:<24} {self.findings[c]:>5}" for c in CODES]
        return "\n".join(rows)


def engagement_census(examples: int, seed_: int = 26, **options: Any) -> Census:
    """Draw *examples* engagements (``engagements(**options)``) and count what they hold."""
    census = Census()

    @seed(seed_)
    @settings(_QUIET, max_examples=examples)
    @given(engagements(**options))
    def draw(engagement: Engagement) -> None:
        census.add(engagement)

    draw()
    return census


@attrs.define
class MachineCensus:
    """How far runs of `EngagementMachine` get."""

    runs: int = 0
    left_agreement: int = 0
    reached: Counter[str] = attrs.Factory(Counter)  # runs reaching each phase
    accepted: Counter[str] = attrs.Factory(Counter)  # runs accepting each command
    calls: int = 0
    refused: Counter[str] = attrs.Factory(Counter)  # refusals by error type
    zones: set[str] = attrs.Factory(set)
    codes: Counter[str] = attrs.Factory(Counter)  # refusals by code (a RuleViolation's)
    refusing: Counter[str] = attrs.Factory(Counter)  # refusals by command
    locale: str = "en"
    messages: dict[str, set[str]] = attrs.Factory(dict)  # a refusal's messages by code

    def table(self) -> str:
        rows = [f"runs {self.runs}, leaving the agreement {self.left_agreement}"]
        rows.append("reached " + ", ".join(f"{p.value} {self.reached[p.value]}" for p in Stage))
        total = sum(self.refused.values())
        rows.append(
            f"command calls {self.calls}, refused {total}: "
            + ", ".join(f"{k} {v}" for k, v in self.refused.most_common())
        )
        rows.append(
            "commands accepted in runs: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.accepted.items()))
        )
        rows.append(f"zones of accepted times {len(self.zones)}")
        rows.append(
            "refusal codes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.codes.items()))
        )
        rows.append(
            "refused commands: " + ", ".join(f"{k} {v}" for k, v in self.refusing.most_common())
        )
        return "\n".join(rows)


def machine_census(runs: int, seed_: int = 26, locale: str = "en") -> MachineCensus:
    """Run `EngagementMachine` *runs* times and count how far each run got (refusals in
    *locale*)."""
    census = MachineCensus(locale=locale)

    class Counted(EngagementMachine):
        def __init__(self) -> None:
            super().__init__()
            self.phases = {self.engagement.phase.value}
            self.commands: set[str] = set()

        def before_command(self, command: str, arguments: Any) -> None:
            census.calls += 1

        def on_event(self, event: Event) -> None:
            self.phases.add(self.engagement.phase.value)
            self.commands.add(type(event).__name__)
            census.zones.add(str(event.at.tzinfo))

        def on_refused(self, command: str, error: Exception) -> None:
            census.refused[type(error).__name__] += 1
            census.codes.update(f.code for f in getattr(error, "findings", ()))
            for finding in getattr(error, "findings", ()):
                census.messages.setdefault(finding.code, set()).add(finding.message)
            census.refusing[command] += 1

        def teardown(self) -> None:
            census.runs += 1
            census.left_agreement += self.phases != {"agreement"}
            census.reached.update(self.phases)
            census.accepted.update(self.commands)

    quiet = settings(_QUIET, max_examples=runs, stateful_step_count=50)
    with speaking(locale):
        seed(seed_)(get_state_machine_test(Counted, settings=quiet))()
    return census


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=500)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=26)
    args = parser.parse_args()
    print(engagement_census(args.examples, args.seed).table())
    print()
    print(machine_census(args.runs, args.seed).table())
