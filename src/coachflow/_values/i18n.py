"""Messages in English and Swedish: gettext catalogs, chosen per call.

Every message coachflow writes for people (findings, next actions, refusals, the
command line's own lines, the demo's timeline) is an English template passed through
`t`, which looks it up in the catalog of the current locale (``locale/<lang>/
LC_MESSAGES/coachflow.mo``, compiled from the ``.po`` catalogs with Babel) and fills in
its named fields. The locale is a context variable: `speaking` sets it for a block, and
the queries that take ``locale=`` use it, so concurrent callers never mix languages.
"""

from __future__ import annotations

import contextvars
import functools
import gettext
from pathlib import Path

from coachflow._values.contexts import Within
from coachflow._values.failures import InvalidValue

__all__ = ["LOCALES", "N_", "current_locale", "require_locale", "speaking", "t", "tn"]

LOCALES: tuple[str, ...] = ("en", "sv")
"""The locales coachflow speaks: English (its source language) and Swedish (the method's)."""

DOMAIN = "coachflow"
LOCALE_DIR = Path(__file__).parent.parent / "locale"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("coachflow_locale", default="en")


def require_locale(locale: object) -> str:
    """*locale* if coachflow speaks it, else `ValueError` listing the ones it does."""
    if locale not in LOCALES:
        raise InvalidValue(
            f"'locale' must be one of {', '.join(repr(x) for x in LOCALES)} (got {locale!r})"
        )
    assert isinstance(locale, str)
    return locale


@functools.cache
def translations(locale: str) -> gettext.GNUTranslations:
    """The compiled catalog of *locale* (``locale/<locale>/LC_MESSAGES/coachflow.mo``)."""
    with (LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as catalog:
        return gettext.GNUTranslations(catalog)


def current_locale() -> str:
    """The locale of this block (`speaking`), ``"en"`` outside any."""
    return _current.get()


def t(template: str, /, **fields: object) -> str:
    """*template* in the current locale, its ``{named}`` fields filled in."""
    text = translations(_current.get()).gettext(template)
    return text.format(**fields) if fields else text


def tn(singular: str, plural: str, n: int, /, **fields: object) -> str:
    """*singular* or *plural* (as the current locale's plural rule picks for *n*) in the
    current locale, its ``{named}`` fields and ``{n}`` filled in."""
    text = translations(_current.get()).ngettext(singular, plural, n)
    return text.format(n=n, **fields)


def N_(template: str) -> str:
    """Mark *template* for the catalogs where it is written, to be translated later."""
    return template


def speaking(locale: str) -> Within[str]:
    """Speak *locale* (``"en"`` or ``"sv"``) in this block: findings, next actions and
    refusals raised in it are in that language (an unknown locale: `ValueError`, at once).

    >>> from coachflow import speaking
    >>> with speaking("sv"):
    ...     pass
    """
    return Within(_current, require_locale(locale))
