"""Run every documentation page on an install of exactly what it says it needs, and the
examples' own tests on an install of ``coachflow[testing]`` and pytest.

A page that needs more than ``coachflow`` says so, for the reader and for this script,
in a line ``<!-- install: coachflow[encryption] -->`` (pip requirements, separated by
spaces). Pages are grouped by what they need; each group runs in a fresh virtual
environment with only that installed, so a page that silently needs something else
fails here. ``.ci/run`` runs it:

    python tests/docs_on_install.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from collections import defaultdict
from pathlib import Path

from docpages import blocks, needs

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    pages = [p for p in [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"] if blocks(p)]
    groups: dict[str, list[Path]] = defaultdict(list)
    for page in pages:
        groups[needs(page)].append(page)
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for number, (requirements, members) in enumerate(sorted(groups.items())):
            where = Path(scratch) / f"env-{number}"
            venv.create(where, with_pip=True)
            python = where / "bin" / "python"
            wanted = [r.replace("coachflow", str(ROOT), 1) if r.startswith("coachflow") else r
                      for r in requirements.split()]  # fmt: skip
            installed = subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", *wanted],
                capture_output=True,
                text=True,
            )
            if installed.returncode:
                print(installed.stderr, file=sys.stderr)
                return 1
            names = ", ".join(str(p.relative_to(ROOT)) for p in members)
            print(f"-- {requirements}: {names}", flush=True)
            run = subprocess.run(
                [str(python), str(ROOT / "tests" / "docpages.py"), *map(str, members)],
                cwd=scratch,
            )
            failed += run.returncode != 0
        failed += not _examples_pass(Path(scratch) / "env-examples")
    return 1 if failed else 0


def _examples_pass(where: Path) -> bool:
    """The examples' own tests pass on an install of `coachflow[testing,examples]` and
    pytest (the extra `examples` brings flask, which the web app example is written with)."""
    venv.create(where, with_pip=True)
    python = str(where / "bin" / "python")
    wanted = [f"{ROOT}[testing,examples]", "pytest"]
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", *wanted], capture_output=True, text=True
    )
    if installed.returncode:
        print(installed.stderr, file=sys.stderr)
        return False
    print("-- coachflow[testing,examples] pytest: examples/test_*.py", flush=True)
    examples = ROOT / "examples"
    run = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=examples)
    return run.returncode == 0


if __name__ == "__main__":
    sys.exit(main())
