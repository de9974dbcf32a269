"""The e-mails a change to how one signs in sends, as they arrive at a real SMTP server: a
changed password (on the account page or with a reset link) and two-step sign-in turned on or
reset by an administrator. Each says when, links to the account page and says what to do if it
was unexpected; none can be unsubscribed from."""

from __future__ import annotations

from kb import db
from kb.accounts import passwords
from kb.accounts.queries import user_by_email
from tests.accounts.two_step_helpers import Clock, enrol, post
from tests.web import Auth

ACCOUNT = "http://kb.test/account"
RESET = "http://kb.test/reset-password"
NEW_PASSWORD = "a-new-long-password-9"


def _deliver(runner) -> None:
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output


def _arrived(smtp, recipient: str, subject: str) -> tuple[str, str]:
    [message] = [m for m in smtp.inbox.to(recipient)
                 if m["Subject"].strip() == f"Orbitec Support: {subject}"]
    assert message["List-Unsubscribe"] is None
    return tuple(message.get_body((kind,)).get_content().replace("\r\n", "\n")
                 for kind in ("plain", "html"))


def _says_what_to_do_if_it_was_not_them(text: str, html: str) -> None:
    assert f"ask for a reset link at {RESET} to choose a new password now" in text
    assert f'<a href="{RESET}">' in html
    assert f"Your account page: {ACCOUNT}" in text


def test_a_password_changed_on_the_account_page_is_told_by_e_mail(
        app, client, auth, runner, smtp, customer_on):
    email = customer_on("premium")
    auth.login(email)
    changed = post(client, "/account/password", {
        "current_password": "demo-password", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD}, page="/account")
    assert changed.status_code == 302
    _deliver(runner)

    text, html = _arrived(smtp, email, "Your password was changed")
    assert f"The password of your account {email} was changed on your account page on " in text
    assert " UTC." in text  # when, in the reader's zone (UTC unless they chose one)
    _says_what_to_do_if_it_was_not_them(text, html)


def test_a_password_reset_with_a_link_is_told_by_e_mail(app, client, runner, smtp,
                                                         customer_on):
    email = customer_on("xtreme")
    with app.app_context():
        link = passwords.issue_reset_link(user_by_email(email))
        db.session.commit()
    path = link.removeprefix("http://kb.test")
    done = post(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=path)
    assert done.status_code == 302
    _deliver(runner)

    text, html = _arrived(smtp, email, "Your password was changed")
    assert "was changed with a reset link sent to this address on " in text
    _says_what_to_do_if_it_was_not_them(text, html)
    assert path not in text  # the used link is not repeated


def test_two_step_on_and_an_administrators_reset_link_to_the_account_page(
        app, client, runner, smtp, make_organization, make_user, monkeypatch):
    clock = Clock(monkeypatch)
    organization = make_organization("elite")
    administrator = make_user(role="customer_admin", organization_id=organization)
    member = make_user(organization_id=organization)
    Auth(client).login(member)
    enrol(client, clock)
    with app.app_context():
        member_id = user_by_email(member).id
    admin_browser = app.test_client()
    Auth(admin_browser).login(administrator)
    assert post(admin_browser, f"/organization/users/{member_id}/reset-two-step",
                page="/organization/users").status_code == 302
    _deliver(runner)

    text, html = _arrived(smtp, member, "Two-step sign-in is on")
    assert "Two-step sign-in was turned on for your account on " in text
    assert f"Your account page: {ACCOUNT}" in text and f'<a href="{ACCOUNT}">' in html
    assert f"reset it now at {RESET}" in text

    text, html = _arrived(smtp, member, "Your two-step sign-in has been reset")
    assert f"({administrator}, your organisation's administrator) turned two-step" in text
    assert "If you did not ask for this, contact " in text and f"({administrator})" in text
    assert "If this was not you" not in text
    assert f"Your account page: {ACCOUNT}" in text and f'<a href="{ACCOUNT}">' in html
