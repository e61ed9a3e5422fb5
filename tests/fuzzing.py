"""Random edits of JSON documents, for the tests that fuzz what loading accepts."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import note
from hypothesis import strategies as st

#: Keys an edit may add to an object: some real, some not.
EXTRA_KEYS = ("colour", "id", "notes", "reason", "x")


def edit_at_random(
    data: st.DataObject,
    document: Any,
    values: st.SearchStrategy[Any],
    *,
    edits: int = 1,
    add: bool = False,
) -> None:
    """Make *edits* edits at random places of *document*, in place: walk down to an
    object or list, then delete a key, replace its value with one of *values*, or (when
    *add*) add a key. Each edit is noted, so a failing example says what it did."""
    for _ in range(edits):
        parent: Any = document
        path = "$"
        while True:
            keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
            if not keys:
                break
            key = data.draw(st.sampled_from(keys))
            child = parent[key]
            if isinstance(child, dict | list) and child and data.draw(st.booleans()):
                parent, path = child, f"{path}[{key!r}]"
                continue
            actions = ["replace", "delete", "add"] if add else ["replace", "delete"]
            action = data.draw(st.sampled_from(actions))
            if action == "delete":
                note(f"delete {path}[{key!r}]")
                del parent[key]
            elif action == "add" and isinstance(parent, dict):
                extra = data.draw(st.sampled_from(EXTRA_KEYS))
                note(f"add {path}[{extra!r}]")
                parent.setdefault(extra, copy.deepcopy(data.draw(values)))
            else:
                value = copy.deepcopy(data.draw(values))  # the document is edited later
                note(f"replace {path}[{key!r}] with {value!r}")
                parent[key] = value
            break
