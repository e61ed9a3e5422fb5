"""Values in words, per locale, by Babel: dates, times, decimals and lists as a person
writes them ("31 May 2027" / "31 maj 2027", "09:00" / "09.00", "59.1" / "59,1",
"a, b and c" / "a, b och c"). Messages keep raw values in their params for machines;
their sentences use these. Babel is imported when first used, so that importing
coachflow stays quick."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from coachflow._values.i18n import current_locale, t, tn

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "BABEL_LOCALES",
    "date_words",
    "day_name",
    "days_words",
    "decimal_words",
    "hours_words",
    "list_words",
    "moment_words",
    "sessions_words",
    "time_words",
]

#: The Babel locale of each locale coachflow speaks: British English writes the day
#: before the month ("31 May 2027"), as the method's Swedish does.
BABEL_LOCALES = {"en": "en_GB", "sv": "sv_SE"}


_LOCALES: dict[str, Locale] = {}


def _babel(code: str | None = None) -> Locale:
    """The Babel locale of *code* (default: the current locale), parsed once (Babel
    parses a name again on every call given one). The caches below are keyed by the
    code: a `Locale` hashes in Python, a code in C."""
    code = current_locale() if code is None else code
    found = _LOCALES.get(code)
    if found is None:
        from babel import Locale

        found = _LOCALES[code] = Locale.parse(BABEL_LOCALES[code])
    return found


def date_words(day: dt.date) -> str:
    """*day* in words: "31 May 2027" / "31 maj 2027"."""
    return _date_words(day, current_locale())


@functools.lru_cache(maxsize=4096)  # a portfolio's findings name the same days again
def _date_words(day: dt.date, code: str) -> str:
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=_babel(code))


def time_words(moment: dt.time | dt.datetime) -> str:
    """A time of day: "09:00" / "09.00" (the pattern is the catalog's)."""
    # TRANSLATORS: a Babel (LDML) time pattern; Swedish writes "HH.mm".
    pattern = t("HH:mm")
    if isinstance(moment, dt.datetime):
        moment = moment.time()
    return _time_words(moment, pattern, current_locale())


@functools.lru_cache(maxsize=4096)
def _time_words(moment: dt.time, pattern: str, code: str) -> str:
    from babel.dates import format_time

    return format_time(moment, pattern, locale=_babel(code))


def decimal_words(number: float, digits: int = 1) -> str:
    """*number* with at most *digits* decimals: "59.1" / "59,1"."""
    from babel.numbers import format_decimal

    return format_decimal(round(number, digits), locale=_babel())


def list_words(items: Iterable[str]) -> str:
    """*items* as a list in words: "a, b and c" / "a, b och c"."""
    return _list_words(tuple(items), current_locale())


@functools.lru_cache(maxsize=4096)  # findings list the same few names again and again
def _list_words(items: tuple[str, ...], code: str) -> str:
    from babel.lists import format_list

    return format_list(list(items), locale=_babel(code))


def day_name(weekday: int) -> str:
    """The name of a weekday (0: Monday) as it stands in a sentence: "Monday" / "måndag"."""
    from babel.dates import get_day_names

    return str(get_day_names("wide", locale=_babel())[weekday])


def moment_words(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """An instant on the wall clock of *zone* (else its own offset), in words:
    "20 May 2026 at 09:30" / "20 maj 2026 kl. 09.30"."""
    local = moment.astimezone(zone) if zone is not None else moment
    return t("{day} at {time}", day=date_words(local.date()), time=time_words(local))


def _n(number: float) -> int:
    """The number a plural rule reads: English and Swedish say one of one alone."""
    return 1 if number == 1 else 2


def days_words(n: int) -> str:
    """A number of days: "1 day", "3 days" / "1 dag", "3 dagar"."""
    return tn("{n} day", "{n} days", n)


def sessions_words(n: int) -> str:
    """A number of sessions: "1 session", "3 sessions" / "1 samtal", "3 samtal"."""
    return tn("{n} session", "{n} sessions", n)


def hours_words(hours: float) -> str:
    """A number of hours, with a decimal when it has one: "21.5 hours" / "21,5 timmar"."""
    return tn("{hours} hour", "{hours} hours", _n(hours), hours=decimal_words(hours))
