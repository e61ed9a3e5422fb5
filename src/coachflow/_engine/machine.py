"""The one adapter around `transitions`: the process definition and how it is fired.

Each process definition builds a single class-level ``transitions.Machine`` with
``model=None``; an engagement never becomes a transitions model. Firing a command
moves a throw-away cursor and reads back the phase it landed in, so no trigger
methods ever appear on public objects.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from transitions import Machine

from coachflow._values.commands import PROCESS_COMMANDS
from coachflow._values.enums import Phase
from coachflow._values.failures import InvalidValue

__all__ = ["FOLLOW_UP", "PROCESS", "ProcessDefinition", "Step"]


@attrs.frozen
class Step:
    """One row of a process table: a command, where it may start, where it leads.

    ``dest`` None keeps the phase (an internal transition). ``when`` names a
    flag that must hold for this row to apply, ``unless`` one that must not;
    rows of one command are tried in order.
    """

    command: str
    sources: tuple[Phase, ...]
    dest: Phase | None
    when: str | None = None
    unless: str | None = None


class _Cursor:
    """The throw-away model a transition moves."""

    __slots__ = ("state",)

    def __init__(self, state: Phase) -> None:
        self.state = state


def _flag(name: str, expected: bool) -> Any:
    def condition(**context: object) -> bool:
        return bool(context.get(name, False)) is expected

    condition.__name__ = f"{name}_is_{expected}".lower()
    return condition


class ProcessDefinition:
    """A checked process table, run by one class-level `transitions.Machine`.

    The table is checked when built: the initial phase is one of the phases,
    every phase is reachable from it, terminal phases have no way out (a command
    that keeps the phase, such as a correction of the record, may remain) and every
    other phase has one. A broken table raises `ValueError` naming the problem.
    """

    def __init__(
        self,
        steps: Sequence[Step],
        *,
        initial: Phase,
        terminal: Iterable[Phase],
        phases: Iterable[Phase] = tuple(Phase),
    ) -> None:
        self.steps = tuple(steps)
        self.initial = initial
        self.phases = tuple(phases)
        self.terminal = frozenset(terminal)
        self._check()
        self.machine = Machine(
            model=None,
            states=list(self.phases),
            initial=initial,
            transitions=[self._transition(step) for step in self.steps],
            auto_transitions=False,
            send_event=False,
        )
        self._events = self.machine.events
        allowed: dict[Phase, list[str]] = {phase: [] for phase in self.phases}
        for step in self.steps:
            for source in step.sources:
                if step.command not in allowed[source]:
                    allowed[source].append(step.command)
        self._allowed: Mapping[Phase, tuple[str, ...]] = {
            phase: tuple(commands) for phase, commands in allowed.items()
        }
        self.commands = tuple(dict.fromkeys(step.command for step in self.steps))
        self._reached: dict[tuple[object, ...], Phase] = {}

    @staticmethod
    def _transition(step: Step) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "trigger": step.command,
            "source": list(step.sources),
            "dest": step.dest,
        }
        if step.when is not None:
            spec["conditions"] = [_flag(step.when, True)]
        if step.unless is not None:
            spec["conditions"] = [_flag(step.unless, False)]
        return spec

    def _check(self) -> None:
        known = set(self.phases)
        if self.initial not in known:
            raise InvalidValue(f"initial phase {self.initial} is not one of the phases")
        for step in self.steps:
            for phase in (*step.sources, *((step.dest,) if step.dest else ())):
                if phase not in known:
                    raise InvalidValue(f"{step.command!r} names unknown phase {phase}")
        leaving = {
            source for step in self.steps if step.dest is not None for source in step.sources
        }
        for phase in self.phases:
            if phase in self.terminal and phase in leaving:
                raise InvalidValue(f"terminal phase {phase.value!r} must have no way out")
            if phase not in self.terminal and phase not in leaving:
                raise InvalidValue(f"phase {phase.value!r} has no way out but is not terminal")
        reached = {self.initial}
        queue = deque([self.initial])
        while queue:
            phase = queue.popleft()
            for step in self.steps:
                dest = step.dest or phase
                if phase in step.sources and dest not in reached:
                    reached.add(dest)
                    queue.append(dest)
        unreachable = [p.value for p in self.phases if p not in reached]
        if unreachable:
            raise InvalidValue(f"phases unreachable from {self.initial.value!r}: {unreachable}")

    def allowed(self, phase: Phase) -> tuple[str, ...]:
        """The commands legal in *phase*, in table order."""
        return self._allowed[phase]

    def fire(self, command: str, phase: Phase, flags: frozenset[str] = frozenset()) -> Phase:
        """Run *command* from *phase* through the machine and return the phase it reaches.

        The caller has checked that *command* is allowed in *phase*; *flags* names
        the rows' ``when``/``unless`` conditions that hold. The table has no
        callbacks, so where a transition leads depends on nothing but its command,
        source phase and flags: the machine decides each distinct one once, and the
        answer is remembered (a replay of thousands of events costs a dictionary
        look-up each).
        """
        key = (command, phase, flags)
        reached = self._reached.get(key)
        if reached is None:
            cursor = _Cursor(phase)
            if not self._events[command].trigger(cursor, **dict.fromkeys(flags, True)):
                raise RuntimeError(f"no row of {command!r} applies in phase {phase.value!r}")
            reached = self._reached[key] = cursor.state
        return reached


_RUNNING = (Phase.ACTIVE, Phase.MIDPOINT_REVIEW, Phase.CLOSING)
_BOOKABLE = (*_RUNNING, Phase.PAUSED)
_NON_TERMINAL = tuple(p for p in Phase if not p.is_terminal)

#: The flags of an engagement whose agreement has a three-party follow-up (`close`).
FOLLOW_UP = frozenset({"follow_up"})
#: The flags of an agreement that awaits more signatures than the coach's (`agree`).
UNSIGNED = frozenset({"unsigned"})
#: The flags of the last signature an agreement awaits (`sign_agreement`).
SIGNED = frozenset({"signed"})
_SIGNABLE = tuple(p for p in _NON_TERMINAL if p is not Phase.AGREEMENT)
_AMENDABLE = (Phase.ACTIVE, Phase.MIDPOINT_REVIEW, Phase.PAUSED)
_AFTER_AGREEMENT = tuple(p for p in Phase if p is not Phase.AGREEMENT)

#: The coaching process of API.md's command table.
PROCESS = ProcessDefinition(
    [
        Step("agree", (Phase.AGREEMENT,), Phase.ACTIVE, unless="unsigned"),
        Step("agree", (Phase.AGREEMENT,), None, when="unsigned"),
        Step("sign_agreement", (Phase.AGREEMENT,), Phase.ACTIVE, when="signed"),
        Step("sign_agreement", (Phase.AGREEMENT,), None, unless="signed"),
        Step("sign_agreement", _SIGNABLE, None),
        Step("amend_agreement", _AMENDABLE, None),
        Step("give_consent", _NON_TERMINAL, None),
        Step("withdraw_consent", _NON_TERMINAL, None),
        Step("record_session", _RUNNING, None),
        Step("correct_session", _AFTER_AGREEMENT, None),
        Step("void_session", _AFTER_AGREEMENT, None),
        Step("book_session", _BOOKABLE, None),
        Step("reschedule_session", _BOOKABLE, None),
        Step("cancel_session", _BOOKABLE, None),
        Step("record_no_show", _RUNNING, None),
        Step("void_no_show", _AFTER_AGREEMENT, None),
        Step("begin_midpoint_review", (Phase.ACTIVE,), Phase.MIDPOINT_REVIEW),
        Step("complete_midpoint_review", (Phase.MIDPOINT_REVIEW,), Phase.ACTIVE),
        Step("pause", (Phase.ACTIVE,), Phase.PAUSED),
        Step("resume", (Phase.PAUSED,), Phase.ACTIVE),
        Step("extend", (Phase.ACTIVE,), None),
        Step("change_coach", _AMENDABLE, None),
        Step("begin_closing", (Phase.ACTIVE,), Phase.CLOSING),
        Step("close", (Phase.CLOSING,), Phase.FOLLOW_UP, when="follow_up"),
        Step("close", (Phase.CLOSING,), Phase.COMPLETED, unless="follow_up"),
        Step("hold_follow_up", (Phase.FOLLOW_UP,), Phase.COMPLETED),
        Step("skip_follow_up", (Phase.FOLLOW_UP,), Phase.COMPLETED),
        Step("terminate", _NON_TERMINAL, Phase.TERMINATED),
    ],
    initial=Phase.AGREEMENT,
    terminal=(Phase.COMPLETED, Phase.TERMINATED),
)
if PROCESS.commands != PROCESS_COMMANDS:  # pragma: no cover - the table and the names must agree
    raise AssertionError(
        f"the process table's commands {PROCESS.commands} differ from "
        f"coachflow._values.commands.PROCESS_COMMANDS {PROCESS_COMMANDS}"
    )
