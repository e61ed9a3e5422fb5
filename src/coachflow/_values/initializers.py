"""A faster ``__init__`` for the event classes, generated from their attrs fields.

attrs' own ``__init__`` calls every validator of every field; a command builds one event
and most of its cost was there. The ``__init__`` written here does what attrs' does
(the same arguments and defaults, each converter, then each validator once every field
is set), but checks the usual value inline first (`Check.fast`: a datetime in a shared
whole-minute zone, an ASCII text, a value of the exact class) and calls the validator
only when that check does not settle it, so any other value meets the same validator,
and the same error, as before. Validators without a fast form are always called.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from coachflow._values.codegen import Generated
from coachflow._values.fields import field_validators
from coachflow._values.validation import OFFSET_BASES, ZONE_EPOCHS, fixed_offset
from coachflow._values.validators import Check

__all__ = ["faster_init", "maker"]

T = TypeVar("T")

_MAKERS: dict[type, Callable[..., Any]] = {}
ATTRS_INIT: dict[type, Callable[..., None]] = {}
"""attrs' own ``__init__`` of each class given a faster one (the tests hold them alike)."""


def faster_init(classes: tuple[type, ...]) -> None:
    """Give each of *classes* (frozen, slotted, keyword-only attrs classes without
    factories or ``__attrs_post_init__``) the generated ``__init__``."""
    code = Generated("<coachflow generated initializers>", {"_new": object.__new__})
    for kind in classes:
        _write(code, kind, maker=False)
    _, namespace = code.compile()
    for kind in classes:
        made, original = namespace[f"_init_{kind.__name__}"], vars(kind)["__init__"]
        made.__qualname__ = f"{kind.__qualname__}.__init__"
        made.__doc__ = original.__doc__
        made.__annotations__ = dict(original.__annotations__)
        ATTRS_INIT[kind] = original
        setattr(kind, "__init__", made)  # noqa: B010 - mypy refuses assigning __init__


def maker(kind: type[T]) -> Callable[..., T]:
    """A function that makes a *kind* (given a faster ``__init__``) from its fields given
    by position, in their order: what ``kind(**fields)`` makes, with the same checks,
    without the keyword call (the commands' hot path). Written when first asked for."""
    found = _MAKERS.get(kind)
    if found is None:
        assert kind in ATTRS_INIT, kind
        code = Generated(
            f"<coachflow generated maker of {kind.__name__}>", {"_new": object.__new__}
        )
        _write(code, kind, maker=True)
        found = _MAKERS[kind] = code.compile()[1][f"_make_{kind.__name__}"]
    return found


def _write(code: Generated, kind: type, *, maker: bool) -> None:
    """``_init_<kind>(self, *, fields)``, or (*maker*) ``_make_<kind>(fields)``."""
    bind = _binder(code)
    arguments, body, checks = [], [], []
    for field in attrs.fields(kind):
        var = field.alias
        assert var not in _USED, f"{kind.__name__}.{var}: a name the generated code uses"
        plain = field.default is attrs.NOTHING or not isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
        assert field.init and field.kw_only and plain, f"{kind.__name__}.{field.name}"
        default = "" if field.default is attrs.NOTHING else f"={bind(field.default)}"
        arguments.append(f"{var}{default}")
        if field.converter is fixed_offset:
            body += _fixed_offset(var, bind)
        elif field.converter is not None:
            body.append(f"    {var} = {bind(field.converter)}({var})")
        body.append(f"    {bind(getattr(kind, field.name).__set__)}(self, {var})")
        for check in field_validators(field.validator):
            call = f"{bind(check)}(self, {bind(field)}, {var})"
            fast = check.fast(var, bind) if isinstance(check, Check) else None
            checks.append(f"    if not ({fast}): {call}" if fast else f"    {call}")
    assert not hasattr(kind, "__attrs_post_init__"), kind.__name__
    if maker:
        head = [f"def _make_{kind.__name__}({', '.join(arguments)}):"]
        code.lines += [*head, f"    self = _new({bind(kind)})", *body, *checks, "    return self"]
    else:
        head = [f"def _init_{kind.__name__}(self, *, {', '.join(arguments)}):"]
        code.lines += [*head, *body, *checks, ""]


def _fixed_offset(var: str, bind: Callable[[object], str]) -> list[str]:
    """`fixed_offset`, inline: a datetime in a shared fixed offset is kept; one in an IANA
    zone met before takes `fixed_offset`'s own short way; anything else calls it."""
    datetime, timezone, iana = bind(dt.datetime), bind(dt.timezone), bind(zoneinfo.ZoneInfo)
    return [
        f"    if type({var}) is not {datetime} or type({var}.tzinfo) is not {timezone}:",
        f"        _zone = {var}.tzinfo if type({var}) is {datetime} else None",
        f"        _epoch = {bind(ZONE_EPOCHS)}.get(_zone) if type(_zone) is {iana} else None",
        f"        _base = None if _epoch is None else {bind(OFFSET_BASES)}.get({var}.utcoffset())",
        f"        if _base is None: {var} = {bind(fixed_offset)}({var})",
        f"        else: {var} = _base + ({var} - _epoch)",
    ]


_USED = frozenset({"self", "type", "str", "int", "len", "_new", "_zone", "_epoch", "_base"})
"""Names the generated code reads, which no field may shadow."""


def _binder(code: Generated) -> Callable[[object], str]:
    return lambda value: code.bind(value, "v")
