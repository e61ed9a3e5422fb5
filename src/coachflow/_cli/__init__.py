"""The ``coachflow`` command line (the top of the house: it may use every layer)."""

from coachflow._cli.main import main

__all__ = ["main"]
