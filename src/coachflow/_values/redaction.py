"""The mark of a hidden text, and the one place it may be written.

`REDACTED` is what a text reads as where a party may not see it, or after erasure. No
command takes it (a client could otherwise fake a redaction, or an erasure), and no
document but a view holds it: values holding it are made only while `hiding` (by the
views and erasure), or by the loaders of a view and of a store.
"""

from __future__ import annotations

import contextvars

from coachflow._values.contexts import Within

__all__ = ["REDACTED", "hiding", "may_hide"]

REDACTED = "[redacted]"
"""What a text reads as where it may not be seen, or after erasure."""

_HIDING: contextvars.ContextVar[bool] = contextvars.ContextVar("coachflow_hiding", default=False)


def hiding() -> Within[bool]:
    """Within: values may hold `REDACTED` (views and erasure make them so)."""
    return Within(_HIDING, True)


def may_hide() -> bool:
    """Whether a value may hold `REDACTED` here (see `hiding`)."""
    return _HIDING.get()
