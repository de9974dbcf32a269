"""A customer told to upgrade (a feature or item above their plan) or to renew (a term that
ended) is told whom to ask: their organisation's customer administrators by name and address,
its customer success manager when its plan has one, and the plan comparison; a customer
administrator, who deals with the vendor's account manager, may ask support who that is."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import lxml.html
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.elite import csm


def _page(client, path: str, status: int = 200):
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return lxml.html.fromstring(response.get_data(as_text=True))


def _contacts_text(page) -> str:
    return " ".join(" ".join(node.text_content().split())
                    for node in page.xpath('//*[@class="plan-contacts"]'))


def _mail_links(page) -> list[str]:
    return page.xpath('//*[@class="plan-contacts"]//a[starts-with(@href, "mailto:")]/@href')


def test_a_customer_above_their_plan_is_told_their_administrator_and_the_plans(
        client, auth, demo_accounts):
    auth.login("premium@demo.test")
    page = _page(client, "/elite", 403)
    assert _contacts_text(page) == (
        "To upgrade to Elite, ask your organisation's customer administrator Carl Contoso "
        "(premium-admin@demo.test), who arranges it with the vendor's account manager.")
    assert _mail_links(page) == ["mailto:premium-admin@demo.test"]
    assert page.xpath('//a[@href="/plans"]/text()') and "account manager." not in (
        page.xpath("string(//article)").replace("vendor's account manager.", ""))


def test_the_live_sessions_prompt_names_the_administrator_too(client, auth, demo_accounts):
    auth.login("xtreme@demo.test")
    page = _page(client, "/sessions/live")
    assert "Nora Northwind (xtreme-admin@demo.test)" in _contacts_text(page)
    assert "Ask your account manager" not in page.text_content()


def test_a_customer_administrator_may_ask_support_who_their_account_manager_is(
        client, auth, demo_accounts):
    auth.login("premium-admin@demo.test")
    page = _page(client, "/elite", 403)
    text = _contacts_text(page)
    assert text.startswith("To upgrade to Elite, contact the vendor's account manager: as a "
                           "customer administrator, you arrange it for your organisation.")
    [ask] = page.xpath('//*[@class="plan-contacts"]//a[text()="Ask support"]/@href')
    assert urlsplit(ask).path == "/support/incidents/new"
    title = parse_qs(urlsplit(ask).query)["title"][0]
    form = _page(client, ask)
    assert form.xpath('string(//input[@name="title"]/@value)') == title
    assert title == "To upgrade to Elite: who is our account manager?"


def test_a_lapsed_customer_is_told_whom_to_ask_to_renew(client, auth, demo_accounts):
    auth.login("lapsed@demo.test")
    page = _page(client, "/support/incidents")
    assert _contacts_text(page) == (
        "To renew the support term, ask your organisation's customer administrator Lena "
        "Litware (lapsed-admin@demo.test), who arranges it with the vendor's account manager.")
    assert not page.xpath('//*[@class="plan-contacts"]//a[text()="Ask support"]')


def test_an_elite_organisation_is_told_its_customer_success_manager(
        app, client, auth, demo_accounts):
    with app.app_context():
        organization = db.session.scalar(select(Organization).where(
            Organization.name == "Fabrikam Logistics"))
        staff = user_by_email("staff@demo.test")
        csm.assign(staff, organization, staff)
        organization.term_end = utcnow().date() - timedelta(days=1)
        db.session.commit()
    auth.login("elite@demo.test")
    for path in ("/support/incidents", "/"):  # the read-only note; every page's banner
        page = _page(client, path)
        assert "Fiona Fabrikam (elite-admin@demo.test)" in _contacts_text(page)
        assert ("Your customer success manager, Sam Staff (staff@demo.test), can help too."
                in _contacts_text(page))
