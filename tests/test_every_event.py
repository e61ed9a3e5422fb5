"""Every event reaches every output.

For every event class there is an engagement holding it (a scenario below; a new event
class without one fails the first test), and every output runs on every scenario: the
timeline (in both languages), ``check``, ``next_actions``, ``plan``, the calendar, each
party's view and its document, the sponsor's report, the portfolio report, both kinds
of document, every store's save, load, feed, erase and erase_party, and the CLI. The
kit and the default policy are held to every command too.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import itertools
import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import attrs
import icalendar
import pytest
from hypothesis import given, settings

import coachflow
from builders import START, active, at, close, closing, contracted, days, run_sessions
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
from coachflow._values.events import EVENT_TYPES, parties_in, parties_of
from coachflow.store import MemoryStore, SQLStore
from coachflow.testing import EngagementMachine, engagements
from coachflow.testing._entrypoint import strategies_by_type

ERASED_AT = dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC)  # when a request was met


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
    "contracted": contracted,
}
TODAY = {
    "demo": DEMO_TODAY,
    "detour": START + days(200),
    "skipped": START + days(400),
    "contracted": START + days(200),
}


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
    shown = report([engagement] * 5, today, for_sponsor=True, rng=0)
    assert shown.engagements is not None and shown.phases[engagement.phase] is not None


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_store_saves_feeds_and_erases_the_scenario(name: str, store: object) -> None:
    engagement = SCENARIOS[name]()
    assert isinstance(store, MemoryStore | SQLStore)
    store.save(engagement)
    assert store.load(engagement.id) == engagement
    kinds = [type(item.event) for item in store.feed(limit=100_000)]
    assert kinds == [type(event) for event in engagement.events]
    erased = store.erase_party(engagement.client.id, reason="request 1", at=ERASED_AT)
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


@pytest.mark.parametrize("name", SCENARIOS)
def test_parties_in_a_history_are_those_of_each_event(name: str) -> None:
    """`parties_in` (what a save indexes) skips the classes that cannot name a party:
    it finds what `parties_of` finds event by event, in order."""
    events = SCENARIOS[name]().events
    assert parties_in(events) == [p for event in events for p in parties_of(event)]


def test_every_command_is_a_method_of_the_engagement() -> None:
    for command in PROCESS_COMMANDS:
        assert callable(getattr(Engagement, command, None)), command


def test_every_event_class_is_in_the_union_and_records_one_command() -> None:
    def subclasses(kind: type[Event]) -> set[type[Event]]:
        found = set(kind.__subclasses__())
        return found.union(*(subclasses(k) for k in found))

    assert subclasses(Event) == set(EVENT_TYPES)
    assert sorted(kind.command for kind in EVENT_TYPES) == sorted(COMMANDS)


def test_every_command_is_in_the_changelog_and_the_process_explanation() -> None:
    root = Path(__file__).resolve().parent.parent
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    process = (root / "docs" / "explanation" / "process.md").read_text(encoding="utf-8")
    for command in PROCESS_COMMANDS:
        assert f"`{command}" in changelog, f"CHANGELOG.md names no `{command}`"
        assert f"`{command}" in process, f"docs/explanation/process.md names no `{command}`"


@pytest.mark.parametrize(
    "kind",
    sorted((k for k in strategies_by_type() if attrs.has(k)), key=lambda k: str(k)),
    ids=lambda k: k.__name__,
)
def test_the_strategies_vary_every_field(kind: type) -> None:
    seen: dict[str, set[str]] = {field.name: set() for field in attrs.fields(kind)}

    events = kind in EVENT_TYPES  # each built from a whole history: fewer suffice

    @settings(max_examples=60 if events else 300, database=None, deadline=None, derandomize=True)
    @given(strategies_by_type()[kind])
    def collect(value: object) -> None:
        for name in seen:
            seen[name].add(repr(getattr(value, name)))

    collect()
    assert [name for name, values in seen.items() if len(values) < 2] == []


def _attribute_docs(kind: type) -> set[str]:
    """The fields *kind*'s own source documents with a docstring under the field."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(kind)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    return {
        a.target.id
        for a, b in itertools.pairwise(body)
        if isinstance(a, ast.AnnAssign)
        and isinstance(a.target, ast.Name)
        and isinstance(b, ast.Expr)
        and isinstance(b.value, ast.Constant)
        and isinstance(b.value.value, str)
    }


def _undocumented(kind: type) -> list[str]:
    documented = set().union(*(_attribute_docs(k) for k in kind.__mro__ if attrs.has(k)))
    text = inspect.getdoc(kind) or ""
    return [
        field.name
        for field in attrs.fields(kind)
        if field.name not in documented and f"{field.name}:" not in text
    ]


PUBLIC_CLASSES = [
    value
    for name in coachflow.__all__
    if inspect.isclass(value := getattr(coachflow, name)) and attrs.has(value)
]


@pytest.mark.parametrize("kind", PUBLIC_CLASSES, ids=lambda k: k.__name__)
def test_every_field_of_every_public_class_is_documented(kind: type) -> None:
    assert _undocumented(kind) == [], "document the field where it is declared"


def test_an_undocumented_field_is_found() -> None:
    @attrs.frozen
    class Half:
        kept: int
        """Documented."""
        forgotten: int

    assert _undocumented(Half) == ["forgotten"]
