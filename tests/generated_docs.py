"""The parts of the docs read from the code, so that they cannot go stale.

Each is a block in a page between ``<!-- generated: NAME -->`` and ``<!-- /generated
-->``: the rules reference (from the rules' registry), the tables of formats and store
schemas (from the upcasts' history and the migrations), the current versions, and the
architecture's layers and module diagram (from the import-linter contract and the
imports themselves). ``python tests/generated_docs.py`` writes them;
``tests/test_docs.py`` fails when a page differs from what this writes.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import grimp

import coachflow
from coachflow._documents.upcast import FORMAT_VERSION, HISTORY, UPCASTS, version_problem
from coachflow._engine.machine import PROCESS
from coachflow._rules.judging import RULES
from coachflow._values.enums import Phase
from coachflow._values.names import name
from coachflow._values.policy import DEFAULT_PERMISSIONS
from coachflow._values.refusals import REFUSALS
from coachflow.store._tables import MIGRATIONS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BLOCK = re.compile(
    r"(?P<open><!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(?P<close><!-- /generated -->)",
    re.DOTALL,
)


def _versions() -> str:
    return (
        f"`coachflow.FORMAT_VERSION` (now {FORMAT_VERSION}) is the document format version "
        "`to_dict` and `to_json` write; every earlier version loads. "
        f"`coachflow.store.SCHEMA_VERSION` (now {SCHEMA_VERSION}) is the store schema "
        f"`SQLStore` writes; every earlier one is upgraded. `coachflow.__version__` is "
        f"`{coachflow.__version__}`.\n"
    )


def _formats_table() -> str:
    lines = [
        "| version | coachflow | change | an older document means | upcast step |",
        "|---|---|---|---|---|",
    ]
    for change in HISTORY:
        step = UPCASTS.get(change.version - 1)
        how = f"`{step.__doc__}`" if step is not None and step.__doc__ else "—"
        lines.append(
            f"| {change.version} | {change.release} | {change.change} | {change.meaning} "
            f"| {how.replace('|', '/')} |"
        )
    return "\n".join(lines) + "\n"


def _newer_format() -> str:
    return (
        "A version newer than this coachflow knows is refused with "
        f"`{version_problem(FORMAT_VERSION + 1)}`, and a version that is not an integer "
        "(`1.0`, `true`) is refused as such.\n"
    )


def _schemas_table() -> str:
    lines = ["| schema | change |", "|---|---|", "| 1 | the first schema (coachflow 0.1) |"]
    for version in range(1, SCHEMA_VERSION):
        doc = (MIGRATIONS[version].__doc__ or "").split(":", 1)[-1]
        lines.append(f"| {version + 1} | {' '.join(doc.split())} |")
    return "\n".join(lines) + "\n"


def _schema_version() -> str:
    return (
        "The schema version this coachflow writes is `coachflow.store.SCHEMA_VERSION` "
        f"(now {SCHEMA_VERSION}).\n"
    )


def _rules_table() -> str:
    lines = [
        "| code | severity | judged in | raised when | tolerance (default) |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        lines.append(
            f"| `{rule.code}` | {rule.severity.value} | {rule.judged_in} | {rule.raised_when} "
            f"| {rule.tolerance} |"
        )
    return "\n".join(lines) + "\n"


def _refusals_table() -> str:
    lines = ["| code | commands | when |", "|---|---|---|"]
    for refusal in REFUSALS:
        commands = ", ".join(f"`{c}`" for c in refusal.commands)
        lines.append(f"| `{refusal.code}` | {commands} | {refusal.when} |")
    return "\n".join(lines) + "\n"


def _rules_definitions() -> str:
    parts = [f"## `{rule.code}`\n\n{rule.definition}\n" for rule in RULES]
    return "\n".join(parts)


#: The words for a process table row's flag: (when it is set, when it is not).
_FLAG_WORDS = {
    "follow_up": ("with a three-party follow-up", "without a three-party follow-up"),
    "unsigned": ("other signatories must sign", "the coach is the only signatory"),
    "signed": ("the last signature awaited", "more signatures awaited"),
}


def _phases(sources: list[Phase]) -> str:
    if sources == [p for p in Phase if not p.is_terminal]:
        return "any phase not ended"
    if sources == [p for p in Phase if p is not Phase.AGREEMENT]:
        return "any phase after the agreement"
    return ", ".join(name(p) for p in sources)


def _commands_table() -> str:
    lines = ["| command | allowed in | leads to | by default, issued by |", "|---|---|---|---|"]
    for command in PROCESS.commands:
        steps = [step for step in PROCESS.steps if step.command == command]
        sources = sorted({p for step in steps for p in step.sources}, key=list(Phase).index)
        dests = []
        for step in steps:
            dest = name(step.dest) if step.dest else "the same phase"
            flag = step.when or step.unless
            if flag:
                dest += f" ({_FLAG_WORDS[flag][0 if step.when else 1]})"
            elif len(steps) > 1:
                dest += f" (in {_phases(sorted(step.sources, key=list(Phase).index))})"
            dests.append(dest)
        roles = ", ".join(name(role) for role in DEFAULT_PERMISSIONS[command])
        lines.append(f"| `{command}` | {_phases(sources)} | {'; '.join(dests)} | {roles} |")
    return "\n".join(lines) + "\n"


def _layers_of_the_contract() -> list[str]:
    """The layers contract's layers, top down (siblings joined by ``|``)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers: list[str] = config["tool"]["importlinter"]["contracts"][0]["layers"]
    return layers


