"""The agreement as a contract: signatures, amendments, the client's consent, corrections
in the open, a change of coach, and endings by reason. Each new code raises in one test
and stays silent in another; each refusal leaves the document byte for byte as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from builders import (
    CLIENT,
    COACH,
    NEW_COACH,
    START,
    active,
    agreement,
    at,
    contracted,
    days,
    opened,
    run_sessions,
    session,
)
from coachflow import (
    Amendment,
    Booking,
    Break,
    EndReason,
    Engagement,
    Mode,
    Party,
    PermissionDenied,
    Phase,
    Role,
    RuleViolation,
    Session,
    Severity,
    TransitionNotAllowed,
    report,
    sponsor_report,
    to_ics,
    to_json,
)
from coachflow._outputs.timeline import timeline
from coachflow.store import MemoryStore, SQLStore
from coachflow.testing import engagements, sessions

THREE_WAY = frozenset({Role.COACH, Role.CLIENT, Role.SPONSOR})
AGREED_AT = at(START - days(7), 10)

ERASED_AT = dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC)  # when a request was met


def proposed(signatories: frozenset[Role] = THREE_WAY, **changes: Any) -> Engagement:
    """An engagement whose agreement the coach has signed (`agree`), awaiting the rest."""
    eng = opened()
    made = attrs.evolve(agreement(6, follow_up=True), signatories=signatories, **changes)
    eng.agree(made, at=AGREED_AT, by="coach")
    return eng


def signed(signatories: frozenset[Role] = THREE_WAY, **changes: Any) -> Engagement:
    eng = proposed(signatories, **changes)
    for hour, party in enumerate(eng.unsigned, start=11):
        eng.sign_agreement(at=at(START - days(7), hour), by=party.id)
    return eng


def refused(eng: Engagement, command: Callable[[], object], code: str) -> RuleViolation:
    """*command* is refused with *code*, and the engagement is as it was, byte for byte."""
    before = to_json(eng)
    with pytest.raises(RuleViolation) as caught:
        command()
    assert [f.code for f in caught.value.findings] == [code]
    assert caught.value.findings[0].severity is Severity.ERROR
    assert to_json(eng) == before
    return caught.value


def phase_of(eng: Engagement) -> Phase:
    return eng.phase  # read afresh: a command changes it


def codes(eng: Engagement, day: dt.date) -> list[str]:
    return [f.code for f in eng.check(day)]


# -- signatures -------------------------------------------------------------------------------


def test_a_three_way_agreement_begins_with_the_last_signature() -> None:
    eng = proposed()
    assert eng.phase is Phase.AGREEMENT
    assert [p.id for p in eng.unsigned] == ["client", "sponsor"]
    asks = [(a.code, a.party_id, a.due) for a in eng.next_actions(START - days(7))]
    assert asks == [
        ("agreement.sign", "client", START - days(7)),
        ("agreement.sign", "sponsor", START - days(7)),
    ]
    with pytest.raises(TransitionNotAllowed):  # no session before the agreement is in force
        eng.record_session(session(START), at=at(START, 12), by="coach")
    eng.sign_agreement(at=at(START - days(6), 9), by="client")
    assert eng.phase is Phase.AGREEMENT and [p.id for p in eng.unsigned] == ["sponsor"]
    eng.sign_agreement(at=at(START - days(5), 9), by="sponsor")
    assert phase_of(eng) is Phase.ACTIVE and not eng.unsigned
    assert dict(eng.signatures) == {
        "coach": AGREED_AT,
        "client": at(START - days(6), 9),
        "sponsor": at(START - days(5), 9),
    }
    assert "agreement.sign" not in [a.code for a in eng.next_actions(START)]
    assert eng.phase_since == START - days(5)


def test_the_coach_alone_signs_by_agreeing() -> None:
    eng = proposed(frozenset({Role.COACH}))
    assert eng.phase is Phase.ACTIVE and dict(eng.signatures) == {"coach": AGREED_AT}


def test_the_signatories_name_the_coach_and_a_sponsor_who_exists() -> None:
    with pytest.raises(ValueError, match=r"must include Role\.COACH"):
        attrs.evolve(agreement(), signatories=frozenset({Role.CLIENT}))
    eng = opened(sponsor=False)
    before = to_json(eng)
    three_way = attrs.evolve(agreement(), signatories=THREE_WAY)
    with pytest.raises(ValueError, match="no sponsor was named"):
        eng.agree(three_way, at=AGREED_AT, by="coach")
    assert to_json(eng) == before
    # nothing of the refused agreement is left behind (the state machine found this):
    # no agreement, no zone, no signature awaited, nothing to sign
    assert eng.agreement is None and eng.time_zone is None and eng.unsigned == ()
    refused(eng, lambda: eng.sign_agreement(at=AGREED_AT, by="coach"), "agreement.nothing_to_sign")


def test_a_party_who_is_no_signatory_may_not_sign() -> None:
    eng = proposed(frozenset({Role.COACH, Role.CLIENT}))
    error = refused(
        eng,
        lambda: eng.sign_agreement(at=at(START - days(6)), by="sponsor"),
        "agreement.not_a_signatory",
    )
    assert "'sponsor' is not a signatory" in str(error)
    eng.sign_agreement(at=at(START - days(6)), by="client")  # clean: the client is one
    assert eng.phase is Phase.ACTIVE


def test_a_signature_is_given_once() -> None:
    eng = proposed()
    refused(  # agree was the coach's signature
        eng,
        lambda: eng.sign_agreement(at=at(START - days(6)), by="coach"),
        "agreement.already_signed",
    )
    eng.sign_agreement(at=at(START - days(6)), by="client")
    refused(
        eng,
        lambda: eng.sign_agreement(at=at(START - days(6), 10), by="client"),
        "agreement.already_signed",
    )


def test_nothing_to_sign_before_the_agreement_or_once_it_is_in_force() -> None:
    eng = opened()
    refused(eng, lambda: eng.sign_agreement(at=at(START - days(7), 9), by="client"),
            "agreement.nothing_to_sign")  # fmt: skip
    eng = signed()
    refused(
        eng, lambda: eng.sign_agreement(at=at(START), by="client"), "agreement.nothing_to_sign"
    )


def test_the_calendar_shows_the_agreement_tentative_until_it_is_in_force() -> None:
    eng = proposed()
    entry = _agreement_entry(to_ics(eng))
    assert "STATUS:TENTATIVE" in entry and "awaiting Kim Berg, Mia Ek" in entry
    eng.sign_agreement(at=at(START - days(6)), by="client")
    eng.sign_agreement(at=at(START - days(5)), by="sponsor")
    entry = _agreement_entry(to_ics(eng))
    assert "STATUS:CONFIRMED" in entry and "awaiting" not in entry
    assert "signed by Kim Berg (client) on 2027-01-05" in entry


def _agreement_entry(calendar: bytes) -> str:
    text = calendar.decode().replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
    (entry,) = [e for e in text.split("BEGIN:VEVENT") if "eng-1-agreement@coachflow" in e]
    return entry


# -- amendments -------------------------------------------------------------------------------


def test_an_amendment_takes_effect_with_the_last_signature() -> None:
    eng = signed()
    change = Amendment(modes={Mode.DIGITAL, Mode.PHONE}, practicalities="Phone on Fridays")
    eng.amend_agreement(change, at=at(START), by="client")
    assert eng.pending_amendment == change
    assert eng.agreement is not None and Mode.PHONE not in eng.agreement.modes  # not yet
    assert [
        (a.code, a.party_id) for a in eng.next_actions(START) if a.code == "agreement.sign"
    ] == [
        ("agreement.sign", "coach"),
        ("agreement.sign", "sponsor"),
    ]
    assert "to sign the amendment" in eng.next_actions(START)[0].message
    eng.sign_agreement(at=at(START, 10), by="coach")
    eng.sign_agreement(at=at(START, 11), by="sponsor")
    assert eng.pending_amendment is None
    assert eng.agreement.modes == {Mode.DIGITAL, Mode.PHONE}
    assert eng.agreement.practicalities == "Phone on Fridays"
    assert [when for when, _ in eng.amendments_in_force] == [
        at(START - days(7), 12),
        at(START, 11),
    ]


def test_an_amendment_is_judged_from_its_instant() -> None:
    eng = signed(frozenset({Role.COACH}))
    phone = Mode.PHONE
    eng.record_session(session(START, mode=phone), at=at(START, 12), by="coach")
    eng.amend_agreement(
        Amendment(modes={Mode.IN_PERSON, phone}), at=at(START + days(7)), by="coach"
    )
    later = START + days(14)
    eng.record_session(session(later, mode=phone), at=at(later, 12), by="coach")
    off_mode = [f.on for f in eng.check(later) if f.code == "session.mode"]
    assert off_mode == [START]  # held by phone before phone was agreed; the later one is fine
    assert eng.agreement_at(at(START)) != eng.agreement_at(at(later))


def test_the_allotment_breaks_and_rhythm_are_amendable() -> None:
    eng = signed(frozenset({Role.COACH}), rhythm="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")
    eng.amend_agreement(Amendment(sessions=8), at=at(START), by="coach")
    assert eng.allocation.allotted == 8
    summer = Break(dt.date(2027, 5, 1), dt.date(2027, 5, 31))
    eng.amend_agreement(Amendment(breaks=(summer,)), at=at(START, 10), by="coach")
    plan = eng.plan()
    assert plan is not None and not [d for d in plan.sessions if summer.start <= d <= summer.end]
    eng.amend_agreement(Amendment(rhythm=""), at=at(START, 11), by="coach")
    assert eng.agreement is not None and eng.agreement.rhythm is None


def test_a_new_proposal_replaces_an_unsigned_one() -> None:
    eng = signed()
    eng.amend_agreement(Amendment(sessions=10), at=at(START), by="client")
    eng.amend_agreement(Amendment(sessions=14), at=at(START, 10), by="coach")
    assert eng.pending_amendment == Amendment(sessions=14)
    assert list(eng.pending_signatures) == ["coach"]


def test_an_empty_or_idle_amendment_is_refused() -> None:
    eng = signed()
    refused(
        eng, lambda: eng.amend_agreement(Amendment(), at=at(START), by="coach"), "amendment.empty"
    )
    same = Amendment(modes={Mode.IN_PERSON, Mode.DIGITAL})
    error = refused(eng, lambda: eng.amend_agreement(same, at=at(START), by="coach"),
                    "amendment.unchanged")  # fmt: skip
    assert error.findings[0].params["fields"] == ["modes"]
    eng.amend_agreement(Amendment(modes={Mode.DIGITAL}), at=at(START), by="coach")  # clean


def test_a_follow_up_needs_a_sponsor_in_an_amendment_too() -> None:
    eng = opened(sponsor=False)
    eng.agree(agreement(3), at=AGREED_AT, by="coach")
    refused(
        eng,
        lambda: eng.amend_agreement(
            Amendment(three_party_follow_up=True), at=at(START), by="coach"
        ),
        "agreement.sponsor_missing",
    )


def test_breaks_outside_the_series_are_a_value_error() -> None:
    eng = signed(frozenset({Role.COACH}))
    before = to_json(eng)
    late = Break(dt.date(2030, 1, 1), dt.date(2030, 1, 10))
    with pytest.raises(ValueError, match="break"):
        eng.amend_agreement(Amendment(breaks=(late,)), at=at(START), by="coach")
    assert to_json(eng) == before


# -- consent -------------------------------------------------------------------------------------


def test_consent_is_the_clients_to_give_and_withdraw() -> None:
    eng = signed(sponsor_sees=frozenset({"goals"}))
    assert eng.consent == {"goals"} and eng.consent_confirmed
    with pytest.raises(PermissionDenied):
        eng.give_consent({"attainment"}, at=at(START), by="coach")
    with pytest.raises(PermissionDenied):
        eng.withdraw_consent({"goals"}, at=at(START), by="sponsor")
    eng.give_consent({"attainment"}, at=at(START), by="client")
    eng.withdraw_consent({"goals"}, at=at(START, 10), by="client")
    assert eng.consent == {"attainment"}


def test_an_unknown_topic_is_a_value_error_naming_the_known_ones() -> None:
    eng = signed()
    with pytest.raises(ValueError, match="'goals', 'attainment', 'action_plan'"):
        eng.give_consent({"salary"}, at=at(START), by="client")


def test_consent_is_given_once_and_withdrawn_only_when_given() -> None:
    eng = signed(sponsor_sees=frozenset({"goals"}))
    refused(eng, lambda: eng.give_consent({"goals", "attainment"}, at=at(START), by="client"),
            "consent.already_given")  # fmt: skip
    refused(eng, lambda: eng.withdraw_consent({"attainment"}, at=at(START), by="client"),
            "consent.not_given")  # fmt: skip


def test_consent_needs_an_agreement() -> None:
    eng = opened()
    refused(eng, lambda: eng.give_consent({"goals"}, at=at(START - days(7)), by="client"),
            "consent.no_agreement")  # fmt: skip


def test_a_consent_the_client_never_signed_is_unconfirmed() -> None:
    coach_only = signed(frozenset({Role.COACH}), sponsor_sees=frozenset({"goals"}))
    assert coach_only.consent == frozenset() and not coach_only.consent_confirmed
    (finding,) = [f for f in coach_only.check(START) if f.code == "consent.unconfirmed"]
    assert finding.severity is Severity.WARNING
    assert coach_only.seen_by("sponsor").goals[0].statement != "Lead calm meetings"
    coach_only.give_consent({"goals"}, at=at(START), by="client")  # the client confirms it
    assert "consent.unconfirmed" not in codes(coach_only, START)
    assert coach_only.seen_by("sponsor").goals[0].statement == "Lead calm meetings"
    signed_by_client = signed(
        frozenset({Role.COACH, Role.CLIENT}), sponsor_sees=frozenset({"goals"})
    )
    assert "consent.unconfirmed" not in codes(signed_by_client, START)
    nothing_asked = signed(frozenset({Role.COACH}))
    assert "consent.unconfirmed" not in codes(nothing_asked, START)


def test_a_withdrawal_hides_earlier_texts_and_scores_from_the_sponsor() -> None:
    from builders import close

    eng = signed(sponsor_sees=frozenset({"goals", "attainment"}))
    day = run_sessions(eng, START, 3)
    eng.begin_closing(at=at(day + days(1)), by="coach")
    close(eng, day + days(2))
    shown = eng.seen_by("sponsor")
    assert shown.goals[0].statement == "Lead calm meetings" and shown.gas_t_score is not None
    eng.withdraw_consent({"goals", "attainment"}, at=at(day + days(3)), by="client")
    hidden = eng.seen_by("sponsor")
    assert hidden.goals[0].statement != "Lead calm meetings"
    assert hidden.gas_t_score is None
    assert "GAS" not in timeline(hidden, day + days(4))
    printed = sponsor_report(eng)
    assert printed.goals is None and printed.gas_t_score is None and printed.attainment is None


@settings(max_examples=40, deadline=None)
@given(engagements())
def test_no_output_for_the_sponsor_holds_what_the_consent_then_in_force_hides(
    engagement: Engagement,
) -> None:
    if engagement.sponsor is None:
        return
    for end in range(2, len(engagement.events) + 1):
        then = Engagement.replay(engagement.events[:end])
        view = then.seen_by(then.sponsor.id)  # type: ignore[union-attr]
        goals = [g.statement for g in then.goals]
        text = to_json(view)
        if "goals" not in then.consent:
            assert all(f'"{s}"' not in text for s in goals if s), then.consent
        if "attainment" not in then.consent:
            assert view.gas_t_score is None
            assert '"score"' not in text
        if "action_plan" not in then.consent:
            assert all(
                f'"{step}"' not in text
                for e in then.events
                for step in (getattr(getattr(e, "action_plan", None), "steps", None) or ())
            )


# -- corrections -------------------------------------------------------------------------------


def test_a_corrected_session_counts_in_the_original_ones_place() -> None:
    eng = signed(frozenset({Role.COACH}))
    eng.record_session(session(START, 30), at=at(START, 12), by="coach")
    assert "session.duration" in codes(eng, START)
    eng.correct_session(at(START, 10), session(START, 75), reason="it was 75 minutes",
                        at=at(START, 13), by="coach")  # fmt: skip
    assert [s.minutes for s in eng.sessions] == [75]
    assert "session.duration" not in codes(eng, START)
    assert eng.version == 4  # the original stays in the history
    text = timeline(eng, START)
    assert "it was 75 minutes" in text and "30 min" in text


def test_a_voided_session_counts_nowhere_and_reopens_its_booking() -> None:
    eng = signed(frozenset({Role.COACH}))
    eng.book_session(
        Booking("b1", at(START, 10), 60, Mode.IN_PERSON), at=at(START, 8), by="client"
    )
    eng.record_session(session(START), at=at(START, 12), by="coach", booking_id="b1")
    assert not eng.bookings
    eng.void_session(
        at(START, 10), reason="entered for the wrong client", at=at(START, 13), by="coach"
    )
    assert not eng.sessions and eng.allocation.held == 0
    assert [b.id for b in eng.bookings] == ["b1"]
    eng.cancel_session("b1", at=at(START, 14), by="client", reason="rebooking")  # like any booking
    assert not eng.bookings


def test_a_voided_no_show_gives_the_session_back() -> None:
    eng = signed(frozenset({Role.COACH}))
    eng.book_session(
        Booking("b1", at(START, 10), 60, Mode.IN_PERSON), at=at(START, 8), by="client"
    )
    eng.record_no_show("b1", at=at(START, 12), by="coach")
    assert eng.allocation.forfeited == 1
    eng.void_no_show("b1", reason="the coach was late", at=at(START, 13), by="coach")
    assert eng.allocation.forfeited == 0 and [b.id for b in eng.bookings] == ["b1"]


def test_corrections_name_what_they_correct() -> None:
    eng = signed(frozenset({Role.COACH}))
    eng.record_session(session(START), at=at(START, 12), by="coach")
    refused(eng, lambda: eng.void_session(at(START, 11), reason="x", at=at(START, 13), by="coach"),
            "session.unknown")  # fmt: skip
    refused(eng, lambda: eng.correct_session(at(START, 11), session(START), reason="x",
                                             at=at(START, 13), by="coach"),
            "session.unknown")  # fmt: skip
    refused(eng, lambda: eng.void_no_show("b9", reason="x", at=at(START, 13), by="coach"),
            "no_show.unknown")  # fmt: skip
    with pytest.raises(ValueError, match="reason"):
        eng.void_session(at(START, 10), reason="  ", at=at(START, 13), by="coach")
    eng.void_session(at(START, 10), reason="a mistake", at=at(START, 13), by="coach")  # clean


def test_a_record_is_corrected_after_the_end() -> None:
    eng = contracted()
    assert eng.phase is Phase.TERMINATED
    held = eng.sessions[-1].held_at
    eng.void_session(
        held, reason="never took place", at=eng.events[-1].at + days(1), by=NEW_COACH.id
    )
    assert eng.phase is Phase.TERMINATED and held not in [s.held_at for s in eng.sessions]


# -- a change of coach ---------------------------------------------------------------------------


def test_a_new_coach_takes_over_and_the_former_one_keeps_their_view() -> None:
    eng = signed(frozenset({Role.COACH}))
    eng.record_session(
        session(START, notes="Worried about the merger"), at=at(START, 12), by="coach"
    )
    handover = at(START + days(3))
    eng.change_coach(NEW_COACH, reason="Anna leaves the firm", at=handover, by="sponsor")
    assert eng.coach == NEW_COACH and dict(eng.former_coaches) == {"coach": handover}
    assert eng.coach_at(at(START)) == "coach" and eng.coach_at(handover) == NEW_COACH.id
    with pytest.raises(PermissionDenied):
        eng.record_session(session(START + days(7)), at=at(START + days(7), 12), by="coach")
    later = START + days(14)
    eng.record_session(
        session(later, notes="Delegated the report"), at=at(later, 12), by=NEW_COACH.id
    )
    assert [s.coach_id for s in eng.sessions] == ["coach", NEW_COACH.id]
    former = eng.seen_by("coach")
    assert next(s.notes for s in former.sessions) == "Worried about the merger"
    assert "Delegated the report" not in to_json(former)
    eng.correct_session(at(START, 10), session(START, 60), reason="an hour", at=at(later, 13),
                        by=NEW_COACH.id)  # fmt: skip
    assert eng.sessions[0].coach_id == "coach"  # still the session the former coach held


def test_sessions_name_their_coach_once_the_coach_has_changed() -> None:
    eng = signed(frozenset({Role.COACH}))
    eng.record_session(session(START), at=at(START, 12), by="coach")
    assert eng.sessions[0].coach_id is None  # the only coach so far: nothing to tell apart
    eng.change_coach(NEW_COACH, reason="r", at=at(START + days(3)), by="coach")
    assert eng.sessions[0].coach_id == "coach"
    late = session(START + days(2))  # entered after the handover, held before it
    eng.record_session(late, at=at(START + days(4)), by=NEW_COACH.id)
    assert [s.coach_id for s in eng.sessions] == ["coach", "coach"]
    with pytest.raises(ValueError, match="must name a coach of the engagement"):
        eng.record_session(
            attrs.evolve(session(START + days(5)), coach_id="client"),
            at=at(START + days(5), 12),
            by=NEW_COACH.id,
        )


@given(sessions())
def test_held_by_changes_the_coach_and_nothing_else(held: Session) -> None:
    assert held.held_by("coach-9") == attrs.evolve(held, coach_id="coach-9")
    assert held.held_by("coach-9").held_at.utcoffset() == held.held_at.utcoffset()
    for bad in ("", "  ", None, 5):
        with pytest.raises((TypeError, ValueError)):
            held.held_by(bad)  # type: ignore[arg-type]


def test_the_new_coach_is_a_coach_with_a_new_id() -> None:
    eng = signed(frozenset({Role.COACH}))
    before = to_json(eng)
    with pytest.raises(ValueError, match="role 'coach'"):
        eng.change_coach(Party("x", "X", Role.CLIENT), reason="r", at=at(START), by="coach")
    with pytest.raises(ValueError, match="new to the engagement"):
        eng.change_coach(Party(CLIENT.id, "Kim", Role.COACH), reason="r", at=at(START),
                         by="coach")  # fmt: skip
    assert to_json(eng) == before


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_stores_summarise_the_current_coach_and_erase_the_former(kind: str, tmp_path: Any) -> None:
    store = MemoryStore() if kind == "memory" else SQLStore(f"sqlite:///{tmp_path / 'c.db'}")
    eng = contracted()
    store.save(eng)
    assert [s.engagement_id for s in store.summaries(coach=NEW_COACH.id)] == ["eng-1"]
    assert store.summaries(coach=COACH.id) == []
    (erased,) = store.erase_party(COACH.id, reason="art. 17", at=ERASED_AT)
    assert erased.engagement_id == "eng-1"
    loaded = store.load("eng-1")
    assert COACH.name not in to_json(loaded)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_coach_who_hands_over_after_a_save_is_still_found(kind: str, tmp_path: Any) -> None:
    """The summary names the current parties; a coach who hands over in a later save is
    indexed apart in that save: `erase_party` finds every party, current or former."""
    store = MemoryStore() if kind == "memory" else SQLStore(f"sqlite:///{tmp_path / 'c.db'}")
    eng = active()
    store.save(eng)
    sponsor = eng.sponsor
    assert sponsor is not None
    for party in (eng.coach, eng.client, sponsor):
        assert store._recorder.engagements_of(party.id) == ["eng-1"]
    loaded = store.load("eng-1")
    loaded.change_coach(NEW_COACH, reason="moved", at=at(START, 12), by=loaded.coach.id)
    store.save(loaded)
    for party_id in (COACH.id, NEW_COACH.id, loaded.client.id, sponsor.id):
        assert store._recorder.engagements_of(party_id) == ["eng-1"], party_id
    assert store._recorder.engagements_of("nobody") == []
    (erased,) = store.erase_party(COACH.id, reason="art. 17", at=ERASED_AT)
    assert erased.engagement_id == "eng-1"
    assert COACH.name not in to_json(store.load("eng-1"))


# -- ending early, by reason -------------------------------------------------------------------


def test_reports_count_endings_by_reason() -> None:
    ended = []
    for reason in (EndReason.REFERRAL, EndReason.REFERRAL, EndReason.GOALS_MET):
        eng = signed(frozenset({Role.COACH}))
        eng.terminate(at=at(START), by="client", reason="as agreed", end_reason=reason)
        ended.append(eng)
    counted = report([*ended, signed(frozenset({Role.COACH}))], START)
    assert counted.endings[EndReason.REFERRAL] == 2
    assert counted.endings[EndReason.GOALS_MET] == 1
    assert set(counted.endings) == set(EndReason)
    assert ended[0].terminated is not None and ended[0].terminated.end_reason is EndReason.REFERRAL
    withheld = report(ended, START, for_sponsor=True, min_group=3)
    assert withheld.endings[EndReason.GOALS_MET] is None  # one person is not shown to a sponsor


def test_an_end_reason_is_an_end_reason() -> None:
    eng = signed(frozenset({Role.COACH}))
    with pytest.raises((TypeError, ValueError), match="EndReason"):
        eng.terminate(at=at(START), by="client", reason="x", end_reason="moved")  # type: ignore[arg-type]


def test_the_demo_is_a_three_way_contract() -> None:
    from coachflow._outputs.demo import demo_engagement

    demo = demo_engagement()
    assert demo.sponsor is not None
    assert set(demo.signatures) == {demo.coach.id, demo.client.id, demo.sponsor.id}


def test_a_series_is_not_shortened_past_an_agreed_break() -> None:
    summer = Break(dt.date(2027, 6, 1), dt.date(2027, 6, 30))
    eng = signed(frozenset({Role.COACH}), breaks=(summer,))  # six months from 11 January
    before = to_json(eng)
    with pytest.raises(ValueError, match="before the agreed break 2027-06-01 to 2027-06-30"):
        eng.extend(-2, at=at(START), by="coach")
    assert to_json(eng) == before
    eng.amend_agreement(Amendment(breaks=()), at=at(START), by="coach")
    eng.extend(-2, at=at(START, 10), by="coach")  # clean once the break is gone
    assert eng.end is not None and eng.end < summer.start
