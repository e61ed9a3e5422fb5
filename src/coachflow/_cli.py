"""The ``coachflow`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    from coachflow._demo import DEMO_TODAY, demo_engagement
    from coachflow._report import timeline

    engagement = demo_engagement()
    print("coachflow demo: the seed's 6-month engagement with a three-party follow-up\n")
    print(timeline(engagement, DEMO_TODAY), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="coachflow",
        description="Run and inspect coaching engagements (Coaching 3-6-12).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    demo = commands.add_parser(
        "demo",
        help="run the seed's 6-month engagement and print its timeline",
        description="Run the seed's 6-month engagement (agreement, sessions, midpoint "
        "review, closing, three-party follow-up) and print a readable timeline.",
    )
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
