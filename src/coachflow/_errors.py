"""The exception tree: every error coachflow raises on purpose."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachflow._model import Finding, Phase

__all__ = [
    "CoachflowError",
    "ConcurrencyConflict",
    "InvalidDocument",
    "PermissionDenied",
    "RuleViolation",
    "TransitionNotAllowed",
]


class CoachflowError(Exception):
    """Base class of the errors coachflow raises for process and document problems.

    Bad values (a naive datetime, a negative duration) raise the builtin
    `ValueError` or `TypeError` instead, as Python code expects.
    """


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
        there = ", ".join(self.allowed) if self.allowed else "none (the engagement has ended)"
        super().__init__(
            f"{command!r} is not allowed in phase {phase.value!r}; allowed there: {there}"
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
        super().__init__(f"{party_id!r} may not {command}: {reason}")


class InvalidDocument(CoachflowError, ValueError):
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

    def __init__(self, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"the engagement changed underneath: expected version {expected}, found {actual}"
        )
