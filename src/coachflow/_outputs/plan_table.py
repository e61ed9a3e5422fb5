"""The timeline's plan against actual: each planned session and what became of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from coachflow._engagement import Engagement
from coachflow._values.events import ClosingBegun, MidpointReviewBegun
from coachflow._values.i18n import t, tn
from coachflow._values.wording import date_words

__all__ = ["plan_against_actual", "plan_rows"]


def plan_against_actual(engagement: Engagement) -> Iterator[str]:
    """The timeline's table of each planned session against what became of it, and the
    midpoint review's and the closing's planned and actual days."""
    plan = engagement.plan()
    if plan is None:
        yield t("Plan: none yet (no agreement)")
        return
    used = _used(engagement)
    yield t(
        "Planned vs actual ({start} to {end})",
        start=date_words(plan.start),
        end=date_words(plan.end),
    )
    planned_, actual_, difference_ = t("planned"), t("actual"), t("difference")
    yield f"  {'#':>3}  {planned_:<10}  {actual_:<10}  {difference_}"
    for number, planned, day, diff in plan_rows(engagement, used):
        yield (
            f"  {number:>3}  {planned.isoformat() if planned else '-':<10}  "
            f"{day.isoformat() if day else '-':<10}  {diff}".rstrip()
        )
    day_of, events = engagement.day_of, engagement.events
    reviews = [day_of(e.at) for e in events if isinstance(e, MidpointReviewBegun)]
    closings = [day_of(e.at) for e in events if isinstance(e, ClosingBegun)]
    if plan.midpoint is not None:
        actual_mid = reviews[0].isoformat() if reviews else t("not yet")
        yield "  " + t(
            "midpoint   planned {planned}  held {held}",
            planned=plan.midpoint.isoformat(),
            held=actual_mid,
        )
    actual_close = closings[0].isoformat() if closings else t("not yet")
    yield "  " + t(
        "closing    planned {planned}  held {held}",
        planned=plan.closing.isoformat(),
        held=actual_close,
    )


def _used(engagement: Engagement) -> list[tuple[dt.datetime, str]]:
    """What became of the planned sessions, in the order of time: held, or used up."""
    used = [(s.held_at, "") for s in engagement.sessions]
    used += [(b.starts_at, t("no-show")) for b in engagement.no_shows]
    used += [
        (c.booking.starts_at, t("cancelled late")) for c in engagement.cancellations if c.forfeits
    ]
    used.sort(key=lambda item: item[0])
    return used


def plan_rows(
    engagement: Engagement, used: list[tuple[dt.datetime, str]] | None = None
) -> list[tuple[int, dt.date | None, dt.date | None, str]]:
    """(number, planned day, actual day, the difference in words) of each planned
    session and each one used beyond the plan; none without an agreement."""
    plan = engagement.plan()
    if plan is None:
        return []
    used = _used(engagement) if used is None else used
    rows = []
    for index in range(max(len(plan.sessions), len(used))):
        planned = plan.sessions[index] if index < len(plan.sessions) else None
        actual, note = used[index] if index < len(used) else (None, "")
        day = engagement.day_of(actual) if actual is not None else None
        rows.append((index + 1, planned, day, note or _difference(planned, day)))
    return rows


def _difference(planned: dt.date | None, actual: dt.date | None) -> str:
    if planned is None or actual is None:
        return ""
    days = (actual - planned).days
    if days == 0:
        return t("on plan")
    sign = "+" if days > 0 else "-"
    return tn("{sign}{n} day", "{sign}{n} days", abs(days), sign=sign)
