"""Who sees what: every personal field declares it, views redact by it, the sponsor's
report follows the client's consent."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from builders import CLIENT, COACH, SPONSOR, START, at, days, session
from coachflow import (
    REDACTED,
    ActionPlan,
    Agreement,
    Attainment,
    Engagement,
    Goal,
    InvalidDocument,
    Mode,
    Programme,
    Role,
    Session,
    Visibility,
    from_dict,
    from_json,
    sponsor_report,
    to_dict,
    to_json,
)
from coachflow._privacy.views import erased, seer
from coachflow._values.events import EVENT_TYPES
from coachflow.store import MemoryStore
from coachflow.testing import engagements


def classes() -> list[type]:
    """Every value and event class a document can hold."""
    found: list[type] = []
    todo: list[type] = list(EVENT_TYPES)
    while todo:
        kind = todo.pop()
        if kind in found:
            continue
        found.append(kind)
        for hint in typing.get_type_hints(kind).values():
            for arg in (hint, *typing.get_args(hint), *(a for x in typing.get_args(hint) for a in typing.get_args(x))):  # fmt: skip
                if isinstance(arg, type) and attrs.has(arg):
                    todo.append(arg)
    return found


def text_fields(kind: type) -> list[str]:
    """The names of the fields of *kind* that hold text (for the declaration test)."""
    hints = typing.get_type_hints(kind)
    found: list[str] = []
    for field in attrs.fields(kind):
        hint = hints[field.name]
        args = typing.get_args(hint)
        if hint is str or str in args or any(str in typing.get_args(a) for a in args):
            found.append(field.name)
    return found


@pytest.mark.parametrize("kind", classes(), ids=lambda k: k.__name__)
def test_every_text_field_declares_who_may_see_it(kind: type) -> None:
    for name in text_fields(kind):
        field = attrs.fields_dict(kind)[name]
        assert "visibility" in field.metadata, (
            f"{kind.__name__}.{name} holds text but declares no visibility: add "
            "metadata=visible_to(...) or NOT_PERSONAL"
        )
        visibility = field.metadata["visibility"]
        assert visibility is None or isinstance(visibility, Visibility)


def test_the_declarations_the_docs_promise() -> None:
    notes = attrs.fields_dict(Session)["notes"].metadata
    assert notes["visibility"] is Visibility.COACH
    assert attrs.fields_dict(Goal)["statement"].metadata["consent"] == "goals"
    assert attrs.fields_dict(Attainment)["comment"].metadata["consent"] == "attainment"
    assert attrs.fields_dict(ActionPlan)["steps"].metadata["consent"] == "action_plan"


# -- views --------------------------------------------------------------------------------------


def consenting(*consents: str) -> Engagement:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, sponsor=SPONSOR, at=at(START - days(7)))
    eng.agree(
        Agreement(
            Programme(3, midpoint_review=False),
            START,
            (Goal("g1", "Speak up at the board", "times a month"),),
            {Mode.DIGITAL},
            practicalities="Tuesdays by video",
            expectations="Candour both ways",
            three_party_follow_up=True,
            sponsor_sees=frozenset(consents),
            signatories={Role.COACH, Role.CLIENT},
        ),
        at=at(START - days(7), 10),
        by="coach",
    )
    eng.sign_agreement(at=at(START - days(7), 11), by="client")  # the client's consent
    eng.record_session(session(START, notes="Slept badly; worried about the merger"), at=at(START, 12), by="coach")  # fmt: skip
    eng.begin_closing(at=at(START + days(80)), by="coach")
    eng.close(
        at=at(START + days(80), 10),
        by="coach",
        attainment=[Attainment("g1", 1, "Spoke up twice a month")],
        action_plan=ActionPlan(["Keep speaking up"]),
        celebration="Coffee with the team",
    )
    eng.hold_follow_up(at=at(START + days(100)), by="coach", participants=["client", "sponsor"], summary="All three agree it went well")  # fmt: skip
    return eng


def test_the_coach_sees_everything() -> None:
    eng = consenting()
    assert eng.seen_by("coach") == eng
    assert eng.seen_by("coach").view is None


def test_the_client_sees_all_but_the_coachs_notes() -> None:
    view = consenting().seen_by("client")
    assert view.view == "client"
    assert view.sessions[0].notes == REDACTED
    assert view.goals[0].statement == "Speak up at the board"
    assert view.agreement is not None and view.agreement.practicalities == "Tuesdays by video"


def test_the_sponsor_sees_names_dates_counts_and_what_was_consented() -> None:
    plain = consenting().seen_by("sponsor")
    assert plain.coach.name == "Anna Lind"
    assert plain.goals[0].statement == REDACTED
    assert plain.goals[0].measure == REDACTED
    assert plain.sessions[0].notes == REDACTED
    assert plain.sessions[0].minutes == 75  # durations, modes, dates: always
    text = to_json(plain)
    for secret in (
        "Speak up",
        "Slept badly",
        "Keep speaking up",
        "Spoke up",
        "Tuesdays",
        "Coffee",
    ):
        assert secret not in text
    assert "All three agree it went well" in text  # the follow-up's summary: every party's
    shown = consenting("goals", "action_plan").seen_by("sponsor")
    assert shown.goals[0].statement == "Speak up at the board"
    assert "Keep speaking up" in to_json(shown)
    assert "Spoke up twice a month" not in to_json(shown)  # attainment: not consented


def test_a_view_answers_the_queries_and_loads_back_as_itself() -> None:
    eng = consenting()
    view = eng.seen_by("sponsor")
    today = START + days(120)
    # without consent to attainment the sponsor's view holds no scores, and is judged so
    codes = [f.code for f in eng.check(today)]
    assert "gas.levels_undefined" in codes
    unscored = [c for c in codes if c != "gas.levels_undefined"] + ["closing.not_scored"]
    assert sorted(f.code for f in view.check(today)) == sorted(unscored)
    told = consenting("attainment")
    assert [f.code for f in told.seen_by("sponsor").check(today)] == [
        f.code for f in told.check(today)
    ]
    assert view.plan() == eng.plan()
    document = to_dict(view)
    assert document["view"] == "sponsor"
    assert from_dict(document) == view
    assert from_json(to_json(view)) == view
    assert from_json(to_json(view)) != eng  # a view is not the engagement


def test_a_view_refuses_commands_and_stores() -> None:
    view = consenting().seen_by("client")
    with pytest.raises(ValueError, match="'client''s view of the engagement"):
        view.terminate(at=at(START + days(200)), by="client", reason="x")
    with pytest.raises(ValueError, match="a store keeps the engagement itself"):
        MemoryStore().save(view)


def test_a_view_of_no_party_is_refused() -> None:
    with pytest.raises(ValueError, match="'hr' is not a party to this engagement"):
        consenting().seen_by("hr")
    document = to_dict(consenting())
    document["view"] = "hr"
    from coachflow import InvalidDocument

    with pytest.raises(InvalidDocument, match="'hr' is no party of the engagement"):
        from_dict(document)
    document["view"] = 5
    with pytest.raises(InvalidDocument, match="expected a party id"):
        from_dict(document)


def _hidden(value: Any, sees: Any, found: set[str]) -> None:
    """Every non-empty text in *value* that *sees* may not see."""
    if isinstance(value, tuple):
        for item in value:
            _hidden(item, sees, found)
        return
    if not attrs.has(type(value)):
        return
    for field in attrs.fields(type(value)):
        current = getattr(value, field.name)
        visibility = field.metadata.get("visibility")
        if isinstance(visibility, Visibility):
            if not sees(visibility, field.metadata.get("consent")):
                texts = current if isinstance(current, tuple) else (current,)
                found.update(text for text in texts if text)
        else:
            _hidden(current, sees, found)


@settings(max_examples=60, deadline=None)
@given(engagements())
def test_a_view_holds_no_text_its_party_may_not_see(engagement: Engagement) -> None:
    consents = engagement.consent  # the client's, in force now
    parties = [engagement.coach, engagement.client, engagement.sponsor]
    for party in (p for p in parties if p is not None):
        view = engagement.seen_by(party.id)
        sees = seer(party.role, consents)
        secrets: set[str] = set()
        visible: set[str] = set()
        for event in engagement.events:
            _hidden(event, sees, secrets)
        for event in view.events:
            _hidden(event, lambda v, c: False, visible)  # what the view still holds
        text = to_json(view)
        for secret in secrets - visible:
            assert json.dumps(secret)[1:-1] not in text, (party.role, secret)
        assert from_json(text) == view
        if party.role is Role.COACH:
            assert view == engagement


def _texts(value: Any) -> set[str]:
    """Every string a document holds."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_texts(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_texts(v) for v in value)) if value else set()
    return set()


