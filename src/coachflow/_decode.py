"""Loading events fast: documents' JSON objects built straight into events.

Loading a portfolio is mostly structuring events. The cattrs converter
(`coachflow._converter`) says what a document may hold and explains every
mistake with its path; this module builds the events directly, without the
converter's hooks. The hot one, `SessionRecorded`, is built without its
classes' ``__init__`` too, checking inline what the hooks and the validators
check; the rarer ones go through their classes' constructors, whose validators
check the values.

It is only a shortcut. Objects must have exactly the keys `to_dict` writes,
of exactly the JSON types. Whatever it does not accept, whether a bad document
or merely an unusual one (a missing optional key, a `dict` subclass, ...), it
refuses with any exception, and the caller hands the whole list to the
converter, which loads it or explains what is wrong. A differential test holds
the shortcut to the converter's verdict: it never accepts what the converter
refuses, and what it accepts equals what the converter builds.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from coachflow._events import (
    Agreed,
    Closed,
    ClosingBegun,
    Event,
    Extended,
    FollowUpHeld,
    FollowUpSkipped,
    MidpointReviewBegun,
    MidpointReviewCompleted,
    Opened,
    Paused,
    Resumed,
    SessionRecorded,
    Terminated,
)
from coachflow._model import (
    MAX_MINUTES,
    ActionPlan,
    AddGoal,
    Agreement,
    Assignment,
    Attainment,
    Goal,
    Mode,
    Party,
    Programme,
    ReformulateGoal,
    Role,
    Session,
)

__all__ = ["DECODERS", "event", "share_zone", "text"]

_new = object.__new__
_intern = sys.intern
_fromisoformat = dt.datetime.fromisoformat


class Unusual(Exception):
    """The shortcut does not take this value; the exact way (the converter) decides."""


def _slots(kind: type, *names: str) -> tuple[Callable[[object, object], None], ...]:
    """Setters for the slots *names* of a frozen attrs class (as its ``__init__`` sets them)."""
    return tuple(getattr(kind, name).__set__ for name in names)


# -- leaves --------------------------------------------------------------------------

_ZONES: dict[dt.tzinfo, dt.tzinfo] = {}
_LAST_ZONE: list[dt.tzinfo] = [dt.UTC]  # given out last: a history's datetimes mostly share one


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
    shared = _LAST_ZONE[0]
    if zone != shared:  # compares offsets: cheaper than hashing the zone
        shared = _LAST_ZONE[0] = _ZONES.setdefault(zone, zone)
    if shared is zone:
        return parsed
    return parsed.astimezone(shared)  # same offset: the same wall time, the shared zone


def text(value: object) -> str:
    """A string as the converter keeps it: short ones interned (they repeat)."""
    if type(value) is not str:
        raise Unusual
    return _intern(value) if len(value) <= 40 else value


def _texts(value: object) -> tuple[str, ...]:
    if type(value) is not list:
        raise Unusual
    return tuple([text(item) for item in value]) if value else ()


def _date(value: object) -> dt.date:
    if type(value) is not str:
        raise Unusual
    return dt.date.fromisoformat(value)


def _fields(value: object, count: int) -> dict[str, Any]:
    """A JSON object of *count* keys (each then looked up: exactly the keys expected)."""
    if type(value) is not dict or len(value) != count:
        raise Unusual
    return value


def _filled(value: object) -> str:
    if type(value) is not str or not value.strip():
        raise Unusual
    return _intern(value) if len(value) <= 40 else value


# -- values and events -----------------------------------------------------------

_MODES = {mode.value: mode for mode in Mode}

_set_id, _set_description = _slots(Assignment, "id", "description")
_set_held_at, _set_minutes, _set_mode, _set_homework, _set_reviewed, _set_notes = _slots(
    Session, "held_at", "minutes", "mode", "homework", "reviewed", "notes"
)
_set_at, _set_by, _set_session = _slots(SessionRecorded, "at", "by", "session")


def _assignment(value: object) -> Assignment:
    data = _fields(value, 2)
    assignment = _new(Assignment)
    _set_id(assignment, _filled(data["id"]))
    _set_description(assignment, _filled(data["description"]))
    return assignment


_event_fields = itemgetter("at", "by", "session")
_session_fields = itemgetter("held_at", "minutes", "mode", "homework", "reviewed", "notes")


def _session_recorded(data: dict[str, Any]) -> Event:
    """Most of a history: one function, few detours.

    Objects must have exactly their keys, as `to_dict` writes them (a key
    count and a look-up of each); anything else is for the converter.
    """
    at, by, fields = _event_fields(data)
    if len(data) != 4 or type(fields) is not dict or len(fields) != 6:
        raise Unusual
    held_at, minutes, mode, homework, reviewed, notes = _session_fields(fields)
    if type(minutes) is not int or not 1 <= minutes <= MAX_MINUTES:
        raise Unusual
    if type(homework) is not list or type(reviewed) is not list or type(notes) is not str:
        raise Unusual
    if type(by) is not str or not by.strip():
        raise Unusual
    if homework:
        homework = tuple([_assignment(item) for item in homework])
        if len(homework) > 1 and len({a.id for a in homework}) != len(homework):
            raise Unusual
    session = _new(Session)
    _set_held_at(session, _aware(held_at))
    _set_minutes(session, minutes)
    _set_mode(session, _MODES[mode])  # anything but a mode's value raises
    _set_homework(session, homework or ())
    _set_reviewed(session, tuple([text(item) for item in reviewed]) if reviewed else ())
    _set_notes(session, text(notes) if notes else "")
    event = _new(SessionRecorded)
    _set_at(event, _aware(at))
    _set_by(event, _intern(by) if len(by) <= 40 else by)
    _set_session(event, session)
    return event


def _plain(kind: type[Event], *texts: str) -> Callable[[dict[str, Any]], Event]:
    """An event with ``at``, ``by`` and perhaps non-blank texts such as ``reason``."""
    count = 3 + len(texts)  # with "type"
    setters = _slots(kind, *texts)

    def decode(data: dict[str, Any]) -> Event:
        if len(data) != count:
            raise Unusual
        event = _new(kind)
        _set_at(event, _aware(data["at"]))
        _set_by(event, _filled(data["by"]))
        for name, set_text in zip(texts, setters, strict=True):
            set_text(event, _filled(data[name]))
        return event

    return decode


# -- the rarer events: JSON shapes in, the constructors' validators judge the values --

_ROLES = {role.value: role for role in Role}


def _party(value: object) -> Party:
    data = _fields(value, 3)
    return Party(text(data["id"]), text(data["name"]), _ROLES[data["role"]])


def _goal(value: object) -> Goal:
    data = _fields(value, 3)
    return Goal(text(data["id"]), text(data["statement"]), text(data["measure"]))


def _programme(value: object) -> Programme:
    data = _fields(value, 11)
    if type(data["session_minutes"]) is not list:
        raise Unusual
    return Programme(**data)  # the other fields are ints, bools and None: validated


def _agreement(value: object) -> Agreement:
    data = _fields(value, 7)
    goals, modes = data["goals"], data["modes"]
    if type(goals) is not list or type(modes) is not list:
        raise Unusual
    return Agreement(
        _programme(data["programme"]),
        _date(data["start"]),
        tuple([_goal(goal) for goal in goals]),
        frozenset([_MODES[mode] for mode in modes]),
        text(data["practicalities"]),
        text(data["expectations"]),
        data["three_party_follow_up"],
    )


def _revision(value: object) -> ReformulateGoal | AddGoal:
    if type(value) is not dict:
        raise Unusual
    kind = value["type"]
    if kind == "reformulate_goal" and len(value) == 3:
        return ReformulateGoal(text(value["goal_id"]), text(value["statement"]))
    if kind == "add_goal" and len(value) == 2:
        return AddGoal(_goal(value["goal"]))
    raise Unusual


def _attainment(value: object) -> Attainment:
    data = _fields(value, 3)
    return Attainment(text(data["goal_id"]), data["score"], text(data["comment"]))


def _opened(data: dict[str, Any]) -> Event:
    _fields(data, 7)
    sponsor = data["sponsor"]
    return Opened(
        at=_aware(data["at"]),
        by=text(data["by"]),
        engagement_id=text(data["engagement_id"]),
        coach=_party(data["coach"]),
        client=_party(data["client"]),
        sponsor=None if sponsor is None else _party(sponsor),
    )


def _agreed(data: dict[str, Any]) -> Event:
    _fields(data, 4)
    agreement = _agreement(data["agreement"])
    return Agreed(at=_aware(data["at"]), by=text(data["by"]), agreement=agreement)


def _midpoint_review_completed(data: dict[str, Any]) -> Event:
    _fields(data, 4)
    revisions = data["revisions"]
    if type(revisions) is not list:
        raise Unusual
    return MidpointReviewCompleted(
        at=_aware(data["at"]),
        by=text(data["by"]),
        revisions=tuple([_revision(revision) for revision in revisions]),
    )


def _extended(data: dict[str, Any]) -> Event:
    _fields(data, 4)
    return Extended(at=_aware(data["at"]), by=text(data["by"]), months=data["months"])


def _closed(data: dict[str, Any]) -> Event:
    _fields(data, 6)
    attainment = data["attainment"]
    if type(attainment) is not list:
        raise Unusual
    plan = _fields(data["action_plan"], 1)
    return Closed(
        at=_aware(data["at"]),
        by=text(data["by"]),
        attainment=tuple([_attainment(item) for item in attainment]),
        action_plan=ActionPlan(_texts(plan["steps"])),
        celebration=text(data["celebration"]),
    )


def _follow_up_held(data: dict[str, Any]) -> Event:
    _fields(data, 5)
    return FollowUpHeld(
        at=_aware(data["at"]),
        by=text(data["by"]),
        participants=_texts(data["participants"]),
        summary=text(data["summary"]),
    )


DECODERS: dict[str, Callable[[dict[str, Any]], Event]] = {
    "opened": _opened,
    "agreed": _agreed,
    "session_recorded": _session_recorded,
    "midpoint_review_begun": _plain(MidpointReviewBegun),
    "midpoint_review_completed": _midpoint_review_completed,
    "paused": _plain(Paused, "reason"),
    "resumed": _plain(Resumed),
    "extended": _extended,
    "closing_begun": _plain(ClosingBegun),
    "closed": _closed,
    "follow_up_held": _follow_up_held,
    "follow_up_skipped": _plain(FollowUpSkipped, "reason"),
    "terminated": _plain(Terminated, "reason"),
}
"""How to build each event ``type`` from its JSON object."""


def event(value: object) -> Event:
    """The event a document's JSON object describes; any exception if not the usual shape."""
    if type(value) is not dict:
        raise Unusual
    return DECODERS[value["type"]](value)
