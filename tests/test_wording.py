"""Values in words (Babel) and rhythms in words (`describe_rhythm`), in both languages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given

from coachflow import InvalidType, InvalidValue, describe_rhythm, speaking
from coachflow._values.i18n import tn
from coachflow._values.wording import date_words, decimal_words, list_words, time_words
from coachflow.testing import rhythms

#: (rule, English, Swedish): every shape `describe_rhythm` says in words.
RHYTHM_TABLE = [
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9", "every other Monday at 09:00",
     "varannan måndag kl. 09.00"),
    ("FREQ=WEEKLY;BYDAY=TH,MO;BYHOUR=14;BYMINUTE=30", "every Monday and Thursday at 14:30",
     "varje måndag och torsdag kl. 14.30"),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "every Monday, Wednesday and Friday",
     "varje måndag, onsdag och fredag"),
    ("FREQ=WEEKLY", "every week", "varje vecka"),
    ("FREQ=WEEKLY;INTERVAL=2", "every other week", "varannan vecka"),
    ("FREQ=WEEKLY;INTERVAL=3", "every 3 weeks", "var 3:e vecka"),
    ("FREQ=WEEKLY;INTERVAL=3;BYDAY=WE;COUNT=1", "every 3 weeks on Wednesday, once",
     "var 3:e vecka på onsdag, en gång"),
    ("FREQ=DAILY", "every day", "varje dag"),
    ("FREQ=DAILY;INTERVAL=2", "every other day", "varannan dag"),
    ("FREQ=DAILY;INTERVAL=3;UNTIL=20271231", "every 3 days, until 31 December 2027",
     "var 3:e dag, till och med den 31 december 2027"),
    ("FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9", "the first Monday of every month at 09:00",
     "första måndagen varje månad kl. 09.00"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "the last Friday of every month", "sista fredagen varje månad"),
    ("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", "the second Tuesday of every other month",
     "andra tisdagen varannan månad"),
    ("FREQ=MONTHLY;INTERVAL=4;BYDAY=-2TH", "the second to last Thursday of every 4 months",
     "näst sista torsdagen var 4:e månad"),
    ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=6", "on day 15 of every month, 6 times",
     "den 15 varje månad, 6 gånger"),
    ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1", "on day 1 of every other month",
     "den 1 varannan månad"),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28", "on day 28 of every 3 months",
     "den 28 var 3:e månad"),
    ("RRULE:FREQ=WEEKLY;WKST=SU;BYDAY=SU;BYHOUR=18", "every Sunday at 18:00",
     "varje söndag kl. 18.00"),
]  # fmt: skip

#: Rules said as they are: no sentence would be shorter or clearer.
AS_GIVEN = [
    "FREQ=YEARLY;BYMONTH=3",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1",
    "FREQ=MONTHLY;BYDAY=1MO,3MO",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
    "FREQ=MONTHLY;BYDAY=MO",
    "FREQ=DAILY;BYDAY=MO,TU",
    "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=2",
]


@pytest.mark.parametrize(("rule", "english", "swedish"), RHYTHM_TABLE)
def test_a_rhythm_in_words_in_both_languages(rule: str, english: str, swedish: str) -> None:
    assert describe_rhythm(rule) == english
    assert describe_rhythm(rule, locale="en") == english
    assert describe_rhythm(rule, locale="sv") == swedish


@pytest.mark.parametrize("rule", AS_GIVEN)
def test_other_rules_are_given_back_as_they_are(rule: str) -> None:
    assert describe_rhythm(rule) == rule
    assert describe_rhythm(rule, locale="sv") == rule


def test_bad_rules_types_and_locales_are_refused_clearly() -> None:
    with pytest.raises(InvalidValue, match="FREQ must be one of"):
        describe_rhythm("FREQ=HOURLY")
    with pytest.raises(InvalidType, match=r"'rrule' must be a string \(got int\)"):
        describe_rhythm(7)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="'locale' must be one of 'en', 'sv'"):
        describe_rhythm("FREQ=DAILY", locale="de")


def test_the_locale_of_the_block_is_left_as_it_was() -> None:
    with speaking("sv"):
        assert describe_rhythm("FREQ=DAILY") == "every day"
        assert describe_rhythm("FREQ=DAILY", locale="sv") == "varje dag"
        assert time_words(dt.time(9)) == "09.00"


@given(rhythms())
def test_any_rhythm_the_kit_draws_is_said_in_words_or_given_back(rule: str) -> None:
    for locale in ("en", "sv"):
        said = describe_rhythm(rule, locale=locale)
        assert said == rule or "=" not in said, said
        assert not re.search(r"\d{4}-\d\d-\d\d|'", said), said  # no ISO date, no repr


# -- values in words ---------------------------------------------------------------------


def test_dates_times_decimals_and_lists_in_words() -> None:
    day, moment = dt.date(2027, 5, 31), dt.datetime(2027, 5, 31, 9, 5)
    with speaking("en"):
        assert (date_words(day), time_words(moment)) == ("31 May 2027", "09:05")
        assert (decimal_words(59.13), decimal_words(60.0)) == ("59.1", "60")
        assert list_words(["Anna", "Kim", "Mia"]) == "Anna, Kim and Mia"
    with speaking("sv"):
        assert (date_words(day), time_words(moment)) == ("31 maj 2027", "09.05")
        assert (decimal_words(59.13), decimal_words(1234.56, 2)) == ("59,1", "1\xa0234,56")
        assert list_words(["Anna", "Kim", "Mia"]) == "Anna, Kim och Mia"


@pytest.mark.parametrize(
    ("locale", "n", "said"),
    [
        ("en", 1, "every Monday, once"),
        ("en", 2, "every Monday, 2 times"),
        ("en", 0, "every Monday, 0 times"),
        ("sv", 1, "varje måndag, en gång"),
        ("sv", 2, "varje måndag, 2 gånger"),
        ("sv", 0, "varje måndag, 0 gånger"),
    ],
)
def test_each_plural_form_of_each_language(locale: str, n: int, said: str) -> None:
    with speaking(locale):
        rhythm = "every Monday" if locale == "en" else "varje måndag"
        assert tn("{rhythm}, once", "{rhythm}, {n} times", n, rhythm=rhythm) == said
