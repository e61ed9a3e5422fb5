"""A shortcut for loading the events that make up most of a history.

A six-month history is mostly `SessionRecorded` events, and loading a portfolio
is mostly structuring them. The cattrs converters (`coachflow._converter`) say
what a document may hold; this module builds the common events directly,
without the converter's hooks or the classes' ``__init__``, checking the same
things the hooks and the validators check.

It is only a shortcut. Whatever it does not accept, whether a bad document or
merely an unusual one (a `dict` subclass, an `int` subclass, ...), it refuses
with any exception, and the caller hands the whole list to the converters,
which load it or explain what is wrong. A differential property test holds the
shortcut to the converters' verdict: it never accepts what they refuse, and
what it accepts equals what they build.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

from coachflow._events import (
    ClosingBegun,
    Event,
    FollowUpSkipped,
    MidpointReviewBegun,
    Paused,
    Resumed,
    SessionRecorded,
    Terminated,
)
from coachflow._model import MAX_MINUTES, Assignment, Mode, Session

__all__ = ["DECODERS", "share_zone", "text"]

_new = object.__new__
_set = object.__setattr__  # the classes are frozen: this is how attrs sets them too
_intern = sys.intern
_fromisoformat = dt.datetime.fromisoformat
_MISSING: Any = object()


class Unusual(Exception):
    """The shortcut does not take this value; the converters decide."""


# -- leaves --------------------------------------------------------------------------

_ZONES: dict[dt.tzinfo, dt.tzinfo] = {}


def share_zone(value: dt.datetime) -> dt.datetime:
    """*value* with one shared zone object per UTC offset, not one per datetime."""
    zone = value.tzinfo
    if type(zone) is not dt.timezone:
        return value
    shared = _ZONES.setdefault(zone, zone)
    if shared is zone:
        return value
    return value.replace(tzinfo=shared)


def _aware(value: object) -> dt.datetime:
    if type(value) is not str:
        raise Unusual
    parsed = _fromisoformat(value)
    zone = parsed.tzinfo
    if type(zone) is not dt.timezone:  # naive, or a zone fromisoformat does not make
        raise Unusual
    shared = _ZONES.setdefault(zone, zone)
    if shared is zone:
        return parsed
    return parsed.astimezone(shared)  # same offset: the same wall time, the shared zone


def text(value: object) -> str:
    """A string as the converters keep it: short ones interned (they repeat)."""
    if type(value) is not str:
        raise Unusual
    return _intern(value) if len(value) <= 40 else value


def _filled(value: object) -> str:
    if type(value) is not str or not value.strip():
        raise Unusual
    return _intern(value) if len(value) <= 40 else value


def _object(value: object, keys: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict or not keys.issuperset(value):
        raise Unusual
    return value


# -- values --------------------------------------------------------------------------

_MODES = {mode.value: mode for mode in Mode}
_ASSIGNMENT = frozenset(("id", "description"))
_SESSION = frozenset(("held_at", "minutes", "mode", "homework", "reviewed", "notes"))


def _assignment(value: object) -> Assignment:
    data = _object(value, _ASSIGNMENT)
    assignment = _new(Assignment)
    _set(assignment, "id", _filled(data["id"]))
    _set(assignment, "description", _filled(data["description"]))
    return assignment


def _session(value: object) -> Session:
    data = _object(value, _SESSION)
    minutes = data["minutes"]
    if type(minutes) is not int or not 1 <= minutes <= MAX_MINUTES:
        raise Unusual
    homework: Any = data.get("homework", _MISSING)
    if homework is _MISSING:
        homework = ()
    elif type(homework) is list:
        homework = tuple([_assignment(item) for item in homework])
        if len({assignment.id for assignment in homework}) != len(homework):
            raise Unusual
    else:
        raise Unusual
    reviewed: Any = data.get("reviewed", _MISSING)
    if reviewed is _MISSING:
        reviewed = ()
    elif type(reviewed) is list:
        reviewed = tuple([text(item) for item in reviewed])
    else:
        raise Unusual
    session = _new(Session)
    _set(session, "held_at", _aware(data["held_at"]))
    _set(session, "minutes", minutes)
    _set(session, "mode", _MODES[data["mode"]])  # anything but a mode's value raises
    _set(session, "homework", homework)
    _set(session, "reviewed", reviewed)
    _set(session, "notes", text(data.get("notes", "")))
    return session


# -- events --------------------------------------------------------------------------

_SESSION_RECORDED = frozenset(("type", "at", "by", "session"))


def _session_recorded(value: dict[str, Any]) -> Event:
    data = _object(value, _SESSION_RECORDED)
    event = _new(SessionRecorded)
    _set(event, "at", _aware(data["at"]))
    _set(event, "by", _filled(data["by"]))
    _set(event, "session", _session(data["session"]))
    return event


def _plain(kind: type[Event], *texts: str) -> Callable[[dict[str, Any]], Event]:
    """An event with ``at``, ``by`` and perhaps non-blank texts such as ``reason``."""
    keys = frozenset(("type", "at", "by", *texts))

    def decode(value: dict[str, Any]) -> Event:
        data = _object(value, keys)
        event = _new(kind)
        _set(event, "at", _aware(data["at"]))
        _set(event, "by", _filled(data["by"]))
        for name in texts:
            _set(event, name, _filled(data[name]))
        return event

    return decode


DECODERS: dict[str, Callable[[dict[str, Any]], Event]] = {
    "session_recorded": _session_recorded,
    "midpoint_review_begun": _plain(MidpointReviewBegun),
    "closing_begun": _plain(ClosingBegun),
    "resumed": _plain(Resumed),
    "paused": _plain(Paused, "reason"),
    "follow_up_skipped": _plain(FollowUpSkipped, "reason"),
    "terminated": _plain(Terminated, "reason"),
}
"""The shortcut for each event ``type`` it takes; the converters take the rest."""
