"""Signing in with two-step sign-in on: the password, then a code of the app or a recovery
code; until then the browser is signed out everywhere. Windows, replays, throttling."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, update

from kb import db
from kb.accounts import half_signed_in, two_step
from kb.accounts.models import RecoveryCode
from tests.accounts.two_step_helpers import (
    Clock,
    code_at,
    enrol,
    post,
    second_step,
    sign_in_with_password,
)
from tests.web import bearer


@pytest.fixture
def enrolled(app, client, auth, customer_on, monkeypatch):
    """A signed-out customer with two-step sign-in on: (e-mail, secret, recovery codes,
    clock)."""
    clock = Clock(monkeypatch)
    email = customer_on("premium")
    auth.login(email)
    secret, codes = enrol(client, clock)
    auth.logout()
    clock.pass_seconds(60)  # the window before is not the enrolment's (a used one)
    return email, secret, codes, clock


def test_the_password_alone_signs_nothing_in(client, enrolled):
    email, secret, _, clock = enrolled
    response = sign_in_with_password(client, email)
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in/two-step"
    # half signed in: every page and the API treat the browser as signed out
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/account").headers["Location"].startswith("/sign-in")
    assert client.get("/").headers["Location"] == "/sign-in"
    page = client.get("/sign-in/two-step")
    assert page.status_code == 200 and "Enter your code" in page.get_data(as_text=True)

    signed_in = second_step(client, code_at(secret, clock.now))
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    assert client.get("/api/v1/me").get_json()["email"] == email


def test_the_code_page_keeps_the_next_address(client, enrolled):
    email, secret, _, clock = enrolled
    post(client, "/sign-in", {"email": email, "password": "demo-password",
                              "next": "/account"})
    assert second_step(client, code_at(secret, clock.now)).headers["Location"] == "/account"


def test_without_a_password_first_the_code_page_sends_to_sign_in(client, enrolled):
    _, secret, _, clock = enrolled
    assert client.get("/sign-in/two-step").headers["Location"] == "/sign-in"
    assert second_step_without_page(client, code_at(secret, clock.now)).status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def second_step_without_page(client, code):
    return post(client, "/sign-in/two-step", {"code": code})


def test_the_code_page_expires(client, enrolled, monkeypatch):
    email, secret, _, clock = enrolled
    sign_in_with_password(client, email)
    later = time.time() + half_signed_in.PENDING_SECONDS + 1
    monkeypatch.setattr(half_signed_in.time, "time", lambda: later)
    assert client.get("/sign-in/two-step").headers["Location"] == "/sign-in"
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("steps", [-1, 1])
def test_the_previous_and_the_next_window_are_accepted(client, enrolled, steps):
    email, secret, _, clock = enrolled
    sign_in_with_password(client, email)
    assert second_step(client, code_at(secret, clock.now, steps)).headers["Location"] == "/"


@pytest.mark.parametrize("steps", [-2, 2])
def test_codes_further_off_are_refused(client, enrolled, steps):
    email, secret, _, clock = enrolled
    sign_in_with_password(client, email)
    response = second_step(client, code_at(secret, clock.now, steps))
    assert response.status_code == 401
    assert "That code is not right" in response.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 401


def test_a_code_used_once_is_refused_in_the_same_window(app, client, enrolled):
    email, secret, _, clock = enrolled
    code = code_at(secret, clock.now)
    sign_in_with_password(client, email)
    assert second_step(client, code).headers["Location"] == "/"

    eavesdropper = app.test_client()
    sign_in_with_password(eavesdropper, email)
    clock.pass_seconds(5)
    assert second_step(eavesdropper, code).status_code == 401
    assert eavesdropper.get("/api/v1/me").status_code == 401
    # nor an earlier window's code once a later one was used
    assert second_step(eavesdropper, code_at(secret, clock.now, -1)).status_code == 401
    clock.pass_seconds(30)
    assert second_step(eavesdropper, code_at(secret, clock.now)).headers["Location"] == "/"


def test_wrong_codes_are_throttled_like_wrong_passwords(app, client, enrolled):
    email, secret, _, clock = enrolled
    sign_in_with_password(client, email)
    wrong = "000000" if code_at(secret, clock.now) != "000000" else "111111"
    for _ in range(app.config["SIGN_IN_FREE_FAILURES"]):
        assert second_step(client, wrong).status_code == 401
    throttled = second_step(client, code_at(secret, clock.now))
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert "Too many wrong codes" in throttled.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 401
    # the wait counts for the account, from another browser too
    other = app.test_client()
    sign_in_with_password(other, email)
    assert second_step(other, code_at(secret, clock.now)).status_code == 429


def test_a_recovery_code_signs_in_once(client, enrolled):
    email, _, codes, _ = enrolled
    sign_in_with_password(client, email)
    response = second_step(client, codes[3].upper().replace("-", " "))
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "You signed in with a recovery code, which is now spent: 9 left." in home
    assert "You have 9 unused recovery codes" in client.get("/account").get_data(as_text=True)
    post(client, "/sign-out", page="/account")

    sign_in_with_password(client, email)
    assert second_step(client, codes[3]).status_code == 401
    assert second_step(client, codes[4]).headers["Location"] == "/"


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(client, enrolled):
    email, secret, codes, clock = enrolled
    sign_in_with_password(client, email)
    second_step(client, codes[0])
    refused = post(client, "/account/two-step/recovery-codes", {"code": "123 456"},
                   page="/account")
    assert refused.status_code == 422 and "That code is not right" in refused.get_data(
        as_text=True)
    renewed = post(client, "/account/two-step/recovery-codes",
                   {"code": code_at(secret, clock.now)}, page="/account")
    assert renewed.status_code == 200
    page = renewed.get_data(as_text=True)
    assert "Your new recovery codes" in page
    assert "You have 10 unused recovery codes" in client.get("/account").get_data(as_text=True)
    post(client, "/sign-out", page="/account")
    sign_in_with_password(client, email)
    assert second_step(client, codes[1]).status_code == 401


def test_an_api_token_is_its_own_credential(client, enrolled, api_token):
    email, _, _, _ = enrolled
    token = api_token(email)
    assert client.get("/api/v1/me", headers=bearer(token)).get_json()["email"] == email


def test_a_password_reset_leaves_two_step_on(app, client, enrolled):
    from tests.accounts.security_helpers import _reset_links

    email, secret, _, clock = enrolled
    post(client, "/reset-password", {"email": email}, page="/reset-password")
    [link] = _reset_links(app, email)
    post(client, link, {"password": "a-brand-new-password", "confirm": "a-brand-new-password"},
         page=link)
    response = sign_in_with_password(client, email, "a-brand-new-password")
    assert response.headers["Location"] == "/sign-in/two-step"
    assert client.get("/api/v1/me").status_code == 401
    assert second_step(client, code_at(secret, clock.now)).headers["Location"] == "/"


@pytest.fixture
def hashes_checked(monkeypatch) -> list[str]:
    """The stored hashes the second step checks typed codes against, in order."""
    checked: list[str] = []
    check = two_step.check_password_hash

    def counted(stored_hash: str, typed: str) -> bool:
        checked.append(stored_hash)
        return check(stored_hash, typed)

    monkeypatch.setattr(two_step, "check_password_hash", counted)
    return checked


def _unused_beginning(codes: list[str]) -> str:
    """A code's first two characters that none of ``codes`` begins with."""
    taken = {code[:2] for code in codes}
    return next(a + b for a in "abcdefghjk" for b in "mnpqrstuvw" if a + b not in taken)


