"""The command line's commands: one function per sub-command, given the parsed arguments."""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs

from coachflow._engagement import Engagement
from coachflow._outputs import report as reports
from coachflow._outputs.demo import DEMO_TODAY, demo_engagement
from coachflow._outputs.diagram import diagram as draw
from coachflow._outputs.ics import to_ics
from coachflow._outputs.render import render
from coachflow._outputs.timeline import timeline
from coachflow._values.enums import Mode, Role, Severity
from coachflow._values.failures import InvalidValue
from coachflow._values.i18n import N_, t, tn
from coachflow._values.model import Agreement, Goal, Party, Programme
from coachflow._values.names import name
from coachflow._values.rhythm_words import rhythm_words
from coachflow._values.wording import date_words, decimal_words, sessions_words

__all__ = ["check", "demo", "diagram", "ics", "plan", "report", "schema"]

#: Weekday names as the plan prints them.
_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def _day(day: dt.date) -> str:
    return f"{t(_WEEKDAYS[day.weekday()])} {day.isoformat()}"


#: The environment variable that may hold a sealed store's key (hex or base64).
KEY_VARIABLE = "COACHFLOW_KEY"


def decode_key(data: bytes, origin: str) -> bytes:
    """A 32-byte key from *data*: 32 raw bytes (a key file), 64 hex digits or base64.
    The error names where the key came from, never the key."""
    if len(data) == 32:
        return data
    text = data.strip()
    try:
        if len(text) == 64:
            return bytes.fromhex(text.decode("ascii"))
        decoded = base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        decoded = b""
    if len(decoded) == 32:
        return decoded
    raise InvalidValue(
        t(
            "{origin} must hold a key of 32 bytes: the raw bytes, 64 hex digits or base64 "
            "(it holds {count} bytes that are none of these)",
            origin=origin,
            count=len(data),
        )
    )


def store_key(args: argparse.Namespace) -> bytes | None:
    """The key of a sealed store: from ``--key-file``, else from ``COACHFLOW_KEY``, else
    None. Never from the command line itself, where other users could read it."""
    path = getattr(args, "key_file", None)
    if path is not None:
        return decode_key(Path(path).read_bytes(), f"--key-file {path}")
    value = os.environ.get(KEY_VARIABLE)
    if value:
        return decode_key(value.encode(), KEY_VARIABLE)
    return None


def _load(source: str, db: str | None, key: bytes | None = None) -> Any:
    """An engagement document from a file (- for standard input), or with *db* the
    engagement of that id in a store (sealed with *key*, when given)."""
    if db is not None:
        from coachflow.store import SQLStore

        store = SQLStore(db, create=False, key=key)
        try:
            return store.load(source)
        finally:
            store.close()
    from coachflow._documents.documents import from_json  # cattrs: imported when needed

    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    return from_json(text)


# -- the commands --------------------------------------------------------------------------


def demo(args: argparse.Namespace) -> int:
    from coachflow.store import SQLStore  # SQLAlchemy: imported when needed

    engagement = demo_engagement(args.locale)
    with tempfile.TemporaryDirectory() as scratch:
        url = args.db or f"sqlite:///{Path(scratch) / 'coachflow-demo.db'}"
        store = SQLStore(url, key=store_key(args))
        try:
            if engagement.id in store.ids():
                action = N_("({count} events loaded from {where})")  # kept by an earlier run
            else:
                store.save(engagement)
                action = N_("({count} events saved to {where})")
            loaded = store.load(engagement.id)
        finally:
            store.close()
    print(t("coachflow demo: the method's 6-month example, with a three-party follow-up"))
    where = url if args.db else t("a temporary SQLite store")
    print(t(action, count=loaded.version, where=where) + "\n")
    print(timeline(loaded, DEMO_TODAY, locale=args.locale), end="")
    if args.html is not None:
        page = render(loaded, format="html", locale=args.locale, today=DEMO_TODAY)
        Path(args.html).write_text(page, encoding="utf-8")
        print("\n" + t("(the page is in {path})", path=args.html))
    return 0


def timeline_command(args: argparse.Namespace) -> int:
    engagement = _engagement(args)
    out = render(engagement, format=args.format, locale=args.locale, today=args.today)
    if args.output is None:
        print(out, end="")
    else:
        Path(args.output).write_text(out, encoding="utf-8")
    return 0


