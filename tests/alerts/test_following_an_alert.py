"""From a critical issue's pages a customer can follow it: the alert's page says whether their
subscriptions tell them of its steps, or subscribes them to its product in one click and comes
back; the workaround article names the issue it answers."""

from __future__ import annotations

import re

from sqlalchemy import select

from kb import db
from kb.alerts.alert_models import Alert, AlertSubscription
from kb.articles.models import Article
from tests.a11y import described_by, problems, refused_summary
from tests.alerts.critical_helpers import ERP, _subscribe, _workaround
from tests.web import csrf_token


def _alert_and_slug(app, article_id: int) -> tuple[int, str]:
    with app.app_context():
        alert = db.session.scalar(select(Alert).where(Alert.article_id == article_id))
        return alert.id, db.session.get(Article, article_id).slug


def _subscriptions(app, email: str) -> list[str]:
    from kb.accounts.queries import user_by_email

    with app.app_context():
        return [str(subscription) for subscription in db.session.scalars(
            select(AlertSubscription).where(
                AlertSubscription.user_id == user_by_email(email).id))]


def test_a_customer_subscribes_from_the_alerts_page_and_comes_back(app, auth, client, catalogue,
                                                                  customer_on):
    reader = customer_on("xtreme")
    alert_id, _ = _alert_and_slug(app, _workaround(app, "Workaround: ledger totals double"))
    auth.login(reader)
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert "Subscribe to Orbit ERP 12.0" in page and "You are told" not in page

    answer = client.post("/alerts/subscriptions", data={
        "csrf_token": csrf_token(client, f"/alerts/{alert_id}"), "target": _target_in(page),
        "from_alert": str(alert_id)})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/alerts/{alert_id}"
    assert _subscriptions(app, reader) == [f"{ERP} 12.0"]
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert "You will be told of critical issues and new patches of Orbit ERP 12.0." in page
    assert "through your subscription to Orbit ERP 12.0" in page
    assert "Subscribe to Orbit ERP" not in page


def test_a_subscription_to_every_version_tells_of_the_alert(app, auth, client, catalogue,
                                                           customer_on):
    reader = customer_on("xtreme")
    _subscribe(app, reader, ERP)
    alert_id, _ = _alert_and_slug(app, _workaround(app, "Workaround: ledger totals double"))
    auth.login(reader)
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert "through your subscription to Orbit ERP." in page
    assert "Subscribe to" not in page


def test_the_workaround_names_the_issue_it_answers_to_its_readers(app, auth, client, catalogue,
                                                                 customer_on):
    alert_id, slug = _alert_and_slug(app, _workaround(
        app, "Workaround: ledger totals double", min_plan="premium"))
    auth.login(customer_on("premium"))
    page = client.get(f"/articles/{slug}").get_data(as_text=True)
    assert (f'<dt>Issue</dt><dd><a href="/alerts/{alert_id}">Ledger totals double</a> '
            "(workaround available)</dd>") in page
    auth.logout()
    auth.login(customer_on("xtreme"))  # below the article's plan: neither shows
    assert client.get(f"/alerts/{alert_id}").status_code == 403
    assert f"/alerts/{alert_id}" not in client.get(f"/articles/{slug}").get_data(as_text=True)


def _target_in(page: str) -> str:
    start = page.index('name="target" value="') + len('name="target" value="')
    return page[start:page.index('"', start)]


def test_a_from_alert_that_is_no_alert_id_lands_on_the_alerts_page(app, auth, client, catalogue,
                                                                   customer_on):
    reader = customer_on("xtreme")
    alert_id, _ = _alert_and_slug(app, _workaround(app, "Workaround: ledger totals double"))
    auth.login(reader)
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    for sent in ("\N{SUPERSCRIPT TWO}", "9" * 5000, "//evil.example/x", "0"):
        answer = client.post("/alerts/subscriptions", data={
            "csrf_token": csrf_token(client, f"/alerts/{alert_id}"),
            "target": _target_in(page), "from_alert": sent})
        assert answer.status_code == 302 and answer.headers["Location"] == "/alerts", sent
    assert _subscriptions(app, reader) == [f"{ERP} 12.0"]


def test_the_subscribe_form_offers_first_every_version_the_reader_does_not_follow(
        app, auth, catalogue, customer_on):
    email = customer_on("premium")
    auth.login(email)
    first = _offered(auth)[0]
    assert first.endswith(" (every version)") and _selected(auth) == first

    _subscribe(app, email, first.removesuffix(" (every version)"))

    chosen = _selected(auth)
    assert chosen != first and chosen in _offered(auth)
    assert chosen.endswith(" (every version)")  # not one version of the next product


def _target_select(auth) -> str:
    page = auth.client.get("/alerts").get_data(as_text=True)
    start = page.index('<select id="target"')
    return page[start:page.index("</select>", start)]


def _offered(auth) -> list[str]:
    return re.findall(r"<option[^>]*>([^<]*)</option>", _target_select(auth))


def _selected(auth) -> str:
    """The option the form shows: the one marked selected, else the first."""
    select = _target_select(auth)
    match = re.search(r"<option[^>]*selected[^>]*>([^<]*)</option>", select)
    return match.group(1) if match else _offered(auth)[0]


def test_a_subscription_to_nothing_on_the_list_is_summarised_in_words(auth, client, catalogue,
                                                                     customer_on):
    auth.login(customer_on("xtreme"))
    token = csrf_token(client, "/alerts")
    for target, message in (("", "Choose a product and version."),
                            ("999999", "Choose a product and version from the list.")):
        answer = client.post("/alerts/subscriptions", data={"csrf_token": token,
                                                            "target": target})

        assert answer.status_code == 422
        page, summary = refused_summary(answer, "subscribe-problem")
        assert problems(summary) == {"#target": f"Product and version: {message}"}
        assert described_by(page, "target") == [message]
