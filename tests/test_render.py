"""`render`: an engagement, a report and a sponsor's report as text, JSON and one
self-contained, accessible HTML page with a drawing, in both languages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from builders import START, active, at, closing, days, session
from coachflow import (
    Engagement,
    InvalidType,
    InvalidValue,
    render,
    report,
    sponsor_report,
)
from coachflow._cli import main
from coachflow._outputs.demo import DEMO_TODAY, demo_engagement
from coachflow._outputs.timeline import timeline
from coachflow.testing import engagements
from pages import expected_marks, read_page
from sentences import flaws


def _check_page(
    html: str, engagement: Engagement | None, locale: str, *, drawn: bool = True
) -> None:
    page = read_page(html)
    assert html.startswith("<!DOCTYPE html>")
    assert page.lang == locale
    assert page.tags["script"] == 0 and page.loads == []  # self-contained: runs, loads nothing
    assert page.tags["h1"] == 1
    assert page.tables == page.captions  # every table says what it holds
    assert page.tags["svg"] >= drawn and page.titles_in_svg >= drawn
    if engagement is not None:
        assert page.marks == expected_marks(engagement)
        assert page.tags["h2"] >= 2  # the timeline and the findings at least


def test_the_demo_as_text_is_its_timeline() -> None:
    demo = demo_engagement()
    assert render(demo, today=DEMO_TODAY) == timeline(demo, DEMO_TODAY)
    assert render(demo) == timeline(demo, DEMO_TODAY)  # the last event's day by default
    assert render(demo, locale="sv").startswith("Coachinguppdrag eng-2027-001")


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_the_demo_as_a_page_draws_every_mark(locale: str) -> None:
    demo = demo_engagement()
    html = render(demo, format="html", locale=locale)
    _check_page(html, demo, locale)
    assert expected_marks(demo)["session"] == 11 and expected_marks(demo)["no_show"] == 1
    words = ("Timeline", "Findings", "Planned vs actual", "Action plan")
    swedish = ("Tidslinje", "Iakttagelser", "Plan mot utfall", "Handlingsplan")
    for word in words if locale == "en" else swedish:
        assert f">{word}</h2>" in html


def test_the_demo_as_json_has_stable_keys() -> None:
    demo = demo_engagement()
    document = json.loads(render(demo, format="json"))
    assert list(document) == [
        "kind", "locale", "today", "id", "phase", "phase_name", "time_zone", "parties",
        "events", "plan", "findings", "next_actions", "gas_t_score",
    ]  # fmt: skip
    assert document["kind"] == "engagement" and document["today"] == "2027-08-23"
    assert len(document["events"]) == len(demo.events)
    assert [e["type"] for e in document["events"]][:2] == ["Opened", "Agreed"]
    assert document["events"][1]["text"][1] == "rhythm: every other Monday at 09:00"
    assert [f["code"] for f in document["findings"]] == [f.code for f in demo.check(DEMO_TODAY)]
    assert document["plan"]["sessions"][3] == {
        "number": 4, "planned": "2027-02-22", "actual": "2027-02-23", "difference": "+1 day",
    }  # fmt: skip
    swedish = json.loads(render(demo, format="json", locale="sv"))
    assert swedish["plan"]["sessions"][3]["difference"] == "+1 dag"
    assert swedish["phase"] == "completed" and swedish["phase_name"] == "slutfört"


@settings(max_examples=40)
@given(engagements())
def test_any_engagement_and_any_view_renders_in_every_format(engagement: Engagement) -> None:
    for shown in (engagement, engagement.seen_by(engagement.client.id)):
        for locale in ("en", "sv"):
            _check_page(render(shown, format="html", locale=locale), shown, locale)
            document = json.loads(render(shown, format="json", locale=locale))
            assert len(document["events"]) == len(shown.events)
            for event in document["events"]:
                for line in event["text"][:1]:
                    assert "{" not in line and "}" not in line, line
            text = render(shown, locale=locale)
            assert text.startswith(document["events"][0]["text"][0]) is False  # a heading
            for line in text.splitlines():
                assert "None" not in line.split("  ", 1)[0]


def test_a_report_and_a_sponsors_report_in_every_format() -> None:
    eng, day = closing(follow_up=True)
    eng.close(at=at(day, 15), by="coach", attainment=[], action_plan=None)
    found = report([eng, active(), active()], day + days(1))
    text = render(found)
    assert text.startswith("Report\n  engagements: 3\n")
    assert "    active" in text and "closed" not in text.splitlines()[1]
    document = json.loads(render(found, format="json"))
    assert document["kind"] == "report" and document["engagements"] == 3
    assert document["phases"]["active"] == 2 and document["phases"]["follow_up"] == 1
    html = render(found, format="html", locale="sv")
    _check_page(html, None, "sv")
    assert html.count('class="bar bar-') == len(found.phases)
    seen = sponsor_report(eng)
    said = render(seen)
    assert "goals: withheld" in said  # the client gave no consent: None, in words
    assert "mål: ej redovisat" in render(seen, locale="sv")
    assert json.loads(render(seen, format="json"))["goals"] is None
    _check_page(render(seen, format="html"), None, "en", drawn=False)
    for message in said.splitlines():
        assert flaws(message, "en") == [] or "GAS" in message, message


def test_wrong_arguments_are_refused_clearly() -> None:
    eng = active()
    with pytest.raises(
        InvalidValue, match=r"'format' must be one of text, json, html \(got 'pdf'\)"
    ):
        render(eng, format="pdf")
    with pytest.raises(InvalidValue, match="'locale' must be one of"):
        render(eng, locale="de")
    with pytest.raises(
        InvalidType, match="'obj' must be an Engagement, a Report or a SponsorReport"
    ):
        render("eng-1")  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="'today' must be a date"):
        render(eng, today="2027-01-11")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="'today' is for an engagement"):
        render(report([eng], START), today=START)


def test_the_command_line_writes_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/demo.db"
    page = tmp_path / "demo.html"
    assert main(["demo", "--db", url, "--html", str(page)]) == 0
    assert f"(the page is in {page})" in capsys.readouterr().out
    _check_page(page.read_text(encoding="utf-8"), demo_engagement(), "en")
    assert main(["timeline", "eng-2027-001", "--db", url, "--today", "2027-08-23"]) == 0
    assert capsys.readouterr().out == timeline(demo_engagement(), DEMO_TODAY)
    assert main(["timeline", "eng-2027-001", "--db", url, "--format", "json", "--as",
                 "manager-mia"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["id"] == "eng-2027-001"
    out = tmp_path / "sv.html"
    args = ["timeline", "eng-2027-001", "--db", url, "--format", "html", "--locale", "sv"]
    assert main([*args, "-o", str(out)]) == 0
    _check_page(out.read_text(encoding="utf-8"), demo_engagement(), "sv")
    assert main(["report", "--db", url, "--format", "html", "--today", "2027-09-01"]) == 0
    _check_page(capsys.readouterr().out, None, "en")
    with pytest.raises(SystemExit) as exited:
        main(["timeline", "eng-2027-001", "--db", url, "--format", "pdf"])
    assert exited.value.code == 2


def test_a_session_today_is_drawn_on_its_day() -> None:
    eng = active()
    eng.record_session(session(START), at=at(START, 12), by="coach")
    html = render(eng, format="html", today=START + dt.timedelta(days=1))
    assert html.count('class="mark mark-session"') == 1
    assert "session held: 11 January 2027 at 10:00" in html
