"""Who may issue which command: permission policies, and the default one."""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from coachflow._values.commands import COMMANDS
from coachflow._values.containers import Items
from coachflow._values.enums import NOT_PERSONAL, Role
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.validators import Check

__all__ = ["DEFAULT_PERMISSIONS", "DEFAULT_POLICY", "Policy"]


def _commands(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidType(f"expected a set of command names (got {value!r})")
    return frozenset(value)


_KNOWN = frozenset(COMMANDS)


class KnownCommands(Check):
    """A set of command names, each one coachflow has (``choices``: the schema's enum)."""

    __slots__ = ()
    label = "a set of command names"
    choices: tuple[str, ...] = COMMANDS

    def __call__(self, inst: object, attribute: Any, value: Any) -> None:
        if type(value) is frozenset and value <= _KNOWN:
            return  # the usual case, decided at once
        Items(str, "a command name")(inst, attribute, value)
        unknown = sorted(c for c in value if c not in COMMANDS)
        if unknown:
            raise InvalidValue(
                f"{attribute.name!r} names commands coachflow does not have: {unknown} "
                f"(known: {', '.join(COMMANDS)})"
            )


def _field() -> Any:
    return attrs.field(
        factory=frozenset, converter=_commands, validator=KnownCommands(), metadata=NOT_PERSONAL
    )


@attrs.frozen(init=False, weakref_slot=False)
class Policy:
    """Which commands each role may issue: immutable, and part of an engagement's history.

    ``Policy({Role.COACH: frozenset({...}), Role.CLIENT: ..., Role.SPONSOR: ...})``;
    a role left out may issue nothing. Each set holds command names (``"open"`` and
    the names of `Engagement`'s commands); an unknown name is a `ValueError`.
    ``Engagement.open(..., policy=)`` records the policy in the `Opened` event, so a
    document keeps it and replays with it, whatever a later coachflow's default is.
    ``policy[role]`` is the set a role may issue. `DEFAULT_POLICY` is one policy.
    """

    coach: frozenset[str] = _field()
    """The commands the coach may issue."""
    client: frozenset[str] = _field()
    """The commands the client may issue."""
    sponsor: frozenset[str] = _field()
    """The commands the sponsor (the client's manager) may issue."""

    def __init__(
        self,
        permissions: Mapping[Role, Iterable[str]] | None = None,
        *,
        coach: Iterable[str] = (),
        client: Iterable[str] = (),
        sponsor: Iterable[str] = (),
    ) -> None:
        if permissions is not None:
            if not isinstance(permissions, Mapping):
                raise InvalidType(
                    f"'permissions' must be a mapping of Role to command names "
                    f"(got {permissions!r})"
                )
            for role in permissions:
                if not isinstance(role, Role):
                    raise InvalidType(f"'permissions' keys must be Roles (got {role!r})")
            coach = permissions.get(Role.COACH, ())
            client = permissions.get(Role.CLIENT, ())
            sponsor = permissions.get(Role.SPONSOR, ())
        self.__attrs_init__(coach=coach, client=client, sponsor=sponsor)  # type: ignore[arg-type]

    @property
    def permissions(self) -> Mapping[Role, frozenset[str]]:
        """Each role's commands, read-only."""
        return types.MappingProxyType(
            {Role.COACH: self.coach, Role.CLIENT: self.client, Role.SPONSOR: self.sponsor}
        )

    def __getitem__(self, role: Role) -> frozenset[str]:
        """The commands *role* may issue."""
        if role is Role.COACH:
            return self.coach
        if role is Role.CLIENT:
            return self.client
        if role is Role.SPONSOR:
            return self.sponsor
        raise KeyError(role)

    def allows(self, role: Role, command: str) -> bool:
        """Whether *role* may issue *command*."""
        return command in self[role]


_COACH, _CLIENT, _SPONSOR = Role.COACH, Role.CLIENT, Role.SPONSOR

#: Who may issue each command by default: one line per command, so that a new command
#: cannot be granted (or refused) by accident. The coach runs the engagement and corrects
#: its record; the client signs and amends the agreement, gives and withdraws consent
#: (theirs alone), books, moves and cancels sessions, pauses, resumes, may ask for another
#: coach and may end it; the sponsor (the client's manager) signs a three-way agreement,
#: may change the coach and may end it.
DEFAULT_PERMISSIONS: Mapping[str, tuple[Role, ...]] = types.MappingProxyType(
    {
        "open": (_COACH,),
        "agree": (_COACH,),
        "sign_agreement": (_COACH, _CLIENT, _SPONSOR),
        "amend_agreement": (_COACH, _CLIENT),
        "give_consent": (_CLIENT,),
        "withdraw_consent": (_CLIENT,),
        "record_session": (_COACH,),
        "correct_session": (_COACH,),
        "void_session": (_COACH,),
        "book_session": (_COACH, _CLIENT),
        "reschedule_session": (_COACH, _CLIENT),
        "cancel_session": (_COACH, _CLIENT),
        "record_no_show": (_COACH,),
        "void_no_show": (_COACH,),
        "begin_midpoint_review": (_COACH,),
        "complete_midpoint_review": (_COACH,),
        "pause": (_COACH, _CLIENT),
        "resume": (_COACH, _CLIENT),
        "extend": (_COACH,),
        "change_coach": (_COACH, _CLIENT, _SPONSOR),
        "begin_closing": (_COACH,),
        "close": (_COACH,),
        "hold_follow_up": (_COACH,),
        "skip_follow_up": (_COACH,),
        "terminate": (_COACH, _CLIENT, _SPONSOR),
    }
)
if set(DEFAULT_PERMISSIONS) != set(COMMANDS):  # pragma: no cover - a new command needs its line
    raise AssertionError(
        f"DEFAULT_PERMISSIONS must name every command once: "
        f"missing {sorted(set(COMMANDS) - set(DEFAULT_PERMISSIONS))}, "
        f"unknown {sorted(set(DEFAULT_PERMISSIONS) - set(COMMANDS))}"
    )

#: The default policy, read from `DEFAULT_PERMISSIONS`.
DEFAULT_POLICY = Policy(
    {
        role: frozenset(c for c, roles in DEFAULT_PERMISSIONS.items() if role in roles)
        for role in Role
    }
)
