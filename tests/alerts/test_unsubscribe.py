"""One-click unsubscribe (RFC 8058): works signed out, by page or by a mail client's POST,
stops that kind of e-mail only, and a forged or altered link is refused with a 400 page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from itsdangerous import URLSafeSerializer


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def subscribed(app, runner, smtp, queue, customer_on):
    """A customer and the unsubscribe link of an e-mail they received."""
    email = customer_on("premium")
    queue(email, "Critical workaround", "A workaround is out.", kind="alert.workaround")
    assert runner.invoke(args=["outbox", "run", "--once"]).exit_code == 0
    [arrived] = smtp.inbox.to(email)
    return email, arrived["List-Unsubscribe"].strip("<>")


def test_the_link_opens_a_page_and_unsubscribes_without_signing_in(client, subscribed, queue):
    email, link = subscribed
    page = client.get(_path(link))
    assert page.status_code == 200
    assert email in page.get_data(as_text=True)

    done = client.post(_path(link), data={"List-Unsubscribe": "One-Click"})

    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    assert queue(email, "Another alert", kind="alert.workaround") is None
    assert queue(email, "A new patch", kind="patch.published") is not None


def test_a_mail_clients_one_click_post_needs_no_csrf_token_and_may_repeat(
        client, subscribed, queue):
    email, link = subscribed
    for _ in range(2):
        response = client.post(_path(link), data="List-Unsubscribe=One-Click",
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    assert queue(email, "Another alert", kind="alert.workaround") is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_altered_link_is_refused_and_changes_nothing(client, subscribed, queue, method):
    email, link = subscribed
    path = _path(link)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")

    response = getattr(client, method)(tampered)

    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    assert queue(email, "Another alert", kind="alert.workaround") is not None


def test_a_link_made_for_another_user_or_kind_without_the_key_is_refused(
        app, client, subscribed, queue):
    email, _ = subscribed
    forged = URLSafeSerializer("not-the-secret-key", salt="kb.alerts.unsubscribe").dumps(
        {"user": 1, "kind": "alert.workaround"})
    assert client.post(f"/unsubscribe/{forged}").status_code == 400
    assert queue(email, "Another alert", kind="alert.workaround") is not None


def test_account_e_mail_cannot_be_unsubscribed(app, queue, outbox_row, customer_on):
    email = customer_on("premium")
    row = outbox_row(queue(email, "Reset your password", "secret link"))
    assert row.unsubscribe_url == "" and row.sensitive
