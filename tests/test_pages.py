"""The pages every user shares: the plan table, the upgrade prompt, view-as, error pages."""

from __future__ import annotations

import os
import re

import pytest

from kb import plans
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize("email, plan", [("xtreme@demo.test", "xtreme"),
                                         ("premium@demo.test", "premium"),
                                         ("elite@demo.test", "elite")])
def test_plans_page_marks_the_customers_own_column(client, auth, demo_accounts, email, plan):
    auth.login(email)
    html = client.get("/plans").get_data(as_text=True)
    marked = re.findall(r'<th scope="col" class="plan-column own-plan" aria-current="true" '
                        r'data-plan="(\w+)"', html)
    assert marked == [plan]
    assert html.count("<tr data-feature=") == len(plans.FEATURES)


def test_plans_page_is_public(client):
    assert client.get("/plans").status_code == 200


@pytest.mark.parametrize("email, feature, needed", [
    ("xtreme@demo.test", "interactive_sessions", "Premium and Elite"),
    ("premium@demo.test", "campus_discount", "Elite"),
    ("xtreme@demo.test", "dedicated_csm", "Elite"),
])
def test_feature_outside_the_plan_gets_an_upgrade_prompt(client, auth, demo_accounts, email,
                                                         feature, needed):
    auth.login(email)
    response = client.get(f"/features/{feature}")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert f"Available on {needed}" in html and "Compare the plans" in html


def test_feature_in_the_plan_is_shown(client, auth, demo_accounts):
    auth.login("elite@demo.test")
    assert client.get("/features/campus_discount").status_code == 200


def test_lapsed_customer_gets_the_reason_not_an_upgrade_prompt(client, auth, demo_accounts):
    auth.login("lapsed@demo.test")
    response = client.get("/features/patches")
    assert response.status_code == 403 and b"Your support term has ended" in response.data


def test_staff_view_pages_as_a_plan(client, auth, demo_accounts):
    auth.login("staff@demo.test")
    assert client.get("/features/campus_discount").status_code == 200
    auth.post("/staff/view-as", {"plan": "premium"})
    assert client.get("/features/campus_discount").status_code == 403
    assert client.get("/features/interactive_sessions").status_code == 200
    assert b"viewing pages as a customer on" in client.get("/plans").data
    assert client.get("/staff/").status_code == 403  # staff powers are off while viewing as
    auth.post("/staff/view-as", {"plan": ""})
    assert client.get("/features/campus_discount").status_code == 200


def test_customers_cannot_use_view_as(client, auth, demo_accounts):
    auth.login("xtreme@demo.test")
    assert auth.post("/staff/view-as", {"plan": "elite"}).status_code == 403
    assert client.get("/features/campus_discount").status_code == 403


def test_404_page_in_the_site_style(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and b"Orbitec Support" in response.data


def test_500_page_in_the_site_style_without_details(app, client):
    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/_boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data and b"secret internals" not in response.data


def test_navigation_shows_only_areas_of_the_plan(app, client, auth, demo_accounts):
    from kb.web import NavEntry, add_nav_entry

    add_nav_entry(app, NavEntry("Premium corner", "main.plan_comparison", "interactive_sessions"))
    auth.login("xtreme@demo.test")
    assert b">Premium corner<" not in client.get("/account").data
    auth.logout()
    auth.login("premium@demo.test")
    assert b">Premium corner<" in client.get("/account").data


def test_security_headers(client):
    response = client.get("/plans")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_favicon(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert b'rel="icon" href="/static/favicon.svg"' in client.get("/sign-in").data
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200


def test_no_emoji_in_pages_or_styles():
    """Marks are SVG or text: an emoji shows as a box where no emoji font is installed."""
    sources = [*(REPO_ROOT / "templates").rglob("*.html"),
               *(REPO_ROOT / "kb" / "static").glob("*.css")]
    emoji = [(path.name, char) for path in sources for char in path.read_text()
             if ord(char) >= 0x1F000 or 0x2600 <= ord(char) <= 0x27BF]
    assert emoji == []


def test_header_has_search_box_and_groups_the_menus(client, auth, demo_accounts):
    assert b'role="search"' not in client.get("/sign-in").data
    auth.login("staff@demo.test")
    page = client.get("/account").get_data(as_text=True)
    header = page[page.index("<header"):page.index("</header>")]
    assert 'action="/search"' in header and 'name="q"' in header
    for group in ("Knowledge", "Learning", "Staff"):
        assert f">{group}</summary>" in header
    assert header.index("Article editor") > header.index(">Staff</summary>")
    auth.logout()
    auth.login("xtreme@demo.test")
    header = client.get("/account").get_data(as_text=True).split("</header>")[0]
    assert ">Staff</summary>" not in header and "Article editor" not in header


def test_served_pico_is_the_pinned_npm_package():
    """kb serves Pico CSS itself (never from a CDN): the copy must be the package npm installs."""
    package = REPO_ROOT / "node_modules" / "@picocss" / "pico" / "css" / "pico.min.css"
    if not package.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{package} is missing: run `npm ci`")
        pytest.skip(f"{package} is missing: run `npm ci` to compare the served Pico CSS")
    served = REPO_ROOT / "kb" / "static" / "vendor" / "pico.min.css"
    assert served.read_bytes() == package.read_bytes()


@pytest.mark.parametrize("email", ["xtreme@demo.test", "premium@demo.test", "elite@demo.test",
                                   "lapsed@demo.test", "staff@demo.test", "admin@demo.test"])
def test_every_menu_entry_leads_to_a_page_that_opens(app, client, auth, demo_accounts, email):
    """A menu shows only what its user may open: staff's "Success manager" led to a 404 (staff
    have none of their own) instead of the staff side of Elite services."""
    from kb.support import service

    with app.app_context():
        service.ensure_default_table()  # the coverage page's response targets
    auth.login(email)
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    links = re.findall(r'<a href="(/[^"]*)"', header[header.index('aria-label="Main"'):])
    assert len(links) > 3
    for link in links:
        response = client.get(link, follow_redirects=True)
        assert response.status_code == 200, (email, link, response.status_code)


def test_the_home_page_names_whose_features_it_lists(client, auth, demo_accounts):
    """Staff have no plan: their home page did say "Your plan includes" above every feature."""
    auth.login("staff@demo.test")
    home = client.get("/").get_data(as_text=True)
    assert "Your plan includes" not in home
    assert "<h2>Every plan feature: staff may open them all</h2>" in home
    auth.post("/staff/view-as", {"plan": "premium"})
    assert "<h2>Premium includes</h2>" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("premium@demo.test")
    assert "<h2>Your plan includes</h2>" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email, path, title", [
    ("xtreme@demo.test", "/features/campus_discount", "Not included in your plan"),
    ("lapsed@demo.test", "/features/patches", "Your support term has ended"),
    ("premium@demo.test", "/organization/users", "Access denied"),  # not an administrator
    ("elite@demo.test", "/staff/elite", "Access denied"),  # staff only
])
def test_a_refusals_title_gives_its_reason(client, auth, demo_accounts, email, path, title):
    """Every 403 was titled "Not included in your plan", whatever the reason."""
    auth.login(email)
    response = client.get(path)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert re.search(r"<title>(.*?) ·", html).group(1) == title
    assert "<h1>Available on " in html if "plan" in title else f"<h1>{title}</h1>" in html