@settings(max_examples=40, deadline=None)
@given(engagements())
def test_a_view_of_a_view_stays_a_view_of_what_both_may_see(engagement: Engagement) -> None:
    parties = [p.id for p in (engagement.coach, engagement.client, engagement.sponsor) if p]
    store = MemoryStore()
    for first in parties:
        once = engagement.seen_by(first)
        for second in parties:
            twice = once.seen_by(second)
            whole = first == second == engagement.coach.id
            assert (twice.view is None) == whole, (first, second)
            if whole:
                continue
            shown = _texts(to_dict(twice)["events"])
            allowed = _texts(to_dict(once)["events"]) & _texts(
                to_dict(engagement.seen_by(second))["events"]
            )
            assert shown - allowed <= {REDACTED}, (first, second, shown - allowed)
            with pytest.raises(ValueError, match="a store keeps the engagement itself"):
                store.save(twice)
            with pytest.raises(ValueError, match="view of the engagement"):
                twice.terminate(at=twice.events[-1].at, by=second, reason="x")
            assert from_json(to_json(twice)) == twice


# -- the sponsor's report ---------------------------------------------------------------------


def test_the_sponsor_report_follows_the_consent() -> None:
    plain = sponsor_report(consenting())
    assert (plain.sessions_held, plain.sessions_allotted, plain.sessions_forfeited) == (1, 6, 0)
    assert plain.closed_on == START + days(80)
    assert plain.follow_up_on == START + days(100)
    assert (plain.goals, plain.attainment, plain.gas_t_score, plain.action_plan) == (None,) * 4
    full = sponsor_report(consenting("goals", "attainment", "action_plan"))
    assert full.goals is not None and full.goals[0].statement == "Speak up at the board"
    assert full.attainment is not None and full.attainment[0].comment == "Spoke up twice a month"
    assert full.gas_t_score == pytest.approx(60.0, abs=0.01)
    assert full.action_plan == ActionPlan(["Keep speaking up"])


