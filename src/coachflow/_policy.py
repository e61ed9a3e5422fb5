"""Who may issue which command: permission policies, and the default one."""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from coachflow._checks import Check, Items
from coachflow._machine import PROCESS
from coachflow._model import NOT_PERSONAL, Role

__all__ = ["COMMANDS", "DEFAULT_POLICY", "Policy"]

#: Every command a policy may grant: ``open`` and the process's commands.
COMMANDS: tuple[str, ...] = ("open", *PROCESS.commands)


def _commands(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(f"expected a set of command names (got {value!r})")
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
            raise ValueError(
                f"{attribute.name!r} names commands coachflow does not have: {unknown} "
                f"(known: {', '.join(COMMANDS)})"
            )


def _field() -> Any:
    return attrs.field(
        factory=frozenset, converter=_commands, validator=KnownCommands(), metadata=NOT_PERSONAL
    )


@attrs.frozen(init=False)
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
                raise TypeError(
                    f"'permissions' must be a mapping of Role to command names "
                    f"(got {permissions!r})"
                )
            for role in permissions:
                if not isinstance(role, Role):
                    raise TypeError(f"'permissions' keys must be Roles (got {role!r})")
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


#: The default policy. The coach runs the engagement and may issue every command
#: (``open`` included); the client may book, reschedule and cancel sessions, pause,
#: resume and terminate; the sponsor (the client's manager) may terminate.
DEFAULT_POLICY = Policy(
    {
        Role.COACH: frozenset(COMMANDS),
        Role.CLIENT: frozenset(
            {
                "book_session",
                "reschedule_session",
                "cancel_session",
                "pause",
                "resume",
                "terminate",
            }
        ),
        Role.SPONSOR: frozenset({"terminate"}),
    }
)
