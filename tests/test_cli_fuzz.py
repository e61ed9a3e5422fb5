"""The command line never shows a traceback: random files and random arguments end in a
result or in one line of error with exit code 2."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coachflow import to_dict
from coachflow._cli import main
from coachflow._outputs.demo import demo_engagement

DEMO = to_dict(demo_engagement())
OPTIONS = ["--today", "--format", "--db", "--tz", "-o", "--months", "--start", "--per-month"]
VALUES = ["2027-03-01", "json", "text", "mermaid", "dot", "Europe/Stockholm", "Mars/Base",
          "0", "-3", "13", "37", "sqlite:///", "postgresql+psycopg://x@:bad/db", "", "\x00"]  # fmt: skip


def run(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in this process; any exception but SystemExit fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    return code, out.getvalue(), err.getvalue()


def documents() -> st.SearchStrategy[bytes]:
    """Random bytes, random JSON, and the demo's document with one value replaced."""
    edited = st.builds(_edit, st.integers(0, 10**6), st.sampled_from([None, 1.5, "x", [], {}, -1, 2**70, True]))  # fmt: skip
    return st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.recursive(
            st.none() | st.integers() | st.text(max_size=5),
            lambda x: st.lists(x) | st.dictionaries(st.text(max_size=5), x),
            max_leaves=8,
        ).map(lambda v: json.dumps(v).encode()),
        edited,
    )


def _edit(seed: int, value: object) -> bytes:
    document = json.loads(json.dumps(DEMO))
    event = document["events"][seed % len(document["events"])]
    keys = sorted(event)
    event[keys[seed // 7 % len(keys)]] = value
    return json.dumps(document).encode()


def assert_clean(code: int, err: str) -> None:
    assert "Traceback" not in err
    assert code in (0, 1, 2)
    if code == 2:
        assert err.startswith("coachflow") and ": error: " in err, err
        assert err.count("\n") == 1, err  # one line


@settings(max_examples=150)
@given(documents(), st.sampled_from(["check", "ics"]), st.lists(st.sampled_from(OPTIONS + VALUES), max_size=4))  # fmt: skip
def test_reading_commands_survive_any_file_and_arguments(
    content: bytes, command: str, extra: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "engagement.json"
        path.write_bytes(content)
        argv = [command, str(path), *extra]
        if "-o" in extra or "--db" in extra:  # keep what they write or read in the folder
            argv = [a if a not in VALUES else str(Path(folder) / "x") for a in argv]
        code, _, err = run(argv)
    assert_clean(code, err)


@settings(max_examples=150)
@given(st.sampled_from(["plan", "diagram", "check", "ics", "report", "nonsense", ""]), st.lists(st.one_of(st.sampled_from(OPTIONS + VALUES), st.text(max_size=12)), max_size=5))  # fmt: skip
def test_any_arguments_end_in_a_result_or_one_line(command: str, extra: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        argv = [command, *extra]
        if "--db" in extra or "-o" in extra:
            argv = [a if a not in VALUES else str(Path(folder) / "x") for a in argv]
        code, _, err = run(argv)
    assert_clean(code, err)


def test_a_damaged_stored_row_of_deep_nesting_is_one_line(tmp_path: Path) -> None:
    from coachflow.store import SQLStore

    database = tmp_path / "store.db"
    store = SQLStore(database)
    store.save(demo_engagement())
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE coachflow_events SET body = ? WHERE version = 3", ("[" * 100_000,)
        )
    store.close()
    code, _, err = run(["check", "eng-2027-001", "--db", str(database)])
    assert code == 2
    assert err.startswith(
        "coachflow: error: invalid document: engagement 'eng-2027-001' version 3"
    )
    assert err.count("\n") == 1
