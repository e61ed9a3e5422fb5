"""The agreed rhythm of sessions: an RFC 5545 RRULE value, checked when it is given and
expanded by `dateutil.rrule` in the engagement's zone.

A rhythm is checked against RFC 5545's grammar and value ranges (section 3.3.10): the
parts it may have, where each may stand, ``INTERVAL`` and ``COUNT`` of at least 1, every
``BY`` value in its range and non-zero where the RFC says so. Sessions are at most daily:
``FREQ`` is ``DAILY`` or slower and a day holds one occurrence at most (one ``BYHOUR``,
one ``BYMINUTE``, one ``BYSECOND``). What the checks let through, dateutil expands
without a search that never ends: the combinations that can never occur (the 30th of
February, a ``BYSETPOS`` beyond the set it picks from) are refused too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from coachflow._values.failures import InvalidValue

__all__ = ["WEEKDAYS", "Rhythm", "rhythm"]

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""RFC 5545's weekday codes, Monday first (as `datetime.date.weekday` counts)."""
_NUMBER = re.compile(r"[+-]?\d{1,4}")
_WEEKDAY = re.compile(r"(?P<n>[+-]?\d{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"\d{8}(T\d{6}Z?)?")
_MOST = 1000  # INTERVAL and COUNT: no rhythm of sessions needs more


def _numbers(name: str, value: str, low: int, high: int, *, signed: bool) -> list[int]:
    """The comma-separated integers of a ``BY`` part, each in ``low..high`` (or its
    negative, where *signed*), never 0 where signed."""
    found = []
    for item in value.split(","):
        if not _NUMBER.fullmatch(item):
            raise InvalidValue(f"{name} takes whole numbers (got {item!r})")
        number = int(item)
        ok = (low <= abs(number) <= high and number != 0) if signed else low <= number <= high
        if not ok:
            span = f"±{low}..{high}" if signed else f"{low}..{high}"
            raise InvalidValue(f"{name} values must be in {span} (got {number})")
        found.append(number)
    return found


def _single(name: str, values: list[int]) -> None:
    if len(values) > 1:
        raise InvalidValue(f"{name} takes one value: a rhythm holds one session a day at most")


class Rhythm:
    """A checked `Agreement.rhythm`.

    The rule is expanded from the agreed start in local (wall) time of the
    engagement's zone; ``time`` is its time of day when the rule names one
    (``BYHOUR``), else None. A ``UNTIL`` in UTC (``...Z``, as RFC 5545 wants with a
    zoned start) is the local time of that instant in the engagement's zone.
    """

    __slots__ = ("parts", "text", "time")

    def __init__(self, text: str) -> None:
        self.text = text
        if not text.isprintable() or any(c.isspace() for c in text):
            raise InvalidValue("expected one line without spaces")
        body = text[6:] if text[:6].upper() == "RRULE:" else text
        parts: dict[str, str] = {}
        for part in body.split(";"):
            name, sep, value = part.partition("=")
            if not sep or not name or not value:
                raise InvalidValue(f"expected NAME=VALUE parts separated by ';' (got {part!r})")
            if name.upper() in parts:
                raise InvalidValue(f"{name.upper()} is given twice")
            parts[name.upper()] = value.upper()
        self.parts = parts
        self._check()
        hour = parts.get("BYHOUR")
        minute = parts.get("BYMINUTE", "0")
        self.time = None if hour is None else dt.time(int(hour), int(minute))

    def _check(self) -> None:
        parts = self.parts
        known = {
            "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
            "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
        }  # fmt: skip
        unknown = sorted(set(parts) - known)
        if unknown:
            raise InvalidValue(f"RFC 5545 knows no part {unknown[0]}")
        freq = parts.get("FREQ", "")
        if freq not in FREQUENCIES:
            kinds = ", ".join(FREQUENCIES)
            raise InvalidValue(f"FREQ must be one of {kinds} (got {freq or 'none'})")
        for name in ("INTERVAL", "COUNT"):
            if name in parts:
                _numbers(name, parts[name], 1, _MOST, signed=False)
        if "COUNT" in parts and "UNTIL" in parts:
            raise InvalidValue("UNTIL and COUNT must not both be given")
        if "UNTIL" in parts and not _UNTIL.fullmatch(parts["UNTIL"]):
            raise InvalidValue(
                "UNTIL must be a date or date-time such as 20271231 or 20271231T235959Z "
                f"(got {parts['UNTIL']!r})"
            )
        for name, high in (("BYSECOND", 60), ("BYMINUTE", 59), ("BYHOUR", 23)):
            if name in parts:
                _single(name, _numbers(name, parts[name], 0, high, signed=False))
        months = list(range(1, 13))
        if "BYMONTH" in parts:
            months = _numbers("BYMONTH", parts["BYMONTH"], 1, 12, signed=False)
        if "BYMONTHDAY" in parts:
            if freq == "WEEKLY":
                raise InvalidValue("BYMONTHDAY must not be used with FREQ=WEEKLY")
            days = _numbers("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31, signed=True)
            longest = max(calendar.monthrange(2000, month)[1] for month in months)  # a leap year
            if all(abs(day) > longest for day in days):
                raise InvalidValue(
                    "BYMONTHDAY names no day of the months the rule allows: it never occurs"
                )
        if "BYYEARDAY" in parts:
            if freq != "YEARLY":
                raise InvalidValue("BYYEARDAY may be used with FREQ=YEARLY only")
            _numbers("BYYEARDAY", parts["BYYEARDAY"], 1, 366, signed=True)
        if "BYWEEKNO" in parts:
            if freq != "YEARLY":
                raise InvalidValue("BYWEEKNO may be used with FREQ=YEARLY only")
            _numbers("BYWEEKNO", parts["BYWEEKNO"], 1, 53, signed=True)
        weekdays = 1
        if "BYDAY" in parts:
            items = parts["BYDAY"].split(",")
            weekdays = len(items)
            for item in items:
                match = _WEEKDAY.fullmatch(item)
                if match is None:
                    raise InvalidValue(
                        f"BYDAY takes weekdays such as MO, TU or 1MO (got {item!r})"
                    )
                if match["n"] is not None:
                    if freq not in ("MONTHLY", "YEARLY") or "BYWEEKNO" in parts:
                        raise InvalidValue("a numbered BYDAY (1MO) needs FREQ=MONTHLY or YEARLY")
                    most = 5 if freq == "MONTHLY" else 53
                    _numbers("BYDAY", match["n"], 1, most, signed=True)
        if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
            raise InvalidValue(f"WKST must be a weekday such as MO (got {parts['WKST']!r})")
        if "BYSETPOS" in parts:
            if not any(name.startswith("BY") and name != "BYSETPOS" for name in parts):
                raise InvalidValue("BYSETPOS must come with another BY part")
            positions = _numbers("BYSETPOS", parts["BYSETPOS"], 1, 366, signed=True)
            per_period = {"DAILY": 1, "WEEKLY": weekdays}.get(freq)
            if per_period is not None and all(abs(p) > per_period for p in positions):
                raise InvalidValue(
                    "BYSETPOS picks beyond the occurrences of each period: it never occurs"
                )
        try:
            self.rule(dt.date(2000, 1, 1), ZoneInfo("UTC"))  # dateutil reads the rest
        except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
            raise InvalidValue(str(exc) or type(exc).__name__) from None

    def rule(self, start: dt.date, zone: dt.tzinfo | None) -> rrule:
        """The rule, recurring from *start* at midnight, in local time of *zone*."""
        parts = dict(self.parts)
        until = parts.pop("UNTIL", None)
        body = ";".join(f"{name}={value}" for name, value in parts.items())
        found = rrulestr(body, dtstart=dt.datetime.combine(start, dt.time()))
        assert isinstance(found, rrule)
        if until is not None:
            found = found.replace(until=_local(until, zone))
        return found

    @functools.lru_cache(maxsize=1024)  # noqa: B019 - rhythms are few and live long
    def days(
        self, start: dt.date, end: dt.date, zone: dt.tzinfo | None = None
    ) -> tuple[dt.datetime, ...]:
        """The occurrences from *start* up to, not including, the day *end* (local)."""
        first = dt.datetime.combine(start, dt.time())
        last = dt.datetime.combine(end, dt.time()) - dt.timedelta(microseconds=1)
        return tuple(self.rule(start, zone).between(first, last, inc=True))


def _local(until: str, zone: dt.tzinfo | None) -> dt.datetime:
    """``UNTIL`` as a local (naive) date-time: a date is its whole day; a UTC instant is
    its wall time in *zone*."""
    if len(until) == 8:
        return dt.datetime.strptime(until, "%Y%m%d").replace(hour=23, minute=59, second=59)
    moment = dt.datetime.strptime(until[:15], "%Y%m%dT%H%M%S")
    if until.endswith("Z"):
        moment = moment.replace(tzinfo=dt.UTC).astimezone(zone or dt.UTC).replace(tzinfo=None)
    return moment


@functools.lru_cache(maxsize=1024)
def rhythm(text: str) -> Rhythm:
    """The checked rhythm of an agreement (one per text); `ValueError` when it is none."""
    return Rhythm(text)
