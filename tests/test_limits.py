"""`coachflow.LIMITS`: documents and histories just under each limit load, just over it are
refused with a clear error before they are built; stores refuse to save beyond them."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from builders import START, active, at
from coachflow import (
    LIMITS,
    Engagement,
    Goal,
    InvalidDocument,
    InvalidValue,
    Limits,
    Mode,
    Session,
    document_schema,
    from_json,
    to_dict,
    to_json,
)
from coachflow.store import StoreError


@contextlib.contextmanager
def limited(**smaller: int) -> Iterator[None]:
    """The limits made smaller for a test (they are one shared, frozen object)."""
    before = attrs.asdict(LIMITS)
    for name, value in smaller.items():
        object.__setattr__(LIMITS, name, value)
    try:
        yield
    finally:
        for name, value in before.items():
            object.__setattr__(LIMITS, name, value)


def test_the_defaults_are_far_beyond_a_real_engagement() -> None:
    assert Limits(events=10_000, document_bytes=32 * 1024 * 1024, text=100_000) == LIMITS
    assert attrs.fields(Limits).events.default == 10_000


def test_a_text_at_the_limit_is_taken_and_one_longer_is_not() -> None:
    Goal("g1", "x" * LIMITS.text)
    with pytest.raises(InvalidValue, match=r"'statement' must have at most 100000 characters"):
        Goal("g1", "x" * (LIMITS.text + 1))
    eng = active()
    eng.record_session(
        Session(at(START, 10), 60, Mode.IN_PERSON, notes="n" * LIMITS.text),
        at=at(START, 12),
        by="coach",
    )
    document = to_dict(eng)
    assert from_json(to_json(eng)) == eng
    document["events"][-1]["session"]["notes"] += "n"
    with pytest.raises(InvalidDocument, match="at most 100000 characters"):
        from_json(__import__("json").dumps(document))
    schema = document_schema()
    assert '"maxLength": 100000' in __import__("json").dumps(schema)


def test_a_list_item_text_is_limited_too() -> None:
    from coachflow import ActionPlan

    ActionPlan(("s" * LIMITS.text,))
    with pytest.raises(InvalidValue, match=r"'steps\[0\]' must have at most"):
        ActionPlan(("s" * (LIMITS.text + 1),))


def _history(events: int) -> Engagement:
    eng = active()  # opened and agreed: two events
    first = at(START, 8)
    for n in range(events - eng.version):
        held = first + dt.timedelta(hours=n)
        eng.record_session(Session(held, 60, Mode.IN_PERSON), at=held, by="coach")
    return eng


def test_a_history_at_the_limit_loads_and_grows_no_further() -> None:
    with limited(events=40):
        eng = _history(40)
        assert from_json(to_json(eng)) == eng
        before = to_json(eng)
        with pytest.raises(InvalidValue, match="holds 40 events, the most coachflow keeps"):
            eng.record_session(
                Session(at(START + dt.timedelta(days=9), 9), 60, Mode.IN_PERSON),
                at=at(START + dt.timedelta(days=9), 10),
                by="coach",
            )
        assert to_json(eng) == before
        document = to_dict(eng)
        document["events"].append(document["events"][-1])
        with pytest.raises(InvalidDocument, match=r"at most 40 events .* @ \$\.events"):
            from_json(__import__("json").dumps(document))


def test_a_document_over_the_byte_limit_is_refused_before_it_is_parsed() -> None:
    text = to_json(active())
    with limited(document_bytes=len(text.encode()) + 10):
        assert from_json(text + " " * 10) == active()  # just under: whitespace is JSON
        with pytest.raises(InvalidDocument, match=r"at most \d+ bytes .*got \d+"):
            from_json(text + " " * 11)
        with pytest.raises(InvalidDocument, match="at most"):
            from_json((text + " " * 11).encode())
    wide = text.replace("Kim Berg", "Kim Bergström" + "ö" * 20)  # counted in UTF-8 bytes
    with limited(document_bytes=len(wide) + 5), pytest.raises(InvalidDocument, match="bytes"):
        from_json(wide)


def test_stores_never_read_a_history_beyond_the_limit(store: Any) -> None:
    with limited(events=30):
        eng = _history(30)
        store.save(eng)
        assert store.load(eng.id) == eng
    with limited(events=20), pytest.raises((StoreError, InvalidDocument), match="20"):
        store.load(eng.id)
