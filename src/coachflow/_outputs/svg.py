"""An engagement drawn as an SVG timeline: the phases as bands, and the sessions, open
bookings, cancellations, no-shows, midpoint review, closing and three-party follow-up as
marks of distinct shapes (colour is never the only carrier: every mark and band has a
`<title>`, and the legend names each shape).

Plain SVG written here: a few rectangles, paths and texts need no drawing library, and
the page it goes into must hold no script and load nothing (so no browser at run time).
Each mark is a ``<g class="mark mark-KIND">``, which tests count through the DOM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from html import escape

from coachflow._engagement import Engagement
from coachflow._values.enums import Phase
from coachflow._values.events import Closed, FollowUpHeld, MidpointReviewBegun
from coachflow._values.i18n import current_locale, t, tn
from coachflow._values.names import name
from coachflow._values.wording import BABEL_LOCALES, date_words, moment_words

__all__ = ["MARKS", "timeline_svg"]

_Scale = Callable[[dt.date], float]

WIDTH, LEFT, RIGHT = 960, 24, 24
BAND_TOP, BAND_HEIGHT, MARKS_Y, AXIS_Y, LEGEND_Y = 34, 36, 104, 134, 172
HEIGHT = 200

#: The phases' fills (light, so that marks stand out; each band is also labelled).
PHASE_FILLS = {
    Phase.AGREEMENT: "#e8e4f3",
    Phase.ACTIVE: "#dcefe0",
    Phase.MIDPOINT_REVIEW: "#fdf0c9",
    Phase.PAUSED: "#e6e6e6",
    Phase.CLOSING: "#d9e8f6",
    Phase.FOLLOW_UP: "#f8dfd2",
    Phase.COMPLETED: "#cfe3d3",
    Phase.TERMINATED: "#f2d0d0",
}

#: Each kind of mark: its shape (an SVG path around 0,0) and colour.
MARKS: dict[str, tuple[str, str]] = {
    "session": ("M -6 0 A 6 6 0 1 0 6 0 A 6 6 0 1 0 -6 0 Z", "#1b6e3a"),
    "booking": ("M -5 -5 H 5 V 5 H -5 Z", "none"),
    "cancellation": ("M -5 -5 L 5 5 M 5 -5 L -5 5", "none"),
    "no_show": ("M 0 -7 L 6 5 H -6 Z", "#b3261e"),
    "midpoint": ("M 0 -8 L 8 0 L 0 8 L -8 0 Z", "#a06a00"),
    "closing": ("M -2 8 V -8 L 8 -4 L -2 0", "#1f4e8c"),
    "follow_up": ("M 0 -8 L 2.4 -2.5 L 8 -2.5 L 3.5 1 L 5 7 L 0 3.5 L -5 7 L -3.5 1 "
                  "L -8 -2.5 L -2.4 -2.5 Z", "#7a2e8f"),
}  # fmt: skip
_STROKES = {"booking": "#1b6e3a", "cancellation": "#5f5f5f", "closing": "#1f4e8c"}


def _legend_words() -> dict[str, str]:
    return {
        "session": t("session held"),
        "booking": t("open booking"),
        "cancellation": t("cancellation"),
        "no_show": t("no-show"),
        "midpoint": t("midpoint review"),
        "closing": t("closing"),
        "follow_up": t("three-party follow-up"),
    }


def timeline_svg(engagement: Engagement, today: dt.date) -> str:
    """*engagement* as an SVG timeline up to *today* (or its plan's end, if later), in
    the current locale."""
    first = engagement.day_of(engagement.events[0].at)
    last = max(today, engagement.day_of(engagement.events[-1].at))
    plan = engagement.plan()
    if plan is not None and not engagement.phase.is_terminal:
        last = max(last, plan.end)
    span = max(1, (last - first).days)

    def x(day: dt.date) -> float:
        return round(LEFT + (day - first).days / span * (WIDTH - LEFT - RIGHT), 1)

    title = t("Timeline of engagement {id}", id=engagement.id)
    summary = tn(
        "From {first} to {last}: {n} session held, now {phase}.",
        "From {first} to {last}: {n} sessions held, now {phase}.",
        len(engagement.sessions),
        first=date_words(first),
        last=date_words(last),
        phase=name(engagement.phase),
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="timeline-title timeline-desc" '
        f'class="timeline">',
        f'<title id="timeline-title">{escape(title)}</title>',
        f'<desc id="timeline-desc">{escape(summary)}</desc>',
    ]
    parts += _bands(engagement, last, x)
    parts += _ticks(first, last, x)
    parts += _marks(engagement, x)
    parts += _legend()
    parts.append("</svg>")
    return "\n".join(parts)


def _bands(engagement: Engagement, last: dt.date, x: _Scale) -> Iterator[str]:
    day_of, events = engagement.day_of, engagement.events
    starts = [(day_of(events[0].at), Phase.AGREEMENT)]
    starts += [(day_of(events[index].at), phase) for index, phase in engagement.phases_entered]
    for number, (begun, phase) in enumerate(starts):
        ended = starts[number + 1][0] if number + 1 < len(starts) else last
        left, right = x(begun), x(ended)
        width = max(right - left, 2.0)
        label = name(phase)
        span = t("{phase}: {first} to {last}", phase=label, first=date_words(begun),
                 last=date_words(ended))  # fmt: skip
        yield (
            f'<g class="band band-{phase.value}"><title>{escape(span)}</title>'
            f'<rect x="{left}" y="{BAND_TOP}" width="{width:.1f}" height="{BAND_HEIGHT}" '
            f'fill="{PHASE_FILLS[phase]}" stroke="#ffffff" stroke-width="1"/>'
        )
        if width > 8 * len(label):  # the name inside the band where it fits
            yield (
                f'<text x="{left + 4}" y="{BAND_TOP + 22}" font-size="12" '
                f'fill="#222">{escape(label)}</text>'
            )
        yield "</g>"


def _ticks(first: dt.date, last: dt.date, x: _Scale) -> Iterator[str]:
    from babel.dates import format_date

    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = max(1, -(-months // 12))  # at most about twelve labels
    yield f'<line x1="{LEFT}" y1="{AXIS_Y}" x2="{WIDTH - RIGHT}" y2="{AXIS_Y}" stroke="#888"/>'
    year, month = first.year, first.month
    for number in range(months + 1):
        day = dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        month += 1
        if day < first or day > last or number % every:
            continue
        pattern = "MMM y" if day.month == 1 or number < every else "MMM"
        label = format_date(day, pattern, locale=BABEL_LOCALES[current_locale()])
        yield (
            f'<line x1="{x(day)}" y1="{AXIS_Y - 4}" x2="{x(day)}" y2="{AXIS_Y + 4}" '
            f'stroke="#888"/><text x="{x(day)}" y="{AXIS_Y + 18}" font-size="11" '
            f'text-anchor="middle" fill="#333">{escape(label)}</text>'
        )


def _mark(kind: str, at: float, y: float, title: str) -> str:
    path, fill = MARKS[kind]
    stroke = _STROKES.get(kind, "#ffffff")
    width = 2 if kind in _STROKES else 1
    return (
        f'<g class="mark mark-{kind}" transform="translate({at} {y})">'
        f"<title>{escape(title)}</title>"
        f'<path d="{path}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/></g>'
    )


def _marks(engagement: Engagement, x: _Scale) -> Iterator[str]:
    day_of, zone = engagement.day_of, engagement.time_zone
    words = _legend_words()

    def said(kind: str, moment: dt.datetime) -> str:
        return f"{words[kind]}: {moment_words(moment, zone)}"

    for session in engagement.sessions:
        yield _mark(
            "session", x(day_of(session.held_at)), MARKS_Y, said("session", session.held_at)
        )
    for booking in engagement.bookings:
        at = booking.starts_at
        yield _mark(
            "booking", x(day_of(at)), MARKS_Y - 18, said("booking", at) + f" ({booking.id})"
        )
    for cancellation in engagement.cancellations:
        at = cancellation.booking.starts_at
        yield _mark("cancellation", x(day_of(at)), MARKS_Y - 18, said("cancellation", at))
    for booking in engagement.no_shows:
        at = booking.starts_at
        yield _mark("no_show", x(day_of(at)), MARKS_Y, said("no_show", at))
    for event in engagement.events:
        kind = _EVENT_MARKS.get(type(event))
        if kind is not None:
            yield _mark(kind, x(day_of(event.at)), MARKS_Y + 18, said(kind, event.at))


_EVENT_MARKS = {MidpointReviewBegun: "midpoint", Closed: "closing", FollowUpHeld: "follow_up"}


def _legend() -> Iterator[str]:
    left = LEFT
    for kind, word in _legend_words().items():
        path, fill = MARKS[kind]
        stroke = _STROKES.get(kind, "#ffffff")
        yield (
            f'<g class="legend" transform="translate({left + 8} {LEGEND_Y})">'
            f'<path d="{path}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
            f'<text x="14" y="4" font-size="12" fill="#222">{escape(word)}</text></g>'
        )
        left += 30 + 7 * len(word)
