"""The process as a state diagram, drawn by transitions from the machine's own table."""

from __future__ import annotations

from typing import Any, Literal

from coachflow._machine import PROCESS, ProcessDefinition, Step
from coachflow._model import Phase

__all__ = ["FORMATS", "diagram"]

FORMATS = ("mermaid", "dot")
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

    It is drawn by ``transitions``' diagram support from the very table the engine
    runs, so it cannot drift from the code. ``phase`` highlights one phase (the
    initial one by default). The ``dot`` format needs the ``graphviz`` package
    (``pip install "coachflow[dot]"``); Mermaid needs nothing.
    """
    if format not in FORMATS:
        raise ValueError(f"'format' must be one of {', '.join(FORMATS)} (got {format!r})")
    if phase is not None and not isinstance(phase, Phase):
        raise TypeError(f"'phase' must be a Phase or None (got {phase!r})")
    from transitions.extensions.diagrams import GraphMachine

    if format == "dot":
        try:
            import graphviz  # noqa: F401
        except ImportError:
            raise ImportError(
                'the dot format needs the graphviz package: pip install "coachflow[dot]"'
            ) from None
    canvas = _Canvas()
    GraphMachine(
        model=canvas,
        states=[p.value for p in process.phases],
        initial=(phase or process.initial).value,
        transitions=[_edge(step) for step in process.steps],
        auto_transitions=False,
        show_conditions=True,
        title="Coaching 3-6-12: the engagement process",
        graph_engine="mermaid" if format == "mermaid" else "graphviz",
    )
    graph = canvas.get_graph()  # type: ignore[attr-defined]
    if format == "mermaid":
        return str(graph.draw(None))
    return str(graph.source)
