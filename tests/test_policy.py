"""Permission policies: immutable, recorded in the history, enforced live and on replay."""

from __future__ import annotations

import pytest

from builders import CLIENT, COACH, SPONSOR, START, agreement, at, days, session
from coachflow import (
    DEFAULT_POLICY,
    Engagement,
    InvalidDocument,
    PermissionDenied,
    Policy,
    Role,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from coachflow._values.commands import COMMANDS

CLIENT_RECORDS = Policy(
    {
        Role.COACH: DEFAULT_POLICY.coach,
        Role.CLIENT: DEFAULT_POLICY.client | {"record_session"},
    }
)


def test_the_default_policy_cannot_be_changed() -> None:
    with pytest.raises(AttributeError):
        DEFAULT_POLICY.client = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_POLICY.permissions[Role.CLIENT] = frozenset()  # type: ignore[index]
    with pytest.raises(AttributeError):
        DEFAULT_POLICY.client.add("agree")  # type: ignore[attr-defined]
    assert DEFAULT_POLICY[Role.SPONSOR] == {"sign_agreement", "change_coach", "terminate"}
    # the coach may do all but what is the client's alone: their consent
    assert DEFAULT_POLICY.coach == set(COMMANDS) - {"give_consent", "withdraw_consent"}


def test_a_policy_is_a_value() -> None:
    sponsor = {"sign_agreement", "change_coach", "terminate"}
    same = Policy(coach=DEFAULT_POLICY.coach, client=DEFAULT_POLICY.client, sponsor=sponsor)
    assert same == DEFAULT_POLICY
    assert hash(same) == hash(DEFAULT_POLICY)
    assert Policy(dict(DEFAULT_POLICY.permissions)) == DEFAULT_POLICY
    assert Policy({Role.COACH: {"open"}}).sponsor == frozenset()  # left out: nothing
    assert CLIENT_RECORDS.allows(Role.CLIENT, "record_session")
    assert not DEFAULT_POLICY.allows(Role.CLIENT, "record_session")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Policy({Role.COACH: {"fly"}}), ValueError, "'coach' names commands coachflow does not have: \\['fly'\\]"),
        (lambda: Policy({"coach": {"open"}}), TypeError, "'permissions' keys must be Roles"),  # type: ignore[dict-item]
        (lambda: Policy([Role.COACH]), TypeError, "'permissions' must be a mapping of Role"),  # type: ignore[arg-type]
        (lambda: Policy(client="pause"), TypeError, "expected a set of command names"),
    ],
)  # fmt: skip
def test_a_bad_policy_says_what_is_expected(make: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make()  # type: ignore[operator]


def _opened(policy: Policy) -> Engagement:
    eng = Engagement.open(
        "e", coach=COACH, client=CLIENT, sponsor=SPONSOR, at=at(START - days(7)), policy=policy
    )
    eng.agree(agreement(), at=at(START - days(7), 10), by="coach")
    return eng


def test_an_engagement_runs_under_its_own_policy_and_keeps_it() -> None:
    eng = _opened(CLIENT_RECORDS)
    assert eng.policy == CLIENT_RECORDS
    eng.record_session(session(START), at=at(START, 12), by="client")
    with pytest.raises(PermissionDenied, match="the sponsor may only issue: nothing"):
        eng.terminate(at=at(START, 13), by="sponsor", reason="budget")
    loaded = from_json(to_json(eng))
    assert loaded == eng
    assert loaded.policy == CLIENT_RECORDS
    assert Engagement.replay(eng.events) == eng
    assert to_dict(eng)["events"][0]["policy"]["client"] == sorted(CLIENT_RECORDS.client)


def test_the_default_engagement_refuses_what_another_policy_allows() -> None:
    eng = _opened(DEFAULT_POLICY)
    before = to_dict(eng)
    with pytest.raises(PermissionDenied, match="'client' may not record_session"):
        eng.record_session(session(START), at=at(START, 12), by="client")
    assert to_dict(eng) == before


def test_only_the_coach_opens_whatever_the_policy_it_brings_says() -> None:
    nobody_opens = Policy({Role.COACH: set(COMMANDS) - {"open"}})
    with pytest.raises(PermissionDenied, match="'coach' may not open"):
        Engagement.open("e", coach=COACH, client=CLIENT, at=at(START), policy=nobody_opens)
    # a policy comes with the command: it cannot authorise the one who opens
    client_opens = Policy({Role.COACH: COMMANDS, Role.CLIENT: COMMANDS})
    with pytest.raises(PermissionDenied, match="only the coach it is opened with may open"):
        Engagement.open(
            "e", coach=COACH, client=CLIENT, at=at(START), by="client", policy=client_opens
        )
    document = to_dict(Engagement.open("e", coach=COACH, client=CLIENT, at=at(START)))
    document["events"][0]["by"] = "client"
    with pytest.raises(InvalidDocument, match="only the coach it is opened with may open"):
        from_dict(document)  # nor does a document that says so
    with pytest.raises(TypeError, match="'policy' must be a Policy"):
        Engagement.open("e", coach=COACH, client=CLIENT, at=at(START), policy={})  # type: ignore[arg-type]
