"""Sign-in throttling under real contention, backoff that a stranger cannot turn into a lockout,
reset links that work once and only while they are the newest, sign-out that ends the session on
the server, and invitations that do not tell a customer administrator who has an account."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import event, select, update

from kb import db
from kb.accounts import passwords, sign_in
from kb.accounts.models import PasswordResetToken, Throttle, User
from kb.alerts.schedule import run_due_jobs
from kb.db import utcnow
from kb.mail import OutboxEmail
from tests.conftest import CSRF_PATTERN, DEMO_PASSWORD, Auth, csrf_token

STRANGER = "198.51.100.66"
CUSTOMER_ADDRESS = "203.0.113.10"


def browser(app, address: str = "192.0.2.1") -> Auth:
    """A fresh test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Auth(client)


def count_password_checks(monkeypatch) -> list[int]:
    """Count the calls of the password hash check (the real check still runs)."""
    calls: list[int] = []
    real_check = sign_in.check_password_hash

    def counting_check(password_hash, password):
        calls.append(1)
        return real_check(password_hash, password)

    monkeypatch.setattr(sign_in, "check_password_hash", counting_check)
    return calls


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


def _expire_waits(app) -> None:
    """Let every wait end now, as if the time had passed."""
    with app.app_context():
        db.session.execute(update(Throttle).values(
            next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


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


# --- sign-out --------------------------------------------------------------------------------

def test_sign_out_ends_the_session_for_a_copied_cookie(app, auth, customer_on):
    email = customer_on("elite")
    auth.login(email)
    cookie = auth.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value)
    assert thief.get("/api/v1/me").status_code == 200
    auth.logout()
    assert thief.get("/api/v1/me").status_code == 401


def test_sign_out_leaves_the_other_sessions_and_the_tokens(app, auth, customer_on, api_token):
    email = customer_on("elite")
    token = api_token(email)
    other_browser = browser(app)
    other_browser.login(email)
    auth.login(email)
    auth.logout()
    assert other_browser.client.get("/api/v1/me").status_code == 200
    fresh = app.test_client()
    assert fresh.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code \
        == 200


# --- password resets -------------------------------------------------------------------------

def _reset_links(app, email: str) -> list[str]:
    """The links e-mailed to ``email`` once the outbox loop answered the requests made."""
    with app.app_context():
        run_due_jobs()
        messages = db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.recipient == email).order_by(OutboxEmail.id))
        return [line.removeprefix("http://kb.test") for message in messages
                for line in message.body.splitlines() if "/reset-password/" in line]


def _use_link(client, path: str, password: str = "a-brand-new-password"):
    token = csrf_token(client, path)
    return client.post(path, data={"password": password, "confirm": password,
                                   "csrf_token": token})


def test_an_older_reset_link_dies_when_a_newer_one_is_sent(app, client, auth, customer_on):
    email = customer_on("premium")
    auth.post("/reset-password", {"email": email})
    auth.post("/reset-password", {"email": email})
    older, newer = _reset_links(app, email)
    assert client.get(older).status_code == 422
    assert _use_link(client, newer).status_code == 302


def test_a_reset_link_dies_when_the_password_changes(app, client, auth, customer_on):
    email = customer_on("premium")
    auth.post("/reset-password", {"email": email})
    (link,) = _reset_links(app, email)
    auth.login(email)
    auth.post("/account/password", {"current_password": DEMO_PASSWORD,
                                    "password": "another-password-1",
                                    "confirm": "another-password-1"})
    auth.logout()
    assert client.get(link).status_code == 422


