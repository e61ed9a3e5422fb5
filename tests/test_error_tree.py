"""One error tree: every exception coachflow raises on purpose is a `CoachflowError`, and
still the builtin Python code expects. The test reads every ``raise`` in the package."""

from __future__ import annotations

import ast
import builtins
import datetime as dt
import importlib
import inspect
import typing
from pathlib import Path

import pytest

import coachflow
import coachflow.store
from builders import START, active, at, opened, session
from coachflow import (
    CoachflowError,
    InvalidDocument,
    InvalidTime,
    InvalidType,
    InvalidValue,
    MissingExtra,
)

PACKAGE = Path(coachflow.__file__).parent

#: Raises that are no refusal, each with the reason it may stay a builtin.
NOT_REFUSALS = {
    "AssertionError": "an invariant of coachflow itself: a bug, never a refusal",
    "RuntimeError": "an invariant of the process table: a bug, never a refusal",
    "ReplayError": "internal: the loaders turn it into InvalidDocument, replay re-raises the cause",
    "IterableValidationError": "internal to the document converter: becomes InvalidDocument",
}
#: Raises that Python's own protocols require, by the function they are in.
PROTOCOL = {("__getattr__", "AttributeError"), ("__getitem__", "KeyError")}
#: argparse's protocol: a ``type=`` converter raises this to make a usage error.
ARGPARSE = "argparse.ArgumentTypeError"


class _Raises(ast.NodeVisitor):
    """(what is raised, the innermost function it is in, line) of every ``raise X(...)``."""

    def __init__(self) -> None:
        self.functions = ["<module>"]
        self.found: list[tuple[str, str, int]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Raise(self, node: ast.Raise) -> None:
        if isinstance(node.exc, ast.Call):
            called = node.exc.func
            what = called.id if isinstance(called, ast.Name) else ast.unparse(called)
            self.found.append((what, self.functions[-1], node.lineno))


def _raises() -> list[tuple[str, str, str, int]]:
    """(module, what is raised, the function it is in, line) for every ``raise X(...)``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        visitor = _Raises()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found += [(module, what, function, line) for what, function, line in visitor.found]
    return found


RAISES = _raises()


def _resolve(module: str, what: str) -> object:
    if hasattr(builtins, what):
        return getattr(builtins, what)
    value: object = importlib.import_module(module.removesuffix(".__init__"))
    for part in what.split("."):
        value = getattr(value, part)
    return value


def test_the_package_raises_on_purpose_in_many_places() -> None:
    assert len(RAISES) > 150  # the walk finds the raises (and would find a new one)


@pytest.mark.parametrize(("module", "what", "function", "line"), RAISES, ids=lambda v: str(v))
def test_every_raise_is_a_coachflow_error(
    module: str, what: str, function: str, line: int
) -> None:
    if what in NOT_REFUSALS or (function, what) in PROTOCOL or what == ARGPARSE:
        return
    raised = _resolve(module, what)
    if inspect.isclass(raised):
        assert issubclass(raised, CoachflowError), f"{module}:{line} raises {what}"
        return
    # a function that builds the error, e.g. `refuse(...)`: its declared return type
    returned = typing.get_type_hints(raised)["return"]
    assert issubclass(returned, CoachflowError), f"{module}:{line} raises {what}(...)"


def test_every_public_exception_class_is_a_coachflow_error() -> None:
    for namespace in (coachflow, coachflow.store):
        for name in namespace.__all__:
            value = getattr(namespace, name)
            if inspect.isclass(value) and issubclass(value, BaseException):
                assert issubclass(value, CoachflowError), name
                assert value.__module__ in ("coachflow", "coachflow.store"), name


def test_the_errors_of_values_are_still_the_builtins() -> None:
    assert issubclass(InvalidValue, ValueError) and issubclass(InvalidTime, ValueError)
    assert issubclass(InvalidType, TypeError) and issubclass(MissingExtra, ImportError)
    assert issubclass(InvalidDocument, InvalidValue)
    assert issubclass(coachflow.store.UnknownEngagement, KeyError)


def test_a_time_that_goes_backwards_is_an_invalid_time() -> None:
    eng = active()
    eng.record_session(session(START), at=at(START, 12), by="coach")
    with pytest.raises(InvalidTime, match="must not be earlier than the last event"):
        eng.record_session(session(START), at=at(START, 11), by="coach")
    with pytest.raises(InvalidTime, match="must not be later than 'at'"):
        eng.record_session(session(START + dt.timedelta(days=1)), at=at(START, 13), by="coach")
    with pytest.raises(InvalidTime, match="on or after the agreement's start"):
        eng.record_session(session(START - dt.timedelta(days=3)), at=at(START, 14), by="coach")
    with pytest.raises(InvalidTime, match="timezone-aware"):
        eng.record_session(session(START), at=dt.datetime(2027, 1, 12, 9), by="coach")


def test_bad_values_and_types_are_caught_as_coachflow_errors() -> None:
    eng = opened()
    with pytest.raises(CoachflowError) as caught:
        eng.terminate(at=at(START), by="coach", reason="  ")
    assert isinstance(caught.value, ValueError)
    with pytest.raises(CoachflowError) as caught:
        coachflow.Programme("six")  # type: ignore[arg-type]
    assert isinstance(caught.value, TypeError)


def test_a_party_given_for_by_is_a_type_error_naming_the_id() -> None:
    from builders import COACH

    eng = active()
    before = eng.version
    with pytest.raises(InvalidType, match=r"'by' must be the id of a party, a str \(got Party"):
        eng.record_session(session(START), at=at(START, 12), by=COACH)  # type: ignore[arg-type]
    assert eng.version == before
