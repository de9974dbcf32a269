"""Staff decide applications through the API as on the staff page: a programme's applications
listed, accepted or declined with a word to the organisation, whose users are told; bad bodies,
unknown applications and a programme that has ended get a clear answer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kb import db, policy
from tests.programmes.test_applications import _titles


def _apply(client, world, token_for) -> int:
    made = client.post(f"/api/v1/programmes/{world.programme}/applications",
                       headers=token_for("elite"), json={"note": "Two plants first."})
    assert made.status_code == 201
    listed = client.get(f"/api/v1/programmes/{world.programme}/applications",
                        headers=token_for("staff"))
    assert listed.status_code == 200
    (application,) = listed.json
    assert application | {"id": 0, "applied": ""} == {
        "id": 0, "applied": "", "programme_id": world.programme,
        "organization": "Fabrikam Logistics", "note": "Two plants first.", "status": "applied",
        "applied_by": "elite@demo.test", "decided": None, "answer": ""}
    return application["id"]


def test_staff_list_and_accept_and_the_organisation_is_told(client, world, token_for):
    application = _apply(client, world, token_for)
    decided = client.post(f"/api/v1/programmes/applications/{application}/decision",
                          headers=token_for("staff"),
                          json={"decision": "accept", "answer": "Welcome aboard."})
    assert decided.status_code == 200
    assert (decided.json["status"], decided.json["answer"]) == ("accepted", "Welcome aboard.")
    assert decided.json["decided"]
    assert "Fabrikam Logistics is in the Orbit ERP 13 early access programme" in _titles(
        client, token_for("elite"))
    mine = client.get(f"/api/v1/programmes/{world.programme}", headers=token_for("elite")).json
    assert mine["member"] is True and mine["application"]["answer"] == "Welcome aboard."


def test_a_programme_that_has_ended_accepts_no_one(app, client, world, token_for):
    application = _apply(client, world, token_for)
    staff = token_for("staff")
    declined = client.post(f"/api/v1/programmes/applications/{application}/decision",
                           headers=staff, json={"decision": "decline"})
    assert declined.status_code == 200 and declined.json["status"] == "declined"
    with app.app_context():
        world.programme_row().ends_on = policy.today() - timedelta(days=1)
        db.session.commit()
    refused = client.post(f"/api/v1/programmes/applications/{application}/decision",
                          headers=staff, json={"decision": "accept"})
    assert refused.status_code == 409 and "has ended" in refused.json["error"]


@pytest.mark.parametrize("body", [[], {}, {"decision": "maybe"}, {"decision": True},
                                  {"decision": "accept", "answer": 5},
                                  {"decision": "accept", "answer": "x" * 1001}])
def test_bad_decision_bodies_get_a_clear_422(client, world, token_for, body):
    application = _apply(client, world, token_for)
    answer = client.post(f"/api/v1/programmes/applications/{application}/decision",
                         headers=token_for("staff"), json=body)
    assert answer.status_code == 422 and answer.json["error"]


def test_unknown_applications_and_programmes_answer_404(client, world, token_for):
    staff = token_for("staff")
    assert client.post("/api/v1/programmes/applications/999999/decision", headers=staff,
                       json={"decision": "accept"}).status_code == 404
    assert client.get("/api/v1/programmes/999999/applications",
                      headers=staff).status_code == 404