def test_no_sponsor_no_report() -> None:
    eng = Engagement.open("e", coach=COACH, client=CLIENT, at=at(START))
    with pytest.raises(ValueError, match="has no sponsor"):
        sponsor_report(eng)
    with pytest.raises(TypeError, match="must be an Engagement"):
        sponsor_report("e")  # type: ignore[arg-type]


def test_a_consent_names_only_what_may_be_shown() -> None:
    with pytest.raises(ValueError, match="'sponsor_sees' may name only 'goals', 'attainment', 'action_plan'"):  # fmt: skip
        Agreement(Programme(3), START, (Goal("g", "x"),), {Mode.PHONE}, sponsor_sees={"notes"})


def test_a_view_keeps_what_people_wrote_when_they_may_see_it() -> None:
    eng = consenting("goals")
    client_view = eng.seen_by("client")
    seen = client_view.sessions[0]
    assert (seen.minutes, seen.mode, seen.notes) == (75, Mode.IN_PERSON, REDACTED)


def test_the_docs_table_is_the_declarations() -> None:
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "explanation" / "privacy.md").read_text()
    rows = set()
    for kind in classes():
        for field in attrs.fields(kind):
            visibility = field.metadata.get("visibility")
            if isinstance(visibility, Visibility):
                consent = field.metadata.get("consent")
                shown = f"`{consent}`" if consent else "—"
                rows.add(f"| `{kind.__name__}.{field.name}` | {visibility.name} | {shown} |")
    table = {line for line in page.splitlines() if line.startswith("| `")}
    assert table == rows


