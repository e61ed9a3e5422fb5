"""What a sentence for people must not hold: a check shared by the tests of findings,
next actions and refusals in both languages."""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["flaws"]

#: What gives a program's sentence away, by name.
_FLAWS = {
    "an ISO date": re.compile(r"\d{4}-\d\d-\d\d"),
    "a Python repr": re.compile(
        r"[\[\]{}]|\('|\bNone\b|\bTrue\b|\bFalse\b|frozenset|<[A-Za-z]|\b(?:Mode|Role|Phase)\."
    ),
    "a raw value": re.compile(
        r"'(?:agreement|active|midpoint_review|paused|closing|follow_up|completed|terminated"
        r"|in_person|phone|digital|goals|attainment|action_plan)'"
    ),
    "a plural after 1": re.compile(
        r"(?<![\d.,-])1 (?:days|sessions|weeks|months|times|hours|goals"
        r"|dagar|veckor|månader|timmar|gånger)\b"
    ),
    "a singular after many": re.compile(
        r"(?<![\d.,])(?:[02-9]|\d\d+) (?:day|session|week|month|hour|dag|vecka|månad|timme)\b"
    ),
    "(s) for a plural": re.compile(r"\w\(s\)"),
}
#: Swedish writes a decimal comma (a time's "09.30" is no decimal).
_DECIMAL_POINT = re.compile(r"(?<![\d.])\d{1,4}\.\d(?!\d)")


def flaws(message: str, locale: str) -> list[str]:
    """The names of what *message* (in *locale*) holds that a person would not write."""
    found = [name for name, pattern in _FLAWS.items() if pattern.search(message)]
    if locale == "sv" and _DECIMAL_POINT.search(message):
        found.append("a decimal point in Swedish")
    return found


def census(examples: int, seed_: int) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """The messages (by locale) and their flaws (by locale and name) of the findings and
    next actions of *examples* generated engagements, judged at the last event and 120
    days on."""
    import datetime as dt

    from hypothesis import HealthCheck, Phase, given, seed, settings

    from coachflow import Action, Engagement, Finding
    from coachflow.testing import engagements

    said: Counter[str] = Counter()
    found: Counter[tuple[str, str]] = Counter()

    @seed(seed_)
    @settings(
        max_examples=examples,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(engagements())
    def judge(engagement: Engagement) -> None:
        today = engagement.day_of(engagement.events[-1].at)
        for locale in ("en", "sv"):
            items: list[Finding | Action] = [
                *engagement.check(today, locale=locale),
                *engagement.check(today + dt.timedelta(days=120), locale=locale),
                *engagement.next_actions(today, locale=locale),
            ]
            for item in items:
                said[locale] += 1
                found.update((locale, flaw) for flaw in flaws(item.message, locale))

    judge()
    return said, found


if __name__ == "__main__":  # pragma: no cover
    import argparse

    parser = argparse.ArgumentParser(description="Count the flaws of generated messages.")
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    said, found = census(args.examples, args.seed)
    print(f"messages: {dict(said)}")
    for (locale, flaw), count in sorted(found.items()):
        print(f"  {locale}  {flaw:<28} {count}")
    print("no flaws" if not found else f"{sum(found.values())} flaws")
