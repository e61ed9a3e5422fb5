"""The events' generated ``__init__`` and makers (`coachflow._values.initializers`) do what
attrs' own ``__init__`` does: the same values for every argument, the same error for every
bad one. Generated events with one field replaced by an odd value, built three ways."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachflow import REDACTED, Mode, Session
from coachflow._values.events import EVENT_TYPES
from coachflow._values.initializers import ATTRS_INIT, maker
from coachflow._values.redaction import hiding
from coachflow._values.validation import fixed_offset
from coachflow.testing import zones
from test_every_event import SCENARIOS

STOCKHOLM = ZoneInfo("Europe/Stockholm")


# datetimes of every kind a caller may pass: in IANA zones on both passes of the night
# the clocks go back, in fixed offsets (whole minutes or not), naive, out of the years
def _aware_times(since: dt.date) -> st.SearchStrategy[dt.datetime]:
    return st.builds(
        lambda day, zone, fold: dt.datetime.combine(day, dt.time(2, 30, fold=fold), zone),
        st.dates(since, dt.date(2100, 12, 31)),
        zones(),
        st.integers(0, 1),
    )


aware_times = _aware_times(dt.date(1890, 1, 1))  # before 1900: odd offsets, out of the years
odd_values = st.one_of(
    aware_times,
    st.datetimes(dt.datetime(1850, 1, 1), dt.datetime(9100, 1, 1)),
    st.datetimes(timezones=st.timezones()),
    st.just(dt.datetime(2027, 3, 28, 2, 30, tzinfo=dt.timezone(dt.timedelta(seconds=3601)))),
    st.just(dt.datetime(2027, 10, 31, 2, 30, tzinfo=STOCKHOLM, fold=1)),
    st.sampled_from([None, "", " ", "coach", "Kim Berg", "Åsa", "a\x00b", REDACTED]),
    st.sampled_from([0, 1, True, 1.5, b"coach", (), frozenset(), dt.date(2027, 1, 11)]),
    st.sampled_from([Mode.DIGITAL, ("a1",), frozenset({"x"})]),
    st.builds(Session, _aware_times(dt.date(1970, 1, 1)), st.just(75), st.just(Mode.DIGITAL)),
    st.builds(lambda n: "x" * n, st.sampled_from([100_000, 100_001])),
)


def _outcome(make: Any) -> tuple[str, Any]:
    try:
        return "made", make()
    except Exception as error:
        return type(error).__name__, str(error)


def _by_attrs(kind: type, fields: dict[str, Any]) -> Any:
    made: Any = object.__new__(kind)
    ATTRS_INIT[kind](made, **fields)
    return made


def _shape(value: Any) -> object:
    """What two equal values must also share: each field's type, and each datetime's
    offset, fold and (shared) zone object."""
    found: list[object] = []
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        if isinstance(item, dt.datetime):
            found.append((item.replace(tzinfo=None), item.utcoffset(), item.fold, id(item.tzinfo)))
        else:
            found.append(type(item))
    return found


@functools.cache
def _examples() -> dict[type, list[object]]:
    """The events of the scenarios that hold every event class, by class."""
    found: dict[type, list[object]] = {}
    for make in SCENARIOS.values():
        for event in make().events:
            found.setdefault(type(event), []).append(event)
    return found


@pytest.mark.parametrize("kind", EVENT_TYPES, ids=lambda k: k.__name__)
def test_the_generated_init_and_maker_do_what_attrs_does(kind: type) -> None:
    """Inside `hiding` too, where `REDACTED` is a text a value may hold."""
    names = [field.alias for field in attrs.fields(kind)]

    @settings(max_examples=60, deadline=None, database=None)
    @given(st.sampled_from(_examples()[kind]), st.sampled_from(names), odd_values, st.booleans())
    def check(event: object, name: str, odd: object, hidden: bool) -> None:
        fields = {f.alias: getattr(event, f.name) for f in attrs.fields(kind)}
        fields[name] = odd
        with hiding() if hidden else contextlib.nullcontext():
            theirs = _outcome(lambda: _by_attrs(kind, fields))
            ours = _outcome(lambda: kind(**fields))
            made = _outcome(lambda: maker(kind)(*fields.values()))
        assert ours == theirs
        assert made == theirs
        if theirs[0] == "made":
            assert _shape(ours[1]) == _shape(theirs[1]) == _shape(made[1])

    check()


def test_a_usual_value_is_kept_as_it_is_and_a_zone_becomes_its_offset() -> None:
    kind = EVENT_TYPES[0]
    assert kind.__init__ is not ATTRS_INIT[kind]
    stockholm = dt.datetime(2027, 10, 31, 2, 30, tzinfo=STOCKHOLM, fold=1)  # the second pass
    session = Session(stockholm, 75, Mode.DIGITAL)
    assert session.held_at.utcoffset() == dt.timedelta(hours=1)
    assert session.held_at.fold == 0
    assert (
        session.held_at.timestamp() == stockholm.timestamp()
    )  # == is False in the fold (PEP 495)


@settings(max_examples=500, deadline=None)
@given(
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2200, 12, 31), timezones=zones()),
    st.integers(0, 1),
)
def test_a_datetime_in_a_zone_becomes_its_offset_by_arithmetic_exactly(
    moment: dt.datetime, fold: int
) -> None:
    """`fixed_offset`'s short way (wall time since 1970 in the zone, from 1970 in the
    offset's shared zone) is `astimezone` to the offset: the same instant, wall time and
    offset, `fold` 0, and the offset's one shared zone object."""
    moment = moment.replace(fold=fold)
    offset = moment.utcoffset()
    assert offset is not None
    kept = fixed_offset(moment)
    again = fixed_offset(moment)  # the zone met before: the short way for certain
    expected = moment.astimezone(dt.timezone(offset))
    for found in (kept, again):
        assert found.timestamp() == moment.timestamp()
        assert found.replace(tzinfo=None) == expected.replace(tzinfo=None)
        assert found.utcoffset() == offset and found.fold == 0
        assert type(found.tzinfo) is dt.timezone and found.tzinfo is again.tzinfo
