"""The public face: __all__, the API.md names, and what importing costs."""

from __future__ import annotations

import inspect
import subprocess
import sys

import coachflow

API_NAMES = [
    "Mode",
    "Role",
    "Severity",
    "Phase",
    "Party",
    "Goal",
    "Programme",
    "Agreement",
    "Assignment",
    "Session",
    "ReformulateGoal",
    "AddGoal",
    "Attainment",
    "ActionPlan",
    "Finding",
    "Action",
    "Plan",
    "Engagement",
    "Opened",
    "Agreed",
    "SessionRecorded",
    "MidpointReviewBegun",
    "MidpointReviewCompleted",
    "Paused",
    "Resumed",
    "Extended",
    "ClosingBegun",
    "Closed",
    "FollowUpHeld",
    "FollowUpSkipped",
    "Terminated",
    "to_dict",
    "from_dict",
    "to_json",
    "from_json",
    "CoachflowError",
    "TransitionNotAllowed",
    "RuleViolation",
    "PermissionDenied",
    "InvalidDocument",
    "ConcurrencyConflict",
    "gas_t_score",
    # v0.2
    "FORMAT_VERSION",
    "to_ics",
    "document_schema",
    "Booking",
    "Allocation",
    "SessionBooked",
    "SessionRescheduled",
    "SessionCancelled",
    "NoShowRecorded",
]


def test_every_public_value_and_event_is_in_the_api_reference() -> None:
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "reference" / "api.md").read_text()
    for name in coachflow.__all__:
        if name == "FORMAT_VERSION":  # a number: the page says what it is in words
            assert "`coachflow.FORMAT_VERSION` (now " in page
            continue
        assert f"::: coachflow.{name}\n" in page, name


def test_every_name_of_the_store_and_the_kit_is_in_the_reference() -> None:
    from pathlib import Path

    import coachflow.store
    import coachflow.testing

    reference = Path(__file__).parent.parent / "docs" / "reference"
    api, kit = (reference / "api.md").read_text(), (reference / "testing.md").read_text()
    for name in coachflow.store.__all__:
        assert f"::: coachflow.store.{name}\n" in api, name
    for name in coachflow.testing.__all__:
        assert f"::: coachflow.testing.{name}\n" in kit, name


def test_all_lists_exactly_the_public_members() -> None:
    public = {
        name
        for name, value in vars(coachflow).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert set(coachflow.__all__) == public
    assert len(coachflow.__all__) == len(set(coachflow.__all__))


def test_every_api_name_is_exported_and_documented() -> None:
    for name in API_NAMES:
        assert name in coachflow.__all__, name
    for name in coachflow.__all__:
        if name == "DEFAULT_POLICY":
            continue
        assert inspect.getdoc(getattr(coachflow, name)), name


def test_engagement_api() -> None:
    for name in [
        "open",
        "replay",
        "agree",
        "record_session",
        "begin_midpoint_review",
        "complete_midpoint_review",
        "pause",
        "resume",
        "extend",
        "begin_closing",
        "close",
        "hold_follow_up",
        "skip_follow_up",
        "terminate",
        "allowed",
        "check",
        "plan",
        "next_actions",
        "id",
        "phase",
        "coach",
        "client",
        "sponsor",
        "agreement",
        "programme",
        "goals",
        "sessions",
        "events",
        "version",
        "start",
        "end",
        "time_zone",
        "day_of",
        "book_session",
        "reschedule_session",
        "cancel_session",
        "record_no_show",
        "bookings",
        "allocation",
    ]:
        assert hasattr(coachflow.Engagement, name), name


def test_error_tree() -> None:
    for name in (
        "TransitionNotAllowed",
        "RuleViolation",
        "PermissionDenied",
        "InvalidDocument",
        "ConcurrencyConflict",
    ):
        assert issubclass(getattr(coachflow, name), coachflow.CoachflowError)
    assert issubclass(coachflow.InvalidDocument, ValueError)
    conflict = coachflow.ConcurrencyConflict(3, 5)
    assert (conflict.expected, conflict.actual) == (3, 5)
    assert "expected version 3, found 5" in str(conflict)


def test_importing_coachflow_imports_neither_hypothesis_nor_pytest() -> None:
    code = (
        "import sys, coachflow; "
        "bad = [m for m in ('hypothesis', 'pytest', '_pytest') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_py_typed_is_shipped() -> None:
    from importlib.resources import files

    assert files("coachflow").joinpath("py.typed").is_file()


def test_the_reference_shows_an_attrs_fields_default_not_its_declaration() -> None:
    import sys
    from pathlib import Path

    import griffe

    root = Path(__file__).parent.parent
    sys.path.insert(0, str(root / "docs_tools"))
    try:
        from attrs_defaults import AttrsDefaults
    finally:
        sys.path.remove(str(root / "docs_tools"))
    package = griffe.load(
        "coachflow",
        search_paths=[str(root / "src")],
        extensions=griffe.load_extensions(AttrsDefaults),
    )
    programme = package["Programme"]
    assert str(programme["behind_tolerance"].value) == "1"
    assert str(programme["bunching_limit"].value) == "None"
    assert package["Party"]["id"].value is None  # required: nothing to show
    assert "attrs.field" not in str(package["Session"]["notes"].value)