def test_checking_a_recovery_code_costs_one_hash_right_or_wrong(app, client, enrolled,
                                                                hashes_checked):
    email, _, codes, _ = enrolled
    with app.app_context():  # kept with their first characters, no two alike
        assert sorted(db.session.scalars(select(RecoveryCode.lookup))) == sorted(
            code[:2] for code in codes)
    assert len({code[:2] for code in codes}) == 10
    sign_in_with_password(client, email)
    last = codes[9]
    almost = last[:-1] + ("a" if last[-1] != "a" else "b")  # begins like a stored code
    nowhere = _unused_beginning(codes) + last[2:]  # begins like none
    for wrong in (almost, nowhere):
        hashes_checked.clear()
        assert second_step(client, wrong).status_code == 401
        assert len(hashes_checked) == 1
    hashes_checked.clear()
    assert second_step(client, last).headers["Location"] == "/"
    assert len(hashes_checked) == 1


def test_recovery_codes_stored_before_their_lookup_still_sign_in_once(app, client, enrolled,
                                                                      hashes_checked):
    email, _, codes, _ = enrolled
    with app.app_context():  # as they were stored before migration 0042
        db.session.execute(update(RecoveryCode).values(lookup=None))
        db.session.commit()
    sign_in_with_password(client, email)
    assert second_step(client, codes[9]).headers["Location"] == "/"
    assert len(hashes_checked) == 10  # each checked, as before
    post(client, "/sign-out", page="/account")
    sign_in_with_password(client, email)
    assert second_step(client, codes[9]).status_code == 401
    assert second_step(client, codes[0]).headers["Location"] == "/"
