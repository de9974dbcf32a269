"""Who reads what: each plan against each minimum plan, lapsed organisations, anonymous
visitors, unpublished items, and staff viewing pages as a plan. The locked page names the plan
needed and never carries the body."""

from __future__ import annotations

import pytest

from kb import plans
from tests.articles import web_fixtures

write_article = web_fixtures.write_article  # a fixture shared by the article tests

SECRET = "The-secret-body-words"
GATING = [(plan, minimum, plans.plan_includes(plan, minimum))
          for plan in plans.PLANS for minimum in plans.PLANS]


@pytest.mark.parametrize("plan, min_plan, may_read", GATING)
@pytest.mark.parametrize("item_type", ["article", "release-note"])
def test_each_plan_reads_items_up_to_its_level(client, auth, customer_on, write_article,
                                               plan, min_plan, may_read, item_type):
    extra = {"product": "Orbit ERP", "version": "12.0"} if item_type == "release-note" else {}
    slug = write_article(f"Gated {min_plan}", f"{SECRET}\n\n## Section", type=item_type,
                         min_plan=min_plan, summary="A summary", **extra)
    auth.login(customer_on(plan))
    base = "/release-notes/" if item_type == "release-note" else "/articles/"
    page = client.get(base + slug)
    text = page.get_data(as_text=True)
    listing = client.get(base).get_data(as_text=True)
    assert f"Gated {min_plan}" in listing  # every published title is listed
    if may_read:
        assert page.status_code == 200 and SECRET in text
        assert "A summary" in listing
    else:
        assert page.status_code == 403
        assert SECRET not in text and "A summary" not in text
        assert f"Available on {plans.plans_phrase(min_plan)}" in text
        assert "A summary" not in listing
        assert f"available on <span class=\"plan-badge plan-{min_plan}\">" in listing


def test_lapsed_organisations_see_titles_only(client, auth, customer_on, write_article):
    slug = write_article("Month-end closing", SECRET, summary="Close the month")
    auth.login(customer_on("elite", lapsed=True))
    listing = client.get("/articles/").get_data(as_text=True)
    assert "Month-end closing" in listing and "Close the month" not in listing
    assert "available when your support term is renewed" in listing
    page = client.get(f"/articles/{slug}")
    text = page.get_data(as_text=True)
    assert page.status_code == 403
    assert "Your support term has ended" in text and SECRET not in text
    notes = client.get("/release-notes/")
    assert notes.status_code == 200


@pytest.mark.parametrize("path", ["/articles/", "/release-notes/", "/articles/some-article"])
def test_anonymous_visitors_are_sent_to_sign_in(client, write_article, path):
    write_article("Some article", SECRET)
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("status", ["draft", "review", "archived"])
def test_unpublished_items_are_404_for_customers(client, auth, customer_on, write_article,
                                                status):
    slug = write_article(f"Not yet {status}", SECRET, status=status)
    auth.login(customer_on("elite"))
    assert client.get(f"/articles/{slug}").status_code == 404
    assert f"Not yet {status}" not in client.get("/articles/").get_data(as_text=True)


def test_unpublished_items_are_404_for_anonymous_visitors_too(client, write_article):
    slug = write_article("Hidden draft", SECRET, status="draft")
    assert client.get(f"/articles/{slug}").status_code == 404


def test_staff_viewing_as_a_plan_get_that_plans_locked_page(client, auth, write_article):
    slug = write_article("Elite only", SECRET, min_plan="elite")
    auth.login("staff@demo.test")
    assert SECRET in client.get(f"/articles/{slug}").get_data(as_text=True)
    auth.post("/staff/view-as", {"plan": "premium"})
    page = client.get(f"/articles/{slug}")
    assert page.status_code == 403 and SECRET not in page.get_data(as_text=True)
    assert "Available on Elite" in page.get_data(as_text=True)
    auth.post("/staff/view-as", {"plan": "elite"})
    assert client.get(f"/articles/{slug}").status_code == 200


def test_a_vote_on_an_article_above_the_plan_is_refused(app, client, auth, customer_on,
                                                       write_article):
    slug = write_article("Elite tuning", SECRET, min_plan="elite")
    auth.login(customer_on("premium"))
    with app.app_context():
        from kb.articles import queries
        article_id = queries.find_by_slug(None, slug)[0].id
    response = auth.post(f"/helpful-votes/{article_id}", {"helpful": "yes"})
    assert response.status_code == 403


def test_navigation_shows_the_knowledge_base_to_customers_and_the_editor_to_staff(
        client, auth, customer_on, demo_accounts):
    auth.login(customer_on("xtreme"))
    home = client.get("/").get_data(as_text=True)
    assert 'href="/articles/"' in home and 'href="/release-notes/"' in home
    assert 'href="/staff/articles/"' not in home
    auth.logout()
    auth.login("staff@demo.test")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/staff/articles/"' in home and 'href="/staff/products/"' in home


@pytest.mark.parametrize("min_plan, shown", [("xtreme", "Every plan"),
                                             ("premium", "Premium and Elite"),
                                             ("elite", "Elite")])
def test_the_plan_line_keeps_the_plans_capitals(client, auth, customer_on, write_article,
                                                min_plan, shown):
    """It read "Premium and elite": plan names are always capitalised."""
    slug = write_article(f"Plan line {min_plan}", "Body", min_plan=min_plan)
    auth.login(customer_on("elite"))
    assert f"<dt>Plan</dt><dd>{shown}</dd>" in client.get(f"/articles/{slug}").get_data(
        as_text=True)


def test_a_script_with_a_token_gets_a_locked_item_as_json(client, customer_on, write_article,
                                                          api_token):
    """As every error of a request sent with a token: the plan needed, never the body."""
    from tests.web import bearer

    slug = write_article("Gated elite", SECRET, min_plan="elite", summary="A summary")
    headers = bearer(api_token(customer_on("xtreme")))
    for path in (f"/articles/{slug}", f"/articles/{slug}/images/flow.png"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 403 and answer.is_json, path
        assert answer.get_json()["required_plan"] == "elite"
        assert SECRET not in answer.get_data(as_text=True)
