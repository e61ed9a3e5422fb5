"""A context variable set for the length of a block: how coachflow's settings (the locale
of its messages, whether values may hold `REDACTED`) are scoped, each caller its own."""

from __future__ import annotations

import contextlib
import contextvars
from typing import Generic, TypeVar

__all__ = ["Within"]

T = TypeVar("T")


class Within(contextlib.ContextDecorator, Generic[T]):
    """``with Within(variable, value):`` *variable* holds *value* in the block and what it
    held before after it. Unlike a generator-based context manager it makes no generator
    per block (queries enter one on every call). One object may be entered again while
    entered, by one thread or task at a time; as a decorator, each call enters its own."""

    def __init__(self, variable: contextvars.ContextVar[T], value: T) -> None:
        self._variable, self._value = variable, value
        self._tokens: list[contextvars.Token[T]] = []

    def __enter__(self) -> None:
        self._tokens.append(self._variable.set(self._value))

    def __exit__(self, *_: object) -> None:
        self._variable.reset(self._tokens.pop())

    def _recreate_cm(self) -> Within[T]:  # `ContextDecorator`: each decorated call its own
        return Within(self._variable, self._value)
