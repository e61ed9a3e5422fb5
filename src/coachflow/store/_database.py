"""Where a SQL store lives: its URL, its dialect, and the database's errors as coachflow's."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from coachflow._values.errors import StoreError
from coachflow._values.failures import InvalidType, InvalidValue
from coachflow._values.validation import describe
from coachflow.store._dialect import Dialect
from coachflow.store._postgres import PostgreSQL
from coachflow.store._sqlite import SQLite

__all__ = ["DIALECTS", "Dialect", "database", "database_url", "parse"]

#: The dialect of each database by SQLAlchemy's backend name; others get plain SQL.
DIALECTS: dict[str, type[Dialect]] = {"sqlite": SQLite, "postgresql": PostgreSQL}


def database_url(url: object) -> str:
    """A SQLAlchemy URL, or a path to a SQLite file turned into one."""
    if isinstance(url, os.PathLike):
        return f"sqlite:///{os.fspath(url)}"
    if not isinstance(url, str):
        raise InvalidType(
            f"'url' must be a database URL or a path to a SQLite file (got {describe(url)})"
        )
    if "://" not in url and url.strip():
        return f"sqlite:///{url}"  # a path: the embedded default
    return url


def parse(url: str) -> URL:
    """*url* parsed, or a clear error."""
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        raise InvalidValue(
            "'url' must be a database URL such as sqlite:///coaching.db or "
            f"postgresql+psycopg://user:password@host/database, or a path (got {url!r})"
        ) from None


@contextlib.contextmanager
def database(what: str, driver: type[Exception] | None = None) -> Iterator[None]:
    """Turn the database's own errors into `StoreError`, naming what was being done:
    SQLAlchemy's, and the *driver*'s own where its cursor is used directly."""
    errors = (SQLAlchemyError,) if driver is None else (SQLAlchemyError, driver)
    try:
        yield
    except errors as error:
        detail = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise StoreError(f"{what}: {detail[0] if detail else type(error).__name__}") from error
