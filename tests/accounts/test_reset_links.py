"""Password reset links that work once and only while they are the newest, stored only as
hashes; reset requests throttled, answered alike and doing the same work for known and unknown
addresses."""

from __future__ import annotations

import threading

from sqlalchemy import select

from kb import db
from kb.accounts import passwords
from kb.accounts.models import PasswordResetToken
from kb.alerts.schedule import run_due_jobs
from kb.db import utcnow
from kb.mail import OutboxEmail
from tests.accounts.security_helpers import (
    STRANGER,
    _reset_links,
    _statements_of_reset_request,
    _use_link,
    _writes_per_table,
    browser,
)
from tests.conftest import CSRF_PATTERN, DEMO_PASSWORD, Auth, csrf_token


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
