"""A report's figures as an SVG bar chart: engagements by phase, each bar labelled with
its phase and its count (colour is not the only carrier), each with a `<title>`."""

from __future__ import annotations

from html import escape

from coachflow._outputs.report import Report
from coachflow._outputs.svg import PHASE_FILLS
from coachflow._values.i18n import t
from coachflow._values.names import name

__all__ = ["report_chart"]

_WIDTH, _LABELS, _ROW = 720, 170, 26


def report_chart(report: Report) -> str:
    """The engagements of *report* by phase, as horizontal bars."""
    phases = list(report.phases.items())
    most = max((count or 0 for _, count in phases), default=0) or 1
    height = 30 + _ROW * len(phases)
    title = t("Engagements by phase")
    parts = [
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for row, (phase, count) in enumerate(phases):
        y = 10 + row * _ROW
        width = round((_WIDTH - _LABELS - 60) * (count or 0) / most, 1)
        label = name(phase)
        shown = t("withheld") if count is None else str(count)
        said = t("{phase}: {count}", phase=label, count=shown)
        parts.append(
            f'<g class="bar bar-{phase.value}"><title>{escape(said)}</title>'
            f'<text x="{_LABELS - 8}" y="{y + 16}" font-size="13" text-anchor="end" '
            f'fill="#222">{escape(label)}</text>'
            f'<rect x="{_LABELS}" y="{y}" width="{width}" height="{_ROW - 6}" '
            f'fill="{PHASE_FILLS[phase]}" stroke="#555" stroke-width="1"/>'
            f'<text x="{_LABELS + width + 6}" y="{y + 16}" font-size="13" '
            f'fill="#222">{escape(shown)}</text></g>'
        )
    parts.append(f"</svg><figcaption>{escape(title)}</figcaption></figure>")
    return "\n".join(parts)
