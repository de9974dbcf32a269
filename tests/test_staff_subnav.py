"""The staff sub-navigation marks where the reader is: the page itself, or the section a page
lies under (an organisation under Organisations, an alert under Critical alerts)."""

from __future__ import annotations

import re

import pytest


def _marked(html: str) -> list[tuple[str, str]]:
    nav = html.split('<nav aria-label="Staff" class="subnav">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'aria-current="(\w+)">([^<]+)</a>', nav)


@pytest.mark.parametrize("path, marked", [
    ("/staff/", [("page", "Organisations")]),
    ("/staff/users", [("page", "Users")]),
    ("/staff/audit", [("page", "Audit log")]),
    ("/staff/alerts", [("page", "Critical alerts")]),
    ("/staff/organizations/new", [("true", "Organisations")]),
])
def test_the_staff_subnavigation_marks_the_current_page(client, auth, demo_accounts, path,
                                                         marked):
    auth.login("staff@demo.test")
    assert _marked(client.get(path).text) == marked
