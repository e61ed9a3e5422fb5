"""What a sentence for people must not hold: a check shared by the tests of findings,
next actions and refusals in both languages."""

from __future__ import annotations

import re

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
