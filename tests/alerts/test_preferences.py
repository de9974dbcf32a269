"""Delivery preferences, set on the settings page as a user would: a product's setting beats
the all-products setting, which beats the defaults; each channel decides what arrives (in-app
rows, e-mail at the real SMTP server, entries for the daily digest); only the products the user
may see are offered; one-click unsubscribe still stops a family for every product."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import preferences
from kb.alerts.dispatch import Notice, tell
from kb.alerts.models import DigestItem
from kb.alerts.unsubscribe import unsubscribe, unsubscribe_url
from kb.notifications import notifications_for
from kb.products.models import Product
from tests.a11y import described_by, problems, refused_summary

FIELD = re.compile(r'<(input|select)[^>]*\bname="((?:all|product)[^"]+)"[^>]*>')
CUSTOMER = "premium@demo.test"  # Contoso runs Orbit ERP and Orbit Integration Hub


def _product_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Product.id).where(Product.name == name))


def _form_values(page: str) -> dict[str, str]:
    """What the browser would submit: checked boxes as "y", each select's chosen option."""
    values = {}
    for match in FIELD.finditer(page):
        tag, name = match.groups()
        if tag == "input" and "checked" in match.group(0):
            values[name] = "y"
        elif tag == "select":
            rest = page[match.end():page.index("</select>", match.end())]
            chosen = re.search(r'<option selected value="([^"]*)"', rest)
            values[name] = chosen.group(1) if chosen else ""
    return values


def _save(client, auth, changes: dict[str, str | None]):
    """Submit the settings page with ``changes`` (None unchecks a box)."""
    values = _form_values(client.get("/notifications/settings").get_data(as_text=True))
    for name, value in changes.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    response = auth.post("/notifications/settings", values)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def _tell(app, email: str, notice: Notice) -> None:
    with app.app_context():
        tell(user_by_email(email), notice)
        db.session.commit()


def _subjects(smtp, email: str) -> list[str]:
    return [m["Subject"].split(": ", 1)[-1] for m in smtp.inbox.to(email)]


def _in_app_titles(app, email: str) -> list[str]:
    with app.app_context():
        return sorted(n.title for n in notifications_for(user_by_email(email)))


def _digest_titles(app, email: str) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(DigestItem.title).where(
            DigestItem.user_id == user_by_email(email).id)))


def test_the_defaults_are_in_app_and_e_mail_without_digest(app, client, auth, demo_accounts):
    auth.login(CUSTOMER)
    page = client.get("/notifications/settings").get_data(as_text=True)
    values = _form_values(page)
    assert values["all-alert-in_app"] == values["all-alert-email"] == "y"
    assert "all-alert-digest" not in values
    with app.app_context():
        assert preferences.resolved(user_by_email(CUSTOMER), "alert", 1) == {
            "in_app": True, "email": True, "digest": False}


def test_a_product_setting_beats_all_products_which_beats_the_default(
        app, client, auth, demo_accounts):
    erp, hub = _product_id(app, "Orbit ERP"), _product_id(app, "Orbit Integration Hub")
    auth.login(CUSTOMER)
    _save(client, auth, {"all-patch-email": None, f"product{erp}-patch-email": "on"})

    with app.app_context():
        user = user_by_email(CUSTOMER)
        assert preferences.resolved(user, "patch", erp)["email"] is True  # product row
        assert preferences.resolved(user, "patch", hub)["email"] is False  # all products
        assert preferences.resolved(user, "patch")["email"] is False
        assert preferences.resolved(user, "alert", hub)["email"] is True  # default
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert _form_values(page)[f"product{erp}-patch-email"] == "on"

    _save(client, auth, {f"product{erp}-patch-email": ""})  # back to "as all products"
    with app.app_context():
        assert preferences.resolved(user_by_email(CUSTOMER), "patch", erp)["email"] is False


def test_each_channel_decides_what_arrives(app, client, auth, runner, smtp, demo_accounts):
    app.config["DIGEST_HOUR"] = 0  # the outbox run sends digests whatever the time of day
    erp, hub = _product_id(app, "Orbit ERP"), _product_id(app, "Orbit Integration Hub")
    auth.login(CUSTOMER)
    _save(client, auth, {
        "all-alert-in_app": None,  # alerts: e-mail only
        "all-patch-email": None,  # patches: in-app only...
        f"product{hub}-patch-email": "on",  # ...except the Hub's, e-mailed too
        "all-topic-digest": "y",  # topics: in-app and the digest, no e-mail of their own
        "all-session-in_app": None, "all-session-email": None,  # sessions: nothing
    })

    _tell(app, CUSTOMER, Notice("alert.workaround", "Alert A", "/articles/a", product_id=erp))
    _tell(app, CUSTOMER, Notice("patch.published", "ERP patch", "/patches/1", product_id=erp))
    _tell(app, CUSTOMER, Notice("patch.published", "Hub patch", "/patches/2", product_id=hub))
    _tell(app, CUSTOMER, Notice("topic.scheduled", "Topic T", "/topics/1"))
    _tell(app, CUSTOMER, Notice("session.reminder", "Session S", "/live-sessions/1"))
    assert runner.invoke(args=["outbox", "run", "--once"]).exit_code == 0

    assert sorted(_subjects(smtp, CUSTOMER)) == ["Alert A", "Hub patch",
                                                 "Your daily digest: 1 update"]
    [digest] = [m for m in smtp.inbox.to(CUSTOMER) if "digest" in m["Subject"]]
    assert "Topic T" in digest.get_body(("plain",)).get_content()
    assert _in_app_titles(app, CUSTOMER) == ["ERP patch", "Hub patch", "Topic T"]


