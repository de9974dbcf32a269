"""Applying and deciding: an Elite customer applies with a note once per organisation, staff
accept or decline at their discretion and the organisation's users are told; seats hold, also
when staff accept at the same moment; a programme takes applications only while open."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import db, policy
from kb.accounts.queries import user_by_email
from kb.errors import Conflict, Invalid
from kb.programmes import service
from kb.programmes.models import ProgrammeApplication
from tests.a11y import described_by, parsed, problems
from tests.programmes.conftest import open_programme


def _titles(client, headers) -> list[str]:
    return [n["title"] for n in client.get("/api/v1/notifications", headers=headers).json]


def test_apply_on_the_page_then_staff_accept_and_the_organisation_is_told(
        app, client, world, signed_in, token_for):
    customer = signed_in("elite")
    page = customer.client.get(f"/programmes/{world.programme}").get_data(as_text=True)
    assert "Apply for Fabrikam Logistics" in page and "Beta builds." in page
    answer = customer.post(f"/programmes/{world.programme}/apply",
                           data={"note": "We run <b>12.0</b> in three plants."})
    assert answer.status_code == 302
    assert "Fabrikam Logistics applied to Orbit ERP 13 early access" in _titles(
        client, token_for("staff"))
    again = customer.post(f"/programmes/{world.programme}/apply", data={"note": ""})
    assert again.status_code == 409 and "has applied to this programme already" in \
        again.get_data(as_text=True)
    staff = signed_in("staff")
    listing = staff.client.get(f"/staff/programmes/{world.programme}").get_data(as_text=True)
    assert "We run &lt;b&gt;12.0&lt;/b&gt; in three plants." in listing
    with app.app_context():
        application_id = db.session.scalar(select(ProgrammeApplication.id))
    decided = staff.post(f"/staff/programmes/applications/{application_id}/accept",
                         data={"answer": "Welcome."})
    assert decided.status_code == 302
    for reader in ("elite", "elite-admin"):
        assert "Fabrikam Logistics is in the Orbit ERP 13 early access programme" in _titles(
            client, token_for(reader))
    page = customer.client.get(f"/programmes/{world.programme}").get_data(as_text=True)
    assert "Accepted" in page and "Welcome." in page and "members' space" in page.lower()


def test_the_api_applies_and_lists_the_application(client, world, token_for):
    headers = token_for("elite")
    made = client.post(f"/api/v1/programmes/{world.programme}/applications", headers=headers,
                       json={"note": "Keen."})
    assert made.status_code == 201
    assert made.json["application"]["status"] == "applied" and made.json["member"] is False
    listed = client.get("/api/v1/programmes", headers=headers).json
    assert [entry["application"]["status"] for entry in listed] == ["applied"]
    assert client.post(f"/api/v1/programmes/{world.programme}/applications", headers=headers,
                       json={"note": "Again."}).status_code == 409


@pytest.mark.parametrize("body", [[], "note", {"note": 5}, {"note": "x" * 1001}])
def test_bad_application_bodies_get_a_clear_422(client, world, token_for, body):
    answer = client.post(f"/api/v1/programmes/{world.programme}/applications",
                         headers=token_for("elite"), json=body)
    assert answer.status_code == 422 and answer.json["error"]


def test_unknown_programmes_answer_404(client, world, token_for, signed_in):
    assert client.get("/api/v1/programmes/999999", headers=token_for("elite")).status_code == 404
    assert signed_in("elite").client.get("/programmes/999999").status_code == 404
    assert signed_in("staff").client.get("/staff/programmes/999999").status_code == 404


def test_seats_are_enforced(app, world, make_organization, make_user):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        programme = open_programme(staff, seats=2, title="Two seats only")
        applications = [service.apply(user_by_email(_elite_customer(make_organization,
                                                                    make_user)),
                                      programme.id, "").id for _ in range(3)]
        service.decide(staff, applications[0], True)
        service.decide(staff, applications[1], True)
        with pytest.raises(Conflict, match="All 2 seats are taken"):
            service.decide(staff, applications[2], True)
        with pytest.raises(Invalid, match="keep at least 2 seats"):
            service.edit_programme(staff, programme.id, service.ProgrammeFields(
                "Two seats only", "Orbit ERP", "", "", 1, programme.opens_on,
                programme.ends_on))
        service.decide(staff, applications[0], False)  # a seat comes free
        service.decide(staff, applications[2], True)
        assert service.seats_taken(programme) == 2


def _elite_customer(make_organization, make_user) -> str:
    return make_user(organization_id=make_organization("elite"))


def test_parallel_acceptances_never_exceed_the_seats(app, world, make_organization,
                                                     make_user):
    racers = 6
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        programme_id = open_programme(staff, seats=2, title="Two seats, six takers").id
        applications = [service.apply(user_by_email(_elite_customer(make_organization,
                                                                    make_user)),
                                      programme_id, "").id for _ in range(racers)]
    barrier, outcomes = threading.Barrier(racers), []

    def accept(application_id: int):
        with app.app_context():
            actor = user_by_email("staff@demo.test")
            barrier.wait()
            try:
                service.decide(actor, application_id, True)
                outcomes.append("accepted")
            except Conflict:
                outcomes.append("full")

    threads = [threading.Thread(target=accept, args=(i,)) for i in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["accepted"] * 2 + ["full"] * (racers - 2)
    with app.app_context():
        assert service.seats_taken(service.staff_programme(
            user_by_email("staff@demo.test"), programme_id)) == 2


def test_applications_only_while_the_programme_is_open(app, world):
    with app.app_context():
        staff, customer = user_by_email("staff@demo.test"), user_by_email("elite@demo.test")
        today = policy.today()
        upcoming = open_programme(staff, title="Next year", opens_on=today + timedelta(days=3),
                                  ends_on=today + timedelta(days=40))
        with pytest.raises(Conflict, match="no applications now"):
            service.apply(customer, upcoming.id, "")
        service.end_programme(staff, world.programme)
        with pytest.raises(Conflict, match="no applications now"):
            service.apply(customer, world.programme, "")


def test_a_last_day_gone_by_is_refused_when_opening_or_editing(app, world):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        yesterday = policy.today() - timedelta(days=1)
        with pytest.raises(Invalid, match="last day has passed"):
            open_programme(staff, opens_on=yesterday - timedelta(days=9), ends_on=yesterday)
        running = service.staff_programme(staff, world.programme)
        fields = service.ProgrammeFields(running.title, "Orbit ERP", running.offer,
                                         running.conditions, running.seats, running.opens_on,
                                         yesterday)
        with pytest.raises(Invalid, match="use End programme"):
            service.edit_programme(staff, world.programme, fields)
        assert service.staff_programme(staff, world.programme).ends_on > yesterday
        # a programme that opened last month is edited with that opening day kept
        service.edit_programme(staff, world.programme, replace(
            fields, opens_on=policy.today() - timedelta(days=30), ends_on=policy.today()))


def test_staff_open_edit_and_end_through_the_pages(world, signed_in):
    staff = signed_in("staff")
    bad = staff.post("/staff/programmes/", data={"title": "Beta", "product": "Orbit ERP",
                                                  "seats": "3", "opens_on": "2027-01-10",
                                                  "ends_on": "2027-01-01"})
    assert bad.status_code == 422 and "ends on or after" in bad.get_data(as_text=True)
    made = staff.post("/staff/programmes/", data={
        "title": "Analytics 2027 preview", "product": "Orbit Analytics", "seats": "3",
        "offer": "Preview builds.", "opens_on": "2026-01-01", "ends_on": "2099-01-01"})
    assert made.status_code == 302
    address = made.headers["Location"]
    edited = staff.post(address, data={
        "title": "Analytics 2027 preview", "product": "Orbit Analytics", "seats": "4",
        "offer": "Preview builds, weekly.", "opens_on": "2026-01-01", "ends_on": "2099-01-01"})
    assert edited.status_code == 302
    assert "Preview builds, weekly." in staff.client.get(address).get_data(as_text=True)
    assert staff.post(address + "/end").status_code == 302
    assert "Ended" in staff.client.get(address).get_data(as_text=True)
    space = staff.client.get("/community/").get_data(as_text=True)
    assert "Analytics 2027 preview: members" in space


@pytest.mark.parametrize("answer, status, problem", [
    ("Welcome aboard.", 409, "All 1 seats are taken"),
    ("Welcome aboard. " + "x" * 1000, 422, "Keep the word to the organisation under 1,000"),
])
def test_a_refused_decision_is_shown_beside_the_application_with_the_word_typed(
        app, world, signed_in, make_organization, make_user, answer, status, problem):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        programme_id = open_programme(staff, seats=1, title="One seat only").id
        first, second = [service.apply(user_by_email(_elite_customer(make_organization,
                                                                     make_user)),
                                       programme_id, "").id for _ in range(2)]
        service.decide(staff, first, True)

    refused = signed_in("staff").post(f"/staff/programmes/applications/{second}/accept",
                                      data={"answer": answer})

    page = refused.get_data(as_text=True)
    assert refused.status_code == status and "One seat only" in page
    assert f'<p id="answer-{second}-error" class="field-error">{problem}' in page
    tree = parsed(refused)
    summary = tree.get_element_by_id("decision-problem")  # the page-top summary names the row
    assert summary.get("autofocus") is not None and summary.get("role") == "alert"
    [(link, text)] = problems(summary).items()
    assert link == f"#answer-{second}" and text.startswith("Application of ")
    assert f": {problem}" in text
    assert described_by(tree, f"answer-{second}")[0].startswith(problem)
    assert "#" not in tree.xpath(f'//form[.//input[@id="answer-{second}"]]/@action')[0]
    assert f'id="answer-{second}" name="answer"' in page and f'value="{answer}"' in page
    with app.app_context():
        assert db.session.get(ProgrammeApplication, second).status == "applied"
