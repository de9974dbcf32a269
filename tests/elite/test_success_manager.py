"""The dedicated customer success manager: assigned by staff to Elite organisations only; the
organisation's users and the CSM write to each other, each side told through the alerts path;
nobody else reads the conversation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.alerts.models import OutboxEmail
from kb.elite import csm
from kb.errors import Invalid
from kb.notifications import Notification
from tests.alerts.test_preferences import _form_values
from tests.conftest import Auth
from tests.elite.conftest import make_elite_customer


def notifications_of(email: str) -> list[str]:
    user = user_by_email(email)
    return list(db.session.scalars(select(Notification.title).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def emails_to(email: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == email)))


def test_the_customer_sees_their_csm_and_reaches_them(client, auth, elite_customer, app):
    auth.login(elite_customer.email)

    page = client.get("/elite")
    sent = auth.post("/elite/messages", data={"body": "Our month-end run fails <b>again</b>."})

    assert page.status_code == 200 and "Carla Manager" in page.text
    assert sent.status_code == 302
    with app.app_context():
        assert notifications_of(elite_customer.csm_email)[-1].startswith("New message from")
        [mail] = [m for m in emails_to(elite_customer.csm_email) if "New message" in m.subject]
        assert "Our month-end run fails <b>again</b>." in mail.body
    shown = client.get("/elite").text
    assert "Our month-end run fails &lt;b&gt;again&lt;/b&gt;." in shown
    assert client.get("/api/v1/elite/csm", headers=elite_customer.headers).get_json() == {
        "csm": {"name": "Carla Manager", "email": elite_customer.csm_email}}


def test_the_csm_answers_and_the_writer_is_told(client, elite_customer, app):
    writer = Auth(app.test_client())
    writer.login(elite_customer.email)
    writer.post("/elite/messages", data={"body": "Can we meet next week?"})
    manager = Auth(client)
    manager.login(elite_customer.csm_email)

    page = client.get(f"/staff/elite/organizations/{elite_customer.organization_id}")
    answered = manager.post(f"/staff/elite/organizations/{elite_customer.organization_id}"
                            "/messages", data={"body": "Tuesday 10:00 suits me."})

    assert "Can we meet next week?" in page.text
    assert answered.status_code == 302
    with app.app_context():
        assert notifications_of(elite_customer.email)[-1].startswith(
            "New message from Carla Manager")
    assert "Tuesday 10:00 suits me." in writer.client.get("/elite").text


def test_nobody_else_reads_the_conversation(client, elite_customer, app, make_user, api_token):
    other = make_elite_customer(app, make_user, api_token)
    Auth(app.test_client()).login(elite_customer.email)
    stranger = Auth(client)
    stranger.login(other.email)

    assert client.get(f"/staff/elite/organizations/{elite_customer.organization_id}"
                      ).status_code == 403
    assert stranger.post(f"/staff/elite/organizations/{elite_customer.organization_id}"
                         "/messages", data={"body": "hello"}).status_code == 403
    assert client.get("/staff/elite").status_code == 403


def test_only_elite_organisations_get_a_csm_and_only_staff_manage_them(app, make_user,
                                                                     api_token):
    premium = make_elite_customer(app, make_user, api_token, plan="premium")
    elite = make_elite_customer(app, make_user, api_token)
    with app.app_context():
        staff = user_by_email(premium.csm_email)
        with pytest.raises(Invalid, match="only Elite organisations"):
            csm.assign(staff, db.session.get(Organization, premium.organization_id), staff)
        with pytest.raises(Invalid, match="enabled staff member"):
            csm.assign(staff, db.session.get(Organization, elite.organization_id),
                       user_by_email(elite.email))


def test_staff_reassign_the_csm_and_the_new_one_is_told(client, elite_customer, app,
                                                        make_user):
    successor = make_user(role="staff")
    manager = Auth(client)
    manager.login(elite_customer.csm_email)
    with app.app_context():
        successor_id = user_by_email(successor).id

    done = manager.post(f"/staff/elite/organizations/{elite_customer.organization_id}/csm",
                        data={"csm": str(successor_id)})

    assert done.status_code == 302
    with app.app_context():
        organization = db.session.get(Organization, elite_customer.organization_id)
        assert csm.csm_of(organization).email == successor
        assert notifications_of(successor)[-1].startswith("You are the customer success manager")
    overview = client.get("/staff/elite").text
    assert organization.name in overview


def test_switching_off_elite_e_mail_on_the_settings_page_stops_it(client, auth, elite_customer,
                                                                   app):
    def csm_writes(body: str) -> None:
        with app.app_context():
            organization = db.session.get(Organization, elite_customer.organization_id)
            csm.send_message(user_by_email(elite_customer.csm_email), organization, body)

    def mailed() -> list[str]:
        with app.app_context():
            return [mail.subject for mail in emails_to(elite_customer.email)]

    auth.login(elite_customer.email)
    page = client.get("/notifications/settings").text
    assert "Customer success manager, meetings and special events" in page
    assert auth.post("/elite/messages", data={"body": "Hello"}).status_code == 302
    csm_writes("Before")
    assert len(mailed()) == 1

    values = _form_values(page)
    del values["all-elite-email"]
    assert auth.post("/notifications/settings", values).status_code == 302
    csm_writes("After")

    assert len(mailed()) == 1
    with app.app_context():
        assert len(notifications_of(elite_customer.email)) == 2  # in the portal still


def test_only_those_told_of_elite_services_get_their_settings_row(client, auth, customer_on):
    auth.login(customer_on("premium"))
    assert "Customer success manager" not in client.get("/notifications/settings").text


def test_a_message_time_names_the_readers_zone(client, auth, elite_customer, app):
    with app.app_context():
        user_by_email(elite_customer.email).time_zone = "Asia/Tokyo"
        db.session.commit()
    auth.login(elite_customer.email)
    auth.post("/elite/messages", data={"body": "Month-end run fails."})
    before_the_message = client.get("/elite").text.split("Month-end run fails.", 1)[0]
    assert " JST</time>" in before_the_message.rsplit("<li", 1)[1]