def test_a_reset_link_works_once_even_when_used_twice_at_once(app, customer_on):
    email = customer_on("premium")
    Auth(app.test_client()).post("/reset-password", {"email": email})
    (link,) = _reset_links(app, email)
    clients = [app.test_client() for _ in range(6)]
    forms = [{"password": f"new-password-{n}", "confirm": f"new-password-{n}",
              "csrf_token": csrf_token(c, link)} for n, c in enumerate(clients)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def use(client, form):
        barrier.wait()
        statuses.append(client.post(link, data=form).status_code)

    threads = [threading.Thread(target=use, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [422] * (len(clients) - 1)


def test_repeated_reset_requests_leave_one_live_link_and_few_e_mails(app, customer_on):
    email = customer_on("premium")
    requester = Auth(app.test_client())
    for _ in range(30):
        assert requester.post("/reset-password", {"email": email}).status_code in (302, 429)
    with app.app_context():
        run_due_jobs()
        live = db.session.scalars(select(PasswordResetToken).where(
            PasswordResetToken.used_at.is_(None))).all()
        sent = db.session.scalars(select(OutboxEmail)).all()
    assert len(live) == 1
    assert len(sent) <= app.config["PASSWORD_RESET_FREE_REQUESTS"]


def test_reset_requests_from_one_address_are_throttled(app):
    requester = browser(app, STRANGER)
    statuses = [requester.post("/reset-password", {"email": f"n{n}@example.test"}).status_code
                for n in range(app.config["PASSWORD_RESET_ADDRESS_FREE_REQUESTS"] + 1)]
    assert statuses[:-1] == [302] * (len(statuses) - 1)
    assert statuses[-1] == 429


def test_reset_answers_alike_for_known_and_unknown_addresses(app, customer_on):
    email = customer_on("premium")
    answers = []
    for address in (email, "nobody@example.test"):
        requester = Auth(app.test_client())
        response = requester.post("/reset-password", {"email": address}, follow_redirects=True)
        page = response.get_data(as_text=True)
        page = page.replace(CSRF_PATTERN.search(page).group(1), "")  # each browser's own
        answers.append((response.status_code, page))
    assert answers[0] == answers[1]


WRITE = re.compile(r"^(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)


def _statements_of_reset_request(app, email: str, client_address: str) -> list[str]:
    """The SQL statements (without their parameters) one reset request for ``email`` sends."""
    requester = browser(app, client_address).client
    form = {"email": email, "csrf_token": csrf_token(requester, "/reset-password")}
    statements: list[str] = []

    def record(_connection, _cursor, statement, _parameters, _context, _executemany):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.database().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert requester.post("/reset-password", data=form).status_code == 302
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


def _writes_per_table(statements: list[str]) -> Counter:
    return Counter(f"{match.group(1).upper()} {match.group(2)}"
                   for match in map(WRITE.match, statements) if match)


def test_reset_requests_do_the_same_work_for_known_and_unknown_addresses(app, customer_on):
    """Timing must not tell whether an address has an account, so the request itself must not
    depend on it: the same writes to the same tables, the same statements in the same order."""
    # each from an address of its own: both count their first attempt on both throttles
    known = _statements_of_reset_request(app, customer_on("premium"), "192.0.2.1")
    unknown = _statements_of_reset_request(app, "nobody@example.test", "192.0.2.2")
    assert _writes_per_table(known) == _writes_per_table(unknown)
    assert known == unknown


def test_loops_answering_reset_requests_at_once_answer_each_once(app, customer_on):
    """Several servers run the outbox loop: each request gets one e-mail, and each user is
    left with one live link (the newest voids the others)."""
    emails = [customer_on("premium") for _ in range(2)]
    for email in emails * 3:
        assert browser(app).post("/reset-password", {"email": email}).status_code == 302
    now = utcnow()
    barrier = threading.Barrier(3)
    answered: list[int] = []

    def loop():
        with app.app_context():
            barrier.wait()
            answered.append(passwords.send_requested_reset_links(now))

    threads = [threading.Thread(target=loop) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        live = db.session.scalars(select(PasswordResetToken.user_id).where(
            PasswordResetToken.used_at.is_(None))).all()
        queued = db.session.scalars(select(OutboxEmail.recipient)).all()
    assert sum(answered) == 6 and sorted(queued) == sorted(emails * 3)
    assert len(live) == len(set(live)) == 2


def test_reset_links_are_stored_only_as_hashes(app, client, auth, customer_on):
    email = customer_on("premium")
    auth.post("/reset-password", {"email": email})
    (link,) = _reset_links(app, email)
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        stored = " ".join(str(value) for row in db.session.execute(
            select(PasswordResetToken.__table__)) for value in row)
    assert token not in stored
    assert client.get(link).status_code == 200


# --- invitations -----------------------------------------------------------------------------

def test_inviting_another_organisations_user_reveals_nothing(app, auth, demo_accounts):
    auth.login("elite-admin@demo.test")
    answers = []
    for address in ("premium@demo.test", "staff@demo.test", "brand.new@fabrikam.example"):
        response = auth.post("/organization/users", {"email": address, "role": "customer"},
                             follow_redirects=True)
        page = response.get_data(as_text=True)
        answers.append((response.status_code, "has been invited" in page,
                        "exists already" in page))
    assert answers == [(200, True, False)] * 3
    with app.app_context():
        premium = db.session.scalar(select(User).where(User.email == "premium@demo.test"))
        assert premium.organization.name != "Fabrikam Logistics"
        notice = db.session.scalar(select(OutboxEmail).where(
            OutboxEmail.recipient == "premium@demo.test"))
        assert "already has an account" in notice.body


def test_inviting_an_own_colleague_again_says_so(app, auth, demo_accounts):
    auth.login("elite-admin@demo.test")
    response = auth.post("/organization/users", {"email": "elite@demo.test",
                                                 "role": "customer"})
    assert response.status_code == 200
    assert b"already a user of your organisation" in response.data
