"""The process as a state diagram, drawn by transitions from the machine's own table."""

from __future__ import annotations

from typing import Any, Literal

from coachflow._engine.machine import PROCESS, ProcessDefinition, Step
from coachflow._values.enums import Phase
from coachflow._values.failures import InvalidType, InvalidValue

__all__ = ["FORMATS", "diagram"]

FORMATS = ("mermaid", "dot")
TITLE = "Coaching 3-6-12: the engagement process"
Format = Literal["mermaid", "dot"]


class _Canvas:
    """The model transitions' GraphMachine draws on (never an engagement)."""


def _edge(step: Step) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "trigger": step.command,
        "source": [phase.value for phase in step.sources],
        "dest": step.dest.value if step.dest else None,
    }
    if step.when:
        spec["conditions"] = [step.when]
    if step.unless:
        spec["unless"] = [step.unless]
    return spec


def diagram(
    format: Format = "mermaid",
    *,
    phase: Phase | None = None,
    process: ProcessDefinition = PROCESS,
) -> str:
    """The process as a state diagram in Mermaid or Graphviz dot source.

    Both are drawn from the very table the engine runs, so they cannot drift from
    the code: Mermaid by ``transitions``' diagram support, dot as plain text (it
    needs no Graphviz package; render it with Graphviz's ``dot`` where you have
    it). ``phase`` highlights one phase (the initial one by default). The text ends
    with a newline, as a file does.
    """
    if format not in FORMATS:
        raise InvalidValue(f"'format' must be one of {', '.join(FORMATS)} (got {format!r})")
    if phase is not None and not isinstance(phase, Phase):
        raise InvalidType(f"'phase' must be a Phase or None (got {phase!r})")
    if format == "dot":
        return _dot(process, phase or process.initial)
    from transitions.extensions.diagrams import GraphMachine

    canvas = _Canvas()
    GraphMachine(
        model=canvas,
        states=[p.value for p in process.phases],
        initial=(phase or process.initial).value,
        transitions=[_edge(step) for step in process.steps],
        auto_transitions=False,
        show_conditions=True,
        title=TITLE,
        graph_engine="mermaid",
    )
    graph = canvas.get_graph()  # type: ignore[attr-defined]
    drawn = str(graph.draw(None))
    return drawn if drawn.endswith("\n") else drawn + "\n"  # a text file ends its last line


def _dot(process: ProcessDefinition, highlighted: Phase) -> str:
    """The table as Graphviz dot source: a node per phase, an edge per command and source."""
    lines = [
        f'digraph "{TITLE}" {{',
        "  rankdir=LR;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for phase in process.phases:
        look = [f'label="{phase.value}"']
        if phase.is_terminal:
            look.append("peripheries=2")
        if phase is highlighted:
            look.append("color=red penwidth=2")
        lines.append(f"  {phase.value} [{' '.join(look)}];")
    for step in process.steps:
        label = step.command
        if step.when:
            label += f" [{step.when}]"
        if step.unless:
            label += f" [not {step.unless}]"
        for source in step.sources:
            dest = step.dest or source
            lines.append(f'  {source.value} -> {dest.value} [label="{label}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
