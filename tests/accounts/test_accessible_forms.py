"""The account forms for assistive technology: a refused form comes back with a summary at its
top that the browser lands on (title "Error: ..."), its fields tied to their messages and help,
personal fields tell the browser what they hold (autocomplete), and a button repeated on every
row says which row it acts on."""

from __future__ import annotations

import pytest

from kb import db
from kb.accounts.queries import user_by_email
from kb.notifications import notify
from tests.a11y import button_names, described_by, parsed, problems, refused_summary
from tests.accounts.security_helpers import _reset_links
from tests.accounts.two_step_helpers import post as two_step_post


def test_a_refused_password_change_is_summarised_where_the_browser_lands(auth, customer_on):
    auth.login(customer_on("premium"))

    answer = auth.post("/account/password", {"current_password": "wrong-password",
                                             "password": "a-new-password-1",
                                             "confirm": "another-password-2"})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "password-problem")
    assert page.findtext(".//title").startswith("Error: Your account")
    assert "not changed yet" in summary.text_content()
    assert problems(summary) == {"#confirm": "Repeat the new password: The passwords differ."}
    assert described_by(page, "confirm") == ["The passwords differ."]
    assert page.get_element_by_id("confirm").get("aria-invalid") == "true"


def test_a_refused_token_keeps_its_help_and_names_its_error(auth, customer_on):
    auth.login(customer_on("premium"))

    answer = auth.post("/account/tokens", {"name": "", "expires": "90"})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "token-problem")
    assert list(problems(summary)) == ["#token-name"]
    assert described_by(page, "token-name") == [
        "For example the script or machine that will use it.", "Enter a name for the token."]
    # the other forms of the page are not summarised
    assert not page.xpath('//*[@id="password-problem" or @id="profile-problem"]')


def test_an_account_page_not_refused_has_no_error_in_its_title(client, auth, customer_on):
    auth.login(customer_on("premium"))

    page = parsed(client.get("/account"))

    assert page.findtext(".//title").startswith("Your account")
    assert not page.xpath('//*[contains(@class, "error-summary")]')


def test_a_wrong_password_is_an_alert_that_takes_the_focus_from_the_email_field(
        client, auth, demo_accounts):
    auth.client.get("/sign-in")
    answer = auth.post("/sign-in", {"email": "premium@demo.test", "password": "not-it"})

    assert answer.status_code == 401
    page, summary = refused_summary(answer, "sign-in-problem")
    assert "#password" in problems(summary)
    assert page.get_element_by_id("email").get("autofocus") is None


def test_the_sign_in_page_focuses_the_email_field_when_nothing_was_refused(client):
    page = parsed(client.get("/sign-in"))

    assert page.get_element_by_id("email").get("autofocus") is not None
    assert not page.xpath('//*[@id="sign-in-problem"]')


def test_a_refused_invitation_is_summarised(auth, customer_on):
    auth.login(customer_on("premium", role="customer_admin"))

    answer = auth.post("/organization/users", {"email": "not an address", "name": "",
                                               "role": "customer"})

    page, summary = refused_summary(answer, "invite-problem")
    assert list(problems(summary)) == ["#email"]


@pytest.mark.parametrize("url, fields", [
    ("/sign-in", {"email": "username", "password": "current-password"}),
    ("/reset-password", {"email": "username"}),
    ("/account", {"name": "name", "current_password": "current-password",
                  "password": "new-password", "confirm": "new-password"}),
])
def test_personal_fields_say_what_they_hold(client, auth, customer_on, url, fields):
    if url == "/account":
        auth.login(customer_on("premium"))

    page = parsed(client.get(url))

    assert {name: page.get_element_by_id(name).get("autocomplete") for name in fields} == fields


