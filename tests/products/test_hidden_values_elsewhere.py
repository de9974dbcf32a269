"""A product or version only items the reader may not learn of name (a draft) stays unknown
beyond the filters too: the incident form does not offer it and logging an incident about it
is refused as about a made-up product, a product feed's address answers it as a made-up one,
and the patches page refuses it as it refuses a made-up version. Staff, who see drafts,
still name it."""

from __future__ import annotations

import re

import pytest

from kb.accounts.queries import user_by_email
from kb.patches import service as patches
from kb.storage import file_store
from tests.accounts.security_helpers import statements_sent
from tests.catalogue import write_drafts
from tests.conftest import bearer
from tests.web import same_page

MADE_UP_PRODUCT = "Orbit Imaginary"
TOKEN_IN_PAGE = re.compile(r"token=(kbf_[\w-]+)")


@pytest.fixture
def drafts(app, demo_accounts):
    """Orbit ERP 12.0 in a published article; Orbit Nova, and Orbit ERP 13.0, only in drafts;
    a published patch of Orbit ERP for every version."""
    with app.app_context():
        from kb.support import service as support
        support.ensure_default_table()
        staff = user_by_email("staff@demo.test")
        write_drafts(staff)
        staged = file_store().stage(filename="fix.zip")
        staged.write(b"every version")
        patches.publish_patch(staff, patches.PatchDetails(
            product="Orbit ERP", title="Fix for every version"),
            [patches.Upload("fix.zip", staged)])


def _incident(product: str) -> dict:
    return {"product": product, "severity": 3, "title": "Posting fails at month end",
            "description": "It fails."}


@pytest.mark.parametrize("reader", ["xtreme@demo.test", "elite@demo.test"])
def test_an_incident_about_a_hidden_product_is_refused_as_a_made_up_one(client, api_token,
                                                                       drafts, reader):
    headers = bearer(api_token(reader))
    hidden = client.post("/api/v1/incidents", headers=headers, json=_incident("Orbit Nova"))
    made_up = client.post("/api/v1/incidents", headers=headers,
                          json=_incident(MADE_UP_PRODUCT))
    assert hidden.status_code == made_up.status_code == 422
    assert hidden.json == {**made_up.json, "error": made_up.json["error"].replace(
        MADE_UP_PRODUCT, "Orbit Nova")}
    assert client.get("/api/v1/incidents", headers=headers).json == []
    assert client.post("/api/v1/incidents", headers=headers,
                       json=_incident("Orbit ERP")).status_code == 201


def test_the_incident_form_offers_no_hidden_product(auth, drafts):
    auth.login("elite@demo.test")
    page = auth.client.get("/support/incidents/new").get_data(as_text=True)
    assert '<option value="Orbit ERP"' in page
    assert "Orbit Nova" not in page
    refused = auth.post("/support/incidents/new", data={
        "product": "Orbit Nova", "severity": "3", "title": "Posting fails at month end",
        "description": "It fails."})
    assert refused.status_code == 422 and "Orbit Nova" not in refused.get_data(as_text=True)
    auth.logout()
    auth.login("staff@demo.test")
    assert "Orbit Nova" in auth.client.get("/support/incidents/new").get_data(as_text=True)


