"""The names of the commands: what a policy grants and what each event records.

One table, at the bottom of the house: the process definition (`coachflow._engine`)
is checked against it when built, each event class names its command in it, and the
default policy gives every command a line of its own.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "PROCESS_COMMANDS"]

#: The commands of the process, in the order of its table (`Engagement`'s methods).
PROCESS_COMMANDS: tuple[str, ...] = (
    "agree",
    "sign_agreement",
    "amend_agreement",
    "give_consent",
    "withdraw_consent",
    "record_session",
    "correct_session",
    "void_session",
    "book_session",
    "reschedule_session",
    "cancel_session",
    "record_no_show",
    "void_no_show",
    "begin_midpoint_review",
    "complete_midpoint_review",
    "pause",
    "resume",
    "extend",
    "change_coach",
    "begin_closing",
    "close",
    "hold_follow_up",
    "skip_follow_up",
    "terminate",
)

#: Every command a policy may grant: ``open`` and the process's commands.
COMMANDS: tuple[str, ...] = ("open", *PROCESS_COMMANDS)
