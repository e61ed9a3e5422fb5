"""The web app, tested through Flask's test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from web_app import create_app

OPEN = {
    "id": "web-1",
    "at": "2027-01-04T09:00:00+01:00",
    "coach": {"id": "anna", "name": "Anna Lind"},
    "client": {"id": "kim", "name": "Kim Berg"},
}
AGREE = {
    "months": 6,
    "start": "2027-01-11",
    "modes": ["digital", "in_person"],
    "by": "anna",
    "at": "2027-01-04T10:00:00+01:00",
    "goals": [
        {"id": "g1", "statement": "Delegate the weekly reporting", "measure": "hours a week"}
    ],
    "practicalities": "Mondays at nine, by video",
    "expectations": "Candour both ways",
}


def session(
    day: str, minutes: int = 75, by: str = "anna", mode: str = "digital"
) -> dict[str, Any]:
    return {
        "held_at": f"{day}T09:00:00+01:00",
        "minutes": minutes,
        "mode": "digital",
        "at": f"{day}T11:00:00+01:00",
        "by": by,
    }


@pytest.fixture
def client(tmp_path: Path) -> Iterator[FlaskClient]:
    app = create_app(f"sqlite:///{tmp_path / 'web.db'}")
    yield app.test_client()
    app.extensions["coachflow_store"].close()


def test_open_agree_and_record(client: FlaskClient) -> None:
    assert client.post("/engagements", json=OPEN).status_code == 201
    response = client.post("/engagements/web-1/agreement", json=AGREE)
    assert response.status_code == 200
    body = response.get_json()
    assert body["phase"] == "active"
    assert len(body["plan"]["sessions"]) == 12
    assert body["plan"]["midpoint"] == "2027-04-12"  # the Monday after the middle, a Sunday
    assert (
        client.post("/engagements/web-1/sessions", json=session("2027-01-11", 40)).status_code
        == 201
    )
    shown = client.get("/engagements/web-1?today=2027-01-12").get_json()
    assert shown["sessions"] == 1
    assert [f["code"] for f in shown["findings"]] == ["session.duration"]
    assert shown["next_actions"][0] == {"code": "session.book", "due": "2027-01-26"}
    assert client.get("/engagements?phase=active").get_json() == ["web-1"]
    assert client.get("/engagements?phase=paused").get_json() == []


def test_refusals_map_to_http_statuses(client: FlaskClient) -> None:
    assert client.get("/engagements/none").status_code == 404
    client.post("/engagements", json=OPEN)
    assert client.post("/engagements", json=OPEN).status_code == 409  # same id again
    wrong_phase = client.post("/engagements/web-1/sessions", json=session("2027-01-11"))
    assert wrong_phase.status_code == 422
    assert wrong_phase.get_json()["error"] == "TransitionNotAllowed"
    client.post("/engagements/web-1/agreement", json=AGREE)
    forbidden = client.post("/engagements/web-1/sessions", json=session("2027-01-11", by="kim"))
    assert forbidden.status_code == 403
    naive = dict(session("2027-01-11"), held_at="2027-01-11T09:00:00")
    bad = client.post("/engagements/web-1/sessions", json=naive)
    assert bad.status_code == 400
    assert "timezone-aware" in bad.get_json()["message"]
    assert client.get("/engagements/web-1").get_json()["version"] == 2  # nothing changed


def test_a_rule_violation_lists_its_codes(client: FlaskClient) -> None:
    client.post("/engagements", json=OPEN)
    agreement = dict(AGREE, goals=[{"id": "g1", "statement": "a"}, {"id": "g1", "statement": "b"}])
    response = client.post("/engagements/web-1/agreement", json=agreement)
    assert response.status_code == 400  # duplicate goal ids: a bad value
    assert "unique goal ids" in response.get_json()["message"]


def test_each_party_gets_its_view_and_the_sponsor_a_report(client: FlaskClient) -> None:
    opened = {**OPEN, "sponsor": {"id": "mia", "name": "Mia Ek"}}
    assert client.post("/engagements", json=opened).status_code == 201
    agree = {**AGREE, "sponsor_sees": ["goals"]}
    assert client.post("/engagements/web-1/agreement", json=agree).status_code == 200
    with_notes = {**session("2027-01-11"), "notes": "Tired after the reorganisation"}
    assert client.post("/engagements/web-1/sessions", json=with_notes).status_code == 201
    mine = client.get("/engagements/web-1/as/kim").get_json()
    assert mine["view"] == "kim"
    assert "reorganisation" not in str(mine)
    report = client.get("/engagements/web-1/sponsor-report").get_json()
    assert report["sessions_held"] == 1
    assert report["goals"] is None  # the coach proposed it; the client has not consented
    consent = {"topics": ["goals"], "by": "kim", "at": "2027-01-12T08:00:00+01:00"}
    assert client.post("/engagements/web-1/consent", json=consent).status_code == 200
    report = client.get("/engagements/web-1/sponsor-report").get_json()
    assert report["goals"] == [{"id": "g1", "statement": "Delegate the weekly reporting"}]
    assert report["action_plan"] is None
    assert client.get("/engagements/web-1/as/hr").status_code == 400
