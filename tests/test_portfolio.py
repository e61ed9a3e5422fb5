"""The portfolio: summaries by party without loading, the gap-free feed, reports."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from builders import START, agreement, at, days, in_phase, session
from coachflow import Engagement, Party, Phase, Role, report
from coachflow.store import SCHEMA_VERSION, MemoryStore, SQLStore, StoreError

Store = Any
GOLDEN = Path(__file__).parent / "golden"


def engagement(id: str, coach: str, client: str, sponsor: str | None, sessions: int) -> Engagement:
    eng = Engagement.open(
        id,
        coach=Party(coach, "Coach", Role.COACH),
        client=Party(client, "Client", Role.CLIENT),
        sponsor=Party(sponsor, "Sponsor", Role.SPONSOR) if sponsor else None,
        at=at(START - days(7)),
        by=coach,
    )
    eng.agree(agreement(6), at=at(START - days(7), 10), by=coach)
    for n in range(sessions):
        eng.record_session(session(START + days(14 * n)), at=at(START + days(14 * n), 12), by=coach)  # fmt: skip
    return eng


def portfolio(store: Store) -> None:
    store.save(engagement("e1", "anna", "kim", "mia", 2))
    store.save(engagement("e2", "anna", "lo", None, 0))
    store.save(engagement("e3", "bo", "kim", "mia", 5))
    store.save(engagement("e4", "bo", "sam", "ola", 1))


def ids(summaries: list[Any]) -> list[str]:
    return [s.engagement_id for s in summaries]


def test_summaries_by_each_party_phase_and_due_day(store: Store) -> None:
    portfolio(store)
    assert ids(store.summaries()) == ["e1", "e2", "e3", "e4"]
    assert ids(store.summaries(coach="anna")) == ["e1", "e2"]
    assert ids(store.summaries(client="kim")) == ["e1", "e3"]
    assert ids(store.summaries(sponsor="mia")) == ["e1", "e3"]
    assert ids(store.summaries(sponsor="nobody")) == []
    assert ids(store.summaries(coach="bo", client="kim")) == ["e3"]
    assert ids(store.summaries(phase=Phase.ACTIVE, coach="anna")) == ["e1", "e2"]
    assert ids(store.summaries(phase=Phase.COMPLETED)) == []
    due = {s.engagement_id: s.next_due for s in store.summaries()}
    assert ids(store.summaries(due_by=START)) == [i for i, d in due.items() if d and d <= START]
    first = store.summaries(coach="anna")[0]
    assert (first.coach_id, first.client_id, first.sponsor_id) == ("anna", "kim", "mia")
    assert first.last_session == START + days(14)
    assert store.summaries(client="lo")[0].last_session is None
    assert store.summaries(client="lo")[0].sponsor_id is None


def test_the_feed_gives_every_event_once_in_pages(store: Store) -> None:
    portfolio(store)
    total = sum(store.load(i).version for i in ("e1", "e2", "e3", "e4"))
    pages, after = [], 0
    while page := store.feed(after=after, limit=7):
        assert len(page) <= 7
        pages.append(page)
        after = page[-1].position
    items = [item for page in pages for item in page]
    assert [i.position for i in items] == list(range(1, total + 1))
    assert {(i.engagement_id, i.version) for i in items} == {
        (e, v) for e in ("e1", "e2", "e3", "e4") for v in range(1, store.load(e).version + 1)
    }
    first = items[0]
    assert first.event == store.load(first.engagement_id).events[first.version - 1]
    assert store.feed(after=total) == []
    # a later save continues from where it stood
    more = store.load("e2")
    more.record_session(session(START), at=at(START, 12), by="anna")
    store.save(more)
    (new,) = store.feed(after=total)
    assert (new.position, new.engagement_id, new.version) == (total + 1, "e2", 3)


@pytest.mark.parametrize(
    ("after", "limit", "message"),
    [(-1, 10, "'after' must be a position"), (0, 0, "'limit' must be an int in 1..100000"),
     ("0", 10, "'after' must be a position"), (0, 10**6, "'limit' must be")],
)  # fmt: skip
def test_the_feed_says_what_it_takes(after: object, limit: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MemoryStore().feed(after=after, limit=limit)  # type: ignore[arg-type]


def test_an_older_store_gets_its_summaries_and_positions_filled(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite"
    shutil.copy(GOLDEN / "v6" / "store-schema-3.sqlite", database)
    with contextlib.closing(SQLStore(database)) as store:
        assert store.schema_version() == SCHEMA_VERSION
        summaries = {s.engagement_id: s for s in store.summaries()}
        assert summaries["eng-2027-001"].coach_id == "coach-anna"
        assert summaries["eng-2027-001"].sponsor_id == "manager-mia"
        assert summaries["eng-2027-001"].last_session == dt.date(2027, 6, 28)
        assert ids(store.summaries(client="client-kim")) == ["eng-2027-001"]
        feed = store.feed(limit=100_000)
        assert [i.position for i in feed] == list(range(1, len(feed) + 1))
        stored = sum(store.load(i).version for i in store.ids())
        assert len(feed) == stored
        engagement = store.load("sto-fold")  # new events continue the numbering
        engagement.terminate(at=engagement.events[-1].at, by="c", reason="moved")
        store.save(engagement)
        assert store.feed(after=len(feed))[0].position == len(feed) + 1


def test_a_summaries_query_uses_the_party_index(tmp_path: Path) -> None:
    with contextlib.closing(SQLStore(tmp_path / "i.db")) as store:
        with store.engine.connect() as connection:
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT engagement_id FROM coachflow_engagements "
                "WHERE coach_id = 'anna'"
            ).all()
        assert "ix_coachflow_engagements_coach_id" in str(plan)


# -- reports ---------------------------------------------------------------------------------------


def test_a_report_counts_what_each_engagement_says() -> None:
    engagements = [in_phase(p) for p in Phase] + [in_phase(Phase.COMPLETED)] * 2
    today = START + days(200)
    found = report(engagements, today)
    assert found.engagements == len(engagements)
    assert found.phases[Phase.COMPLETED] == 3
    assert sum(n or 0 for n in found.phases.values()) == len(engagements)
    for code, count in found.findings.items():
        assert count == sum(any(f.code == code for f in e.check(today)) for e in engagements)
    for code, count in found.due.items():
        assert count == sum(
            1
            for e in engagements
            for a in e.next_actions(today)
            if a.code == code and a.due <= today
        )
    closed = [e.gas_t_score for e in engagements if e.gas_t_score is not None]
    assert found.scored == len(closed) == 4  # the closed ones: three completed, one in follow-up
    assert found.gas == pytest.approx(sum(closed) / len(closed))
    assert (found.min_group, found.epsilon) == (None, None)


def test_a_sponsors_report_withholds_small_groups() -> None:
    engagements = [in_phase(Phase.ACTIVE)] * 5 + [in_phase(Phase.COMPLETED)] * 2
    found = report(engagements, START + days(60), for_sponsor=True, rng=1)
    assert found.phases[Phase.ACTIVE] is not None  # five: shown, with noise
    assert found.phases[Phase.COMPLETED] is None  # two: withheld, never 0
    assert found.gas is None and found.scored is None  # two scores: withheld
    assert (found.min_group, found.epsilon) == (5, 1.0)
    for code, n in found.findings.items():
        true = sum(any(f.code == code for f in e.check(START + days(60))) for e in engagements)
        assert (n is None) == (true < 5), code
    few = report([in_phase(Phase.ACTIVE)] * 4, START, for_sponsor=True)
    assert few.engagements is None and set(few.phases.values()) == {None}
    with pytest.raises(TypeError, match="'engagements' must hold Engagements"):
        report(["e1"], START)  # type: ignore[list-item]


def test_the_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coachflow._cli import main

    url = f"sqlite:///{tmp_path / 'r.db'}"
    with contextlib.closing(SQLStore(url)) as store:
        portfolio(store)
    assert main(["report", "--db", url, "--today", "2027-03-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["engagements"] == 4
    assert data["phases"]["active"] == 4
    assert main(["report", "--db", url, "--today", "2027-03-01", "--for-sponsor"]) == 0
    out = capsys.readouterr().out
    assert "engagements as of 1 March 2027: withheld" in out  # 4, under the 5 of a group
    assert "goal attainment: withheld" in out and " 0\n" not in out
    assert "fewer than 5 engagements are withheld" in out
    sponsor = ["report", "--db", url, "--today", "2027-03-01", "--for-sponsor", "--format", "json"]
    assert main([*sponsor, "--min-group", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["min_group"], data["epsilon"], data["for_sponsor"]) == (3, 1.0, True)
    assert isinstance(data["engagements"], int) and isinstance(data["phases"]["active"], int)
    assert data["phases"]["closing"] is None and data["gas"] is None  # none: withheld
    with pytest.raises(SystemExit) as refused:
        main([*sponsor, "--min-group", "2"])
    assert refused.value.code == 2
    assert "'min_group' must be at least 3" in capsys.readouterr().err


def test_sqlite_reads_never_wait_behind_a_writer(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "busy.db"
    with contextlib.closing(SQLStore(path)) as store:
        portfolio(store)
    # a store that will not wait at all: a read that needed the lock would fail at once
    with contextlib.closing(SQLStore(path, connect_args={"timeout": 0})) as store:
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # a writer holds the write lock, uncommitted
        writer.execute("UPDATE coachflow_engagements SET version = version WHERE 0")
        try:
            answers = [
                store.load("e1").version,
                len(store.summaries(coach="anna")),
                len(store.feed()),
            ]
            with pytest.raises(StoreError, match="database is locked"):
                store.save(store.load("e1"))  # the test can fail: a write must wait
        finally:
            writer.execute("ROLLBACK")
            writer.close()
    assert answers[:2] == [4, 2]
