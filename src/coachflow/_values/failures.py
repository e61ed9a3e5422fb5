"""The root of the exception tree and the errors of values, in the bottom layer so that
every module may raise them (the tree is drawn in `coachflow._values.errors`)."""

from __future__ import annotations

__all__ = ["CoachflowError", "InvalidTime", "InvalidType", "InvalidValue", "MissingExtra"]


class CoachflowError(Exception):
    """Base class of every error coachflow raises on purpose: refused commands, bad
    values and types, malformed documents, store failures. Those about values are also
    the builtin Python code expects (`InvalidValue` is a `ValueError`, `InvalidType` a
    `TypeError`), so ``except ValueError`` keeps working."""


class InvalidValue(CoachflowError, ValueError):
    """A value coachflow refuses: out of range, blank, unknown, or not what the
    engagement allows (also a `ValueError`). The message names what was expected and
    what arrived."""


class InvalidTime(InvalidValue):
    """A time out of order or out of range: earlier than the engagement's last event,
    before the agreed start, after the command's own ``at``, naive (no UTC offset), or
    outside the years coachflow plans for (also a `ValueError`)."""


class InvalidType(CoachflowError, TypeError):
    """A value of the wrong type (also a `TypeError`)."""


class MissingExtra(CoachflowError, ImportError):
    """An optional dependency is not installed; the message names the extra to install
    (also an `ImportError`)."""
