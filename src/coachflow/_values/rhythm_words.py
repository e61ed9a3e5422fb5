"""An agreed rhythm in words: `describe_rhythm`."""

from __future__ import annotations

import datetime as dt

from coachflow._values.failures import InvalidType
from coachflow._values.i18n import require_locale, speaking, t, tn
from coachflow._values.rhythm import WEEKDAYS, Rhythm, rhythm
from coachflow._values.wording import date_words, day_name, list_words, time_words

__all__ = ["describe_rhythm", "rhythm_words"]

#: The parts a rhythm may have and still be said in words.
_SAID = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYHOUR", "BYMINUTE", "COUNT", "UNTIL"}
_SAID |= {"WKST"}  # the week's first day changes nothing a person would say


def describe_rhythm(rrule: str, *, locale: str = "en") -> str:
    """The agreed rhythm *rrule* (an RFC 5545 RRULE, as `Agreement.rhythm`) in words:
    ``"every other Monday at 09:00"`` / ``"varannan måndag kl. 09.00"``.

    Says daily and weekly rhythms (on any weekdays), monthly ones on a numbered weekday
    (``1MO``, ``-1FR``) or a day of the month, at a time of day, a number of times or
    until a day; any other rule (``BYSETPOS``, ``BYMONTH``, yearly ...) comes back as
    it was given. An invalid rule is refused as `Agreement` refuses it (`InvalidValue`).

    >>> describe_rhythm("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9")
    'every other Monday at 09:00'
    >>> describe_rhythm("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9", locale="sv")
    'varannan måndag kl. 09.00'
    """
    if not isinstance(rrule, str):
        raise InvalidType(f"'rrule' must be a string (got {type(rrule).__name__})")
    checked = rhythm(rrule)
    with speaking(require_locale(locale)):
        return rhythm_words(checked.text)


def rhythm_words(rrule: str) -> str:
    """`describe_rhythm` in the current locale (for a rule already checked)."""
    said = _said(rhythm(rrule))
    return rrule if said is None else said


def _said(checked: Rhythm) -> str | None:
    parts = checked.parts
    if not set(parts) <= _SAID:
        return None
    every = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    words: str | None
    if freq == "DAILY" and "BYDAY" not in parts and "BYMONTHDAY" not in parts:
        words = _daily(every)
    elif freq == "WEEKLY":
        words = _weekly(every, parts.get("BYDAY"))
    elif freq == "MONTHLY":
        words = _monthly(every, parts.get("BYDAY"), parts.get("BYMONTHDAY"))
    else:
        return None
    if words is None:
        return None
    if checked.time is not None:
        words = t("{rhythm} at {time}", rhythm=words, time=time_words(checked.time))
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        words = tn("{rhythm}, once", "{rhythm}, {n} times", count, rhythm=words)
    if "UNTIL" in parts:
        until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
        words = t("{rhythm}, until {day}", rhythm=words, day=date_words(until))
    return words


def _daily(every: int) -> str:
    if every == 1:
        return t("every day")
    if every == 2:
        return t("every other day")
    return tn("every {n} day", "every {n} days", every)


def _weekdays(byday: str) -> str | None:
    """Plain weekdays (``MO,TH``) in words, in the week's order; None for numbered ones."""
    days = byday.split(",")
    if not all(day in WEEKDAYS for day in days):
        return None
    return list_words(
        day_name(WEEKDAYS.index(day)) for day in sorted(set(days), key=WEEKDAYS.index)
    )


def _weekly(every: int, byday: str | None) -> str | None:
    if byday is None:
        if every == 1:
            return t("every week")
        if every == 2:
            return t("every other week")
        return tn("every {n} week", "every {n} weeks", every)
    days = _weekdays(byday)
    if days is None:
        return None
    if every == 1:
        return t("every {days}", days=days)
    if every == 2:
        return t("every other {days}", days=days)
    return tn("every {n} week on {days}", "every {n} weeks on {days}", every, days=days)


def _ordinal(position: int) -> str | None:
    """A weekday's position in the month in words (1: "first", -1: "last")."""
    words = {
        1: t("first"),
        2: t("second"),
        3: t("third"),
        4: t("fourth"),
        5: t("fifth"),
        -1: t("last"),
        -2: t("second to last"),
    }
    return words.get(position)


def _monthly(every: int, byday: str | None, bymonthday: str | None) -> str | None:
    if (byday is None) == (bymonthday is None) or "," in (byday or bymonthday or ""):
        return None  # one numbered weekday or one day of the month, not both
    if bymonthday is not None:
        day = int(bymonthday)
        if day < 1:
            return None
        if every == 1:
            return t("on day {day} of every month", day=day)
        if every == 2:
            return t("on day {day} of every other month", day=day)
        return tn(
            "on day {day} of every {n} month", "on day {day} of every {n} months", every, day=day
        )
    assert byday is not None
    position, weekday = byday[:-2], byday[-2:]
    ordinal = _ordinal(int(position)) if position else None
    if ordinal is None or weekday not in WEEKDAYS:
        return None
    named = day_name(WEEKDAYS.index(weekday))
    if every == 1:
        return t("the {ordinal} {day} of every month", ordinal=ordinal, day=named)
    if every == 2:
        return t("the {ordinal} {day} of every other month", ordinal=ordinal, day=named)
    return tn(
        "the {ordinal} {day} of every {n} month",
        "the {ordinal} {day} of every {n} months",
        every,
        ordinal=ordinal,
        day=named,
    )
