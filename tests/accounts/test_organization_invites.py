"""An organisation's administrator invites users: the form offers only the roles policy lets
them give, a refused role is told beside the Role field in words; invited users are listed as
"Invited (date)" until they choose a password, "Invitation expired" once its link has stopped
working, and their invitation can be sent again (a new link, the old one void, a few times at
once and then throttled). The e-mail to a staff address someone tried to invite says what is
true of it."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
from sqlalchemy import select

from kb import db
from kb.accounts import passwords
from kb.accounts.models import PasswordResetToken
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.mail import OutboxEmail
from tests.accounts.conftest import smtp, smtp_server  # noqa: F401 - the real SMTP server

ADMIN = "premium-admin@demo.test"
INVITED = "new.colleague@contoso.example"
INVITATION = "Orbitec Support: You are invited to the support portal"


def page_of(response):
    return lxml.html.fromstring(response.get_data(as_text=True))


def role_options(auth) -> list[str]:
    page = page_of(auth.client.get("/organization/users"))
    return [option.text_content() for option in page.xpath('//select[@id="role"]/option')]


def row_of(auth, email: str):
    page = page_of(auth.client.get("/organization/users"))
    [row] = [tr for tr in page.xpath("//tbody/tr") if tr[0].text_content().strip() == email]
    return row


def status_of(auth, email: str) -> str:
    return row_of(auth, email).xpath("./td")[-3].text_content().strip()


def invite(auth, email: str = INVITED, role: str = "customer", **kwargs):
    return auth.post("/organization/users", {"email": email, "role": role, "name": ""},
                     **kwargs)


def test_the_invite_form_offers_only_the_roles_the_administrator_may_give(auth,
                                                                          demo_accounts):
    auth.login(ADMIN)
    assert role_options(auth) == ["Customer"]


def test_staff_creating_users_may_still_give_both_customer_roles(app, demo_accounts):
    from kb.accounts.forms import CUSTOMER_ROLE_PAIRS
    from kb.policy import may_assign_role
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        assert [r for r, _ in CUSTOMER_ROLE_PAIRS if may_assign_role(staff, r)] == [
            "customer", "customer_admin"]


def test_a_refused_role_is_told_beside_the_role_field_in_words(auth, demo_accounts, app):
    auth.login(ADMIN)
    response = invite(auth, role="customer_admin")  # a page of before, or a forged form
    page = page_of(response)

    assert response.status_code == 422
    assert page.xpath('//*[@id="email-error"]') == []
    [error] = page.xpath('//*[@id="role-error"]')
    assert "customer_admin" not in response.get_data(as_text=True)
    assert error.text_content().strip() != ""
    with app.app_context():
        assert user_by_email(INVITED) is None


def test_the_service_names_a_refused_role_in_words(app, demo_accounts):
    from kb.accounts import users
    from kb.errors import Invalid
    with app.app_context():
        admin = user_by_email(ADMIN)
        try:
            users.invite_user(admin, admin.organization, INVITED, role="customer_admin")
        except Invalid as refusal:
            assert (refusal.message, refusal.field) == (
                "You may not give the role Customer administrator.", "role")
        else:
            raise AssertionError("a customer administrator gave the role customer_admin")


def test_an_invited_user_is_listed_as_invited_until_they_choose_a_password(
        auth, demo_accounts, app, client):
    auth.login(ADMIN)
    assert invite(auth).status_code == 302
    with app.app_context():
        invited = user_by_email(INVITED)
        sent_on = invited.created_at.date().isoformat()
        link = passwords.issue_reset_link(invited)
        db.session.commit()

    assert status_of(auth, INVITED) == f"Invited ({sent_on})"
    assert status_of(auth, "premium@demo.test") == "active"
    assert "Resend invitation" in row_of(auth, INVITED).text_content()
    assert "Resend invitation" not in row_of(auth, "premium@demo.test").text_content()

    with app.app_context():
        passwords.reset_password(link.split("/reset-password/")[1], "a-long-new-password-7")
    assert status_of(auth, INVITED) == "active"
    assert "Resend invitation" not in row_of(auth, INVITED).text_content()


def test_a_resent_invitation_has_a_new_link_and_the_old_one_stops_working(
        auth, demo_accounts, app, runner, smtp):  # noqa: F811
    auth.login(ADMIN)
    invite(auth)
    with app.app_context():
        user_id = user_by_email(INVITED).id
    resent = auth.post(f"/organization/users/{user_id}/resend-invitation",
                       follow_redirects=True)
    assert "A new invitation is on its way" in resent.get_data(as_text=True)
    assert runner.invoke(args=["outbox", "run", "--once"]).exit_code == 0

    first, second = [m.get_body(("plain",)).get_content() for m in smtp.inbox.to(INVITED)
                     if m["Subject"].strip() == INVITATION]
    old, new = (body.split("/reset-password/")[1].split()[0] for body in (first, second))
    assert old != new
    invited_browser = app.test_client()  # the invited person's, not the administrator's
    assert invited_browser.get(f"/reset-password/{old}").status_code != 200
    assert invited_browser.get(f"/reset-password/{new}").status_code == 200


def test_resending_is_throttled(auth, demo_accounts, app):
    auth.login(ADMIN)
    invite(auth)
    with app.app_context():
        user_id = user_by_email(INVITED).id
    answers = [auth.post(f"/organization/users/{user_id}/resend-invitation",
                         follow_redirects=True).get_data(as_text=True) for _ in range(3)]

    assert ["A new invitation is on its way" in page for page in answers] == [
        True, True, False]
    assert "The invitation was sent again just now. Try again in" in answers[2]
    with app.app_context():
        sent = db.session.scalars(select(OutboxEmail.id).where(
            OutboxEmail.recipient == INVITED)).all()
    assert len(sent) == 3  # the invitation and two resends


def test_an_accepted_invitation_is_not_resent(auth, demo_accounts, app):
    auth.login(ADMIN)
    with app.app_context():
        user_id = user_by_email("premium@demo.test").id
    page = auth.post(f"/organization/users/{user_id}/resend-invitation",
                     follow_redirects=True).get_data(as_text=True)
    assert "has accepted the invitation already" in page


def test_another_organisations_administrator_cannot_resend(auth, demo_accounts, app):
    auth.login(ADMIN)
    invite(auth)
    auth.logout()
    auth.login("elite-admin@demo.test")
    with app.app_context():
        user_id = user_by_email(INVITED).id
    assert auth.post(f"/organization/users/{user_id}/resend-invitation").status_code in (
        403, 404)


def test_a_staff_address_is_told_it_is_a_staff_account_not_another_organisations(
        auth, demo_accounts, app):
    auth.login(ADMIN)
    answer = invite(auth, "staff@demo.test", follow_redirects=True)
    assert "has been invited" in answer.get_data(as_text=True)  # the same answer as for anyone
    with app.app_context():
        body = db.session.scalar(select(OutboxEmail.body).where(
            OutboxEmail.recipient == "staff@demo.test"))
    assert "another organisation" not in body
    assert "your address is a staff account of the portal" in body


def test_staff_see_the_invitation_pending_and_can_resend_it(auth, demo_accounts, app):
    auth.login(ADMIN)
    invite(auth)
    auth.logout()
    auth.login("staff@demo.test")
    with app.app_context():
        user_id = user_by_email(INVITED).id
    page = auth.client.get(f"/staff/users/{user_id}").get_data(as_text=True)
    assert "not accepted yet" in page and "Resend invitation" in page
    listed = page_of(auth.client.get("/staff/users"))
    [row] = [tr for tr in listed.xpath("//tbody/tr") if tr[0].text_content().strip() == INVITED]
    assert "Invited (" in row.text_content()

    resent = auth.post(f"/organization/users/{user_id}/resend-invitation",
                       follow_redirects=True)
    assert resent.request.path == f"/staff/users/{user_id}"
    assert "A new invitation is on its way" in resent.get_data(as_text=True)


def test_staff_are_offered_only_the_roles_they_may_give_and_refusals_sit_beside_role(
        auth, demo_accounts, app):
    auth.login("staff@demo.test")
    page = page_of(auth.client.get("/staff/users"))
    assert [o.text_content() for o in page.xpath('//select[@id="role"]/option')] == [
        "Customer", "Customer administrator"]
    refused = page_of(auth.post("/staff/users", {"email": "new.staff@orbitec.example",
                                                 "role": "admin", "organization": ""}))
    assert refused.xpath('//*[@id="email-error"]') == []
    assert refused.xpath('//*[@id="role-error"]')
    auth.logout()

    auth.login("admin@demo.test")
    page = page_of(auth.client.get("/staff/users"))
    assert [o.text_content() for o in page.xpath('//select[@id="role"]/option')] == [
        "Customer", "Customer administrator", "Staff", "Administrator"]


def _let_the_invitation_expire(app, email: str) -> str:
    """Move the user's invitation back past INVITATION_DAYS, as if a week had gone by; return
    the day it was sent."""
    with app.app_context():
        user = user_by_email(email)
        days = timedelta(days=app.config["INVITATION_DAYS"] + 1)
        for link in db.session.scalars(select(PasswordResetToken).where(
                PasswordResetToken.user_id == user.id)):
            link.created_at -= days
            link.expires_at -= days
        user.created_at -= days
        db.session.commit()
        return (utcnow() - days).date().isoformat()


def test_an_expired_invitation_says_so_and_a_new_one_can_be_sent(
        auth, demo_accounts, app, runner, smtp):  # noqa: F811
    auth.login(ADMIN)
    invite(auth)
    sent_on = _let_the_invitation_expire(app, INVITED)

    assert status_of(auth, INVITED) == f"Invitation expired (sent {sent_on})"
    assert "Send a new invitation" in row_of(auth, INVITED).text_content()
    assert "Resend invitation" not in row_of(auth, INVITED).text_content()

    with app.app_context():
        user_id = user_by_email(INVITED).id
    resent = auth.post(f"/organization/users/{user_id}/resend-invitation",
                       follow_redirects=True)
    assert "A new invitation is on its way" in resent.get_data(as_text=True)
    assert status_of(auth, INVITED) == f"Invited ({utcnow().date().isoformat()})"
    assert "Resend invitation" in row_of(auth, INVITED).text_content()
    assert runner.invoke(args=["outbox", "run", "--once"]).exit_code == 0
    first, second = [m.get_body(("plain",)).get_content() for m in smtp.inbox.to(INVITED)
                     if m["Subject"].strip() == INVITATION]
    old, new = (body.split("/reset-password/")[1].split()[0] for body in (first, second))
    invited_browser = app.test_client()  # the invited person's, not the administrator's
    assert invited_browser.get(f"/reset-password/{old}").status_code != 200
    assert invited_browser.get(f"/reset-password/{new}").status_code == 200


def test_staff_see_an_expired_invitation_and_can_send_a_new_one(auth, demo_accounts, app):
    auth.login(ADMIN)
    invite(auth)
    auth.logout()
    _let_the_invitation_expire(app, INVITED)
    auth.login("staff@demo.test")
    with app.app_context():
        user_id = user_by_email(INVITED).id

    page = auth.client.get(f"/staff/users/{user_id}").get_data(as_text=True)
    assert "the invitation expired" in page and "Send a new invitation" in page
    assert "not accepted yet" not in page
    listed = page_of(auth.client.get("/staff/users"))
    [row] = [tr for tr in listed.xpath("//tbody/tr") if tr[0].text_content().strip() == INVITED]
    assert "Invitation expired (sent " in row.text_content()
