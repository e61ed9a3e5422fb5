"""The transitions adapter: one checked class-level machine, nothing leaked onto objects."""

from __future__ import annotations

import pytest
from transitions import Machine

from builders import active, in_phase
from coachflow import Engagement, Phase
from coachflow._engine.machine import PROCESS, ProcessDefinition, Step


def test_the_process_is_one_class_level_transitions_machine_without_models() -> None:
    assert isinstance(PROCESS.machine, Machine)
    assert PROCESS.machine.models == []
    active()
    assert PROCESS.machine.models == []  # engagements never become models


def test_no_trigger_methods_leak_onto_engagements() -> None:
    eng = in_phase(Phase.ACTIVE)
    public = {name for name in dir(eng) if not name.startswith("_")}
    for leaked in ("trigger", "state", "may_agree", "to_active", "is_active", "machine"):
        assert leaked not in public
    assert not hasattr(eng, "__dict__")  # slotted: nothing can be attached


def test_the_process_table_matches_the_api() -> None:
    assert PROCESS.initial is Phase.AGREEMENT
    assert PROCESS.terminal == {Phase.COMPLETED, Phase.TERMINATED}
    assert PROCESS.commands == (
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
    assert PROCESS.fire("close", Phase.CLOSING, frozenset({"follow_up"})) is Phase.FOLLOW_UP
    assert PROCESS.fire("close", Phase.CLOSING) is Phase.COMPLETED
    assert PROCESS.fire("record_session", Phase.CLOSING) is Phase.CLOSING
    # the agreement is in force with its last signature
    assert PROCESS.fire("agree", Phase.AGREEMENT) is Phase.ACTIVE
    assert PROCESS.fire("agree", Phase.AGREEMENT, frozenset({"unsigned"})) is Phase.AGREEMENT
    assert PROCESS.fire("sign_agreement", Phase.AGREEMENT) is Phase.AGREEMENT
    assert PROCESS.fire("sign_agreement", Phase.AGREEMENT, frozenset({"signed"})) is Phase.ACTIVE
    assert PROCESS.fire("sign_agreement", Phase.PAUSED) is Phase.PAUSED
    # a correction keeps even a terminal phase
    assert PROCESS.fire("void_session", Phase.COMPLETED) is Phase.COMPLETED


def _definition(steps: list[Step], **kw: object) -> ProcessDefinition:
    options: dict[str, object] = {
        "initial": Phase.AGREEMENT,
        "terminal": (Phase.COMPLETED,),
        "phases": (Phase.AGREEMENT, Phase.ACTIVE, Phase.COMPLETED),
        **kw,
    }
    return ProcessDefinition(steps, **options)  # type: ignore[arg-type]


GOOD = [
    Step("agree", (Phase.AGREEMENT,), Phase.ACTIVE),
    Step("finish", (Phase.ACTIVE,), Phase.COMPLETED),
]


def test_a_sound_definition_builds() -> None:
    definition = _definition(GOOD)
    assert definition.allowed(Phase.ACTIVE) == ("finish",)
    assert definition.fire("agree", Phase.AGREEMENT) is Phase.ACTIVE


@pytest.mark.parametrize(
    ("steps", "kw", "message"),
    [
        (GOOD, {"initial": Phase.PAUSED}, "initial phase Phase.PAUSED is not one of the phases"),
        ([*GOOD, Step("x", (Phase.PAUSED,), Phase.ACTIVE)], {}, "'x' names unknown phase"),
        (
            [*GOOD, Step("undo", (Phase.COMPLETED,), Phase.ACTIVE)],
            {},
            "terminal phase 'completed' must have no way out",
        ),
        ([GOOD[0]], {}, "phase 'active' has no way out but is not terminal"),
        (
            [
                Step("loop", (Phase.AGREEMENT,), None),
                Step("finish", (Phase.ACTIVE,), Phase.COMPLETED),
            ],
            {},
            "phase 'agreement' has no way out but is not terminal",
        ),
        (
            [
                Step("go", (Phase.AGREEMENT,), Phase.AGREEMENT),
                Step("finish", (Phase.ACTIVE,), Phase.COMPLETED),
            ],
            {},
            "phases unreachable from 'agreement': ['active', 'completed']",
        ),
    ],
)
def test_a_broken_definition_is_refused_when_built(
    steps: list[Step], kw: dict[str, object], message: str
) -> None:
    with pytest.raises(
        ValueError,
        match=message.replace("(", r"\(")
        .replace(")", r"\)")
        .replace("[", r"\[")
        .replace("]", r"\]"),
    ):
        _definition(steps, **kw)


def test_firing_a_command_no_row_allows_is_a_programming_error() -> None:
    definition = _definition(
        [
            Step("agree", (Phase.AGREEMENT,), Phase.ACTIVE, when="ready"),
            Step("finish", (Phase.ACTIVE,), Phase.COMPLETED),
        ]
    )
    with pytest.raises(RuntimeError, match="no row of 'agree' applies"):
        definition.fire("agree", Phase.AGREEMENT, frozenset({"other"}))


def test_engagement_is_not_a_transitions_model() -> None:
    assert not issubclass(Engagement, Machine)