def test_the_reset_form_asks_for_a_new_password(app, client, auth, customer_on):
    email = customer_on("premium")
    auth.post("/reset-password", {"email": email})
    (link,) = _reset_links(app, email)

    page = parsed(client.get(link))

    assert page.get_element_by_id("password").get("autocomplete") == "new-password"
    assert page.get_element_by_id("confirm").get("autocomplete") == "new-password"


def test_a_refused_reset_request_posts_to_its_own_address_and_its_summary_takes_the_focus(
        client, auth):
    # a request sent goes to /sign-in: an action ending in #reset-problem would stay in the
    # address bar after that redirect, so the summary takes the focus itself
    answer = auth.post("/reset-password", {"email": "not an address"})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "reset-problem")
    assert page.get_element_by_id("email").get("value") == "not an address"
    assert described_by(page, "email") == ["Give an e-mail address such as name@example.com."]
    assert page.get_element_by_id("email").get("aria-invalid") == "true"
    assert summary.get("autofocus") is not None
    assert next(summary.iterancestors("form")).get("action") is None
    assert list(problems(summary)) == ["#email"]
    assert page.get_element_by_id("email").get("autofocus") is None


def test_a_refused_new_password_posts_to_its_own_address_and_its_summary_takes_the_focus(
        app, client, auth, customer_on):
    email = customer_on("premium")
    auth.post("/reset-password", {"email": email})
    (link,) = _reset_links(app, email)

    answer = auth.post(link, {"password": "a-new-password-1", "confirm": "another-password-2"})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "password-problem")
    assert page.get_element_by_id("confirm").get("aria-invalid") == "true"
    assert summary.get("autofocus") is not None
    assert next(summary.iterancestors("form")).get("action") is None
    assert list(problems(summary)) == ["#confirm"]
    assert page.get_element_by_id("password").get("autofocus") is None
    empty = auth.post(link, {"password": "", "confirm": ""})
    assert empty.status_code == 422
    assert problems(refused_summary(empty, "password-problem")[1]) == {
        "#password": "New password: Choose a new password.",
        "#confirm": "Repeat the new password: Type the new password again."}


def test_each_revoke_button_names_its_token(auth, customer_on):
    auth.login(customer_on("premium"))
    auth.post("/account/tokens", {"name": "nightly sync", "expires": "90"})
    auth.post("/account/tokens", {"name": "build server", "expires": "90"})

    page = parsed(auth.client.get("/account"))

    assert sorted(button_names(page, "Revoke")) == [
        "Revoke the token build server", "Revoke the token nightly sync"]


def test_each_deactivate_button_names_its_user(auth, customer_on, make_user, app):
    admin = customer_on("premium", role="customer_admin")
    with app.app_context():
        organization_id = user_by_email(admin).organization_id
    colleague = make_user(role="customer", organization_id=organization_id)
    auth.login(admin)

    page = parsed(auth.client.get("/organization/users"))

    assert button_names(page, "Deactivate") == [f"Deactivate {colleague}"]


def test_each_mark_read_button_names_its_notification(app, auth, customer_on):
    email = customer_on("premium")
    with app.app_context():
        user = user_by_email(email)
        notify(user, "patch", "Orbit ERP 12.0 SP2 is out")
        notify(user, "article", "Export to Excel drops a column")
        db.session.commit()
    auth.login(email)

    page = parsed(auth.client.get("/notifications"))

    assert sorted(button_names(page, "Mark read")) == [
        "Mark read Export to Excel drops a column", "Mark read Orbit ERP 12.0 SP2 is out"]


def test_a_wrong_enrolment_code_is_summarised(client, customer_on, auth):
    auth.login(customer_on("premium"))
    assert two_step_post(client, "/account/two-step/start",
                         page="/account/two-step").status_code == 302

    answer = two_step_post(client, "/account/two-step", {"code": "000000"},
                           page="/account/two-step")

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "enrol-problem")
    assert list(problems(summary)) == ["#enrolment-code"]
    assert page.get_element_by_id("enrolment-code").get("autofocus") is None
