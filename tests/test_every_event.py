"""Every event reaches every output.

For every event class there is an engagement holding it (a scenario below; a new event
class without one fails the first test), and every output runs on every scenario: the
timeline (in both languages), ``check``, ``next_actions``, ``plan``, the calendar, each
party's view and its document, the sponsor's report, the portfolio report, both kinds
of document, every store's save, load, feed, erase and erase_party, and the CLI. The
kit and the default policy are held to every command too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings

from builders import START, active, at, close, closing, days, run_sessions
from coachflow import (
    DEFAULT_POLICY,
    REDACTED,
    Booking,
    Engagement,
    Event,
    Mode,
    from_dict,
    from_json,
    report,
    sponsor_report,
    to_dict,
    to_ics,
    to_json,
)
from coachflow._cli import main
from coachflow._outputs.demo import DEMO_TODAY, demo_engagement
from coachflow._outputs.timeline import timeline
from coachflow._values.commands import COMMANDS, PROCESS_COMMANDS
from coachflow._values.events import EVENT_TYPES, parties_of
from coachflow.store import MemoryStore, SQLStore
from coachflow.testing import EngagementMachine, engagements


def _detour() -> Engagement:
    """Paused and resumed, extended, a booking left open, then terminated."""
    eng = active()
    day = run_sessions(eng, START, 3)
    eng.pause(at=at(day), by="client", reason="parental leave", until=day + days(30))
    eng.resume(at=at(day + days(28)), by="client")
    eng.extend(2, at=at(day + days(29)), by="coach")
    ahead = at(day + days(40))
    eng.book_session(
        Booking("b1", ahead, 60, Mode.DIGITAL), at=at(day + days(29), 10), by="client"
    )
    eng.terminate(at=at(day + days(45)), by="sponsor", reason="reorganisation")
    return eng


def _skipped() -> Engagement:
    """Closed, and the agreed three-party follow-up skipped."""
    eng, day = closing(follow_up=True)
    close(eng, day)
    eng.skip_follow_up(at=at(day + days(20)), by="coach", reason="the manager moved on")
    return eng


SCENARIOS: dict[str, Callable[[], Engagement]] = {
    "demo": demo_engagement,
    "detour": _detour,
    "skipped": _skipped,
}
TODAY = {"demo": DEMO_TODAY, "detour": START + days(200), "skipped": START + days(400)}


@pytest.mark.parametrize("kind", EVENT_TYPES, ids=lambda k: k.__name__)
def test_every_event_class_is_in_a_scenario(kind: type[Event]) -> None:
    holding = [
        name for name, make in SCENARIOS.items() if any(type(e) is kind for e in make().events)
    ]
    assert holding, f"add a scenario holding a {kind.__name__} to SCENARIOS in this file"


def _dated_lines(text: str) -> list[str]:
    timeline_part = text.split("\n\n")[1]  # after the heading and the parties
    return [line for line in timeline_part.splitlines() if re.match(r"\d{4}-\d{2}-\d{2}  ", line)]


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_query_and_export_takes_the_scenario(name: str) -> None:
    engagement, today = SCENARIOS[name](), TODAY[name]
    for locale in ("en", "sv"):
        text = timeline(engagement, today, locale=locale)
        assert len(_dated_lines(text)) == engagement.version  # a line for every event
        engagement.check(today, locale=locale)
        engagement.next_actions(today, locale=locale)
    plan = engagement.plan()
    assert plan is not None and plan.sessions
    calendar = icalendar.Calendar.from_ical(to_ics(engagement))
    assert calendar.walk("VEVENT")
    assert from_json(to_json(engagement)) == engagement
    assert from_dict(to_dict(engagement)) == engagement
    for party in engagement.parties:
        view = engagement.seen_by(party)
        assert view.version == engagement.version and view.phase is engagement.phase
        assert from_json(to_json(view)) == view
        timeline(view, today)
        view.check(today)
    if engagement.sponsor is not None:
        assert sponsor_report(engagement).phase is engagement.phase
    assert report([engagement], today).phases[engagement.phase] == 1
    assert report([engagement] * 3, today, for_sponsor=True).engagements == 3


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_store_saves_feeds_and_erases_the_scenario(name: str, store: object) -> None:
    engagement = SCENARIOS[name]()
    assert isinstance(store, MemoryStore | SQLStore)
    store.save(engagement)
    assert store.load(engagement.id) == engagement
    kinds = [type(item.event) for item in store.feed(limit=100_000)]
    assert kinds == [type(event) for event in engagement.events]
    erased = store.erase_party(engagement.client.id, reason="request 1")
    assert [e.engagement_id for e in erased] == [engagement.id]
    loaded = store.load(engagement.id)
    assert loaded.phase is engagement.phase and loaded.version == engagement.version
    assert loaded.client.name == REDACTED


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_command_line_takes_the_scenario(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engagement, today = SCENARIOS[name](), TODAY[name].isoformat()
    path = tmp_path / "engagement.json"
    path.write_text(to_json(engagement), encoding="utf-8")
    runs = [["check", str(path), "--today", today], ["ics", str(path)]]
    runs += [["check", str(path), "--today", today, "--as", p] for p in engagement.parties]
    for arguments in runs:
        code = main(arguments)
        out, err = capsys.readouterr()
        assert code in (0, 1), (arguments, err)  # 1: a finding is an error
        assert out and not err
    main(["check", str(path), "--today", today, "--format", "json", "--locale", "sv"])
    assert json.loads(capsys.readouterr().out)["version"] == engagement.version


def test_the_strategies_generate_every_event_class() -> None:
    seen: set[type[Event]] = set()

    @settings(max_examples=400, database=None, deadline=None, derandomize=True)
    @given(engagements())
    def collect(engagement: Engagement) -> None:
        seen.update(type(event) for event in engagement.events)

    collect()
    assert {kind.__name__ for kind in EVENT_TYPES} - {kind.__name__ for kind in seen} == set()


def test_the_state_machine_has_a_rule_for_every_command() -> None:
    rules = {name for name in dir(EngagementMachine) if name in PROCESS_COMMANDS}
    assert rules == set(PROCESS_COMMANDS)


def test_the_state_machine_issues_every_command() -> None:
    issued: set[str] = set()

    class Recording(EngagementMachine):
        def before_command(self, command: str, arguments: object) -> None:
            issued.add(command)

    Recording.TestCase.settings = settings(
        max_examples=60, stateful_step_count=60, database=None, deadline=None, derandomize=True
    )
    Recording.TestCase().runTest()
    assert issued == set(PROCESS_COMMANDS)


def test_the_default_policy_gives_every_command_a_line() -> None:
    granted = DEFAULT_POLICY.coach | DEFAULT_POLICY.client | DEFAULT_POLICY.sponsor
    assert granted == set(COMMANDS)  # and the module refuses to load a command without one


def test_parties_are_found_from_every_event() -> None:
    engagement = SCENARIOS["demo"]()

    found = {p.id for event in engagement.events for p in parties_of(event)}
    assert found == set(engagement.parties) == {"coach-anna", "client-kim", "manager-mia"}