def test_the_cli_shows_a_party_its_view(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coachflow._cli import main

    path = tmp_path / "e.json"
    path.write_text(to_json(consenting()), encoding="utf-8")
    calendar = tmp_path / "sponsor.ics"
    assert main(["ics", str(path), "--as", "sponsor", "-o", str(calendar)]) == 0
    text = calendar.read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in text and "Kim Berg" in text  # names: every party's
    capsys.readouterr()
    assert main(["check", str(path), "--as", "client", "--today", "2027-06-01"]) == 0
    assert capsys.readouterr().out.startswith("e: completed")
    with pytest.raises(SystemExit) as caught:
        main(["check", str(path), "--as", "hr"])
    assert caught.value.code == 2
    assert "'hr' is not a party to this engagement" in capsys.readouterr().err


# -- every output for the sponsor follows the consent in force ---------------------------------


def _sponsor_outputs(engagement: Engagement, sponsor: str) -> dict[str, str]:
    """Every output coachflow makes for the sponsor, as text."""
    from coachflow import event_to_dict, render, to_ics

    view = engagement.seen_by(sponsor)
    report = sponsor_report(engagement)
    events = [
        event_to_dict(e, for_party=sponsor, engagement=engagement) for e in engagement.events
    ]
    return {
        "view": to_json(view),
        "timeline": render(view),
        "timeline json": render(view, format="json"),
        "page": render(view, format="html"),
        "calendar": to_ics(view).decode("utf-8") if view.agreement is not None else "",
        "report": render(report, format="json"),
        "report text": render(report),
        "events": json.dumps(events, ensure_ascii=False),
    }


@settings(max_examples=25, deadline=None)
@given(engagements(sponsor=True))
def test_no_output_for_the_sponsor_holds_what_the_consent_in_force_does_not_cover(
    engagement: Engagement,
) -> None:
    assert engagement.sponsor is not None
    consents = engagement.consent  # the client's, in force now
    sees = seer(Role.SPONSOR, consents)
    secrets: set[str] = set()
    visible: set[str] = set()
    view = engagement.seen_by(engagement.sponsor.id)
    for event in engagement.events:
        _hidden(event, sees, secrets)
    for event in view.events:
        _hidden(event, lambda v, c: False, visible)  # the texts the view holds
    # coachflow's own words (a finding's "recorded twice") are no one's secret: what the
    # outputs of the same engagement with every text erased say
    blank = Engagement.replay(erased(engagement.events))
    own = " ".join(_sponsor_outputs(blank, engagement.sponsor.id).values())
    secrets = {s for s in secrets - visible if len(s) > 3 and s not in own}
    outputs = _sponsor_outputs(engagement, engagement.sponsor.id)
    for kind, text in outputs.items():
        for secret in secrets:
            escaped = json.dumps(secret, ensure_ascii=False)[1:-1]
            assert secret not in text and escaped not in text, (kind, secret)
    if "attainment" not in consents:  # no score of any kind
        assert view.gas_t_score is None
        assert all(not getattr(e, "attainment", ()) for e in view.events)
        report = sponsor_report(engagement)
        assert report.attainment is None and report.gas_t_score is None
        assert json.loads(outputs["timeline json"])["gas_t_score"] is None
        assert "GAS" not in outputs["timeline"] and "GAS" not in outputs["page"]
        for event in json.loads(outputs["events"]):
            assert event.get("attainment", []) == [], event["type"]


# -- REDACTED is written by views and erasure alone -------------------------------------------


def test_no_command_writes_the_mark_of_a_hidden_text() -> None:
    with pytest.raises(ValueError, match="'notes' must not be '\\[redacted\\]'"):
        session(START, notes=REDACTED)
    with pytest.raises(ValueError, match="must not be '\\[redacted\\]'"):
        ActionPlan([REDACTED])
    with pytest.raises(ValueError, match="'name' must not be '\\[redacted\\]'"):
        attrs.evolve(CLIENT, name=REDACTED)
    assert session(START, notes=f"a note about {REDACTED}").notes.startswith("a note")


def test_no_document_but_a_view_holds_the_mark_of_a_hidden_text() -> None:
    engagement = consenting()
    view = engagement.seen_by(SPONSOR.id)
    assert from_json(to_json(view)) == view  # a view's document holds it, and loads
    document = to_dict(view)
    del document["view"]  # the same texts, claimed as the engagement itself
    with pytest.raises(
        InvalidDocument, match=r"only a view's document may hold it @ \$\.events\[\d+\]"
    ):
        from_dict(document)
    with pytest.raises(InvalidDocument, match="only a view's document may hold it"):
        from_json(json.dumps(document))
    store = MemoryStore()
    store.save(engagement)
    store.erase(engagement.id, reason="request 1", at=at(START + days(200)))
    erased_copy = store.load(engagement.id)  # a store keeps what erasure left, and loads it
    assert erased_copy.client.name == REDACTED
    assert [item.kind for item in store.feed(limit=1000)][-1] == "erased"


@settings(max_examples=40, deadline=None)
@given(engagements(features={"coach_change", "amendment", "correction", "void_session"}))
def test_an_erased_history_replays_and_its_views_load(engagement: Engagement) -> None:
    blank = Engagement.replay(erased(engagement.events))  # what handlers derive from it too
    assert blank.phase is engagement.phase and blank.version == engagement.version
    for party in blank.parties:
        view = blank.seen_by(party)
        if view.view is None:  # the coach's: the erased engagement itself, no document
            with pytest.raises(InvalidDocument, match="only a view's document may hold it"):
                from_json(to_json(view))
        else:
            assert from_json(to_json(view)) == view
