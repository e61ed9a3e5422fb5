"""What a closing records: goal attainment and the action plan."""

from __future__ import annotations

from typing import Any

import attrs

from coachflow._values.containers import Items
from coachflow._values.enums import NOT_PERSONAL, Visibility, visible_to
from coachflow._values.fields import json_schema
from coachflow._values.validation import require_item_text, to_tuple
from coachflow._values.validators import TEXT_ITEM, Integer, Text

__all__ = ["ActionPlan", "Attainment"]


@attrs.frozen(weakref_slot=False)
class Attainment:
    """How far a goal was attained, on the Goal Attainment Scaling scale.

    ``score`` runs from -2 (much less than expected) through 0 (as expected)
    to +2 (much more than expected).
    """

    goal_id: str = attrs.field(validator=Text(), metadata=NOT_PERSONAL)
    """The goal scored."""
    score: int = attrs.field(validator=Integer(-2, 2))
    """The Goal Attainment Scaling score, -2..+2 (0: as expected)."""
    comment: str = attrs.field(
        default="",
        validator=Text(empty=True),
        metadata=visible_to(Visibility.CLIENT, consent="attainment"),
    )
    """A word on the score."""


@json_schema({"minItems": 1, "items": TEXT_ITEM})
def _steps(_inst: object, attribute: Any, value: object) -> None:
    Items(str, "a str", min_len=1)(_inst, attribute, value)
    assert isinstance(value, tuple)
    for i, step in enumerate(value):
        require_item_text(f"{attribute.name}[{i}]", step, "must not be empty")


@attrs.frozen(weakref_slot=False)
class ActionPlan:
    """How the client means to go on developing after the engagement."""

    steps: tuple[str, ...] = attrs.field(
        converter=to_tuple,
        validator=_steps,
        metadata=visible_to(Visibility.CLIENT, consent="action_plan"),
    )
    """What the client means to do, one step each (at least one, none blank)."""
