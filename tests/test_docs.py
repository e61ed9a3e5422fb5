"""Every Python code block in the docs and the README runs, page by page, in order."""

from __future__ import annotations

import doctest
import importlib
import importlib.metadata
import re
from pathlib import Path

import pytest

import coachflow
from coachflow import FORMAT_VERSION
from docpages import blocks, differences, shown_output

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]


@pytest.mark.parametrize(
    "page", [p for p in PAGES if blocks(p)], ids=lambda p: str(p.relative_to(ROOT))
)
def test_code_blocks_run_and_print_what_the_page_shows(
    page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, block in enumerate(blocks(page), start=1):
        code = compile(block, f"{page.name}, block {number}", "exec")
        exec(code, namespace)  # the docs' own code, run as a reader would
        printed = capsys.readouterr().out.splitlines()
        assert differences(block, printed, page.name, number) == []


def test_a_page_shows_what_its_blocks_print() -> None:
    assert shown_output("x = 1\nprint(x)  # 1\n") == ["1"]
    assert shown_output("for i in (1, 2):\n    print(i)\n# 1\n# 2\n") == ["1", "2"]
    assert shown_output("y = 2  # a remark\n") == []


def test_the_tutorial_is_covered() -> None:
    assert len(blocks(ROOT / "docs" / "tutorial.md")) >= 10


@pytest.mark.parametrize("module", ["coachflow._values.gas", "coachflow._values.calendar"])
def test_docstring_examples(module: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0
    assert failures == 0


def test_the_parts_of_the_docs_read_from_the_code_are_current() -> None:
    from generated_docs import pages, render

    stale = [
        str(page.relative_to(ROOT))
        for page in pages()
        if render(page.read_text(encoding="utf-8")) != page.read_text(encoding="utf-8")
    ]
    assert stale == [], "run: python tests/generated_docs.py"


def test_every_generated_part_is_on_a_page() -> None:
    from generated_docs import BLOCK, GENERATORS, pages

    used = {m["name"] for page in pages() for m in BLOCK.finditer(page.read_text())}
    assert used == set(GENERATORS)


def test_a_stale_generated_part_is_found() -> None:
    from generated_docs import render

    text = "x\n<!-- generated: schema-version -->\nschema 1\n<!-- /generated -->\n"
    assert render(text) != text
    assert render(render(text)) == render(text)


def test_the_history_of_formats_names_every_version() -> None:
    from coachflow._documents.upcast import HISTORY, UPCASTS

    assert [change.version for change in HISTORY] == list(range(1, FORMAT_VERSION + 1))
    assert sorted(UPCASTS) == list(range(1, FORMAT_VERSION))


def test_the_version_follows_the_changelog() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## \[(?P<version>[^\]]+)\] - (?P<when>\S+)$", changelog, re.MULTILINE)
    assert newest is not None, "CHANGELOG.md needs headings '## [X.Y.Z] - date'"
    expected = newest["version"]
    if newest["when"] == "unreleased":
        expected += ".dev0"
    assert coachflow.__version__ == expected
    assert importlib.metadata.version("coachflow") == coachflow.__version__


def test_the_page_runner_finds_what_differs(tmp_path: Path) -> None:
    from docpages import needs, run_page

    page = tmp_path / "page.md"
    page.write_text("<!-- install: coachflow[encryption] -->\n```python\nprint(1)  # 2\n```\n")
    assert run_page(page) == ["page.md, block 1: printed '1', the page shows '2'"]
    assert needs(page) == "coachflow[encryption]"
    page.write_text("```python\nraise KeyError('x')\n```\n")
    assert run_page(page) == ["page.md, block 1: KeyError: 'x'"]
    assert needs(page) == "coachflow"
