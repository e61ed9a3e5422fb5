"""Rules declared once: ``@rule(code, severity, ...)`` where each rule is written.

A built-in rule is a generator ``judge(state, today, held, days)`` that yields what it
found as ``(day, message, params)``; the decorator records its code, its severity and
what the rules reference says of it (its docstring is the exact definition), and wraps
what it yields into `Finding`s. `CODES`, the rules reference and the message catalogs
follow from this registry (`coachflow._rules.judging`), and tests hold them to it.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator, Mapping

import attrs

from coachflow._engine.contract import Contract
from coachflow._values.enums import Severity
from coachflow._values.failures import InvalidValue
from coachflow._values.results import Finding
from coachflow._values.sessions import Session

__all__ = ["BuiltinRule", "Found", "Judge", "registered", "rule"]

Found = (
    tuple[dt.date, str, Mapping[str, object]] | tuple[dt.date, str, Mapping[str, object], Severity]
)
"""What a rule found: the day it is on, the message, the numbers behind it, and the
severity where it differs from the rule's own (``midpoint.missing`` is an error where
the organisation made the review mandatory)."""

Judge = Callable[[Contract, dt.date, tuple[Session, ...], tuple[dt.date, ...]], Iterator[Found]]
"""``judge(state, today, held, days)``: *held* are the sessions held by *today*, in
order, and *days* their days in the engagement's zone."""


@attrs.frozen
class BuiltinRule:
    """A built-in rule: its code, its severity, what the reference table says of it, and
    the function that judges it (whose docstring is its exact definition)."""

    code: str
    severity: Severity
    judged_in: str
    raised_when: str
    tolerance: str
    judge: Judge

    @property
    def definition(self) -> str:
        """The exact definition, as the rules reference prints it."""
        return inspect.getdoc(self.judge) or ""

    def __call__(
        self,
        state: Contract,
        today: dt.date,
        held: tuple[Session, ...],
        days: tuple[dt.date, ...],
    ) -> list[Finding]:
        code, severity = self.code, self.severity
        return [
            Finding(code, severity if len(found) == 3 else found[3], found[1], found[0], found[2])
            for found in self.judge(state, today, held, days)
        ]


_REGISTERED: list[BuiltinRule] = []


def rule(
    code: str,
    severity: Severity,
    *,
    judged_in: str = "any",
    raised_when: str,
    tolerance: str = "—",
) -> Callable[[Judge], BuiltinRule]:
    """Declare a built-in rule: ``@rule("cadence.gap", Severity.WARNING, ...)``.

    *judged_in* (the phases), *raised_when* and *tolerance* are the rules reference's
    table row; the function's docstring is the rule's exact definition.
    """

    def register(judge: Judge) -> BuiltinRule:
        if any(known.code == code for known in _REGISTERED):
            raise InvalidValue(f"rule code {code!r} is declared twice")
        declared = BuiltinRule(code, severity, judged_in, raised_when, tolerance, judge)
        _REGISTERED.append(declared)
        return declared

    return register


def registered() -> tuple[BuiltinRule, ...]:
    """Every built-in rule declared so far, in the order declared."""
    return tuple(_REGISTERED)
