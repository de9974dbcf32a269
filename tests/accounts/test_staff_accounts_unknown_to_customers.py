"""To a customer administrator a staff account's id is as unknown as an id nobody has: managing
it (resend the invitation, deactivate, reactivate, reset two-step sign-in) answers the same 404
page, where it answered 403 ("administrators only") and so told which ids are staff."""

from __future__ import annotations

import pytest

from kb.accounts.queries import user_by_email
from tests.conftest import csrf_token
from tests.web import same_page

ACTIONS = ["resend-invitation", "deactivate", "reactivate", "reset-two-step"]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_staff_id_answers_as_a_missing_one(app, client, auth, demo_accounts, action):
    with app.app_context():
        staff_id = user_by_email("staff@demo.test").id
    auth.login("elite-admin@demo.test")
    token = csrf_token(client, "/organization/users")
    staff = client.post(f"/organization/users/{staff_id}/{action}", data={"csrf_token": token})
    missing = client.post(f"/organization/users/999999/{action}", data={"csrf_token": token})
    assert staff.status_code == missing.status_code == 404
    assert same_page(staff.data, missing.data)
    with app.app_context():
        assert user_by_email("staff@demo.test").is_enabled


def test_an_administrator_still_manages_staff_accounts(app, client, auth, demo_accounts):
    with app.app_context():
        staff_id = user_by_email("staff@demo.test").id
    auth.login("admin@demo.test")
    token = csrf_token(client, "/staff/users")
    answer = client.post(f"/organization/users/{staff_id}/deactivate",
                         data={"csrf_token": token})
    assert answer.status_code == 302
    with app.app_context():
        assert not user_by_email("staff@demo.test").is_enabled


def test_support_staff_may_not_manage_staff_accounts(app, client, auth, demo_accounts):
    with app.app_context():
        admin_id = user_by_email("admin@demo.test").id
    auth.login("staff@demo.test")
    token = csrf_token(client, "/staff/users")
    answer = client.post(f"/organization/users/{admin_id}/deactivate",
                         data={"csrf_token": token})
    assert answer.status_code == 403
    with app.app_context():
        assert user_by_email("admin@demo.test").is_enabled
