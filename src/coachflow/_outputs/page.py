"""An engagement as one self-contained HTML page: headings, the SVG timeline, tables with
captions, in the locale's words; no script, no remote resource, printable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from html import escape

from coachflow._engagement import Engagement
from coachflow._outputs.plan_table import plan_rows
from coachflow._outputs.svg import timeline_svg
from coachflow._outputs.timeline import entries
from coachflow._values.i18n import current_locale, t
from coachflow._values.names import name
from coachflow._values.wording import date_words, decimal_words, list_words

NONE = "\u2013"
"""What an empty cell shows: an en dash."""

__all__ = ["NONE", "STYLE", "engagement_page", "page"]

#: The page's only style: plain, readable on screen and on paper.
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1d1d1d; margin: 2rem auto;
       max-width: 64rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
td.day, th.day { white-space: nowrap; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figcaption { font-size: .9rem; color: #444; }
.severity-error { font-weight: 700; } .more { color: #444; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               tr, figure { break-inside: avoid; } }
"""


def page(title: str, body: Iterable[str]) -> str:
    """One self-contained HTML page in the current locale."""
    head = (
        f'<!DOCTYPE html>\n<html lang="{current_locale()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    )
    return head + "\n".join(body) + "\n</main>\n</body>\n</html>\n"


def _table(caption: str, headers: Iterable[str], rows: Iterable[tuple[str, ...]]) -> str:
    """A table of already escaped cells, the first column the row's header."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = list(row)
        body.append(
            f'<tr><th scope="row" class="day">{cells[0]}</th>'
            + "".join(f"<td>{cell}</td>" for cell in cells[1:])
            + "</tr>"
        )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def engagement_page(engagement: Engagement, today: dt.date) -> str:
    """*engagement* as a page as of *today*, in the current locale."""
    title = t("Engagement {id}", id=engagement.id)
    return page(title, _body(engagement, today, title))


def _body(engagement: Engagement, today: dt.date, title: str) -> Iterator[str]:
    parties = [engagement.coach, engagement.client]
    if engagement.sponsor is not None:
        parties.append(engagement.sponsor)
    yield f"<h1>{escape(title)}</h1>"
    said = list_words(f"{p.name} ({name(p.role)})" for p in parties)
    now = t("now: {phase}", phase=name(engagement.phase))
    yield f"<p>{escape(said)} · {escape(now)}</p>"
    caption = t("The engagement over time: phases as bands, events as marks.")
    yield (
        f"<figure>{timeline_svg(engagement, today)}<figcaption>{escape(caption)}"
        "</figcaption></figure>"
    )
    yield _h2(t("Timeline"))
    rows = (
        (
            escape(entry.day.isoformat()),
            escape(entry.lines[0])
            + "".join(f'<br><span class="more">{escape(line)}</span>' for line in entry.lines[1:]),
        )
        for entry in entries(engagement)
    )
    yield _table(t("Every event, in the order of time"), (t("day"), t("what happened")), rows)
    planned = plan_rows(engagement)
    if planned:
        yield _h2(t("Planned vs actual"))
        cells = (
            (
                str(number),
                escape(date_words(day)) if day else NONE,
                escape(date_words(actual)) if actual else NONE,
                escape(diff),
            )
            for number, day, actual, diff in planned
        )
        yield _table(
            t("Each planned session and what became of it"),
            ("#", t("planned"), t("actual"), t("difference")),
            cells,
        )
    yield from _judged(engagement, today)


def _judged(engagement: Engagement, today: dt.date) -> Iterator[str]:
    locale = current_locale()
    findings = engagement.check(today, locale=locale)
    yield _h2(t("Findings"))
    if findings:
        rows = (
            (
                escape(f.on.isoformat()) if f.on else NONE,
                f'<span class="severity-{f.severity.value}">{escape(name(f.severity))}</span>',
                f"<code>{escape(f.code)}</code>",
                escape(f.message),
            )
            for f in findings
        )
        caption = t(
            "Findings as of {today}: {count}", today=date_words(today), count=len(findings)
        )
        yield _table(caption, (t("day"), t("severity"), t("code"), t("finding")), rows)
    else:
        none = t("No findings as of {today}.", today=date_words(today))
        yield f"<p>{escape(none)}</p>"
    actions = engagement.next_actions(today, locale=locale)
    if actions:
        yield _h2(t("Next actions"))
        due = (
            (escape(a.due.isoformat()), f"<code>{escape(a.code)}</code>", escape(a.message))
            for a in actions
        )
        yield _table(t("What is due next"), (t("due"), t("code"), t("action")), due)
    closed = engagement.closed
    if closed is not None:
        yield _h2(t("Goal attainment"))
        score = engagement.gas_t_score
        yield (
            "<p>"
            + escape(
                t("Goal attainment: discussed, not scored")
                if score is None
                else t(
                    "GAS T-score {score} (50 = attained as expected)",
                    score=decimal_words(score, 2),
                )
            )
            + "</p>"
        )
        if closed.action_plan is not None:
            yield _h2(t("Action plan")) + "<ol>"
            yield "".join(f"<li>{escape(step)}</li>" for step in closed.action_plan.steps)
            yield "</ol>"