def test_only_the_products_the_user_may_see_are_offered_or_stored(
        app, client, auth, demo_accounts):
    analytics = _product_id(app, "Orbit Analytics")  # Contoso does not run it
    auth.login(CUSTOMER)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "Orbit ERP" in page and "Orbit Analytics" not in page

    _save(client, auth, {f"product{analytics}-alert-email": "off"})

    with app.app_context():
        assert (analytics, "alert", "email") not in preferences.settings_of(
            user_by_email(CUSTOMER))


@pytest.mark.parametrize("value", ["maybe", "true", "1" * 500])
def test_a_choice_that_is_not_offered_is_refused_and_changes_nothing(
        app, client, auth, demo_accounts, value):
    erp = _product_id(app, "Orbit ERP")
    auth.login(CUSTOMER)
    values = _form_values(client.get("/notifications/settings").get_data(as_text=True))
    values[f"product{erp}-alert-email"] = value
    response = auth.post("/notifications/settings", values)
    assert response.status_code in (400, 422)
    with app.app_context():
        assert preferences.settings_of(user_by_email(CUSTOMER)) == {}


def test_a_refused_choice_is_summarised_naming_its_row_and_said_in_its_cell(
        app, client, auth, demo_accounts):
    erp = _product_id(app, "Orbit ERP")
    auth.login(CUSTOMER)
    values = _form_values(client.get("/notifications/settings").get_data(as_text=True))
    values[f"product{erp}-alert-email"] = "maybe"

    response = auth.post("/notifications/settings", values)

    assert response.status_code == 422
    page, summary = refused_summary(response, "preferences-problem")
    cell, message = f"product{erp}-alert-email", "Choose as all products, on or off."
    [(link, text)] = problems(summary).items()
    assert link == f"#{cell}" and text.endswith(f"e-mail, Orbit ERP: {message}")
    assert described_by(page, cell) == [message]
    assert page.get_element_by_id(cell).get("aria-invalid") == "true"
    assert next(page.get_element_by_id(cell).iterancestors("details")).get("open") is not None
    assert "Not a valid choice" not in response.text


def test_the_form_needs_its_csrf_token(app, client, auth, demo_accounts):
    auth.login(CUSTOMER)
    values = _form_values(client.get("/notifications/settings").get_data(as_text=True))
    values.pop("all-alert-email")
    assert client.post("/notifications/settings", data=values).status_code == 400
    with app.app_context():
        assert preferences.settings_of(user_by_email(CUSTOMER)) == {}


def test_the_settings_page_needs_a_signed_in_user(client):
    response = client.get("/notifications/settings")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_unsubscribing_stops_the_family_for_every_product_even_an_override(
        app, client, auth, runner, smtp, demo_accounts):
    erp = _product_id(app, "Orbit ERP")
    auth.login(CUSTOMER)
    _save(client, auth, {f"product{erp}-alert-email": "on", f"product{erp}-alert-digest": "on"})
    auth.logout()
    with app.app_context():
        link = unsubscribe_url(user_by_email(CUSTOMER), "alert.workaround")
    assert client.post(urlsplit(link).path).status_code == 200  # signed out, as a mail client

    _tell(app, CUSTOMER, Notice("alert.workaround", "ERP alert", "/a/1", product_id=erp))
    _tell(app, CUSTOMER, Notice("alert.workaround", "Any alert", "/a/2"))
    _tell(app, CUSTOMER, Notice("patch.published", "A patch", "/p/1", product_id=erp))
    runner.invoke(args=["outbox", "run", "--once"])

    assert _subjects(smtp, CUSTOMER) == ["A patch"]
    assert _digest_titles(app, CUSTOMER) == []
    assert _in_app_titles(app, CUSTOMER) == ["A patch", "Any alert", "ERP alert"]
    auth.login(CUSTOMER)
    values = _form_values(client.get("/notifications/settings").get_data(as_text=True))
    assert "all-alert-email" not in values and values["all-patch-email"] == "y"


def test_unsubscribing_twice_is_harmless(app, demo_accounts):
    with app.app_context():
        token = unsubscribe_url(user_by_email(CUSTOMER), "topic.x").rsplit("/", 1)[-1]
        unsubscribe(token)
        unsubscribe(token)
        assert preferences.resolved(user_by_email(CUSTOMER), "topic")["email"] is False
