"""The account page: every id once, time zones offered common ones first and found by typing,
and only real zones accepted."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kb.accounts.queries import user_by_email


def test_every_field_on_the_account_page_has_its_own_id(client, auth, demo_accounts):
    auth.login("premium@demo.test")

    page = client.get("/account").get_data(as_text=True)

    fields = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\sid="([^"]+)"',
                        page)
    repeated = [name for name, count in Counter(fields).items() if count > 1]
    assert "token-name" in fields
    assert repeated == []


def test_time_zones_are_offered_common_first_without_oddities(client, auth, demo_accounts):
    auth.login("premium@demo.test")

    page = client.get("/account").get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]+)">',
                         page.split('<datalist id="time-zones">', 1)[1].split("</datalist>")[0])

    assert offered[:3] == ["UTC", "Europe/London", "Europe/Berlin"]
    assert "Asia/Kathmandu" in offered
    assert not {"localtime", "posixrules", "Factory", "right/UTC", "US/Eastern"} & set(offered)


@pytest.mark.parametrize("zone, accepted", [("Asia/Kathmandu", True), ("localtime", False),
                                            ("Mars/Olympus", False)])
def test_only_real_zones_are_accepted(app, client, auth, demo_accounts, zone, accepted):
    auth.login("premium@demo.test")

    answer = auth.post("/account", {"name": "Pat", "time_zone": zone})

    with app.app_context():
        stored = user_by_email("premium@demo.test").time_zone
    assert (stored == zone) is accepted
    if not accepted:
        assert "Choose a time zone from the list" in answer.get_data(as_text=True)


@pytest.mark.parametrize("typed, stored", [("Berlin", "Europe/Berlin"),
                                           ("new york", "America/New_York"),
                                           ("europe/berlin", "Europe/Berlin")])
def test_a_city_is_read_as_its_time_zone(app, auth, demo_accounts, typed, stored):
    auth.login("premium@demo.test")
    assert auth.post("/account", {"name": "Pat", "time_zone": typed}).status_code == 302
    with app.app_context():
        assert user_by_email("premium@demo.test").time_zone == stored


def test_a_refused_profile_leaves_the_token_form_empty(auth, demo_accounts):
    auth.login("premium@demo.test")
    page = auth.post("/account", {"name": "Pat Premium", "time_zone": "Mars/Olympus"})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "Choose a time zone from the list" in text
    token_input = text[text.index('id="token-name"'):]
    token_input = token_input[:token_input.index(">")]
    assert "Pat Premium" not in token_input
    assert 'value="Pat Premium"' in text  # the profile keeps what was typed
