"""The exception tree: every error coachflow raises on purpose.

::

    CoachflowError(Exception)
    ├── TransitionNotAllowed        .command .phase .allowed
    ├── RuleViolation               .findings
    ├── PermissionDenied            .party_id .command
    ├── InvalidValue(ValueError)    a value coachflow refuses
    │   ├── InvalidTime             a time out of order or out of range
    │   └── InvalidDocument         .errors
    ├── InvalidType(TypeError)      a value of the wrong type
    ├── MissingExtra(ImportError)   an optional dependency is not installed
    ├── ConcurrencyConflict         .expected .actual
    ├── UnknownEngagement(KeyError) .engagement_id           (coachflow.store)
    └── StoreError                  the database failed     (coachflow.store)

Every error coachflow raises on purpose is a `CoachflowError`, and still the builtin
Python code expects: a bad value is a `ValueError`, a wrong type a `TypeError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coachflow._values.enums import Phase
from coachflow._values.failures import (
    CoachflowError,
    InvalidTime,
    InvalidType,
    InvalidValue,
    MissingExtra,
)
from coachflow._values.i18n import t
from coachflow._values.names import name
from coachflow._values.results import Finding

__all__ = [
    "CoachflowError",
    "ConcurrencyConflict",
    "InvalidDocument",
    "InvalidTime",
    "InvalidType",
    "InvalidValue",
    "MissingExtra",
    "PermissionDenied",
    "RuleViolation",
    "StoreError",
    "TransitionNotAllowed",
    "UnknownEngagement",
]


class TransitionNotAllowed(CoachflowError):
    """A command was issued in a phase that does not allow it.

    Attributes:
        command: the command's name, e.g. ``"record_session"``.
        phase: the phase the engagement was in.
        allowed: the commands that phase allows, in table order.
    """

    def __init__(self, command: str, phase: Phase, allowed: Sequence[str]) -> None:
        self.command = command
        self.phase = phase
        self.allowed = tuple(allowed)
        there = ", ".join(self.allowed) if self.allowed else t("none (the engagement has ended)")
        super().__init__(
            t(
                "{command!r} is not allowed in the {phase} phase; allowed there: {there}",
                command=command,
                phase=name(phase),
                there=there,
            )
        )


class RuleViolation(CoachflowError):
    """A command broke a process rule that cannot be waived.

    Attributes:
        findings: the findings that explain the refusal; each has a stable ``code``.
    """

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(f"{f.code}: {f.message}" for f in self.findings))


class PermissionDenied(CoachflowError):
    """The acting party is unknown to the engagement or its role may not issue the command.

    Attributes:
        party_id: the id given as ``by``.
        command: the command's name.
    """

    def __init__(self, party_id: str, command: str, reason: str) -> None:
        self.party_id = party_id
        self.command = command
        super().__init__(
            t(
                "{party_id!r} may not {command}: {reason}",
                party_id=party_id,
                command=command,
                reason=reason,
            )
        )


class InvalidDocument(InvalidValue):
    """A document (or stored history) is malformed or describes an impossible history.

    Attributes:
        errors: readable messages, each naming where in the document it went wrong,
            e.g. ``"required field missing @ $.events[3].at"``.
    """

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = list(errors)
        shown = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"invalid coachflow document:\n{shown}")


class ConcurrencyConflict(CoachflowError):
    """Someone else appended to the engagement first.

    Attributes:
        expected: the version the writer started from.
        actual: the version found in the store.
    """

    def __init__(self, expected: int, actual: int, engagement_id: str | None = None) -> None:
        self.expected = expected
        self.actual = actual
        self.engagement_id = engagement_id
        which = "the engagement" if engagement_id is None else f"engagement {engagement_id!r}"
        if expected == 0:
            message = (
                f"{which} already exists (stored version {actual}): load it to change it, "
                "or open a new one under another id"
            )
        else:
            message = f"{which} changed underneath: expected version {expected}, found {actual}"
        super().__init__(message)


class UnknownEngagement(CoachflowError, KeyError):
    """No engagement with that id is stored (also a `KeyError`).

    Attributes:
        engagement_id: the id asked for.
    """

    def __init__(self, engagement_id: str) -> None:
        super().__init__(engagement_id)
        self.engagement_id = engagement_id

    def __str__(self) -> str:
        return f"no engagement with id {self.engagement_id!r} is stored"


class StoreError(CoachflowError):
    """The database failed (unreachable, locked, damaged, or not a coachflow store).

    The database driver's own exception is its ``__cause__``.
    """


_PUBLIC: dict[type[Exception], str] = {
    CoachflowError: "coachflow",
    TransitionNotAllowed: "coachflow",
    RuleViolation: "coachflow",
    PermissionDenied: "coachflow",
    InvalidDocument: "coachflow",
    InvalidValue: "coachflow",
    InvalidTime: "coachflow",
    InvalidType: "coachflow",
    MissingExtra: "coachflow",
    ConcurrencyConflict: "coachflow",
    UnknownEngagement: "coachflow.store",
    StoreError: "coachflow.store",
}
for _error, _module in _PUBLIC.items():
    _error.__module__ = _module  # tracebacks show the public path
