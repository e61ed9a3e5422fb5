"""An organisation's own way of judging: severities, disabled codes, rules of its own."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import attrs

from coachflow._rules.judging import CODES
from coachflow._values.enums import Severity
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.results import Finding
from coachflow._values.validation import describe

__all__ = ["Rule", "RuleSet"]


class Rule(Protocol):
    """A rule of your own: any callable ``rule(engagement, today)`` that returns or
    yields the `Finding` objects it judges as of *today*.

    It may declare the codes it reports in a ``codes`` attribute (a set of strings), so
    that a `RuleSet` can name them in ``severities`` and ``disabled``. A rule sees the
    whole engagement through its public queries; like the built-in ones it should
    judge, not change anything, and take days in the engagement's zone
    (`Engagement.day_of`). (The engagement is typed `Any` here so that a rule annotated
    with `Engagement` fits.)
    """

    def __call__(self, engagement: Any, today: dt.date, /) -> Iterable[Finding]: ...


def _severities(value: Mapping[str, Severity]) -> Mapping[str, Severity]:
    if not isinstance(value, Mapping):
        raise InvalidType(
            f"'severities' must be a mapping of code to Severity (got {describe(value)})"
        )
    for code, severity in value.items():
        if not isinstance(code, str) or not isinstance(severity, Severity):
            raise InvalidType(
                f"'severities' must map codes (str) to Severity members "
                f"(got {code!r}: {severity!r})"
            )
    return types.MappingProxyType(dict(value))


def _codes(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidType(f"'disabled' must be a set of codes (got {describe(value)})")
    return frozenset(value)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    rules = tuple(value)
    for rule in rules:
        if not callable(rule):
            raise InvalidType(
                f"'extra' must hold rules, callables (engagement, today) -> findings "
                f"(got {describe(rule)})"
            )
    return rules


@attrs.frozen(kw_only=True)
class RuleSet:
    """How an organisation judges: `Engagement.check(today, rules=...)`.

    - ``severities``: a code's severity instead of the built-in one
      (``{"session.duration": Severity.WARNING}``);
    - ``disabled``: codes not to report at all;
    - ``extra``: rules of your own, each ``rule(engagement, today) -> findings``
      (see `Rule`), judged after the built-in ones.

    Every code named in ``severities`` or ``disabled`` must be a built-in code or one an
    extra rule declares in its ``codes`` attribute: a misspelt code is a `ValueError`,
    not a rule silently left on.
    """

    severities: Mapping[str, Severity] = attrs.field(
        factory=dict, converter=_severities, hash=False
    )
    """A code's severity instead of the built-in one."""
    disabled: frozenset[str] = attrs.field(factory=frozenset, converter=_codes)
    """Codes not to report at all."""
    extra: tuple[Rule, ...] = attrs.field(default=(), converter=_rules)
    """Rules of the organisation's own, judged after the built-in ones."""

    def __attrs_post_init__(self) -> None:
        known = set(CODES)
        for rule in self.extra:
            known.update(getattr(rule, "codes", ()))
        for name, codes in (("severities", set(self.severities)), ("disabled", self.disabled)):
            unknown = sorted(codes - known)
            if unknown:
                raise InvalidValue(
                    f"{name!r} names codes no rule reports: {unknown} (built-in codes: "
                    f"{', '.join(CODES)}; a rule of your own declares its codes in a "
                    "'codes' attribute)"
                )

    def judge(
        self, engagement: Any, today: dt.date, findings: Iterable[Finding]
    ) -> tuple[Finding, ...]:
        """*findings* and the extra rules' findings, without the disabled codes and with
        the severities overridden."""
        found = list(findings)
        for rule in self.extra:
            for finding in rule(engagement, today):
                if not isinstance(finding, Finding):
                    raise InvalidType(
                        f"rule {getattr(rule, '__name__', rule)!r} must yield Findings "
                        f"(got {describe(finding)})"
                    )
                found.append(finding)
        return self.escalate(found)

    def escalate(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """*findings* without the disabled codes and with the severities overridden (the
        extra rules are not judged)."""
        severities, disabled = self.severities, self.disabled
        return tuple(
            attrs.evolve(f, severity=severities[f.code]) if f.code in severities else f
            for f in findings
            if f.code not in disabled
        )
