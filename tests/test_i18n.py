"""English and Swedish: complete catalogs, the same codes and params in both, and the
demo's whole timeline in Swedish."""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import string
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import given, settings

from builders import CLIENT, COACH, SPONSOR, START, active, agreement, at, days, opened, session
from coachflow import (
    LOCALES,
    ActionPlan,
    Agreement,
    Assignment,
    Attainment,
    Booking,
    Break,
    Engagement,
    Goal,
    Mode,
    Programme,
    Session,
    TransitionNotAllowed,
    speaking,
)
from coachflow._cli import main
from coachflow._rules.judging import CODES
from coachflow._values.i18n import LOCALE_DIR
from coachflow.testing import engagements

ROOT = Path(__file__).parent.parent


def catalog(locale: str) -> Catalog:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "coachflow.po").open("rb") as po:
        return read_po(po)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# -- the catalogs ------------------------------------------------------------------------------


def test_the_template_holds_every_message_of_the_source() -> None:
    extracted = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT),
            method_map=[("src/coachflow/**/*.py", "python")],
            keywords={"t": None, "N_": None, "tn": (1, 2)},
            # the private subpackages begin with "_", which babel skips by default
            directory_filter=lambda path: not Path(path).name.startswith("."),
        )
    }
    with (LOCALE_DIR / "coachflow.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert extracted == template, "run pybabel extract (see the how-to on messages)"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_catalog_is_complete_and_keeps_the_fields(locale: str) -> None:
    with (LOCALE_DIR / "coachflow.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    found = catalog(locale)
    assert not found.fuzzy
    messages = {m.id: m for m in found if m.id}
    assert set(messages) == template  # nothing missing, nothing obsolete
    for msgid, message in messages.items():
        assert "fuzzy" not in message.flags, f"{locale}: {msgid!r} is fuzzy"
        if isinstance(msgid, tuple):  # a plural message: every form filled, {n} or not
            forms = message.string
            assert isinstance(forms, tuple) and all(forms), f"{locale}: {msgid!r}"
            assert len(forms) == found.num_plurals, f"{locale}: {msgid!r}"
            allowed = fields(msgid[0]) | fields(msgid[1])
            for form in forms:
                assert fields(form) - {"n"} <= allowed - {"n"} <= fields(form), msgid
            continue
        assert message.string, f"{locale}: no translation of {msgid!r}"
        assert fields(str(message.string)) == fields(str(msgid)), f"{locale}: {msgid!r}"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_catalog_is_the_one_of_the_po_file(locale: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog(locale))
    mo = LOCALE_DIR / locale / "LC_MESSAGES" / "coachflow.mo"
    assert mo.read_bytes() == compiled.getvalue(), "run pybabel compile (see the how-to)"


def test_swedish_uses_the_methods_own_terms() -> None:
    swedish = " ".join(str(m.string) for m in catalog("sv") if m.id)
    for term in (
        "coachingöverenskommelse",
        "mittavstämning",
        "avslut",
        "trepartssamtal",
        "måluppfyllelse",
        "handlingsplan",
        "uppstartsmöte",
    ):
        assert term in swedish.lower(), term


# -- every code, in both languages ----------------------------------------------------------------


def everything_at_once() -> tuple[Engagement, dt.date]:
    """An engagement that raises most codes as of the day returned."""
    eng = Engagement.open("e1", coach=COACH, client=CLIENT, at=at(START - days(7)))
    eng.agree(
        Agreement(Programme(6, sessions=2), START, (Goal("g1", "x"),), {Mode.DIGITAL}),
        at=at(START - days(7), 10),
        by="coach",
    )
    homework = (Assignment("a1", "practise"),)
    eng.record_session(session(START, 40, Mode.PHONE, homework=homework), at=at(START, 12), by="coach")  # fmt: skip
    eng.record_session(session(START + days(1), reviewed=("zz",)), at=at(START + days(1), 12), by="coach")  # fmt: skip
    eng.record_session(session(START + days(1)), at=at(START + days(1), 13), by="coach")
    for n, day in enumerate((3, 5, 7)):
        eng.book_session(Booking(f"b{n}", at(START + days(day), 10), 60, Mode.DIGITAL), at=at(START + days(2)), by="client")  # fmt: skip
    eng.record_no_show("b0", at=at(START + days(3), 11), by="coach")
    eng.cancel_session("b1", at=at(START + days(5), 8), by="client", reason="ill")
    return eng, START + days(200)


def the_other_phases() -> tuple[Engagement, dt.date]:
    eng = Engagement.open("e2", coach=COACH, client=CLIENT, sponsor=SPONSOR, at=at(START - days(7)))  # fmt: skip
    eng.agree(agreement(6, follow_up=True), at=at(START - days(7), 10), by="coach")
    eng.begin_midpoint_review(at=at(START + days(2)), by="coach")
    eng.complete_midpoint_review(at=at(START + days(2), 10), by="coach")
    eng.begin_closing(at=at(START + days(3)), by="coach")
    eng.close(at=at(START + days(3), 10), by="coach", attainment=[Attainment("g1", 0), Attainment("g2", 1)], action_plan=ActionPlan(["Go on"]))  # fmt: skip
    eng.hold_follow_up(at=at(START + days(40)), by="coach", participants=["client", "sponsor"])
    return eng, START + days(50)


def the_method_as_written() -> tuple[Engagement, dt.date]:
    """Saturdays every other month, too few and too far apart, a session in a break, and
    a closing with neither scores nor an action plan."""
    eng = Engagement.open("e3", coach=COACH, client=CLIENT, at=at(START - days(7)))
    summer = Break(START + days(30), START + days(40))
    agreed = Agreement(
        Programme(3), START, (Goal("g1", "x"),), {Mode.DIGITAL},
        rhythm="FREQ=MONTHLY;INTERVAL=2;BYDAY=1SA", breaks=(summer,),
    )  # fmt: skip
    eng.agree(agreed, at=at(START - days(7), 10), by="coach")
    eng.record_session(session(START + days(35)), at=at(START + days(35), 12), by="coach")
    eng.begin_closing(at=at(START + days(60)), by="coach")
    eng.close(at=at(START + days(60), 10), by="coach")
    return eng, START + days(70)


def test_every_code_has_an_english_and_a_swedish_message() -> None:
    seen: dict[str, tuple[str, str]] = {}
    behind = active()
    behind.record_session(session(START), at=at(START, 12), by="coach")
    proposed = opened()  # a proposal of consent the client has not confirmed
    proposed.agree(
        attrs.evolve(agreement(3), sponsor_sees={"goals"}), at=at(START - days(6)), by="coach"
    )
    scenarios = [
        everything_at_once(),
        the_other_phases(),
        the_method_as_written(),
        (proposed, START),
    ]
    for eng, today in [*scenarios, (behind, START + days(60))]:
        english, swedish = eng.check(today), eng.check(today, locale="sv")
        assert [(f.code, f.params, f.on, f.severity) for f in english] == [
            (f.code, f.params, f.on, f.severity) for f in swedish
        ]
        for in_english, in_swedish in zip(english, swedish, strict=True):
            seen[in_english.code] = (in_english.message, in_swedish.message)
    assert set(seen) == set(CODES)
    for code, (en, sv) in seen.items():
        assert en and sv and en != sv, code


def test_next_actions_speak_both_and_share_codes_and_days() -> None:
    for eng, today in (everything_at_once(), (active(), START), the_other_phases()):
        english, swedish = eng.next_actions(today), eng.next_actions(today, locale="sv")
        assert [(a.code, a.due) for a in english] == [(a.code, a.due) for a in swedish]
        assert all(a.message != b.message for a, b in zip(english, swedish, strict=True))


@settings(max_examples=40, deadline=None)
@given(engagements())
def test_any_engagement_is_judged_alike_in_both_languages(engagement: Engagement) -> None:
    today = engagement.day_of(engagement.events[-1].at) + dt.timedelta(days=20)
    english, swedish = engagement.check(today), engagement.check(today, locale="sv")
    assert [(f.code, dict(f.params), f.on) for f in english] == [
        (f.code, dict(f.params), f.on) for f in swedish
    ]
    assert all(a.message != b.message for a, b in zip(english, swedish, strict=True))


@pytest.mark.parametrize("locale", ["de", "EN", "", None, "sv_SE"])
def test_another_locale_is_refused_naming_the_supported_ones(locale: object) -> None:
    with pytest.raises(ValueError, match=r"'locale' must be one of 'en', 'sv' \(got "):
        active().check(START, locale=locale)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'locale' must be one of"):
        active().next_actions(START, locale=locale)  # type: ignore[arg-type]


def test_refusals_speak_the_language_of_the_block() -> None:
    eng = active()
    with speaking("sv"), pytest.raises(TransitionNotAllowed) as caught:
        eng.hold_follow_up(at=at(START), by="coach", participants=[])
    assert str(caught.value).startswith("'hold_follow_up' är inte tillåtet i fasen pågående")
    with pytest.raises(TransitionNotAllowed, match="is not allowed in the active phase"):
        eng.hold_follow_up(at=at(START), by="coach", participants=[])  # English again after


# -- the command line and the demo --------------------------------------------------------------


def test_the_demo_prints_its_whole_timeline_in_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--locale", "sv"]) == 0
    out = capsys.readouterr().out
    for line in (
        "coachflow demo: metodens exempel på 6 månader, med trepartssamtal",
        "uppstartsmöte: coachingöverenskommelse, 6 månader från den 11 januari 2027",
        "mål g1: Led teammöten med lugn och fokus",
        "-> fas mittavstämning",
        "sent: mindre än 24 timmars varsel",
        "Måluppfyllelse (GAS T-värde): 59,13",
        "Handlingsplan",
        "  1. För beslutslogg i varje teammöte",
    ):
        assert line in out, line
    # no English sentence of the catalogs is left in it
    english = [str(m.id) for m in catalog("sv") if m.id and m.string != m.id]
    for msgid in english:
        words = re.split(r"\{[^}]*\}", msgid)
        for piece in words:
            if len(piece.strip()) >= 12:  # a sentence, not a word inside a code
                assert not re.search(rf"(?<![\w.]){re.escape(piece)}(?!\w)", out), piece


def test_the_cli_checks_in_swedish_and_refuses_other_locales(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from coachflow import to_json

    eng = active()
    eng.record_session(session(START, 40), at=at(START, 12), by="coach")
    path = tmp_path / "e.json"
    path.write_text(to_json(eng), encoding="utf-8")
    assert main(["check", str(path), "--today", "2027-01-12", "--locale", "sv"]) == 0
    out = capsys.readouterr().out
    assert "per den 12 januari 2027" in out
    assert "ett samtal på 40 minuter (normalt 60\u201390 minuter)" in out
    assert "nästa steg: " in out
    with pytest.raises(SystemExit) as caught:
        main(["check", str(path), "--locale", "de"])
    assert caught.value.code == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err


def test_an_error_line_in_swedish() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coachflow", "check", "missing.json", "--locale", "sv"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("coachflow: fel: ")
    assert "Traceback" not in result.stderr


def test_a_session_object_is_not_translated() -> None:
    # what people wrote stays as they wrote it
    eng = active()
    eng.record_session(
        Session(at(START), 75, Mode.DIGITAL, notes="Bra energi"), at=at(START, 12), by="coach"
    )
    with speaking("sv"):
        assert eng.sessions[0].notes == "Bra energi"


def test_no_message_hides_in_an_f_string() -> None:
    """The extractor does not look inside f-strings: a ``t("...")`` there would never
    reach the catalogs and stay English in every language."""
    hidden = []
    for path in sorted((ROOT / "src" / "coachflow").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in ("t", "tn")
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    hidden.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert hidden == []


def test_a_block_speaks_its_locale_and_leaves_the_one_before_whatever_happens() -> None:
    """`speaking` nests, may be entered again while entered, serves as a decorator (each
    call its own block, recursion too), and restores the locale after an exception; an
    unknown locale is refused at once, before any block."""
    from coachflow._values.i18n import current_locale

    swedish = speaking("sv")
    with swedish:
        with swedish, speaking("en"):
            assert current_locale() == "en"
        assert current_locale() == "sv"
    assert current_locale() == "en"
    seen: list[str] = []

    def fails() -> None:
        with swedish:
            seen.append(current_locale())
            raise KeyError("inside")

    with pytest.raises(KeyError):
        fails()
    assert seen == ["sv"] and current_locale() == "en"

    @speaking("sv")
    def spoken(depth: int) -> list[str]:
        return [current_locale(), *(spoken(depth - 1) if depth else [])]

    assert spoken(2) == ["sv", "sv", "sv"] and current_locale() == "en"

    import threading

    inside, first_left = threading.Barrier(2, timeout=5), threading.Event()
    entered: list[str] = []

    @speaking("sv")
    def meets(name: str) -> str:  # two threads inside the one decorated function at once
        entered.append(name)
        inside.wait()
        if entered[0] != name:
            first_left.wait(5)  # the first to come in goes out first: not in reverse order
        return current_locale()

    said: list[str] = []

    def run(name: str) -> None:
        try:
            said.append(meets(name))
        finally:
            if entered[0] == name:
                first_left.set()

    threads = [threading.Thread(target=run, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert said == ["sv", "sv"]
    with pytest.raises(ValueError, match="'locale' must be one of 'en', 'sv' \\(got 'de'\\)"):
        speaking("de")
