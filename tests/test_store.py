"""The event stores: one suite, run against MemoryStore, SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys
from typing import Any

import attrs
import pytest
from sqlalchemy import delete, update
from sqlalchemy.pool import NullPool

from builders import START, active, at, days, in_phase, session
from coachflow import (
    ConcurrencyConflict,
    Engagement,
    InvalidDocument,
    Opened,
    Phase,
    TransitionNotAllowed,
)
from coachflow._outputs.demo import demo_engagement
from coachflow.store import SQLStore, StoreError, Summary, UnknownEngagement
from coachflow.store._mapper import dumps as encode
from coachflow.store._records import StoredEvent
from coachflow.store._tables import (
    MIGRATIONS,
    SCHEMA_VERSION,
    SchemaError,
    events_table,
    schema_table,
)

Store = Any  # MemoryStore | SQLStore


def test_save_then_load_gives_an_equal_engagement(store: Store) -> None:
    eng = demo_engagement()
    assert eng.saved_version == 0
    assert store.save(eng) == eng.version == 36
    assert eng.saved_version == 36
    loaded = store.load(eng.id)
    assert loaded == eng
    assert loaded.saved_version == 36
    assert loaded.phase is Phase.COMPLETED


def test_unusual_but_valid_rows_load_the_exact_way(store: Store) -> None:
    eng = active()
    rows = [StoredEvent(n, encode(event)) for n, event in enumerate(eng.events, start=1)]
    opened = json.loads(rows[0].body)
    del opened["sponsor"]  # optional: the converter takes its default, the fast way refuses
    eng = Engagement.replay([attrs.evolve(eng.events[0], sponsor=None), *eng.events[1:]])  # type: ignore[call-arg]
    rows[0] = StoredEvent(1, json.dumps(opened))
    store._recorder.write(eng.id, rows, 0, Summary.of(eng), erasures=0, parties=[])
    loaded = store.load(eng.id)
    assert loaded == eng
    assert loaded.saved_version == eng.version


def test_save_appends_only_what_is_new(store: Store) -> None:
    eng = active()
    store.save(eng)
    eng.record_session(session(START), at=at(START, 12), by="coach")
    eng.record_session(session(START + days(14)), at=at(START + days(14), 12), by="coach")
    assert store.save(eng) == 4
    assert store.save(eng) == 4  # nothing new: nothing written
    assert store.load(eng.id) == eng


def test_a_lost_race_is_a_conflict_and_writes_nothing(store: Store) -> None:
    store.save(active())
    first, second = store.load("eng-1"), store.load("eng-1")
    first.pause(at=at(START), by="coach", reason="illness")
    store.save(first)
    second.record_session(session(START), at=at(START, 12), by="coach")
    with pytest.raises(ConcurrencyConflict) as caught:
        store.save(second)
    assert (caught.value.expected, caught.value.actual) == (2, 3)
    assert store.load("eng-1") == first
    assert second.saved_version == 2


def test_a_stale_copy_without_changes_still_conflicts(store: Store) -> None:
    store.save(active())
    stale, fresh = store.load("eng-1"), store.load("eng-1")
    fresh.pause(at=at(START), by="coach", reason="illness")
    store.save(fresh)
    with pytest.raises(ConcurrencyConflict) as caught:
        store.save(stale)  # nothing to append: only the version check can tell
    assert (caught.value.expected, caught.value.actual) == (2, 3)
    assert str(caught.value) == (
        "engagement 'eng-1' changed underneath: expected version 2, found 3"
    )


def test_a_save_of_more_rows_than_one_insert_writes_them_all_in_order(store: Store) -> None:
    """A SQL store inserts at most `ROWS_PER_INSERT` rows a statement: a save of more
    writes them in several, all in one transaction, with their positions in order."""
    from coachflow.store._tables import ROWS_PER_INSERT

    eng = active()
    day = START
    while eng.version <= 2 * ROWS_PER_INSERT + 1:
        eng.record_session(session(day), at=at(day, 12), by="coach")
        day += days(1)
    store.save(eng)
    assert store.load(eng.id) == eng
    feed = store.feed(limit=10_000)
    assert [item.event for item in feed] == list(eng.events)
    assert [item.position for item in feed] == sorted(item.position for item in feed)


def test_two_new_engagements_with_one_id_conflict(store: Store) -> None:
    store.save(active())
    with pytest.raises(ConcurrencyConflict) as caught:
        store.save(in_phase(Phase.AGREEMENT))
    assert (caught.value.expected, caught.value.actual) == (0, 2)
    assert store.load("eng-1").version == 2


def test_an_unknown_id_is_a_key_error_naming_it(store: Store) -> None:
    with pytest.raises(KeyError) as caught:
        store.load("missing-7")
    assert isinstance(caught.value, UnknownEngagement)
    assert "missing-7" in str(caught.value)


def test_ids_filter_by_phase_and_due_date(store: Store) -> None:
    for number, phase in enumerate([Phase.ACTIVE, Phase.PAUSED, Phase.COMPLETED]):
        first, *rest = in_phase(phase).events
        assert isinstance(first, Opened)
        renamed = attrs.evolve(first, engagement_id=f"eng-{number}")
        store.save(Engagement.replay([renamed, *rest]))
    assert store.ids() == ["eng-0", "eng-1", "eng-2"]
    assert store.ids(phase=Phase.PAUSED) == ["eng-1"]
    assert store.ids(phase=Phase.MIDPOINT_REVIEW) == []
    assert store.ids(due_by=START) == ["eng-0"]  # the first session is due on the start
    assert store.ids(due_by=START + days(400)) == ["eng-0", "eng-1"]  # completed: nothing due


def test_summary_of_an_engagement() -> None:
    eng = active()
    summary = Summary.of(eng)
    assert summary == Summary(
        "eng-1", 2, Phase.ACTIVE, START, dt.date(2027, 7, 11), START, "coach", "client", "sponsor"
    )
    assert Summary.of(in_phase(Phase.COMPLETED)).next_due is None


def test_append_checks_the_events_against_the_rules(store: Store) -> None:
    eng = active()
    assert store.append(eng.id, eng.events, 0) == 2
    later = store.load(eng.id)
    later.pause(at=at(START), by="client", reason="illness")
    assert store.append(eng.id, later.events[2:], 2) == 3
    with pytest.raises(ConcurrencyConflict):
        store.append(eng.id, later.events[2:], 2)
    with pytest.raises(TransitionNotAllowed):  # paused: a second pause is impossible
        store.append(eng.id, later.events[2:], 3)
    assert store.load(eng.id).version == 3
    with pytest.raises(ValueError, match="belong to 'eng-1', not 'other'"):
        store.append("other", eng.events, 0)


# -- SQL only -----------------------------------------------------------------------------


def _damage(sql: SQLStore, version: int, **values: Any) -> None:
    with sql.engine.begin() as connection:
        connection.execute(
            update(events_table).where(events_table.c.version == version).values(**values)
        )


def test_a_row_of_bad_json_names_the_engagement_and_version(sql: SQLStore) -> None:
    sql.save(demo_engagement())
    _damage(sql, 5, body='{"type": "session_recorded", "at": ')
    with pytest.raises(InvalidDocument) as caught:
        sql.load("eng-2027-001")
    assert caught.value.errors[0].startswith("engagement 'eng-2027-001' version 5: not valid JSON")


def test_a_row_of_the_wrong_shape_names_the_engagement_and_version(sql: SQLStore) -> None:
    sql.save(demo_engagement())
    _damage(
        sql,
        4,
        body='{"type":"session_recorded","at":"2027-01-25T11:00:00+01:00","by":"coach-anna"}',
    )
    with pytest.raises(InvalidDocument) as caught:
        sql.load("eng-2027-001")
    assert caught.value.errors == [
        "engagement 'eng-2027-001' version 4: required field missing @ session"
    ]


def test_a_hole_in_the_versions_is_refused(sql: SQLStore) -> None:
    sql.save(demo_engagement())
    with sql.engine.begin() as connection:
        connection.execute(delete(events_table).where(events_table.c.version == 7))
    with pytest.raises(InvalidDocument, match="expected 7, found 8"):
        sql.load("eng-2027-001")


def test_an_impossible_stored_history_is_refused(sql: SQLStore) -> None:
    opened, agreed = active().events
    rows = [(1, opened), (2, agreed), (3, agreed)]  # agreed twice, as a hand edit might
    with sql.engine.begin() as connection:
        connection.execute(
            events_table.insert(),
            [
                {"engagement_id": "eng-1", "version": v, "type": "", "at": "", "body": encode(e)}
                for v, e in rows
            ],
        )
    with pytest.raises(InvalidDocument) as caught:
        sql.load("eng-1")
    assert caught.value.errors[0].startswith(
        "engagement 'eng-1' version 3: TransitionNotAllowed: 'agree' is not allowed"
    )


def test_stored_events_of_another_engagement_are_refused(sql: SQLStore) -> None:
    rows = enumerate(active().events, start=1)  # the events of 'eng-1', filed as 'eng-2'
    with sql.engine.begin() as connection:
        connection.execute(
            events_table.insert(),
            [
                {"engagement_id": "eng-2", "version": v, "type": "", "at": "", "body": encode(e)}
                for v, e in rows
            ],
        )
    with pytest.raises(InvalidDocument) as caught:
        sql.load("eng-2")
    assert caught.value.errors == ["engagement 'eng-2': its events belong to 'eng-1'"]


def test_the_schema_is_versioned(sql: SQLStore) -> None:
    assert sql.schema_version() == SCHEMA_VERSION
    with contextlib.closing(SQLStore(sql.url)) as again:  # opening again changes nothing
        assert again.schema_version() == SCHEMA_VERSION
    with sql.engine.begin() as connection:
        connection.execute(update(schema_table).values(version=SCHEMA_VERSION + 1))
    newer = f"schema {SCHEMA_VERSION + 1}; this coachflow knows up to {SCHEMA_VERSION}"
    with pytest.raises(SchemaError, match=newer):
        SQLStore(sql.url, poolclass=NullPool)


def test_an_older_schema_is_upgraded_step_by_step(
    sql: SQLStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[int] = []

    def migration(version: int) -> Any:
        return lambda _connection: ran.append(version)

    for version in range(SCHEMA_VERSION):  # the real ones run on a schema-1 store (golden tests)
        monkeypatch.setitem(MIGRATIONS, version, migration(version))
    with sql.engine.begin() as connection:
        connection.execute(update(schema_table).values(version=0))
    with contextlib.closing(SQLStore(sql.url)) as upgraded:
        assert upgraded.schema_version() == SCHEMA_VERSION
    assert ran == list(range(SCHEMA_VERSION))


def test_create_false_leaves_the_database_alone(tmp_path: Any) -> None:
    path = tmp_path / "empty.db"
    with pytest.raises(StoreError, match=f"no SQLite database at {path}"):
        SQLStore(f"sqlite:///{path}", create=False)
    assert not path.exists()  # and none was made
    path.touch()
    store = SQLStore(path, create=False)  # a path is a SQLite database
    assert store.schema_version() is None
    assert "sqlite" in repr(store)
    store.close()


def test_importing_the_store_does_not_import_sqlalchemy() -> None:
    code = (
        "import sys, coachflow, coachflow.store; "
        "print([m for m in ('sqlalchemy', 'psycopg') if m in sys.modules]); "
        "coachflow.store.SQLStore; print('sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]
    import coachflow.store

    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        coachflow.store.Nope  # noqa: B018


# -- clear errors at the store's boundary ---------------------------------------------------


def test_a_new_engagement_under_a_stored_id_already_exists(store: Store) -> None:
    store.save(active())
    again = active()  # a new engagement (saved_version 0) under the same id
    with pytest.raises(ConcurrencyConflict) as caught:
        store.save(again)
    assert (caught.value.expected, caught.value.actual) == (0, 2)
    assert caught.value.engagement_id == "eng-1"
    assert str(caught.value) == (
        "engagement 'eng-1' already exists (stored version 2): load it to change it, "
        "or open a new one under another id"
    )
    assert store.load("eng-1").version == 2


def test_saving_what_is_not_an_engagement_says_what_to_do(store: Store) -> None:
    with pytest.raises(TypeError, match=r"'engagement' must be an Engagement \(got 'e1' of type str\)"):  # fmt: skip
        store.save("e1")


def test_an_unknown_engagement_is_in_the_error_tree(store: Store) -> None:
    from coachflow import CoachflowError

    with pytest.raises(UnknownEngagement) as caught:
        store.load("nobody")
    assert isinstance(caught.value, CoachflowError)
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == "no engagement with id 'nobody' is stored"
    assert type(caught.value).__module__ == "coachflow.store"
    assert ConcurrencyConflict.__module__ == InvalidDocument.__module__ == "coachflow"


def test_ids_longer_than_every_store_keeps_are_refused_when_made(store: Store) -> None:
    from builders import CLIENT, COACH

    longest = "e" * 200
    eng = Engagement.open(longest, coach=COACH, client=CLIENT, at=at(START))
    store.save(eng)
    assert store.load(longest) == eng
    with pytest.raises(ValueError, match="'engagement_id' must have at most 200 characters"):
        Engagement.open(longest + "e", coach=COACH, client=CLIENT, at=at(START))


def test_a_path_is_a_sqlite_database_and_a_bad_url_says_what_is_expected(tmp_path: Any) -> None:
    with contextlib.closing(SQLStore(str(tmp_path / "coaching.db"))) as by_path:
        by_path.save(active())
    with contextlib.closing(SQLStore(f"sqlite:///{tmp_path / 'coaching.db'}")) as by_url:
        assert by_url.ids() == ["eng-1"]
    with pytest.raises(ValueError, match="'url' must be a database URL such as sqlite:///"):
        SQLStore("postgresql+psycopg://user@host:notaport/db")
    with pytest.raises(TypeError, match="'url' must be a database URL or a path"):
        SQLStore(5)  # type: ignore[arg-type]


def test_a_postgres_url_without_the_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r'needs the \'psycopg\' package: pip install "coachflow\[postgres\]"'):  # fmt: skip
        SQLStore("postgresql+psycopg://user@localhost/db")


def test_a_database_that_fails_is_a_store_error(tmp_path: Any) -> None:
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("shopping list\n" * 100)
    with pytest.raises(StoreError, match="creating or upgrading the tables: file is not a database") as caught:  # fmt: skip
        SQLStore(not_a_database)
    assert caught.value.__cause__ is not None  # the driver's own error, kept


def test_a_stored_event_is_the_compact_json_of_its_document() -> None:
    import json

    from coachflow import Mode, Session, SessionRecorded
    from coachflow._documents.converter import event_to_dict

    engagement = demo_engagement()
    notes = Session(at(START), 60, Mode.DIGITAL, notes="Åsa: \u201cbra\u201d\n\ttab \\ \u001f")
    odd = SessionRecorded(at=at(START, 12), by="coach-anna", session=notes)
    for event in (*engagement.events, odd):
        expected = json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":"))
        assert encode(event) == expected


def test_a_save_gives_each_row_as_it_is_then_the_engagement_and_position() -> None:
    """The INSERT of a save names its columns in `EVENT_ROW`'s order, which begins with a
    `StoredEvent`'s fields: a row goes in as it is, its engagement and position after."""
    from coachflow.store._tables import EVENT_ROW

    assert (*StoredEvent._fields, "engagement_id", "position") == EVENT_ROW
