"""The aggregate, `Engagement`: its commands (one module per part of the process) and
its queries, composing the engine, the rules and the views."""

from coachflow._engagement.aggregate import Engagement

__all__ = ["Engagement"]
