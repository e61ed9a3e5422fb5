"""A griffe extension for the API reference: an attrs field shows its default, not the
``attrs.field(validator=..., metadata=...)`` call that declares it."""

from __future__ import annotations

import ast
from typing import Any

import griffe


class AttrsDefaults(griffe.Extension):
    """``x: int = attrs.field(default=3, ...)`` reads ``x: int = 3``; a field without a
    default reads as required (no value); ``factory=f`` reads ``f()``."""

    def on_attribute_instance(self, *, node: Any, attr: griffe.Attribute, **kwargs: Any) -> None:
        call = getattr(node, "value", None)
        if not isinstance(call, ast.Call) or ast.unparse(call.func) not in (
            "attrs.field",
            "attr.ib",
            "field",
        ):
            return
        given = {keyword.arg: keyword.value for keyword in call.keywords}
        if "default" in given:
            attr.value = ast.unparse(given["default"])
        elif "factory" in given:
            attr.value = f"{ast.unparse(given['factory'])}()"
        else:
            attr.value = None  # required: no default to show