def _layers() -> str:
    lines = ["| floor | layer | holds |", "|---|---|---|"]
    for floor, layer in enumerate(_layers_of_the_contract(), start=1):
        for held in (part.strip() for part in layer.split("|")):
            lines.append(f"| {floor} | `{held}` | {_summary(held)} |")
    return "\n".join(lines) + "\n"


def _summary(name: str) -> str:
    module = __import__(f"coachflow.{name}", fromlist=["_"])
    return (module.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")


def _module_diagram() -> str:
    graph = grimp.build_graph("coachflow")
    layers = [part.strip() for layer in _layers_of_the_contract() for part in layer.split("|")]

    def layer_of(module: str) -> str | None:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 and parts[1] in layers else None

    edges: set[tuple[str, str]] = set()
    for module in graph.modules:
        source = layer_of(module)
        for imported in graph.find_modules_directly_imported_by(module):
            target = layer_of(imported)
            if source and target and source != target:
                edges.add((source, target))
    lines = ["```mermaid", "flowchart TD"]
    lines += [f"    {name.strip('_')}[{name}]" for name in layers]
    lines += [f"    {a.strip('_')} --> {b.strip('_')}" for a, b in sorted(edges)]
    lines.append("```")
    return "\n".join(lines) + "\n"


def _store_tables() -> str:
    from coachflow.store._tables import metadata

    lines = ["| table | holds | columns |", "|---|---|---|"]
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        columns = ", ".join(f"`{column.name}`" for column in table.columns)
        lines.append(f"| `{table.name}` | {table.comment} | {columns} |")
    return "\n".join(lines) + "\n"


GENERATORS: dict[str, Callable[[], str]] = {
    "versions": _versions,
    "store-tables": _store_tables,
    "formats-table": _formats_table,
    "newer-format": _newer_format,
    "schemas-table": _schemas_table,
    "schema-version": _schema_version,
    "commands-table": _commands_table,
    "rules-table": _rules_table,
    "rules-definitions": _rules_definitions,
    "refusals": _refusals_table,
    "layers": _layers,
    "module-diagram": _module_diagram,
}


def render(text: str) -> str:
    """*text* with every generated block written anew (an unknown name is an error)."""

    def fill(match: re.Match[str]) -> str:
        body = GENERATORS[match["name"]]()
        return f"{match['open']}{body}{match['close']}"

    return BLOCK.sub(fill, text)


def pages() -> list[Path]:
    """The pages with a generated block."""
    return [p for p in sorted(DOCS.rglob("*.md")) if BLOCK.search(p.read_text(encoding="utf-8"))]


def main() -> int:
    """Write every generated block; print the pages that changed."""
    for page in pages():
        text = page.read_text(encoding="utf-8")
        new = render(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"wrote {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
