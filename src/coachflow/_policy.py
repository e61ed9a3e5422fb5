"""Who may issue which command: the default permission policy."""

from __future__ import annotations

from collections.abc import Mapping

from coachflow._machine import PROCESS
from coachflow._model import Role

__all__ = ["DEFAULT_POLICY"]

#: The commands each role may issue. The coach runs the engagement and may issue
#: every command (``open`` included); the client may book, reschedule and cancel
#: sessions, pause, resume and terminate; the sponsor (the client's manager) may
#: terminate.
DEFAULT_POLICY: Mapping[Role, frozenset[str]] = {
    Role.COACH: frozenset({"open", *PROCESS.commands}),
    Role.CLIENT: frozenset(
        {"book_session", "reschedule_session", "cancel_session", "pause", "resume", "terminate"}
    ),
    Role.SPONSOR: frozenset({"terminate"}),
}
