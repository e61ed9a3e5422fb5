"""The ``coachflow`` command line: demo, plan, check, diagram, ics."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from typing import NoReturn
from zoneinfo import ZoneInfo

from coachflow._cli import commands
from coachflow._outputs.render import FORMATS
from coachflow._values.errors import CoachflowError, InvalidDocument
from coachflow._values.i18n import LOCALES, speaking, t
from coachflow._values.validation import require_zone

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one clear line (and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {_one_line(message)} (see --help)\n")


def _one_line(text: str) -> str:
    """*text* on one line: line breaks and other control characters shown escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2027-01-11, got {text!r}"
        ) from None


def _zone(text: str) -> ZoneInfo:
    try:
        require_zone("--tz", text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown time zone {text!r} (expected an IANA name such as Europe/Stockholm)"
        ) from None
    return ZoneInfo(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _key_file(command: argparse.ArgumentParser) -> None:
    """The --key-file option of every command that opens a store."""
    command.add_argument(
        "--key-file",
        metavar="PATH",
        help="the key of a sealed store: a file holding 32 bytes, raw, as 64 hex digits "
        "or base64 (or set COACHFLOW_KEY; never a key on the command line)",
    )


def _engagement_source(command: argparse.ArgumentParser) -> None:
    """The FILE argument and --db option of the commands that read an engagement."""
    command.add_argument("file", help="the engagement's JSON document, or - (with --db: its id)")
    command.add_argument("--db", metavar="URL", help="read the engagement from this store")
    _key_file(command)
    command.add_argument(
        "--as",
        dest="party",
        metavar="PARTY",
        help="as this party (its id) may see it: texts it may not see read [redacted]",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per job."""
    parser = _Parser(
        prog="coachflow",
        description="Run and inspect coaching engagements (Coaching 3-6-12).",
    )
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _Parser(add_help=False)
    common.add_argument(
        "--locale",
        choices=LOCALES,
        default="en",
        help="the language of messages and of the timeline: en (default) or sv",
    )

    demo = subcommands.add_parser(
        "demo",
        parents=[common],
        help="run the method's 6-month example and print its timeline",
        description="Run the method's 6-month example (agreement, sessions, midpoint "
        "review, closing, three-party follow-up), keep it in a SQLite store, and print "
        "a readable timeline.",
    )
    demo.add_argument(
        "--db",
        metavar="URL",
        help="keep the engagement in this database, e.g. sqlite:///coaching.db "
        "(default: a temporary SQLite file)",
    )
    _key_file(demo)
    demo.add_argument(
        "--html", metavar="FILE", help="also write the engagement as an HTML page to FILE"
    )
    demo.set_defaults(run=commands.demo)

    timeline = subcommands.add_parser(
        "timeline",
        parents=[common],
        help="an engagement's timeline as text, JSON or an HTML page",
        description="Write an engagement's timeline (events, plan against actual, findings, "
        "next actions, outcome) as text, JSON or one self-contained HTML page with a "
        "drawing; --as PARTY writes what that party may see.",
    )
    _engagement_source(timeline)
    timeline.add_argument("--format", choices=FORMATS, default="text")
    timeline.add_argument(
        "--today", type=_date, help="judge as of this day (default: the last event's day)"
    )
    timeline.add_argument(
        "-o", "--output", metavar="OUT", help="write here (default: standard output)"
    )
    timeline.set_defaults(run=commands.timeline_command)

    plan = subcommands.add_parser(
        "plan",
        parents=[common],
        help="planned sessions, midpoint and closing of a programme",
        description="Print the planned session dates, the midpoint review and the closing "
        "of a programme, e.g. coachflow plan --months 6 --start 2027-01-11",
    )
    plan.add_argument("--months", type=_positive, required=True, help="3, 6 or 12 (1-36)")
    plan.add_argument("--start", type=_date, required=True, help="the first day, YYYY-MM-DD")
    plan.add_argument(
        "--tz", type=_zone, default=ZoneInfo("UTC"), help="IANA time zone (default UTC)"
    )
    plan.add_argument(
        "--per-month", type=_positive, default=2, help="sessions a month (default 2)"
    )
    plan.add_argument(
        "--sessions",
        type=_positive,
        help="sessions allotted (default: months times sessions a month)",
    )
    plan.add_argument(
        "--rhythm",
        metavar="RRULE",
        help="the agreed rhythm as an RFC 5545 RRULE, e.g. "
        "'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9' (default: evenly, on weekdays)",
    )
    plan.set_defaults(run=commands.plan)

    check = subcommands.add_parser(
        "check",
        parents=[common],
        help="phase, next actions and findings of an engagement document",
        description="Judge an engagement document (as written by coachflow.to_json; - reads "
        "standard input). Exits 1 when a finding is an error.",
    )
    _engagement_source(check)
    check.add_argument("--today", type=_date, help="judge as of this day (default: today)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=commands.check)

    portfolio = subcommands.add_parser(
        "report",
        parents=[common],
        help="counts across every engagement of a store",
        description="Count the engagements of a store as of a day: phases, findings by "
        "code, actions due, goal attainment. --for-sponsor makes the report a sponsor may "
        "see: counts and means only, every figure over fewer than --min-group engagements "
        "withheld, the others with noise (differential privacy, --epsilon).",
    )
    portfolio.add_argument("--db", metavar="URL", required=True, help="the store to report on")
    _key_file(portfolio)
    portfolio.add_argument("--today", type=_date, help="count as of this day (default: today)")
    portfolio.add_argument("--format", choices=FORMATS, default="text")
    portfolio.add_argument(
        "--for-sponsor",
        action="store_true",
        help="withhold small groups and add noise, so that no one is singled out",
    )
    portfolio.add_argument(
        "--min-group",
        type=int,
        default=5,
        metavar="N",
        help="with --for-sponsor: the fewest engagements a figure is shown over "
        "(default 5, at least 3)",
    )
    portfolio.add_argument(
        "--epsilon",
        type=float,
        default=1.0,
        metavar="E",
        help="with --for-sponsor: the privacy budget (default 1.0; smaller: more noise)",
    )
    portfolio.set_defaults(run=commands.report)

    schema = subcommands.add_parser(
        "schema",
        parents=[common],
        help="the JSON Schema of engagement documents",
        description="Print the JSON Schema (draft 2020-12) of the engagement documents this "
        "coachflow writes, derived from its classes: validate documents outside Python.",
    )
    schema.set_defaults(run=commands.schema)

    diagram = subcommands.add_parser(
        "diagram",
        parents=[common],
        help="the process as a state diagram",
        description="Print the process as a state diagram, drawn from the engine's own "
        "definition.",
    )
    diagram.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    diagram.set_defaults(run=commands.diagram)

    ics = subcommands.add_parser(
        "ics",
        parents=[common],
        help="an engagement as a calendar file",
        description="Write an engagement as an iCalendar (.ics) file: the sessions held and "
        "planned, the midpoint review, the closing and the three-party follow-up.",
    )
    _engagement_source(ics)
    ics.add_argument("-o", "--output", metavar="OUT", help="write here (default: standard output)")
    ics.add_argument(
        "--tz", type=_zone, help="time zone to show the meetings in (default: the agreement's)"
    )
    ics.set_defaults(run=commands.ics)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with speaking(args.locale):
        return _run(parser, args)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        code: int = args.run(args)
    except BrokenPipeError:  # the reader went away (| head): not an error
        sys.stderr.close()
        return 0
    except InvalidDocument as error:  # every problem, on the one line
        problems = "; ".join(_one_line(e) for e in error.errors)
        parser.exit(
            2, t("coachflow: error: invalid document: {problems}", problems=problems) + "\n"
        )
    except (CoachflowError, ValueError, OSError, ImportError) as error:
        text = str(error).strip()
        first_line = _one_line(text.splitlines()[0]) if text else type(error).__name__
        parser.exit(2, t("coachflow: error: {message}", message=first_line) + "\n")
    except Exception as error:  # a fault of coachflow's own: one line, and say so
        text = _one_line(f"{type(error).__name__}: {error}")
        parser.exit(
            70, t("coachflow: internal error, please report it: {error}", error=text) + "\n"
        )
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
