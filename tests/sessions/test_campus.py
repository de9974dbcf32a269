"""The Campus discount: Elite only; one code per organisation, recorded on every reveal;
revoked when the organisation leaves Elite (a return issues a new code); refused while the
term has lapsed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization
from kb.accounts.organizations import update_organization
from kb.accounts.queries import get_organization, user_by_email
from kb.sessions.campus import service as campus
from kb.sessions.models import CampusCode, CampusReveal
from tests.conftest import bearer
from tests.sessions.conftest import at_once


@pytest.fixture
def offer(staff):
    staff(lambda s: campus.set_offer(s, percentage=20, terms="Terms **apply**.",
                                     how_to_redeem="Enter the code at checkout.",
                                     valid_until=date.today() + timedelta(days=30)))


def _code_of(client, headers):
    response = client.get("/api/v1/campus", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["code"]


def test_each_elite_organisation_has_its_own_code_and_every_reveal_is_recorded(
        app, client, auth, offer, make_organization, make_user, api_token):
    first_org, second_org = make_organization("elite"), make_organization("elite")
    alice, bob = (make_user(organization_id=first_org) for _ in range(2))
    carol = make_user(organization_id=second_org)
    alice_code = _code_of(client, bearer(api_token(alice)))
    assert alice_code.startswith("CAMPUS-") and len(alice_code) == len("CAMPUS-XXXX-XXXX-XXXX")
    assert _code_of(client, bearer(api_token(bob))) == alice_code
    assert _code_of(client, bearer(api_token(carol))) != alice_code

    auth.login(bob)
    page = client.get("/campus").get_data(as_text=True)
    assert alice_code in page and "20% off" in page and "<strong>apply</strong>" in page

    with app.app_context():
        reveals = db.session.execute(select(CampusReveal.channel, CampusReveal.user_id)
                                     .order_by(CampusReveal.id)).all()
        users = {user_by_email(e).id: e for e in (alice, bob, carol)}
        assert [(channel, users[uid]) for channel, uid in reveals] == [
            ("api", alice), ("api", bob), ("api", carol), ("page", bob)]
        assert campus.code_status(alice_code) == "valid"


@pytest.mark.parametrize("plan", ["xtreme", "premium"])
def test_other_plans_get_the_upgrade_prompt(client, auth, offer, customer_on, api_token, plan):
    email = customer_on(plan)
    refused = client.get("/api/v1/campus", headers=bearer(api_token(email)))
    assert refused.status_code == 403
    assert refused.json["feature"] == "campus_discount"
    assert refused.json["required_plan"] == "elite"
    auth.login(email)
    page = client.get("/campus")
    assert page.status_code == 403 and b"Available on Elite" in page.data


def test_leaving_elite_revokes_the_code_and_a_return_issues_a_new_one(
        app, client, offer, make_organization, make_user, api_token, staff):
    organization_id = make_organization("elite")
    headers = bearer(api_token(make_user(organization_id=organization_id)))
    old_code = _code_of(client, headers)

    def set_plan(plan):
        def change(staff_user):
            organization = get_organization(organization_id)
            update_organization(
                staff_user, organization, name=organization.name, plan=plan,
                term_start=organization.term_start, term_end=organization.term_end,
                installed=[], administrator=None, lowering_confirmed_to=plan)
        staff(change)

    set_plan("premium")
    assert client.get("/api/v1/campus", headers=headers).status_code == 403
    with app.app_context():
        assert campus.code_status(old_code).startswith("revoked")
    set_plan("elite")
    new_code = _code_of(client, headers)
    assert new_code != old_code
    with app.app_context():
        assert campus.code_status(old_code).startswith("revoked")
        assert campus.code_status(new_code) == "valid"
        codes = db.session.scalars(select(CampusCode).where(
            CampusCode.organization_id == organization_id)).all()
        assert sum(code.revoked_at is None for code in codes) == 1


def test_a_lapsed_term_refuses_the_code_without_revoking_it(
        app, client, auth, offer, make_organization, make_user, api_token):
    organization_id = make_organization("elite")
    email = make_user(organization_id=organization_id)
    headers = bearer(api_token(email))
    code = _code_of(client, headers)
    with app.app_context():
        organization = db.session.get(Organization, organization_id)
        organization.term_end = date.today() - timedelta(days=1)
        db.session.commit()
        assert campus.code_status(code) == "the organisation's support term has lapsed"
    by_token = client.get("/api/v1/campus", headers=headers)
    assert by_token.status_code == 403 and by_token.json["reason"] == "term_lapsed"
    auth.login(email)
    refused = client.get("/api/v1/campus")
    assert refused.status_code == 403 and refused.json["reason"] == "term_lapsed"
    assert client.get("/campus").status_code == 403


def test_without_an_offer_elite_is_told_so(client, auth, customer_on, api_token):
    email = customer_on("elite")
    assert client.get("/api/v1/campus", headers=bearer(api_token(email))).status_code == 404
    auth.login(email)
    assert b"no Campus offer at the moment" in client.get("/campus").data


def test_staff_set_the_offer_and_see_the_codes(app, client, auth, demo_accounts):
    auth.login("staff@demo.test")
    response = auth.post("/campus/offer", {"percentage": "25", "terms": "T", "how_to_redeem": "R",
                                           "valid_until": "2031-01-31"})
    assert response.status_code == 302
    with app.app_context():
        assert campus.current_offer().percentage == 25
    auth.logout()
    auth.login("elite@demo.test")
    assert client.get("/campus").status_code == 200
    auth.logout()
    auth.login("staff@demo.test")
    overview = client.get("/campus/offer").get_data(as_text=True)
    assert "Fabrikam Logistics" in overview and "elite@demo.test" in overview


def test_simultaneous_first_reveals_issue_one_code(app, offer, make_organization, make_user):
    organization_id = make_organization("elite")
    emails = [make_user(organization_id=organization_id) for _ in range(6)]
    seen: list[str] = []
    assert at_once(app, emails, lambda user, _: seen.append(campus.reveal(user, "api").code),
                    None) == []
    with app.app_context():
        codes = db.session.scalars(select(CampusCode.code).where(
            CampusCode.organization_id == organization_id)).all()
    assert len(codes) == 1 and seen == codes * 6


def test_the_code_page_links_to_where_it_is_used_and_offers_to_copy_it(
        app, client, auth, demo_accounts, api_token):
    auth.login("staff@demo.test")
    refused = auth.post("/campus/offer", {"percentage": "25", "valid_until": "2031-01-31",
                                          "redeem_url": "http://shop.example/checkout"})
    saved = auth.post("/campus/offer", {"percentage": "25", "valid_until": "2031-01-31",
                                        "redeem_url": "https://shop.example/checkout"})
    auth.logout()
    auth.login("elite@demo.test")
    page = client.get("/campus").get_data(as_text=True)

    assert "must start with https://" in refused.get_data(as_text=True)
    assert saved.status_code == 302
    assert 'href="https://shop.example/checkout"' in page
    assert 'data-copy="campus-code"' in page and "copy.js" in page
    answer = client.get("/api/v1/campus", headers=bearer(api_token("elite@demo.test"))).json
    assert answer["redeem_url"] == "https://shop.example/checkout"
