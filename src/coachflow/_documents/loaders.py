"""Loading events fast: loaders generated from the value classes' own fields.

Loading a portfolio is mostly structuring events. The cattrs converter
(`coachflow._documents.converter`) says what a document may hold and explains every
mistake with its path; this module builds the events directly. Like attrs'
``__init__`` and cattrs' structuring functions, each loader is Python source
written from the class's fields (``attrs.fields``: name, type, validators) and
compiled once, so a new field is written in its class only. A loader:

- takes a JSON object with exactly the class's keys (plus ``"type"`` for events
  and revisions), each of exactly the JSON type the field's type implies;
- builds nested values with their own loaders, enum members by look-up, and
  checks dates and datetimes as it parses them (`coachflow._values.validation`: range, RFC
  3339 offsets) and texts as it reads them (storable, short ones interned);
- checks each field's validators: inline when the validator offers an
  expression (`Check.inline`), else by calling it;
- sets the slots without ``__init__``, as ``__init__`` would;
- gives out one object for equal sets, policies and programmes (`shared`): what an
  organisation repeats in every engagement is held once in memory.

It is only a shortcut. Whatever it does not accept, whether a bad document or
merely an unusual one (a missing optional key, a ``dict`` subclass, ...), it
refuses with any exception, and the caller hands the input to the converter,
which loads it or explains what is wrong. A differential test holds the
loaders to the converter's verdict: they never accept what it refuses, and what
they accept equals what it builds.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
import typing
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import attrs

from coachflow._values.codegen import Generated
from coachflow._values.containers import EMPTY_SET
from coachflow._values.events import EVENT_TYPES, Event
from coachflow._values.failures import InvalidType
from coachflow._values.fields import field_validators, is_optional, is_tagged_union, snake_case
from coachflow._values.model import Programme
from coachflow._values.policy import DEFAULT_POLICY, Policy
from coachflow._values.validation import (
    MAX_YEAR,
    MIN_YEAR,
    RFC3339_DATE,
    RFC3339_DATE_TIME,
    good_text,
    offset_zone,
)
from coachflow._values.validators import Bool, Check, Integer, OptionalBool

__all__ = ["DECODERS", "SHARED_VALUES", "SOURCE", "event", "share_zone", "shared", "text"]

H = TypeVar("H", bound=Hashable)

_intern = sys.intern
_fromisoformat = dt.datetime.fromisoformat


class Unusual(Exception):
    """The shortcut does not take this value; the exact way (the converter) decides."""


# -- leaves: JSON values to field values ------------------------------------------------

_NAIVE_EPOCH = dt.datetime(1970, 1, 1)
_OFFSETS: dict[str, dt.datetime] = {}
"""The offsets read so far, as written (``+01:00``), each to 1970-01-01 in its shared
zone: a datetime of that offset is that plus its wall time since the epoch, which keeps
the zone (two lookups and two subtractions instead of a pattern, a parse of the offset
and a conversion)."""


def share_zone(value: dt.datetime) -> dt.datetime:
    """*value* with one shared zone object per UTC offset, not one per datetime."""
    zone = value.tzinfo
    if type(zone) is not dt.timezone:
        return value
    shared = offset_zone(value.utcoffset())  # type: ignore[arg-type]
    return value if shared is zone else value.replace(tzinfo=shared)


_is_date_time = RFC3339_DATE_TIME.fullmatch
_is_date = RFC3339_DATE.fullmatch


def _aware_first(value: object) -> dt.datetime:
    """*value* read the long way (the first of its offset, or an unusual shape); the
    usual way is `_Loaders.aware`, written inline and as the loaders' ``_aware``."""
    if type(value) is not str or _is_date_time(value) is None:
        raise Unusual
    parsed = _fromisoformat(value)
    zone = parsed.tzinfo
    if type(zone) is not dt.timezone:  # naive, or a zone fromisoformat does not make
        raise Unusual
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise Unusual
    offset = parsed.utcoffset()
    if offset.seconds % 60 or offset.microseconds:  # type: ignore[union-attr]
        raise Unusual  # not an RFC 3339 offset
    shared = offset_zone(offset)  # type: ignore[arg-type]
    if len(value) == 25 and value[19] in "+-":  # ±HH:MM after the seconds: remembered
        _OFFSETS[value[19:]] = _NAIVE_EPOCH.replace(tzinfo=shared)
    return parsed.astimezone(shared)  # same offset: the same wall time, the shared zone


def _date(value: object) -> dt.date:
    if type(value) is not str or _is_date(value) is None:
        raise Unusual
    parsed = dt.date.fromisoformat(value)
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise Unusual
    return parsed


def text(value: object) -> str:
    """A string as loading keeps it: storable, short ones interned (they repeat)."""
    if type(value) is not str or not good_text(value):
        raise Unusual
    return _intern(value) if len(value) <= 40 else value


