"""Generated code, written the way attrs writes ``__init__``: Python source built line by
line from the classes' fields, compiled once into one namespace, and registered with
`linecache` so that tracebacks show it. The document loaders and writers use it, and the
events' ``__init__`` (`coachflow._values.initializers`)."""

from __future__ import annotations

import linecache
from typing import Any

__all__ = ["Generated"]


class Generated:
    """Source being written: its lines, and the namespace it runs in."""

    def __init__(self, filename: str, namespace: dict[str, Any]) -> None:
        self.filename = filename
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = dict(namespace)

    def bind(self, value: object, prefix: str) -> str:
        """A fresh name for *value* in the namespace."""
        name = f"_{prefix}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def compile(self) -> tuple[str, dict[str, Any]]:
        """Compile the lines (once); return the source and the namespace it defined."""
        source = "\n".join(self.lines)
        filename = self.filename
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), self.namespace)
        return source, self.namespace
