"""The mark of a hidden text, and the one place it may be written.

`REDACTED` is what a text reads as where a party may not see it, or after erasure. No
command takes it (a client could otherwise fake a redaction, or an erasure), and no
document but a view holds it: values holding it are made only while `hiding` (by the
views and erasure), or by the loaders of a view and of a store.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

__all__ = ["REDACTED", "hiding", "may_hide"]

REDACTED = "[redacted]"
"""What a text reads as where it may not be seen, or after erasure."""

_HIDING: contextvars.ContextVar[bool] = contextvars.ContextVar("coachflow_hiding", default=False)


@contextlib.contextmanager
def hiding() -> Iterator[None]:
    """Within: values may hold `REDACTED` (views and erasure make them so)."""
    token = _HIDING.set(True)
    try:
        yield
    finally:
        _HIDING.reset(token)


def may_hide() -> bool:
    """Whether a value may hold `REDACTED` here (see `hiding`)."""
    return _HIDING.get()