SHARED_VALUES: tuple[type, ...] = (Policy, Programme)
"""The value classes an organisation repeats from engagement to engagement (its policy, a
few programmes), holding no one's personal data: loading gives out one object for equal
values of these, as it does for sets."""

_SHARED: dict[Hashable, Any] = {}
_MOST_SHARED = 1024


def shared(value: H) -> H:
    """The value equal to *value* that loading gave out before, if any: a portfolio's
    engagements share their policies, programmes and sets (the first 1,024 kept)."""
    kept = _SHARED.get(value)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    if len(_SHARED) < _MOST_SHARED:
        _SHARED[value] = value
    return value


shared(DEFAULT_POLICY)  # an engagement opened with the default policy: loaded, it holds it


def _int(value: object) -> int:
    if type(value) is not int:
        raise Unusual
    return value


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise Unusual
    return value


def _of_texts(kind: Any) -> bool:
    """Whether the JSON of *kind* is a string, equal only to an equal string."""
    return kind is str or (isinstance(kind, type) and issubclass(kind, enum.Enum))


# -- the generator -----------------------------------------------------------------------


class _Loaders(Generated):
    """Writes the loaders' source, one function per class, into one namespace."""

    def __init__(self) -> None:
        super().__init__(
            "<coachflow generated loaders>",
            {
                "Unusual": Unusual,
                "_new": object.__new__,
                "_aware_first": _aware_first,
                "_date": _date,
                "_text": text,
                "_int": _int,
                "_bool": _bool,
                "_good_text": good_text,
                "_intern": _intern,
                "_shared": shared,
                "_OFFSETS": _OFFSETS,
                "_fromisoformat": _fromisoformat,
                "_NAIVE_EPOCH": _NAIVE_EPOCH,
                "_SEEN_SETS": {},
                "_EMPTY_SET": EMPTY_SET,
            },
        )
        self.loaders: dict[object, str] = {}
        self.tables: list[dict[str, Any]] = []  # tag -> loader name, then loader
        self.lines += ["def _aware(value):", *self.aware("value"), "    return value", ""]

    def loader(self, kind: Any) -> str:
        """The name of the function that loads *kind* (written on first need)."""
        if kind not in self.loaders:
            if is_tagged_union(kind):
                self.loaders[kind] = self._tagged(kind)
            else:
                self.loaders[kind] = f"_load_{kind.__name__}"
                self._class(kind, tagged=kind in EVENT_TYPES)
        return self.loaders[kind]

    def _tagged(self, kind: Any) -> str:
        members = typing.get_args(kind)
        by_tag: dict[str, Any] = {}
        for member in members:
            if member not in self.loaders:
                self.loaders[member] = f"_load_{member.__name__}"
                self._class(member, tagged=True)
            by_tag[snake_case(member.__name__)] = self.loaders[member]
        self.tables.append(by_tag)
        name = f"_load_{'_or_'.join(m.__name__ for m in members)}"
        self.lines += [
            f"def {name}(data):",
            "    if type(data) is not dict: raise Unusual",
            f"    return {self.bind(by_tag, 'tags')}[data['type']](data)",
            "",
        ]
        return name

    def _class(self, kind: type, *, tagged: bool) -> None:
        fields = attrs.fields(kind)
        hints = typing.get_type_hints(kind)
        body = [
            f"    if type(data) is not dict or len(data) != {len(fields) + tagged}: raise Unusual"
        ]
        called: list[str] = []
        for i, field in enumerate(fields):
            var = f"v{i}"
            checks = field_validators(field.validator)
            typed = any(isinstance(c, _TYPED) for c in checks)  # int or bool checked inline
            body += self.value(hints[field.name], f"data[{field.name!r}]", var, raw=typed)
            for check in checks:
                expression = check.inline(var) if isinstance(check, Check) else None
                if expression is None:
                    call = f"{self.bind(check, 'check')}(obj, {self.bind(field, 'field')}, {var})"
                    fewest = getattr(check, "passes_below", 0)
                    if fewest == 1:
                        call = f"if {var}: {call}"
                    elif fewest > 1:
                        call = f"if len({var}) >= {fewest}: {call}"
                    called.append(call)
                elif expression != "True":
                    body.append(f"    if not ({expression}): raise Unusual")
        body.append(f"    obj = _new({self.bind(kind, 'cls')})")
        for i, field in enumerate(fields):
            setter = self.bind(getattr(kind, field.name).__set__, "set")
            body.append(f"    {setter}(obj, v{i})")
        body += [f"    {call}" for call in called]  # validators see the whole value, as in attrs
        body.append("    return _shared(obj)" if kind in SHARED_VALUES else "    return obj")
        self.lines += [f"def _load_{kind.__name__}(data):", *body, ""]

    def value(self, kind: Any, source: str, var: str, *, raw: bool = False) -> list[str]:
        """Statements that load the JSON value *source* of type *kind* into *var*.

        *raw*: an int or bool is taken as it is (a validator checks its type inline).
        """
        args = typing.get_args(kind)
        if raw and kind in (int, bool, int | None, bool | None):
            return [f"    {var} = {source}"]
        if kind is str:  # `text`, inline: most fields are texts
            return [
                f"    {var} = {source}",
                f"    if type({var}) is not str: raise Unusual",
                f"    if {var}:",
                f"        if not ({var}.isascii() and '\\x00' not in {var}):",
                f"            if not _good_text({var}): raise Unusual",
                f"        if len({var}) <= 40: {var} = _intern({var})",
            ]
        if is_optional(kind):
            inner = next(arg for arg in args if arg is not type(None))
            loaded = self.value(inner, var, var)
            return [
                f"    {var} = {source}",
                f"    if {var} is not None:",
                *("    " + s for s in loaded),
            ]
        if typing.get_origin(kind) in (tuple, frozenset):
            make = "tuple" if typing.get_origin(kind) is tuple else "frozenset"
            if make == "tuple" and Ellipsis not in args:  # a fixed pair, e.g. (60, 90)
                items = ", ".join(f"{self.item(arg)}({var}[{n}])" for n, arg in enumerate(args))
                return [
                    f"    {var} = {source}",
                    f"    if type({var}) is not list or len({var}) != {len(args)}: raise Unusual",
                    f"    {var} = ({items},)",
                ]
            each = f"[{self.item(args[0])}(x) for x in {var}]"
            head = [f"    {var} = {source}", f"    if type({var}) is not list: raise Unusual"]
            if make == "tuple":
                return [*head, f"    {var} = tuple({each}) if {var} else ()"]
            if not _of_texts(args[0]):
                return [*head, f"    {var} = _shared(frozenset({each})) if {var} else _EMPTY_SET"]
            # sets of texts repeat from engagement to engagement (a policy's, the modes):
            # a list of the same texts read before for this field is that set again
            key = f"({self.bind(object(), 'field')}, *{var})"
            return [
                *head,
                f"    _seen = _SEEN_SETS.get({key}) if {var} else _EMPTY_SET",
                "    if _seen is None:",
                f"        _seen = _shared(frozenset({each}))",
                f"        if len(_SEEN_SETS) < 1024: _SEEN_SETS[{key}] = _seen",
                f"    {var} = _seen",
            ]
        if kind is dt.datetime:  # inline: most values are datetimes
            return [f"    {var} = {source}", *self.aware(var)]
        return [f"    {var} = {self.item(kind)}({source})"]

    @staticmethod
    def aware(var: str) -> list[str]:
        """Statements that read the RFC 3339 text in *var* as an aware datetime in its
        offset's shared zone: by its wall time once the offset was read before (added to
        1970-01-01 in that zone: `_OFFSETS`), else the long way (`_aware_first`)."""
        year = f"{MIN_YEAR} <= {var}.year <= {MAX_YEAR}"
        return [
            f"    _base = _OFFSETS.get({var}[19:]) if type({var}) is str else None",
            f"    if _base is not None and {var}[10] == 'T' and {var}[4] == {var}[7] == '-' "
            f"and {var}[13] == {var}[16] == ':':",
            f"        {var} = _base + (_fromisoformat({var}[:19]) - _NAIVE_EPOCH)",
            f"        if not {year}: raise Unusual",
            "    else:",
            f"        {var} = _aware_first({var})",
        ]

    def item(self, kind: Any) -> str:
        """The name of a function that loads one JSON value of type *kind*."""
        if kind is str:
            return "_text"
        if kind is int:
            return "_int"
        if kind is bool:
            return "_bool"
        if kind is dt.datetime:
            return "_aware"
        if kind is dt.date:
            return "_date"
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return self.bind({m.value: m for m in kind}.__getitem__, "members")
        if attrs.has(kind) or is_tagged_union(kind):
            return self.loader(kind)
        raise InvalidType(f"no loader for the field type {kind!r}")  # pragma: no cover

    def compile(self) -> tuple[str, dict[str, Any]]:
        source, namespace = super().compile()
        for table in self.tables:
            table.update({tag: namespace[name] for tag, name in table.items()})
        return source, namespace


_TYPED = (Integer, Bool, OptionalBool)


def _generate() -> tuple[str, dict[str, Callable[[dict[str, Any]], Event]]]:
    writer = _Loaders()
    names = {snake_case(kind.__name__): writer.loader(kind) for kind in EVENT_TYPES}
    source, namespace = writer.compile()
    return source, {tag: namespace[name] for tag, name in names.items()}


SOURCE, DECODERS = _generate()
"""The loaders' generated source (for reading) and each event ``type``'s loader."""


def event(value: object) -> Event:
    """The event a document's JSON object describes; any exception if not the usual shape."""
    if type(value) is not dict:
        raise Unusual
    return DECODERS[value["type"]](value)