def plan(args: argparse.Namespace) -> int:
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
        t("the rhythm {rhythm}", rhythm=rhythm_words(args.rhythm))
        if args.rhythm
        else t(
            "about {per_month} sessions a month, on weekdays",
            per_month=programme.sessions_per_month,
        )
    )
    print(
        t(
            "{months} from {start}, {count}, {pace} ({zone})",
            months=tn("{n} month", "{n} months", programme.months),
            start=date_words(plan.start),
            count=sessions_words(programme.allotted),
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


def check(args: argparse.Namespace) -> int:
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
        print(t("as of {today}", today=date_words(today)))
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
            due = t("due {day}", day=date_words(action.due))
            print(f"  {due}  {action.code:<18} {action.message}")
        print(t("findings: {count}", count=len(findings) or t("none")))
        for finding in findings:
            on = finding.on.isoformat() if finding.on else "-"
            severity = name(finding.severity.value)
            print(f"  {on}  {severity:<7}  {finding.code:<25} {finding.message}")
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


def report(args: argparse.Namespace) -> int:
    from coachflow.store import SQLStore  # SQLAlchemy: imported when needed

    store = SQLStore(args.db, create=False, key=store_key(args))
    try:
        engagements = [store.load(engagement_id) for engagement_id in store.ids()]
    finally:
        store.close()
    today = args.today or dt.date.today()
    found = reports.report(
        engagements,
        today,
        for_sponsor=args.for_sponsor,
        min_group=args.min_group,
        epsilon=args.epsilon,
    )
    if args.format == "html":
        print(render(found, format="html", locale=args.locale), end="")
        return 0
    if args.format == "json":
        data = {
            "today": today.isoformat(),
            "for_sponsor": found.for_sponsor,
            "min_group": found.min_group,
            "epsilon": found.epsilon,
            "engagements": found.engagements,
            "phases": {phase.value: n for phase, n in found.phases.items()},
            "findings": dict(found.findings),
            "due": dict(found.due),
            "gas": found.gas,
            "scored": found.scored,
            "endings": {reason.value: n for reason, n in found.endings.items()},
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    _report_text(found, today)
    return 0


def _count(n: int | None) -> str:
    return t("withheld") if n is None else str(n)


def _report_text(found: reports.Report, today: dt.date) -> None:
    if found.engagements is None:
        print(t("engagements as of {today}: withheld", today=date_words(today)))
    else:
        print(
            tn(
                "{n} engagement as of {today}",
                "{n} engagements as of {today}",
                found.engagements,
                today=date_words(today),
            )
        )
    print(t("phases:"))
    for phase, n in found.phases.items():
        if n != 0:
            print(f"  {name(phase.value):<18} {_count(n)}")
    print(t("findings (engagements with each):"))
    for code, n in found.findings.items():
        if n != 0:
            print(f"  {code:<25} {_count(n)}")
    print(t("due by {today}:", today=date_words(today)))
    for code, n in found.due.items():
        print(f"  {code:<25} {_count(n)}")
    if any(n != 0 for n in found.endings.values()):
        print(t("ended early, by reason:"))
        for reason, n in found.endings.items():
            if n != 0:
                print(f"  {name(reason.value):<25} {_count(n)}")
    if found.gas is not None and found.scored is not None:
        print(
            tn(
                "goal attainment: mean GAS T-score {mean} over {n} closed engagement",
                "goal attainment: mean GAS T-score {mean} over {n} closed engagements",
                found.scored,
                mean=decimal_words(found.gas),
            )
        )
    elif found.for_sponsor:
        print(t("goal attainment: withheld"))
    if found.for_sponsor:
        print(
            t(
                "(for the sponsor: figures over fewer than {n} engagements are withheld, "
                "the others carry noise)",
                n=found.min_group,
            )
        )


def schema(args: argparse.Namespace) -> int:
    from coachflow._documents.schema import document_schema  # cattrs-free, but not needed often

    print(json.dumps(document_schema(), indent=2, ensure_ascii=False))
    return 0


def diagram(args: argparse.Namespace) -> int:
    print(draw(args.format), end="")
    return 0


def ics(args: argparse.Namespace) -> int:
    calendar = to_ics(_engagement(args), tz=args.tz)
    if args.output in (None, "-"):
        sys.stdout.write(calendar.decode("utf-8"))
    else:
        Path(args.output).write_bytes(calendar)
        print(t("wrote {path}", path=args.output))
    return 0


def _engagement(args: argparse.Namespace) -> Any:
    """The engagement the arguments name, as the party of --as may see it."""
    engagement = _load(args.file, args.db, store_key(args))
    return engagement if args.party is None else engagement.seen_by(args.party)
