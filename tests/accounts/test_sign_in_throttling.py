"""Sign-in throttling under real contention, and backoff that a stranger cannot turn into a
lockout: per address, per account, the customer's own browser past the account ceiling."""

from __future__ import annotations

import threading

from tests.accounts.security_helpers import (
    CUSTOMER_ADDRESS,
    STRANGER,
    _expire_waits,
    browser,
    count_password_checks,
)
from tests.conftest import csrf_token


def test_parallel_wrong_passwords_check_no_more_passwords_than_the_limit(
        app, customer_on, monkeypatch):
    email = customer_on("premium")
    checks = count_password_checks(monkeypatch)
    attackers = [browser(app, STRANGER) for _ in range(30)]
    forms = [{"email": email, "password": "guess-guess-guess", "next": "",
              "csrf_token": csrf_token(attacker.client, "/sign-in")} for attacker in attackers]
    barrier = threading.Barrier(len(attackers))
    statuses: list[int] = []

    def guess(attacker, form):
        barrier.wait()
        statuses.append(attacker.client.post("/sign-in", data=form).status_code)

    threads = [threading.Thread(target=guess, args=pair)
               for pair in zip(attackers, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    free = app.config["SIGN_IN_FREE_FAILURES"]
    assert len(checks) == free
    assert sorted(statuses) == [401] * free + [429] * (len(attackers) - free)


def test_failures_from_one_address_back_off_exponentially(app, customer_on):
    email = customer_on("premium")
    attacker = browser(app, STRANGER)
    for _ in range(app.config["SIGN_IN_FREE_FAILURES"]):
        assert attacker.login(email, "guess-guess-guess").status_code == 401
    waits = []
    for _ in range(3):
        refused = attacker.login(email)  # even the right password waits its turn
        assert refused.status_code == 429
        assert b"Too many failed sign-ins" in refused.data
        waits.append(int(refused.headers["Retry-After"]))
        _expire_waits(app)
        assert attacker.login(email, "guess-guess-guess").status_code == 401
    first = app.config["SIGN_IN_FIRST_WAIT_SECONDS"]
    expected = [first, first * 2, first * 4]
    assert all(want - 1 <= wait <= want for wait, want in zip(waits, expected, strict=True))


def test_a_stranger_cannot_lock_the_customer_out(app, customer_on):
    email = customer_on("premium")
    attacker = browser(app, STRANGER)
    for _ in range(app.config["SIGN_IN_FREE_FAILURES"] + 5):
        attacker.login(email, "guess-guess-guess")
    assert attacker.login(email).status_code == 429
    assert browser(app, CUSTOMER_ADDRESS).login(email).status_code == 302


def test_guessing_from_many_addresses_meets_the_account_ceiling(app, customer_on):
    app.config["SIGN_IN_ACCOUNT_FREE_FAILURES"] = 6
    email = customer_on("premium")
    for number in range(3):
        for _ in range(2):
            browser(app, f"198.51.100.{number}").login(email, "guess-guess-guess")
    refused = browser(app, CUSTOMER_ADDRESS).login(email)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) <= app.config["SIGN_IN_ACCOUNT_MAX_WAIT_SECONDS"]


def test_the_customers_own_browser_passes_the_account_ceiling(app, customer_on):
    app.config["SIGN_IN_ACCOUNT_FREE_FAILURES"] = 4
    email = customer_on("premium")
    customer = browser(app, CUSTOMER_ADDRESS)
    assert customer.login(email).status_code == 302
    customer.logout()
    for number in range(4):
        browser(app, f"198.51.100.{number}").login(email, "guess-guess-guess")
    assert browser(app, "198.51.100.99").login(email).status_code == 429
    assert customer.login(email).status_code == 302


def test_a_forged_device_cookie_does_not_pass_the_account_ceiling(app, customer_on):
    app.config["SIGN_IN_ACCOUNT_FREE_FAILURES"] = 4
    email = customer_on("premium")
    for number in range(4):
        browser(app, f"198.51.100.{number}").login(email, "guess-guess-guess")
    forger = browser(app, "198.51.100.99")
    forger.client.set_cookie("kb_device", f"{email}.forged.signature")
    assert forger.login(email).status_code == 429


def test_one_address_guessing_many_accounts_backs_off(app, customer_on):
    app.config["SIGN_IN_ADDRESS_FREE_FAILURES"] = 4
    sprayer = browser(app, STRANGER)
    for number in range(4):
        sprayer.login(f"victim{number}@example.test", "guess-guess-guess")
    assert sprayer.login(customer_on("elite")).status_code == 429
    assert browser(app, CUSTOMER_ADDRESS).login(customer_on("elite")).status_code == 302
