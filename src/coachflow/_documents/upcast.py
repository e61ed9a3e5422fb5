"""Formats evolve by upcasting: an event object of an older format, made current.

A document says which format it is in (``format_version``); a store row does
too. Before any value is built, each event's JSON object is brought up to
`FORMAT_VERSION` by the steps ``UPCASTS[n]`` (format n to n + 1), run in order,
so both ways of loading (the generated loaders and the converter) only ever see
the current shape. An old document is never rewritten: it loads forever, and
the golden documents of every past version in the tests hold us to that.

Changing the format, in four edits: add or change the field in its class; add
``UPCASTS[FORMAT_VERSION]`` (usually `added_field`); add its line to `HISTORY`;
raise `FORMAT_VERSION`. The loaders, the converter, the schema and the docs' table
of formats follow.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

import attrs

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "HISTORY",
    "UPCASTS",
    "FormatChange",
    "added_field",
    "chain",
    "upcast_events",
    "v8_grants",
    "version_problem",
]

FORMAT = "coachflow.engagement"
FORMAT_VERSION = 8
"""The document format this coachflow writes (and the newest it reads)."""

Step = Callable[[dict[str, Any]], dict[str, Any]]
"""One upcasting step: an event object of format n in, of format n + 1 out."""


def added_field(
    event_type: str, path: tuple[str, ...], name: str, value: object, *, shown: str | None = None
) -> Step:
    """A step that gives events of *event_type* a new field *name* = *value*.

    *path* leads from the event object to the object that gains the field
    (``("agreement",)``: the event's agreement). An object already holding the
    field, or not of the expected shape, is left alone for the loaders to judge.
    The input is never modified: the step returns new dicts where it changes one.
    *shown* names a long *value* in the step's description.
    """

    def step(event: dict[str, Any]) -> dict[str, Any]:
        if event.get("type") != event_type:
            return event
        return _with_field(event, path, name, value)

    step.__doc__ = f"{event_type}: {'.'.join((*path, name))} = {shown or repr(value)}"
    return step


def chain(*steps: Step) -> Step:
    """One step made of several, applied in order (a format that adds several fields)."""

    def step(event: dict[str, Any]) -> dict[str, Any]:
        for each in steps:
            event = each(event)
        return event

    step.__doc__ = "; ".join(each.__doc__ or "" for each in steps)
    return step


def _with_field(
    obj: dict[str, Any], path: tuple[str, ...], name: str, value: object
) -> dict[str, Any]:
    if not path:
        return obj if name in obj else {**obj, name: copy.deepcopy(value)}
    inner = obj.get(path[0])
    if type(inner) is not dict:
        return obj
    changed = _with_field(inner, path[1:], name, value)
    return obj if changed is inner else {**obj, path[0]: changed}


#: The default policy up to format 4, as documents of format 5 write it.
V4_POLICY: dict[str, list[str]] = {
    "coach": sorted(
        [
            "open",
            "agree",
            "record_session",
            "book_session",
            "reschedule_session",
            "cancel_session",
            "record_no_show",
            "begin_midpoint_review",
            "complete_midpoint_review",
            "pause",
            "resume",
            "extend",
            "begin_closing",
            "close",
            "hold_follow_up",
            "skip_follow_up",
            "terminate",
        ]
    ),
    "client": sorted(
        ["book_session", "reschedule_session", "cancel_session", "pause", "resume", "terminate"]
    ),
    "sponsor": ["terminate"],
}


def goals_levelled(event: dict[str, Any]) -> dict[str, Any]:
    """agreed, midpoint_review_completed: every goal's levels = None"""
    # no levels were agreed before format 7: the agreement's goals, a review's added goals
    kind = event.get("type")
    if kind == "agreed":
        agreement = event.get("agreement")
        if type(agreement) is not dict:
            return event
        goals = agreement.get("goals")
        if type(goals) is not list:
            return event
        new = [_with_field(g, (), "levels", None) if type(g) is dict else g for g in goals]
        return {**event, "agreement": {**agreement, "goals": new}}
    if kind == "midpoint_review_completed":
        revisions = event.get("revisions")
        if type(revisions) is not list:
            return event
        new = [
            _with_field(r, ("goal",), "levels", None)
            if type(r) is dict and r.get("type") == "add_goal"
            else r
            for r in revisions
        ]
        return {**event, "revisions": new}
    return event


def midpoint_as_of_format_6(event: dict[str, Any]) -> dict[str, Any]:
    """agreed: agreement.programme.midpoint_review = (months >= 6) where it was null"""
    # null meant "required from six months on" up to format 6, and means "expected, not
    # required" from format 7: the old meaning is written out, as of the months agreed
    if event.get("type") != "agreed":
        return event
    agreement = event.get("agreement")
    if type(agreement) is not dict:
        return event
    programme = agreement.get("programme")
    if type(programme) is not dict or programme.get("midpoint_review", 0) is not None:
        return event
    months = programme.get("months")
    if type(months) is not int:
        return event
    programme = {**programme, "midpoint_review": months >= 6}
    return {**event, "agreement": {**agreement, "programme": programme}}


def v8_grants(policy: dict[str, list[str]], role: str) -> list[str]:
    """The commands new in format 8 that a recorded *policy* grants *role*: each to the
    roles that could issue the command it extends, so the default of format 7 becomes
    the default of format 8 and an organisation's own policy keeps its shape.

    A signature (`sign_agreement`) to every role, as only a signatory may sign; consent
    (`give_consent`, `withdraw_consent`) to the client, whose it is; `amend_agreement` to
    the client and to whoever may `agree`; `correct_session` and `void_session` to
    whoever may `record_session`; `void_no_show` to whoever may `record_no_show`;
    `change_coach` to whoever may `terminate`.
    """
    may = set(policy.get(role, ()))
    new = ["sign_agreement"]
    if role == "client":
        new += ["give_consent", "withdraw_consent", "amend_agreement"]
    elif "agree" in may:
        new.append("amend_agreement")
    if "record_session" in may:
        new += ["correct_session", "void_session"]
    if "record_no_show" in may:
        new.append("void_no_show")
    if "terminate" in may:
        new.append("change_coach")
    return new


def policy_grants_new_commands(event: dict[str, Any]) -> dict[str, Any]:
    """opened: policy grants the commands new in format 8 (v8_grants)"""
    # a recorded policy said who may issue the commands of its time; each new command
    # goes to the roles that could issue the one it extends (`v8_grants`)
    if event.get("type") != "opened":
        return event
    policy = event.get("policy")
    if type(policy) is not dict:
        return event
    granted = dict(policy)
    for role in ("coach", "client", "sponsor"):
        commands = granted.get(role)
        if type(commands) is not list:
            return event
        new = [c for c in v8_grants(policy, role) if c not in commands]
        granted[role] = sorted([*commands, *new]) if new else commands
    return {**event, "policy": granted}


UPCASTS: dict[int, Step] = {
    1: added_field("agreed", ("agreement",), "time_zone", "UTC"),
    2: added_field("paused", (), "until", None),
    3: chain(
        added_field("agreed", ("agreement",), "rhythm", None),
        added_field("agreed", ("agreement", "programme"), "sessions", None),
        added_field("agreed", ("agreement", "programme"), "cancellation_notice_hours", 24),
        added_field("agreed", ("agreement", "programme"), "late_cancellation_counts", True),
        added_field("session_recorded", (), "booking_id", None),
    ),
    4: added_field("opened", (), "policy", V4_POLICY, shown="V4_POLICY"),
    5: added_field("agreed", ("agreement",), "sponsor_sees", []),
    6: chain(
        goals_levelled,
        midpoint_as_of_format_6,
        added_field("agreed", ("agreement",), "breaks", []),
    ),
    7: chain(
        added_field("agreed", ("agreement",), "signatories", ["coach"]),
        added_field("session_recorded", ("session",), "coach_id", None),
        added_field("terminated", (), "end_reason", "other"),
        policy_grants_new_commands,
    ),
}
"""``UPCASTS[n]`` brings one event object from format n to format n + 1."""


@attrs.frozen
class FormatChange:
    """One format version: the release that made it, what changed, and what a document
    of the version before means where the change is missing (what the upcast writes)."""

    version: int
    release: str
    change: str
    meaning: str


#: Every format version, oldest first: the docs' table of formats is read from here.
HISTORY: tuple[FormatChange, ...] = (
    FormatChange(1, "0.1", "the first format", "—"),
    FormatChange(
        2,
        "0.2",
        "`agreement.time_zone`, the engagement's IANA zone",
        '`"UTC"` (version 1 kept only offsets)',
    ),
    FormatChange(
        3, "0.2", "`paused.until`, the day sessions are to resume", "`null` (no day was agreed)"
    ),
    FormatChange(
        4,
        "0.2",
        "bookings: the events `session_booked`, `session_rescheduled`, `session_cancelled`, "
        "`no_show_recorded`; `session_recorded.booking_id`; `agreement.rhythm`; the "
        "programme's `sessions`, `cancellation_notice_hours`, `late_cancellation_counts`",
        "`null`, `null`, `null`, `24`, `true`: the defaults, what an older engagement meant",
    ),
    FormatChange(
        5,
        "0.2",
        "`opened.policy`, who may issue which command",
        "the default policy of its time, written out in full (`V4_POLICY`), so a later "
        "default never changes how an old document replays",
    ),
    FormatChange(
        6,
        "0.2",
        "`agreement.sponsor_sees`, what the client consents to show the sponsor",
        "`[]`: no consent was recorded, so the sponsor sees nothing of it",
    ),
    FormatChange(
        7,
        "0.3",
        "the method as written: a goal's `levels` (Goal Attainment Scaling), "
        "`agreement.breaks`; a programme's `midpoint_review` of `null` now means "
        '"expected", not "required"; `closed.attainment` may be empty and '
        "`closed.action_plan` `null`",
        "no levels, no breaks; `midpoint_review` written out as its old meaning, `true` "
        "from six months on, so an old engagement is judged as it was",
    ),
    FormatChange(
        8,
        "0.3",
        "the client a party: `agreement.signatories`; a session's `coach_id`; "
        "`terminated.end_reason`; the events `agreement_signed`, `agreement_amended`, "
        "`consent_given`, `consent_withdrawn`, `session_corrected`, `session_voided`, "
        "`no_show_voided`, `coach_changed`",
        '`["coach"]` (the coach agreed alone, so `sponsor_sees` is a proposal until the '
        'client gives consent); `null` (the coach in charge then); `"other"`; the policy '
        "grants each new command to the roles that could issue the one it extends "
        "(`v8_grants`: the default of format 7 becomes the default of format 8)",
    ),
)


def upcast_events(events: Iterable[object], version: int) -> list[object]:
    """*events* (JSON objects of format *version*) in the current format.

    Anything that is not an object passes through for the loaders to refuse.
    """
    result = list(events)
    for step in (UPCASTS[n] for n in range(version, FORMAT_VERSION)):
        result = [step(item) if type(item) is dict else item for item in result]
    return result


def version_problem(version: object) -> str | None:
    """Why *version* is no format version this coachflow reads (None when it is one)."""
    if type(version) is not int:
        return f"expected an integer format version (got {version!r})"
    if version > FORMAT_VERSION:
        return (
            f"format version {version} is newer than this coachflow reads "
            f"(1 to {FORMAT_VERSION}): upgrade coachflow"
        )
    if version < 1:
        return f"expected a format version from 1 to {FORMAT_VERSION} (got {version})"
    return None
