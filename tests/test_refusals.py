"""Every refusal of the process is declared once (`REFUSALS`): the engine raises no
other code, each declared code is raised, and each names real commands."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import coachflow
from coachflow import Engagement
from coachflow._rules.judging import CODES
from coachflow._values.refusals import REFUSALS

ENGINE = Path(coachflow.__file__).parent / "_engine"
DOTTED = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _codes_in_the_engine() -> set[str]:
    """Every string in the engine's source that looks like a code."""
    found: set[str] = set()
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.update(m.group() for m in [DOTTED.match(node.value)] if m)
    return found


def test_the_engine_raises_only_declared_codes_and_every_one_of_them() -> None:
    declared = {refusal.code for refusal in REFUSALS}
    assert len(declared) == len(REFUSALS)  # each declared once
    in_engine = _codes_in_the_engine()
    assert in_engine - set(CODES) <= declared, in_engine - set(CODES) - declared
    assert declared <= in_engine, declared - in_engine


def test_every_refusal_names_commands_of_the_engagement() -> None:
    for refusal in REFUSALS:
        assert refusal.commands, refusal.code
        for command in refusal.commands:
            assert callable(getattr(Engagement, command, None)), (refusal.code, command)
        assert refusal.when and not refusal.when.endswith("."), refusal.code
