"""Lowering an organisation's plan while its term runs, or ending the term early, takes
features from its users at once: staff confirm it, for the change and the features the page
names; raising a plan, or lowering it after the term, needs no confirmation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization
from tests.conftest import csrf_token


@pytest.fixture
def staff_client(client, auth, demo_accounts):
    auth.login("staff@demo.test")
    return auth


def _organization(app, name: str) -> tuple[int, dict]:
    """The organisation's id and the form as the page fills it."""
    with app.app_context():
        organization = db.session.scalar(select(Organization).where(Organization.name == name))
        return organization.id, {
            "name": name, "plan": organization.plan,
            "term_start": organization.term_start.isoformat(),
            "term_end": organization.term_end.isoformat(),
            "products": "Orbit ERP: 12.0", "administrator": "",
            "time_zone": "Europe/Vienna", "holiday_country": "AT"}


def _plan(app, organization_id: int) -> str:
    with app.app_context():
        return db.session.get(Organization, organization_id).plan


def _save(staff_client, organization_id: int, data: dict):
    address = f"/staff/organizations/{organization_id}"
    return staff_client.client.post(address, data={
        **data, "csrf_token": csrf_token(staff_client.client, address)})


def test_lowering_mid_term_asks_to_confirm_the_features_lost(app, staff_client):
    organization_id, data = _organization(app, "Fabrikam Logistics")
    response = _save(staff_client, organization_id, {**data, "plan": "premium"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _plan(app, organization_id) == "elite"
    assert "I understand that the users of Fabrikam Logistics lose at once: " in page
    for lost in ("Support activity review", "Dedicated customer success manager",
                 "Education incentive: Campus discount", "Special event support"):
        assert lost in page
    assert "Interactive sessions" not in page  # Premium keeps it
    # what was typed stays: the lower plan, the products, the clock
    assert '<option selected value="premium">' in page
    assert "Orbit ERP: 12.0</textarea>" in page and 'value="Europe/Vienna"' in page

    confirmed = _save(staff_client, organization_id, {
        **data, "plan": "premium", "lowering_plan": "premium", "confirm_lowering": "y"})
    assert confirmed.status_code == 302 and _plan(app, organization_id) == "premium"


def test_a_confirmation_counts_for_the_plan_it_was_given_for(app, staff_client):
    organization_id, data = _organization(app, "Fabrikam Logistics")
    response = _save(staff_client, organization_id, {
        **data, "plan": "xtreme", "lowering_plan": "premium", "confirm_lowering": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _plan(app, organization_id) == "elite"
    assert "Interactive sessions (WebEx format)" in page  # what Xtreme loses besides
    assert 'name="confirm_lowering" type="checkbox" value="y">' in page  # ticked afresh


@pytest.mark.parametrize(("name", "plan"), [("Northwind Traders", "elite"),  # raised
                                            ("Litware Retail", "xtreme")])  # term over
def test_raising_or_lowering_after_the_term_needs_no_confirmation(app, staff_client, name,
                                                                   plan):
    organization_id, data = _organization(app, name)
    response = _save(staff_client, organization_id, {**data, "plan": plan})
    assert response.status_code == 302 and _plan(app, organization_id) == plan


def test_the_confirmation_carries_the_plan_once(app, staff_client):
    organization_id, data = _organization(app, "Fabrikam Logistics")
    page = _save(staff_client, organization_id, {**data, "plan": "premium"}).get_data(
        as_text=True)
    assert page.count('name="lowering_plan"') == 1 and page.count('id="lowering_plan"') == 1
    assert '<input id="lowering_plan" name="lowering_plan" type="hidden" value="premium">' in page


def test_ending_the_term_early_asks_to_confirm_that_every_feature_goes(app, staff_client):
    organization_id, data = _organization(app, "Fabrikam Logistics")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    ended = {**data, "term_end": yesterday}

    refused = _save(staff_client, organization_id, ended)

    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "these dates end it today" in page
    for lost in ("System patches and service packs", "Support activity review"):
        assert lost in page  # every feature of the plan, those of the lowest plan too
    assert _term_end(app, organization_id) == data["term_end"]
    tick_for_a_plan = _save(staff_client, organization_id, {
        **ended, "lowering_plan": "elite", "confirm_lowering": "y"})
    assert tick_for_a_plan.status_code == 422
    confirmed = _save(staff_client, organization_id, {
        **ended, "lowering_plan": f"elite until {yesterday}", "confirm_lowering": "y"})
    assert confirmed.status_code == 302 and _term_end(app, organization_id) == yesterday


def _term_end(app, organization_id: int) -> str:
    with app.app_context():
        return db.session.get(Organization, organization_id).term_end.isoformat()