def _feed_token(auth, email: str) -> str:
    auth.login(email)
    response = auth.post("/account/feeds/token")
    auth.logout()
    return TOKEN_IN_PAGE.search(response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("kind", ["release-notes", "patches", "workaround-alerts"])
def test_a_hidden_products_feed_answers_as_a_made_up_ones(client, auth, drafts, kind):
    token = _feed_token(auth, "elite@demo.test")
    hidden = client.get(f"/feeds/products/orbit-nova/{kind}.atom?token={token}")
    made_up = client.get(f"/feeds/products/orbit-imaginary/{kind}.atom?token={token}")
    assert hidden.status_code == made_up.status_code == 404
    assert same_page(hidden.get_data(), made_up.get_data())
    assert client.get(f"/feeds/products/orbit-erp/{kind}.atom?token={token}").status_code == 200
    staff = client.get(f"/feeds/products/orbit-nova/{kind}.atom?token="
                       f"{_feed_token(auth, 'staff@demo.test')}")
    assert staff.status_code == 200 and b"Orbit Nova" in staff.data


def _patches_listed(auth, version: str, status: int = 200) -> str:
    page = auth.client.get("/patches/", query_string={"version": version})
    assert page.status_code == status
    return page.get_data(as_text=True)


def test_the_patches_page_refuses_a_hidden_version_as_a_made_up_one(auth, drafts):
    auth.login("elite@demo.test")
    assert "Fix for every version" in _patches_listed(auth, "12.0")
    hidden, made_up = _patches_listed(auth, "13.0", 422), _patches_listed(auth, "99.0", 422)
    assert "Fix for every version" not in hidden
    assert same_page(hidden.replace("13.0", "99.0").encode(), made_up.encode())
    auth.logout()
    auth.login("staff@demo.test")
    assert "Fix for every version" in _patches_listed(auth, "13.0")


def _main(page) -> str:
    text = page.get_data(as_text=True)
    return text[text.index("<main"):text.index("</main>")]


def _reclassified(auth, incident_id: int, product: str):
    return auth.post(f"/support/incidents/{incident_id}/classification", data={
        "change-severity": "2", "change-product": product, "change-reason": "Worse now."})


def test_a_customer_moving_an_incident_to_a_hidden_product_is_told_what_a_made_up_one_is(
        client, auth, api_token, drafts):
    created = client.post("/api/v1/incidents", headers=bearer(api_token("elite@demo.test")),
                          json=_incident("Orbit ERP"))
    incident_id = created.json["id"]
    auth.login("elite@demo.test")
    hidden = _reclassified(auth, incident_id, "Orbit Nova")
    made_up = _reclassified(auth, incident_id, MADE_UP_PRODUCT)
    assert hidden.status_code == made_up.status_code == 403
    assert _main(hidden) == _main(made_up) and "staff" in _main(hidden)
    moved = _reclassified(auth, incident_id, "Orbit ERP")  # its own product: the severity
    assert moved.status_code == 302
    auth.logout()
    auth.login("staff@demo.test")
    assert _reclassified(auth, incident_id, "Orbit Nova").status_code == 302


def _alike(app, request, hidden: str, made_up: str, status: int) -> None:
    request(made_up)  # whatever a first request does once (a token's first use)
    secret, unknown = statements_sent(app, lambda: request(hidden)), statements_sent(
        app, lambda: request(made_up))
    assert secret[0] == unknown[0] == status
    assert secret[1] == unknown[1]


@pytest.mark.parametrize("field, hidden, made_up", [
    ("product", "Orbit Nova", MADE_UP_PRODUCT), ("version", "13.0", "99.0"),
    ("version", "Orbit ERP@13.0", "Orbit ERP@99.0")])
@pytest.mark.parametrize("path", ["/api/v1/patches", "/api/v1/search"])
def test_a_hidden_filter_value_costs_what_a_made_up_one_does(app, client, api_token, drafts,
                                                             field, hidden, made_up, path):
    """The refusal's time tells nothing either: the same statements run for both values."""
    headers = bearer(api_token("elite@demo.test"))
    _alike(app, lambda value: client.get(path, headers=headers, query_string={
        "q": "ledger", field: value}), hidden, made_up, 422)


def test_a_hidden_product_costs_what_a_made_up_one_does_beyond_the_filters(
        app, client, auth, api_token, drafts):
    headers = bearer(api_token("elite@demo.test"))
    _alike(app, lambda value: client.post("/api/v1/incidents", headers=headers,
                                          json=_incident(value)),
           "Orbit Nova", MADE_UP_PRODUCT, 422)
    token = _feed_token(auth, "elite@demo.test")
    _alike(app, lambda slug: client.get(f"/feeds/products/{slug}/patches.atom?token={token}"),
           "orbit-nova", "orbit-imaginary", 404)
    auth.login("elite@demo.test")
    for field, hidden, made_up in [("version", "13.0", "99.0"),
                                   ("product", "Orbit Nova", MADE_UP_PRODUCT)]:
        _alike(app, lambda value, field=field: client.get(
            "/patches/", query_string={field: value}), hidden, made_up, 422)


def _own_targets(app) -> None:
    """Staff ready Orbit Nova's response targets before it is announced: Severity 1 not
    available on Xtreme, and Elite's Severity 2 answered within 30 minutes."""
    from kb.products import service as products
    from kb.support import service as support
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        nova = products.ensure_product("Orbit Nova")
        support.set_target(staff, "xtreme", 1, nova, None, "business_hours")
        support.set_target(staff, "elite", 2, nova, 30, "around_the_clock")


def test_the_coverage_and_the_incident_form_name_no_hidden_products_targets(
        app, client, auth, api_token, drafts):
    _own_targets(app)
    for reader in ("xtreme@demo.test", "elite@demo.test"):
        coverage = client.get("/api/v1/support/coverage",
                              headers=bearer(api_token(reader)))
        assert coverage.status_code == 200 and "Orbit Nova" not in coverage.get_data(
            as_text=True), reader
        auth.login(reader)
        for path in ("/support/incidents/new", "/support/coverage"):
            page = client.get(path)
            assert page.status_code == 200 and "Orbit Nova" not in page.get_data(
                as_text=True), (reader, path)
        auth.logout()
    staff = client.get("/api/v1/support/coverage", query_string={"plan": "elite"},
                       headers=bearer(api_token("staff@demo.test")))
    assert "Orbit Nova" in staff.get_data(as_text=True)


def _more_hidden(app) -> None:
    """Orbit Nova 13.0 and Orbit Zeta, only in drafts too: the version 13.0 is then named by
    two products' drafts, and two products only drafts name."""
    from kb.articles import service as articles
    from kb.articles.fields import ArticleFields
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        articles.create_article(staff, ArticleFields(
            title="Nova 13", body="Draft.", status="draft", products=["Orbit Nova"],
            versions=["13.0"]))
        articles.create_article(staff, ArticleFields(
            title="Zeta", body="Draft.", status="draft", products=["Orbit Zeta"]))


@pytest.mark.parametrize("query, made_up", [
    ({"version": "13.0"}, {"version": "99.0"}),
    ({"product": ["Orbit Nova", "Orbit Zeta"]}, {"product": ["Orbit Navo", "Orbit Zata"]}),
])
def test_what_several_hidden_rows_name_costs_what_a_made_up_value_does(
        app, client, api_token, drafts, query, made_up):
    """The statements do not grow with how many hidden rows a refused value names: a version
    two products' drafts name, two products only drafts name, run what made-up values do."""
    _more_hidden(app)
    headers = bearer(api_token("elite@demo.test"))
    _alike(app, lambda asked: client.get("/api/v1/search", headers=headers, query_string={
        "q": "ledger", **asked}), query, made_up, 422)
