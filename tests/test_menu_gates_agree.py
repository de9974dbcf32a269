"""The header's menu and the pages it links ask one gate: for every menu entry and every kind of
user (each demo account, a lapsed customer or administrator on each plan, a customer without an
organisation, staff viewing pages as each plan), the menu links the entry exactly when its page
lets the user in. The lists a lapsed term leaves open (the knowledge base, the release notes,
the organisation's incidents) are where the menu once kept a decision of its own."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from kb import plans
from kb.support import service

DEMO_ACCOUNTS = ("xtreme", "premium", "elite", "lapsed", "xtreme-admin", "premium-admin",
                 "elite-admin", "lapsed-admin", "staff", "admin")
READERS = (*DEMO_ACCOUNTS, *(f"lapsed {plan}" for plan in plans.PLANS), "lapsed elite admin",
           "without an organisation", *(f"staff as {plan}" for plan in plans.PLANS))


def _sign_in(auth, customer_on, make_user, reader: str) -> None:
    if reader in DEMO_ACCOUNTS:
        auth.login(f"{reader}@demo.test")
    elif reader.startswith("lapsed "):
        role = "customer_admin" if reader.endswith(" admin") else "customer"
        auth.login(customer_on(reader.split()[1], lapsed=True, role=role))
    elif reader == "without an organisation":
        auth.login(make_user())
    else:
        auth.login("staff@demo.test")
        auth.post("/staff/view-as", {"plan": reader.split()[-1]})


def _menu_links(client) -> set[str]:
    """Every address the header's navigation links (the menus and the account menu)."""
    home = client.get("/")
    assert home.status_code == 200
    page = home.get_data(as_text=True)
    navigation = page[page.index('aria-label="Main"'):page.index("</nav>")]
    return set(re.findall(r'<a href="(/[^"]*)"', navigation))


def _lets_in(client, address: str) -> bool:
    """Whether the page opens: itself (200) or by sending the user on (staff to the staff side
    of the same work), never to the sign-in page."""
    answer = client.get(address)
    if answer.status_code in (301, 302, 303):
        assert "/sign-in" not in answer.headers["Location"], address
        return True
    assert answer.status_code in (200, 403), (address, answer.status_code)
    return answer.status_code == 200


@pytest.mark.parametrize("reader", READERS)
def test_the_menu_links_an_entry_exactly_when_its_page_lets_the_user_in(
        app, auth, demo_accounts, customer_on, make_user, reader):
    with app.app_context():
        service.ensure_default_table()  # the coverage page's response targets
    _sign_in(auth, customer_on, make_user, reader)
    links = _menu_links(auth.client)
    with app.test_request_context():
        addresses = {entry.label: url_for(entry.endpoint) for entry in app.extensions["kb.nav"]}
    assert len(addresses) > 20
    for label, address in addresses.items():
        assert (address in links) is _lets_in(auth.client, address), (reader, label, address)
