"""Formats evolve: documents and stores of every earlier version load forever.

The golden files in ``tests/golden/v1`` were written by coachflow 0.1 and are never
edited. Each new format version adds its own folder of golden files here.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from coachflow import (
    DEFAULT_POLICY,
    FORMAT_VERSION,
    Engagement,
    InvalidDocument,
    Role,
    from_dict,
    from_json,
    to_dict,
)
from coachflow._documents.loaders import DECODERS, SOURCE
from coachflow._documents.upcast import (
    UPCASTS,
    V4_POLICY,
    added_field,
    upcast_events,
    v8_grants,
    version_problem,
)
from coachflow.store import SCHEMA_VERSION, SQLStore
from coachflow.store._records import StoredEvent

GOLDEN = Path(__file__).parent / "golden"
V1 = sorted((GOLDEN / "v1").glob("*.json"))
EVERY = sorted(GOLDEN.glob("v*/*.json"))  # every past version's golden documents
STORES = sorted(GOLDEN.glob("v*/store-schema-*.sqlite"))
EVENT_TYPES = set(DECODERS)

ERASED_AT = dt.datetime(2027, 12, 1, 9, tzinfo=dt.UTC)  # when a request was met


def test_every_format_version_has_golden_documents_and_a_store() -> None:
    versions = {json.loads(p.read_text())["format_version"] for p in EVERY}
    assert versions == set(range(1, FORMAT_VERSION + 1))
    assert len(STORES) == SCHEMA_VERSION


@pytest.mark.parametrize("path", EVERY, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_golden_document_loads_both_ways_and_saves_as_its_upcast(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    original = json.loads(text)
    assert from_json(text) == from_dict(json.loads(text))
    version = original["format_version"]
    expected = {
        **original,
        "format_version": FORMAT_VERSION,
        "events": upcast_events(original["events"], version),
    }
    assert to_dict(from_json(text)) == expected


def test_the_golden_documents_cover_every_event_type() -> None:
    def types(paths: list[Path]) -> set[str]:
        return {e["type"] for path in paths for e in json.loads(path.read_text())["events"]}

    assert types(EVERY) == EVENT_TYPES
    # version 1 already had every event type but the bookings' (new in version 4)
    bookings = {"session_booked", "session_rescheduled", "session_cancelled", "no_show_recorded"}
    assert bookings <= types(sorted((GOLDEN / "v4").glob("*.json")))
    contracting = {  # new in version 8
        "agreement_signed",
        "agreement_amended",
        "consent_given",
        "consent_withdrawn",
        "session_corrected",
        "session_voided",
        "no_show_voided",
        "coach_changed",
    }
    assert contracting <= types(sorted((GOLDEN / "v8").glob("*.json")))
    assert types(V1) == EVENT_TYPES - bookings - contracting
    assert all(json.loads(path.read_text())["format_version"] == 1 for path in V1)


@pytest.mark.parametrize("path", V1, ids=lambda p: p.stem)
def test_a_version_1_document_loads_both_ways_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = from_json(text)  # orjson and the generated loaders
    exact = from_dict(json.loads(text))  # json and the converter
    assert fast == exact
    assert fast.agreement is None or fast.agreement.time_zone == "UTC"
    assert fast.version == len(json.loads(text)["events"])


@pytest.mark.parametrize("path", V1, ids=lambda p: p.stem)
def test_a_version_1_document_saves_as_the_current_version(path: Path) -> None:
    original = json.loads(path.read_text(encoding="utf-8"))
    kept = copy.deepcopy(original)
    engagement = from_dict(original)
    assert original == kept  # loading never changes the caller's document
    saved = to_dict(engagement)
    assert saved["format_version"] == FORMAT_VERSION == 8
    assert from_dict(saved) == engagement
    for old, new in zip(original["events"], saved["events"], strict=True):
        if old["type"] == "agreed":
            old_programme = old["agreement"]["programme"]
            programme = {
                **old_programme,  # format 4: the allotment and notice
                "sessions": None,
                "cancellation_notice_hours": 24,
                "late_cancellation_counts": True,
            }
            if old_programme["midpoint_review"] is None:  # format 7: the old meaning
                programme["midpoint_review"] = old_programme["months"] >= 6
            assert new["agreement"] == {
                **old["agreement"],
                "time_zone": "UTC",  # format 2
                "rhythm": None,  # format 4
                "programme": programme,
                "sponsor_sees": [],  # format 6: no consent given
                "goals": [{**g, "levels": None} for g in old["agreement"]["goals"]],  # 7
                "breaks": [],  # format 7
                "signatories": ["coach"],  # format 8: the coach agreed alone
            }
        elif old["type"] == "midpoint_review_completed":
            revisions = [
                {**r, "goal": {**r["goal"], "levels": None}} if r["type"] == "add_goal" else r
                for r in old["revisions"]
            ]
            assert new == {**old, "revisions": revisions}  # format 7: no levels
        elif old["type"] == "paused":
            assert new == {**old, "until": None}  # format 3
        elif old["type"] == "session_recorded":
            session = {**old["session"], "coach_id": None}  # format 8: the coach then
            assert new == {**old, "booking_id": None, "session": session}  # format 4
        elif old["type"] == "opened":
            policy = {  # format 5: the default of its time; format 8: its new commands
                role: sorted([*commands, *v8_grants(V4_POLICY, role)])
                for role, commands in V4_POLICY.items()
            }
            assert new == {**old, "policy": policy}
        elif old["type"] == "terminated":
            assert new == {**old, "end_reason": "other"}  # format 8
        else:
            assert new == old


def test_a_version_1_document_gets_the_days_of_utc() -> None:
    # version 1 kept only offsets: its days are taken in UTC, the same live and loaded
    engagement = from_json((GOLDEN / "v1" / "sydney-terminated-in-review.json").read_text())
    assert engagement.agreement is not None and engagement.agreement.time_zone == "UTC"
    session = engagement.sessions[0]  # 2027-04-06 09:00 in Sydney is 04-05 23:00 in UTC
    assert session.held_at.isoformat() == "2027-04-06T09:00:00+10:00"
    assert engagement.day_of(session.held_at).isoformat() == "2027-04-05"
    assert from_json(json.dumps(to_dict(engagement))) == engagement


@pytest.mark.parametrize("golden", STORES, ids=lambda p: p.stem)
def test_a_golden_store_is_upgraded_and_its_rows_load(golden: Path, tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite"
    shutil.copy(golden, database)
    made_by = int(golden.parent.name[1:])  # the format version its rows were written in
    documents = [
        path
        for path in sorted(golden.parent.glob("*.json"))
        if "view" not in json.loads(path.read_text(encoding="utf-8"))  # stores keep no views
    ]
    with contextlib.closing(SQLStore(f"sqlite:///{database}")) as store:
        assert store.schema_version() == SCHEMA_VERSION
        for path in documents:
            document = json.loads(path.read_text(encoding="utf-8"))
            loaded = store.load(document["id"])
            assert loaded == from_dict(document)
            assert loaded.saved_version == loaded.version
        # a new event is written in the current format, beside the old rows
        engagement = store.load("sto-fold")
        engagement.terminate(at=engagement.events[-1].at, by="c", reason="moved abroad")
        store.save(engagement)
        assert store.load("sto-fold") == engagement
    with contextlib.closing(sqlite3.connect(database)) as connection:
        rows = connection.execute(
            "SELECT version, format_version FROM coachflow_events "
            "WHERE engagement_id = 'sto-fold' ORDER BY version"
        ).fetchall()
    # the golden store's rows keep the format they were written in; new rows are current
    assert rows == [(1, made_by), (2, made_by), (3, made_by), (4, FORMAT_VERSION)]


@pytest.mark.parametrize("golden", STORES, ids=lambda p: p.stem)
def test_an_upgraded_golden_store_finds_every_party_of_every_engagement(
    golden: Path, tmp_path: Path
) -> None:
    database = tmp_path / "old.sqlite"
    shutil.copy(golden, database)
    expected: dict[str, set[str]] = {}
    for path in sorted(golden.parent.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if "view" not in document:
            for party in from_dict(document).parties:
                expected.setdefault(party, set()).add(document["id"])
    with contextlib.closing(SQLStore(f"sqlite:///{database}")) as store:
        found = {
            party: {e.engagement_id for e in store.erase_party(party, reason="test", at=ERASED_AT)}
            for party in expected
        }
    assert found == expected


def test_a_row_of_a_newer_format_is_refused_by_name() -> None:
    from coachflow.store._mapper import Mapper

    text = (GOLDEN / "v1" / "utc-agreement.json").read_text()
    body = json.dumps(json.loads(text)["events"][0])
    with pytest.raises(InvalidDocument) as caught:
        Mapper().engagement("utc-1", [StoredEvent(1, body, FORMAT_VERSION + 1)])
    assert caught.value.errors == [
        f"engagement 'utc-1' version 1: format version {FORMAT_VERSION + 1} is newer than "
        f"this coachflow reads (1 to {FORMAT_VERSION}): upgrade coachflow"
    ]
    assert Mapper().engagement("utc-1", [StoredEvent(1, body, 1)]).id == "utc-1"


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        (1, None),
        (FORMAT_VERSION, None),
        (FORMAT_VERSION + 1, "is newer than this coachflow reads"),
        (0, "expected a format version from 1 to"),
        (1.0, "expected an integer format version (got 1.0)"),
        (True, "expected an integer format version (got True)"),
        ("2", "expected an integer format version (got '2')"),
    ],
)
def test_format_versions(version: object, problem: str | None) -> None:
    found = version_problem(version)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_a_newer_document_says_to_upgrade_both_ways() -> None:
    data = to_dict(from_json((GOLDEN / "v1" / "utc-agreement.json").read_text()))
    data["format_version"] = FORMAT_VERSION + 1
    message = f"format version {FORMAT_VERSION + 1} is newer than this coachflow reads"
    with pytest.raises(InvalidDocument, match=message):
        from_dict(data)
    with pytest.raises(InvalidDocument, match=message):
        from_json(json.dumps(data))


def test_every_version_has_its_upcast_step() -> None:
    assert sorted(UPCASTS) == list(range(1, FORMAT_VERSION))


def test_added_field_adds_only_where_it_belongs_and_copies() -> None:
    step = added_field("agreed", ("agreement", "programme"), "sessions", None)
    event = {"type": "agreed", "agreement": {"programme": {"months": 6}}}
    kept = copy.deepcopy(event)
    assert step(event) == {"type": "agreed", "agreement": {"programme": {"months": 6, "sessions": None}}}  # fmt: skip
    assert event == kept
    assert step({"type": "opened"}) == {"type": "opened"}  # another event type
    assert step({"type": "agreed", "agreement": 3}) == {"type": "agreed", "agreement": 3}
    present = {"type": "agreed", "agreement": {"programme": {"months": 6, "sessions": 9}}}
    assert step(present) is present  # a field already there is left alone
    assert "agreed: agreement.programme.sessions = None" in (step.__doc__ or "")


def test_upcasting_passes_what_is_not_an_object_to_the_loaders() -> None:
    assert upcast_events([1, "x", None], 1) == [1, "x", None]
    with pytest.raises(InvalidDocument, match=r"@ \$\.events\[0\]"):
        from_dict({"format": "coachflow.engagement", "format_version": 1, "id": "x", "events": [1]})  # fmt: skip


def test_the_generated_loaders_read_like_the_classes() -> None:
    # one function per value class, named for it, each checking the exact key count
    for name in ("Opened", "Agreement", "Programme", "Session", "SessionRecorded", "Closed"):
        assert f"def _load_{name}(data):" in SOURCE
    assert "if not (type(v1) is int and 1 <= v1 and v1 <= 1440): raise Unusual" in SOURCE
    assert all(callable(loader) for loader in DECODERS.values())


def test_a_loader_error_shows_the_generated_source_in_tracebacks() -> None:
    import linecache
    import traceback

    try:
        DECODERS["session_recorded"]({"type": "session_recorded"})
    except Exception as error:  # the shortcut refuses with any exception
        frames = traceback.extract_tb(error.__traceback__)
    source = frames[-1].filename
    assert source == "<coachflow generated loaders>"
    assert "def _load_SessionRecorded" in "".join(linecache.getlines(source))


def test_an_engagement_whose_agreement_lacks_a_zone_cannot_be_an_event() -> None:
    from coachflow import Agreed

    engagement = from_json((GOLDEN / "v1" / "stockholm-dst-fold-active.json").read_text())
    agreed = engagement.events[1]
    assert isinstance(agreed, Agreed)
    import attrs

    with pytest.raises(ValueError, match="must name its time_zone"):
        Agreed(
            at=agreed.at, by=agreed.by, agreement=attrs.evolve(agreed.agreement, time_zone=None)
        )
    assert Engagement.replay(engagement.events) == engagement


def test_the_policy_of_older_documents_is_the_default_of_their_time() -> None:
    # the default may change in a later coachflow; what older engagements ran under may not
    # (format 8 grants its new commands as the policy's own shape says: `v8_grants`)
    policy = to_dict(from_json((GOLDEN / "v4" / "utc-agreement.json").read_text()))["events"][0][
        "policy"
    ]
    for role, commands in V4_POLICY.items():
        assert set(policy[role]) == {*commands, *v8_grants(V4_POLICY, role)}
    # the default of format 7 is the default of format 8
    assert {role: set(commands) for role, commands in policy.items()} == {
        role.value: set(DEFAULT_POLICY[role]) for role in Role
    }
    assert from_dict({"format": "coachflow.engagement", "format_version": 5, "id": "utc-1", "events": [
        {**to_dict(from_json((GOLDEN / "v4" / "utc-agreement.json").read_text()))["events"][0],
         "policy": {"coach": ["open"], "client": [], "sponsor": []}}
    ]}).policy.coach == {"open", "sign_agreement"}  # fmt: skip


def test_a_document_keeps_its_own_policy_and_replays_with_it() -> None:
    path = GOLDEN / "v5" / "chicago-own-policy-client-records.json"
    engagement = from_json(path.read_text())
    assert "record_session" in engagement.policy.client
    assert {"correct_session", "void_session"} <= engagement.policy.client  # as it records
    assert engagement.policy.sponsor == {"sign_agreement"}  # nothing more: a signature only
    assert [e.by for e in engagement.events if e.command == "record_session"] == ["k", "k"]
    document = json.loads(path.read_text())
    document["events"][0]["policy"]["client"].remove("record_session")
    with pytest.raises(InvalidDocument, match="PermissionDenied: 'k' may not record_session"):
        from_dict(document)
