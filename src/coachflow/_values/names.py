"""How people name the process's words: phases, severities, roles, modes, consent
topics and reasons for ending.

Every output that names one (a refusal, a finding, the timeline, the command line)
takes it from here, in the current locale.
"""

from __future__ import annotations

import enum

from coachflow._values.i18n import N_, t

__all__ = ["NAMES", "name"]

#: The names of phases, severities, roles, modes, consent topics and end reasons, by
#: value, as catalog templates.
NAMES: dict[str, str] = {
    "agreement": N_("agreement"),
    "active": N_("active"),
    "midpoint_review": N_("midpoint review"),
    "paused": N_("paused"),
    "closing": N_("closing"),
    "follow_up": N_("follow-up"),
    "completed": N_("completed"),
    "terminated": N_("terminated"),
    "error": N_("error"),
    "warning": N_("warning"),
    "info": N_("info"),
    "coach": N_("coach"),
    "client": N_("client"),
    "sponsor": N_("sponsor"),
    "in_person": N_("in person"),
    "phone": N_("by phone"),
    "digital": N_("digital"),
    "goals": N_("goals"),
    "attainment": N_("goal attainment"),
    "action_plan": N_("the action plan"),
    "goals_met": N_("goals met"),
    "client_request": N_("at the client's request"),
    "referral": N_("referred elsewhere"),
    "role_change": N_("a change of role"),
    "left_organisation": N_("left the organisation"),
    "other": N_("other"),
}


def name(value: enum.Enum | str) -> str:
    """A phase's, severity's, role's, mode's, consent topic's or end reason's name in
    the current locale."""
    key = value.value if isinstance(value, enum.Enum) else value
    return t(NAMES[key])
