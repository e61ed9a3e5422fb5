"""Every Python code block in the docs and the README runs, page by page, in order."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "page", [p for p in PAGES if _blocks(p)], ids=lambda p: str(p.relative_to(ROOT))
)
def test_code_blocks_run(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, block in enumerate(_blocks(page), start=1):
        code = compile(block, f"{page.name}, block {number}", "exec")
        exec(code, namespace)  # the docs' own code, run as a reader would
    capsys.readouterr()


def test_the_tutorial_is_covered() -> None:
    assert len(_blocks(ROOT / "docs" / "tutorial.md")) >= 10


@pytest.mark.parametrize("module", ["coachflow._gas", "coachflow._calendar"])
def test_docstring_examples(module: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0
    assert failures == 0
