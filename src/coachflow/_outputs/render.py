"""`render`: an engagement (its timeline), a `Report` or a `SponsorReport` as text, JSON
or one self-contained HTML page, in English or Swedish."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from html import escape
from typing import Any

import attrs

from coachflow._engagement import Engagement
from coachflow._outputs.chart import report_chart
from coachflow._outputs.page import NONE, engagement_page, page
from coachflow._outputs.plan_table import plan_rows
from coachflow._outputs.report import Report, SponsorReport
from coachflow._outputs.timeline import entries, timeline
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.i18n import N_, current_locale, require_locale, speaking, t
from coachflow._values.names import NAMES, name
from coachflow._values.validation import describe, require_date
from coachflow._values.wording import date_words, decimal_words

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "json", "html")
"""The formats `render` writes."""

#: The words for a report's fields, in the order they are shown.
LABELS = {
    "engagement_id": N_("engagement"),
    "engagements": N_("engagements"),
    "phase": N_("phase"),
    "phase_since": N_("phase since"),
    "start": N_("start"),
    "end": N_("end"),
    "phases": N_("engagements by phase"),
    "findings": N_("engagements with each finding"),
    "due": N_("next actions due, by code"),
    "gas": N_("mean GAS T-score of the closed engagements"),
    "scored": N_("closed engagements with scores"),
    "endings": N_("ended early, by reason"),
    "for_sponsor": N_("for the sponsor"),
    "min_group": N_("fewest engagements a figure is shown over"),
    "epsilon": N_("privacy budget (epsilon)"),
    "sessions_held": N_("sessions held"),
    "sessions_allotted": N_("sessions allotted"),
    "sessions_forfeited": N_("sessions forfeited"),
    "midpoint_reviewed": N_("midpoint review held"),
    "closed_on": N_("closed on"),
    "follow_up_on": N_("three-party follow-up on"),
    "goals": N_("goals"),
    "attainment": N_("goal attainment"),
    "gas_t_score": N_("GAS T-score"),
    "action_plan": N_("action plan"),
}


def render(
    obj: Engagement | Report | SponsorReport,
    *,
    format: str = "text",
    locale: str = "en",
    today: dt.date | None = None,
) -> str:
    """*obj* for people: an `Engagement` as its timeline (events, plan against actual,
    findings and next actions as of *today*, its outcome), a `Report` or a
    `SponsorReport` as its figures.

    *format*: ``"text"`` (lines to read), ``"json"`` (stable keys, documented in the
    schema reference) or ``"html"`` (one self-contained page: no script, no remote
    resource; an engagement's timeline drawn as SVG, a report's figures as a chart).
    *locale*: ``"en"`` or ``"sv"``. *today* (an engagement only): the day findings
    and next actions are judged as of; by default the day of its last event. To render
    what one party may see, render its view: ``render(e.seen_by("sponsor-id"))``.
    """
    if format not in FORMATS:
        raise InvalidValue(f"'format' must be one of {', '.join(FORMATS)} (got {format!r})")
    with speaking(require_locale(locale)):
        if isinstance(obj, Engagement):
            day = _today(obj, today)
            if format == "text":
                return timeline(obj, day, locale=locale)
            if format == "json":
                return _dumps(_engagement_json(obj, day))
            return engagement_page(obj, day)
        if isinstance(obj, Report | SponsorReport):
            if today is not None:
                raise InvalidValue("'today' is for an engagement; a report has its own day")
            return _render_report(obj, format)
    raise InvalidType(
        f"'obj' must be an Engagement, a Report or a SponsorReport (got {describe(obj)})"
    )


def _today(engagement: Engagement, today: dt.date | None) -> dt.date:
    if today is None:
        return engagement.day_of(engagement.events[-1].at)
    require_date("today", today)
    return today


def _dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _engagement_json(engagement: Engagement, today: dt.date) -> dict[str, Any]:
    locale = current_locale()
    plan = engagement.plan()
    return {
        "kind": "engagement",
        "locale": locale,
        "today": today.isoformat(),
        "id": engagement.id,
        "phase": engagement.phase.value,
        "phase_name": name(engagement.phase),
        "time_zone": None if engagement.time_zone is None else str(engagement.time_zone),
        "parties": [
            {"id": p.id, "name": p.name, "role": p.role.value, "role_name": name(p.role)}
            for p in engagement.parties.values()
        ],
        "events": [
            {
                "index": entry.index,
                "type": type(entry.event).__name__,
                "at": entry.event.at.isoformat(),
                "day": entry.day.isoformat(),
                "text": list(entry.lines),
                "phase": None if entry.phase is None else entry.phase.value,
            }
            for entry in entries(engagement)
        ],
        "plan": None
        if plan is None
        else {
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "midpoint": None if plan.midpoint is None else plan.midpoint.isoformat(),
            "closing": plan.closing.isoformat(),
            "sessions": [
                {
                    "number": number,
                    "planned": None if day is None else day.isoformat(),
                    "actual": None if actual is None else actual.isoformat(),
                    "difference": diff,
                }
                for number, day, actual, diff in plan_rows(engagement)
            ],
        },
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "on": None if f.on is None else f.on.isoformat(),
                "message": f.message,
                "params": _plain(f.params),
            }
            for f in engagement.check(today, locale=locale)
        ],
        "next_actions": [
            {"code": a.code, "due": a.due.isoformat(), "message": a.message}
            for a in engagement.next_actions(today, locale=locale)
        ],
        "gas_t_score": engagement.gas_t_score,
    }


# -- reports ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A field's value as JSON: enums by value, days in ISO 8601, values as objects."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


_SPONSOR_ONLY = frozenset({"min_group", "epsilon"})


def _fields(obj: Report | SponsorReport) -> list[tuple[str, Any]]:
    """The fields of *obj* to show: a report for the coach has no withholding to state."""
    shown = [(f.name, getattr(obj, f.name)) for f in attrs.fields(type(obj))]
    if isinstance(obj, Report) and not obj.for_sponsor:
        return [(key, value) for key, value in shown if key not in _SPONSOR_ONLY]
    return shown


def _words(value: Any) -> str:
    """A field's value in words: "withheld" for None, numbers and days in the locale's."""
    if value is None:
        return t("withheld")
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, float):
        return decimal_words(value, 2)
    if isinstance(value, dt.date):
        return date_words(value)
    if isinstance(value, enum.Enum) or (isinstance(value, str) and value in NAMES):
        return name(value)
    if isinstance(value, tuple) and value and all(isinstance(v, float) for v in value):
        return ", ".join(decimal_words(v, 2) for v in value)
    if isinstance(value, tuple):
        return "; ".join(_words(item) for item in value) or NONE
    if attrs.has(type(value)):
        return ", ".join(str(_words(getattr(value, f.name))) for f in attrs.fields(type(value)))
    return str(value)


def _render_report(obj: Report | SponsorReport, format: str) -> str:
    kind = "report" if isinstance(obj, Report) else "sponsor_report"
    if format == "json":
        document = {"kind": kind, "locale": current_locale()}
        document.update({key: _plain(value) for key, value in _fields(obj)})
        return _dumps(document)
    title = t("Report") if isinstance(obj, Report) else t("What the sponsor sees")
    lines: list[tuple[str, list[tuple[str, str]] | str]] = []
    for key, value in _fields(obj):
        label = t(LABELS[key])
        if isinstance(value, Mapping):
            lines.append((label, [(_words(k), _words(v)) for k, v in value.items()]))
        else:
            lines.append((label, _words(value)))
    if format == "text":
        out = [title]
        for label, said in lines:
            if isinstance(said, list):
                out.append(f"  {label}:")
                out += [f"    {k:<28} {v}" for k, v in said]
            else:
                out.append(f"  {label}: {said}")
        return "\n".join(out) + "\n"
    body = [f"<h1>{escape(title)}</h1>"]
    if isinstance(obj, Report):
        body.append(report_chart(obj))
    rows = []
    for label, said in lines:
        if isinstance(said, list):
            cell = "<br>".join(f"{escape(k)}: {escape(v)}" for k, v in said) or NONE
        else:
            cell = escape(said)
        rows.append(f'<tr><th scope="row">{escape(label)}</th><td>{cell}</td></tr>')
    body.append(f"<table><caption>{escape(title)}</caption><tbody>{''.join(rows)}</tbody></table>")
    return page(title, body)
