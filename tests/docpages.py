"""The Python code blocks of a documentation page, run in order as a reader would, each
checked against what the page shows it prints. Used by `test_docs` and, with no test
tools installed, by `docs_on_install.py`:

    python tests/docpages.py docs/how-to/privacy.md ...
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
PRINT_WITH_OUTPUT = re.compile(r"^\s*print\(.*\)\s*# (.*)$")
#: A page's note of what it needs installed: ``<!-- install: coachflow[encryption] -->``.
INSTALL = re.compile(r"^<!-- install: (.+?) -->$", re.MULTILINE)


def blocks(page: Path) -> list[str]:
    """The page's Python code blocks, in order."""
    return BLOCK.findall(page.read_text(encoding="utf-8"))


def needs(page: Path) -> str:
    """What the page says it needs installed (``coachflow`` alone when it says nothing)."""
    found = INSTALL.search(page.read_text(encoding="utf-8"))
    return found.group(1).strip() if found else "coachflow"


def shown_output(block: str) -> list[str]:
    """What a block shows it prints: the comment after a one-line ``print(...)``, or the
    comment lines that end a block whose printing happens in a loop."""
    lines = block.rstrip("\n").splitlines()
    shown = [m.group(1) for line in lines if (m := PRINT_WITH_OUTPUT.match(line))]
    if shown:
        return shown
    if any("print(" in line for line in lines):
        trailing: list[str] = []
        for line in reversed(lines):
            if not line.startswith("# "):
                break
            trailing.insert(0, line[2:])
        return trailing
    return []


def differences(block: str, printed: list[str], name: str, number: int) -> list[str]:
    """How what *block* printed differs from what the page shows (empty when alike)."""
    shown = shown_output(block)
    if len(printed) != len(shown):
        return [f"{name}, block {number}: printed {printed}, the page shows {shown}"]
    return [
        f"{name}, block {number}: printed {actual!r}, the page shows {expected!r}"
        for actual, expected in zip(printed, shown, strict=True)
        if not (
            actual == expected
            or (expected.endswith("...") and actual.startswith(expected[:-3].rstrip()))
        )
    ]


def run_page(page: Path) -> list[str]:
    """Run every block of *page* in one namespace; the problems found, in order."""
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, block in enumerate(blocks(page), start=1):
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(block, f"{page.name}, block {number}", "exec"), namespace)
        except Exception as error:  # the page's own code failed: say where and why
            return [f"{page.name}, block {number}: {type(error).__name__}: {error}"]
        problems = differences(block, out.getvalue().splitlines(), page.name, number)
        if problems:
            return problems
    return []


if __name__ == "__main__":
    found = [problem for path in sys.argv[1:] for problem in run_page(Path(path))]
    print("\n".join(found) or f"{len(sys.argv) - 1} pages ran as they show")
    sys.exit(1 if found else 0)
