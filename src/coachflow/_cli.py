"""The ``coachflow`` command line: demo, plan, check, diagram, ics."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import attrs

from coachflow._checks import require_zone
from coachflow._errors import CoachflowError, InvalidDocument
from coachflow._i18n import LOCALES, N_, speaking, t
from coachflow._model import Severity
from coachflow._report import name

#: Weekday names as the plan prints them.
_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def _day(day: dt.date) -> str:
    return f"{t(_WEEKDAYS[day.weekday()])} {day.isoformat()}"


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


def _load(source: str, db: str | None) -> Any:
    """An engagement document from a file (- for standard input), or with *db* the
    engagement of that id in a store."""
    if db is not None:
        from coachflow.store import SQLStore

        store = SQLStore(db, create=False)
        try:
            return store.load(source)
        finally:
            store.close()
    from coachflow._serialization import from_json

    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    return from_json(text)


# -- the commands --------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from coachflow._demo import DEMO_TODAY, demo_engagement
    from coachflow._report import timeline
    from coachflow.store import SQLStore

    engagement = demo_engagement(args.locale)
    with tempfile.TemporaryDirectory() as scratch:
        url = args.db or f"sqlite:///{Path(scratch) / 'coachflow-demo.db'}"
        store = SQLStore(url)
        try:
            if engagement.id in store.ids():
                action = N_("({count} events loaded from {where})")  # kept by an earlier run
            else:
                store.save(engagement)
                action = N_("({count} events saved to {where})")
            loaded = store.load(engagement.id)
        finally:
            store.close()
    print(t("coachflow demo: the seed's 6-month engagement with a three-party follow-up"))
    where = url if args.db else t("a temporary SQLite store")
    print(t(action, count=loaded.version, where=where) + "\n")
    print(timeline(loaded, DEMO_TODAY, locale=args.locale), end="")
    return 0


def _plan(args: argparse.Namespace) -> int:
    from coachflow._engagement import Engagement
    from coachflow._model import Agreement, Goal, Mode, Party, Programme, Role

    programme = Programme(args.months, args.per_month, sessions=args.sessions)
    opened_at = dt.datetime.combine(args.start, dt.time(0), args.tz)
    engagement = Engagement.open(
        "plan",
        coach=Party("coach", "Coach", Role.COACH),
        client=Party("client", "Client", Role.CLIENT),
        at=opened_at,
    )
    engagement.agree(
        Agreement(programme, args.start, (Goal("g", "-"),), {Mode.IN_PERSON}, rhythm=args.rhythm),
        at=opened_at,
        by="coach",
    )
    plan = engagement.plan()
    assert plan is not None
    pace = (
        t("the rhythm {rhythm}", rhythm=args.rhythm)
        if args.rhythm
        else t(
            "about {per_month} sessions a month, on weekdays",
            per_month=programme.sessions_per_month,
        )
    )
    print(
        t(
            "{months} months from {start}, {count} sessions, {pace} ({zone})",
            months=programme.months,
            start=plan.start.isoformat(),
            count=programme.allotted,
            pace=pace,
            zone=args.tz.key,
        )
    )
    for number, day in enumerate(plan.sessions, start=1):
        print("  " + t("session {number:>2}", number=number) + f"  {_day(day)}")
    if plan.midpoint is not None:
        print("  " + t("midpoint  ") + f"  {_day(plan.midpoint)}")
    print("  " + t("closing   ") + f"  {_day(plan.closing)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    engagement = _engagement(args)
    today = args.today or dt.date.today()
    findings = engagement.check(today, locale=args.locale)
    actions = engagement.next_actions(today, locale=args.locale)
    if args.format == "json":
        report = {
            "id": engagement.id,
            "phase": engagement.phase.value,
            "version": engagement.version,
            "today": today.isoformat(),
            "allocation": attrs.asdict(engagement.allocation),
            "bookings": [
                {
                    "id": b.id,
                    "starts_at": b.starts_at.isoformat(),
                    "minutes": b.minutes,
                    "mode": b.mode.value,
                }
                for b in engagement.bookings
            ],
            "next_actions": [
                {"code": a.code, "due": a.due.isoformat(), "message": a.message} for a in actions
            ],
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "on": f.on.isoformat() if f.on else None,
                    "message": f.message,
                    "params": dict(f.params),
                }
                for f in findings
            ],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(
            t(
                "{id}: {phase} (version {version})",
                id=engagement.id,
                phase=name(engagement.phase.value),
                version=engagement.version,
            )
        )
        print(t("as of {today}", today=today.isoformat()))
        if engagement.agreement is not None:
            a = engagement.allocation
            print(
                t(
                    "sessions: {allotted} allotted, {held} held, {forfeited} forfeited, "
                    "{remaining} remaining",
                    allotted=a.allotted,
                    held=a.held,
                    forfeited=a.forfeited,
                    remaining=a.remaining,
                )
            )
        bookings = engagement.bookings
        print(t("open bookings: {count}", count=len(bookings) or t("none")))
        zone = engagement.time_zone
        for b in bookings:
            local = b.starts_at.astimezone(zone) if zone is not None else b.starts_at
            print(
                f"  {local.strftime('%Y-%m-%d %H:%M')}  {b.id}  "
                + t("{minutes} min, {mode}", minutes=b.minutes, mode=name(b.mode.value))
            )
        print(t("next actions: {count}", count=len(actions) or t("none")))
        for action in actions:
            due = t("due {day}", day=action.due.isoformat())
            print(f"  {due}  {action.code:<18} {action.message}")
        print(t("findings: {count}", count=len(findings) or t("none")))
        for finding in findings:
            on = finding.on.isoformat() if finding.on else "-"
            severity = name(finding.severity.value)
            print(f"  {on}  {severity:<7}  {finding.code:<25} {finding.message}")
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


def _report(args: argparse.Namespace) -> int:
    from coachflow._portfolio import report
    from coachflow.store import SQLStore

    store = SQLStore(args.db, create=False)
    try:
        engagements = [store.load(engagement_id) for engagement_id in store.ids()]
    finally:
        store.close()
    today = args.today or dt.date.today()
    found = report(engagements, today, for_sponsor=args.for_sponsor)
    if args.format == "json":
        data = {
            "today": today.isoformat(),
            "for_sponsor": found.for_sponsor,
            "engagements": found.engagements,
            "phases": {phase.value: n for phase, n in found.phases.items()},
            "findings": dict(found.findings),
            "due": dict(found.due),
            "gas": list(found.gas),
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(t("{count} engagements as of {today}", count=found.engagements, today=today.isoformat()))
    print(t("phases:"))
    for phase, n in found.phases.items():
        if n:
            print(f"  {name(phase.value):<18} {n}")
    print(t("findings (engagements with each):"))
    for code, n in found.findings.items():
        print(f"  {code:<25} {n}")
    print(t("due by {today}:", today=today.isoformat()))
    for code, n in found.due.items():
        print(f"  {code:<25} {n}")
    if found.gas:
        mean = sum(found.gas) / len(found.gas)
        print(
            t(
                "goal attainment: mean GAS T-score {mean:.1f} over {count} closed",
                mean=mean,
                count=len(found.gas),
            )
        )
    if found.for_sponsor:
        print(t("(counts below 3 are withheld)"))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from coachflow._schema import document_schema

    print(json.dumps(document_schema(), indent=2, ensure_ascii=False))
    return 0


def _diagram(args: argparse.Namespace) -> int:
    from coachflow._diagram import diagram

    print(diagram(args.format), end="")
    return 0


def _ics(args: argparse.Namespace) -> int:
    from coachflow._ics import to_ics

    calendar = to_ics(_engagement(args), tz=args.tz)
    if args.output in (None, "-"):
        sys.stdout.write(calendar.decode("utf-8"))
    else:
        Path(args.output).write_bytes(calendar)
        print(t("wrote {path}", path=args.output))
    return 0


def _engagement_source(command: argparse.ArgumentParser) -> None:
    """The FILE argument and --db option of the commands that read an engagement."""
    command.add_argument("file", help="the engagement's JSON document, or - (with --db: its id)")
    command.add_argument("--db", metavar="URL", help="read the engagement from this store")
    command.add_argument(
        "--as",
        dest="party",
        metavar="PARTY",
        help="as this party (its id) may see it: texts it may not see read [redacted]",
    )


def _engagement(args: argparse.Namespace) -> Any:
    """The engagement the arguments name, as the party of --as may see it."""
    engagement = _load(args.file, args.db)
    return engagement if args.party is None else engagement.seen_by(args.party)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per job."""
    parser = _Parser(
        prog="coachflow",
        description="Run and inspect coaching engagements (Coaching 3-6-12).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _Parser(add_help=False)
    common.add_argument(
        "--locale",
        choices=LOCALES,
        default="en",
        help="the language of messages and of the timeline: en (default) or sv",
    )

    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="run the seed's 6-month engagement and print its timeline",
        description="Run the seed's 6-month engagement (agreement, sessions, midpoint "
        "review, closing, three-party follow-up), keep it in a SQLite store, and print "
        "a readable timeline.",
    )
    demo.add_argument(
        "--db",
        metavar="URL",
        help="keep the engagement in this database, e.g. sqlite:///coaching.db "
        "(default: a temporary SQLite file)",
    )
    demo.set_defaults(run=_demo)

    plan = commands.add_parser(
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
    plan.set_defaults(run=_plan)

    check = commands.add_parser(
        "check",
        parents=[common],
        help="phase, next actions and findings of an engagement document",
        description="Judge an engagement document (as written by coachflow.to_json; - reads "
        "standard input). Exits 1 when a finding is an error.",
    )
    _engagement_source(check)
    check.add_argument("--today", type=_date, help="judge as of this day (default: today)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=_check)

    portfolio = commands.add_parser(
        "report",
        parents=[common],
        help="counts across every engagement of a store",
        description="Count the engagements of a store as of a day: phases, findings by "
        "code, actions due, goal attainment. --for-sponsor withholds counts below 3.",
    )
    portfolio.add_argument("--db", metavar="URL", required=True, help="the store to report on")
    portfolio.add_argument("--today", type=_date, help="count as of this day (default: today)")
    portfolio.add_argument("--format", choices=("text", "json"), default="text")
    portfolio.add_argument(
        "--for-sponsor", action="store_true", help="withhold every count below 3"
    )
    portfolio.set_defaults(run=_report)

    schema = commands.add_parser(
        "schema",
        parents=[common],
        help="the JSON Schema of engagement documents",
        description="Print the JSON Schema (draft 2020-12) of the engagement documents this "
        "coachflow writes, derived from its classes: validate documents outside Python.",
    )
    schema.set_defaults(run=_schema)

    diagram = commands.add_parser(
        "diagram",
        parents=[common],
        help="the process as a state diagram",
        description="Print the process as a state diagram, drawn from the engine's own "
        "definition.",
    )
    diagram.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    diagram.set_defaults(run=_diagram)

    ics = commands.add_parser(
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
    ics.set_defaults(run=_ics)
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
