"""A small web app embedding coachflow: a JSON API over engagements kept in SQLite.

    python examples/web_app.py            # runs a short scripted session against the app
    python examples/web_app.py --serve    # serves it on http://127.0.0.1:5000

Every request loads the engagement from the store, issues one command and saves; a
refused command maps to an HTTP status, and a lost race to 409 Conflict.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from typing import Any

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue

from coachflow import (
    Agreement,
    CoachflowError,
    ConcurrencyConflict,
    Engagement,
    Goal,
    InvalidDocument,
    Mode,
    Party,
    PermissionDenied,
    Phase,
    Programme,
    Role,
    RuleViolation,
    Session,
    TransitionNotAllowed,
    sponsor_report,
    to_dict,
)
from coachflow.store import SQLStore, UnknownEngagement


def _when(value: Any, name: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be an ISO 8601 date-time with offset (got {value!r})")
    return dt.datetime.fromisoformat(value)


def view(engagement: Engagement, today: dt.date) -> dict[str, Any]:
    """What the API shows of an engagement."""
    plan = engagement.plan()
    return {
        "id": engagement.id,
        "phase": engagement.phase.value,
        "version": engagement.version,
        "allowed": list(engagement.allowed()),
        "goals": [{"id": g.id, "statement": g.statement} for g in engagement.goals],
        "sessions": len(engagement.sessions),
        "plan": None
        if plan is None
        else {
            "sessions": [d.isoformat() for d in plan.sessions],
            "midpoint": plan.midpoint.isoformat() if plan.midpoint else None,
            "closing": plan.closing.isoformat(),
        },
        "findings": [
            {"code": f.code, "severity": f.severity.value, "message": f.message}
            for f in engagement.check(today)
        ],
        "next_actions": [
            {"code": a.code, "due": a.due.isoformat()} for a in engagement.next_actions(today)
        ],
    }


def create_app(database_url: str) -> Flask:
    """The app, on the store at *database_url*."""
    app = Flask(__name__)
    store = SQLStore(database_url)

    @app.errorhandler(CoachflowError)
    @app.errorhandler(ValueError)
    @app.errorhandler(KeyError)
    def refused(error: Exception) -> ResponseReturnValue:
        status = 400
        if isinstance(error, UnknownEngagement):
            status = 404
        elif isinstance(error, ConcurrencyConflict):
            status = 409
        elif isinstance(error, PermissionDenied):
            status = 403
        elif isinstance(error, TransitionNotAllowed | RuleViolation):
            status = 422
        body: dict[str, Any] = {"error": type(error).__name__, "message": str(error)}
        if isinstance(error, RuleViolation):
            body["codes"] = [f.code for f in error.findings]
        if isinstance(error, InvalidDocument):
            body["errors"] = error.errors
        return jsonify(body), status

    def today() -> dt.date:
        return dt.date.fromisoformat(request.args.get("today", dt.date.today().isoformat()))

    @app.get("/engagements")
    def index() -> ResponseReturnValue:
        phase = request.args.get("phase")
        return jsonify(store.ids(phase=Phase(phase) if phase else None))

    @app.post("/engagements")
    def open_engagement() -> ResponseReturnValue:
        data = request.get_json(force=True)
        engagement = Engagement.open(
            data["id"],
            coach=Party(data["coach"]["id"], data["coach"]["name"], Role.COACH),
            client=Party(data["client"]["id"], data["client"]["name"], Role.CLIENT),
            sponsor=Party(data["sponsor"]["id"], data["sponsor"]["name"], Role.SPONSOR)
            if "sponsor" in data
            else None,
            at=_when(data.get("at"), "at"),
        )
        store.save(engagement)
        return jsonify(view(engagement, today())), 201

    @app.get("/engagements/<engagement_id>")
    def show(engagement_id: str) -> ResponseReturnValue:
        return jsonify(view(store.load(engagement_id), today()))

    @app.get("/engagements/<engagement_id>/as/<party_id>")
    def seen_by(engagement_id: str, party_id: str) -> ResponseReturnValue:
        """What one party may see: send a party its view, never the engagement."""
        return jsonify(to_dict(store.load(engagement_id).seen_by(party_id)))

    @app.get("/engagements/<engagement_id>/sponsor-report")
    def report_for_sponsor(engagement_id: str) -> ResponseReturnValue:
        """The sponsor's dashboard: phases, dates and counts, and what the client
        consented to show."""
        report = sponsor_report(store.load(engagement_id))
        return jsonify(
            {
                "phase": report.phase.value,
                "start": report.start.isoformat() if report.start else None,
                "end": report.end.isoformat() if report.end else None,
                "sessions_held": report.sessions_held,
                "sessions_allotted": report.sessions_allotted,
                "goals": None
                if report.goals is None
                else [{"id": g.id, "statement": g.statement} for g in report.goals],
                "gas_t_score": report.gas_t_score,
                "action_plan": None
                if report.action_plan is None
                else list(report.action_plan.steps),
            }
        )

    @app.post("/engagements/<engagement_id>/agreement")
    def agree(engagement_id: str) -> ResponseReturnValue:
        data = request.get_json(force=True)
        engagement = store.load(engagement_id)
        engagement.agree(
            Agreement(
                Programme(int(data["months"])),
                dt.date.fromisoformat(data["start"]),
                tuple(Goal(g["id"], g["statement"], g.get("measure", "")) for g in data["goals"]),
                frozenset(Mode(m) for m in data["modes"]),
                practicalities=data.get("practicalities", ""),
                expectations=data.get("expectations", ""),
                sponsor_sees=frozenset(data.get("sponsor_sees", ())),
            ),
            at=_when(data.get("at"), "at"),
            by=data["by"],
        )
        store.save(engagement)
        return jsonify(view(engagement, today()))

    @app.post("/engagements/<engagement_id>/consent")
    def give_consent(engagement_id: str) -> ResponseReturnValue:
        """The client (``by``: from your login) consents to show the sponsor *topics*."""
        data = request.get_json(force=True)
        engagement = store.load(engagement_id)
        engagement.give_consent(
            frozenset(data["topics"]), at=_when(data.get("at"), "at"), by=data["by"]
        )
        store.save(engagement)
        return jsonify(view(engagement, today()))

    @app.post("/engagements/<engagement_id>/sessions")
    def record_session(engagement_id: str) -> ResponseReturnValue:
        data = request.get_json(force=True)
        engagement = store.load(engagement_id)
        engagement.record_session(
            Session(
                _when(data.get("held_at"), "held_at"),
                int(data["minutes"]),
                Mode(data["mode"]),
                notes=data.get("notes", ""),
            ),
            at=_when(data.get("at"), "at"),
            by=data["by"],
        )
        store.save(engagement)
        return jsonify(view(engagement, today())), 201

    app.extensions["coachflow_store"] = store
    return app


def scripted_session() -> None:
    """Drive the app through its test client, as a quick demonstration."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(f"sqlite:///{folder}/web.db")
        client = app.test_client()
        steps: list[tuple[str, str, dict[str, Any] | None]] = [
            (
                "POST",
                "/engagements",
                {
                    "id": "web-1",
                    "at": "2027-01-04T09:00:00+01:00",
                    "coach": {"id": "anna", "name": "Anna Lind"},
                    "client": {"id": "kim", "name": "Kim Berg"},
                },
            ),
            (
                "POST",
                "/engagements/web-1/agreement",
                {
                    "months": 3,
                    "start": "2027-01-11",
                    "modes": ["digital"],
                    "by": "anna",
                    "at": "2027-01-04T10:00:00+01:00",
                    "goals": [{"id": "g1", "statement": "Delegate the weekly reporting"}],
                },
            ),
            (
                "POST",
                "/engagements/web-1/sessions",
                {
                    "held_at": "2027-01-11T09:00:00+01:00",
                    "minutes": 40,
                    "mode": "phone",
                    "at": "2027-01-11T11:00:00+01:00",
                    "by": "anna",
                },
            ),
            (
                "POST",
                "/engagements/web-1/sessions",
                {
                    "held_at": "2027-01-25T09:00:00+01:00",
                    "minutes": 60,
                    "mode": "digital",
                    "at": "2027-01-25T11:00:00+01:00",
                    "by": "kim",
                },
            ),
            ("GET", "/engagements/web-1?today=2027-01-26", None),
        ]
        for method, path, body in steps:
            response = client.open(path, method=method, json=body)
            data = response.get_json()
            summary = (
                data.get("message") or f"phase {data['phase']}, {data['sessions']} session(s)"
            )
            print(f"{method} {path} -> {response.status_code}: {summary}")
        print("findings:", [f["code"] for f in data["findings"]])
        app.extensions["coachflow_store"].close()


if __name__ == "__main__":
    if "--serve" in sys.argv:
        create_app("sqlite:///coachflow-web.db").run(host="127.0.0.1", port=5000)
    else:
        scripted_session()
