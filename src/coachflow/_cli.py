"""The ``coachflow`` command line."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from coachflow._errors import CoachflowError

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    from coachflow._demo import DEMO_TODAY, demo_engagement
    from coachflow._report import timeline
    from coachflow.store import SQLStore

    engagement = demo_engagement()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.db or f"sqlite:///{Path(scratch) / 'coachflow-demo.db'}"
        store = SQLStore(url)
        try:
            if engagement.id in store.ids():
                action = "loaded from"  # kept there by an earlier run
            else:
                store.save(engagement)
                action = "saved to"
            loaded = store.load(engagement.id)
        finally:
            store.close()
    print("coachflow demo: the seed's 6-month engagement with a three-party follow-up")
    where = url if args.db else "a temporary SQLite store"
    print(f"({loaded.version} events {action} {where})\n")
    print(timeline(loaded, DEMO_TODAY), end="")
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
    demo.add_argument(
        "--db",
        metavar="URL",
        help="keep the engagement in this database, e.g. sqlite:///coaching.db "
        "(default: a temporary SQLite file)",
    )
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except BrokenPipeError:  # the reader went away (| head): not an error
        sys.stderr.close()
        return 0
    except (CoachflowError, ValueError, OSError, SQLAlchemyError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        parser.exit(2, f"coachflow: error: {first_line}\n")
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
