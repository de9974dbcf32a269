"""Who may open and download a patch: every plan against every minimum plan, a lapsed term,
anonymous visitors, and the API's refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kb import db, plans
from kb.accounts.queries import user_by_email
from kb.policy import today
from tests.conftest import bearer

CASES = [(plan, min_plan) for plan in plans.PLANS for min_plan in plans.PLANS]


@pytest.fixture
def gated(publish, patch_file):
    """A published patch per minimum plan: {min_plan: (patch_id, file_url)}."""
    made = {}
    for min_plan in plans.PLANS:
        patch_id = publish(title=f"For {min_plan}", min_plan=min_plan)
        made[min_plan] = (patch_id, patch_file(patch_id)[0])
    return made


@pytest.mark.parametrize("plan, min_plan", CASES)
def test_download_page_and_api_follow_the_minimum_plan(client, auth, customer_on, gated, plan,
                                                       min_plan):
    patch_id, url = gated[min_plan]
    auth.login(customer_on(plan))
    allowed = plans.plan_includes(plan, min_plan)
    download = client.get(url, buffered=True)
    page = client.get(f"/patches/{patch_id}")
    api = client.get(f"/api/v1/patches/{patch_id}")
    checksums = client.get(f"/patches/{patch_id}/SHA256SUMS")
    if allowed:
        assert (download.status_code, page.status_code, api.status_code,
                checksums.status_code) == (200, 200, 200, 200)
    else:
        assert (download.status_code, page.status_code, api.status_code,
                checksums.status_code) == (403, 403, 403, 403)
        assert api.json == {"error": api.json["error"], "reason": "plan",
                            "feature": "patches", "required_plan": min_plan}
        assert f"available on {plans.plans_phrase(min_plan)}" in download.get_data(as_text=True)


@pytest.mark.parametrize("plan", plans.PLANS)
def test_lists_hold_only_what_the_plan_may_download(client, auth, customer_on, gated, plan):
    auth.login(customer_on(plan))
    listed = {p["title"] for p in client.get("/api/v1/patches").json["patches"]}
    assert listed == {f"For {m}" for m in plans.PLANS if plans.plan_includes(plan, m)}
    page = client.get("/patches/").get_data(as_text=True)
    for min_plan in plans.PLANS:  # the browser list shows locked titles, marked
        assert f"For {min_plan}" in page
    assert page.count('class="locked"') == len(plans.PLANS) - len(listed)


@pytest.mark.parametrize("plan", plans.PLANS)
def test_a_lapsed_term_is_refused_everywhere_naming_the_reason(client, auth, customer_on,
                                                              gated, plan):
    email = customer_on(plan, lapsed=True)
    patch_id, url = gated["xtreme"]
    auth.login(email)
    download = client.get(url, buffered=True)
    assert download.status_code == 403
    assert "support term ended" in download.get_data(as_text=True)
    assert client.get("/patches/").status_code == 403
    assert client.get(f"/patches/{patch_id}").status_code == 403
    api = client.get(f"/api/v1/patches/{patch_id}")
    assert api.status_code == 403
    assert api.json["reason"] == "term_lapsed" and api.json["feature"] == "patches"
    assert "support term ended" in api.json["error"]
    listing = client.get("/api/v1/patches")
    assert listing.status_code == 403 and listing.json["reason"] == "term_lapsed"


def test_a_lapsed_organisations_token_is_refused_naming_the_term(app, customer_on, api_token,
                                                                 gated):
    """The token authenticates; the download is refused (403) naming the ended term."""
    email = customer_on("elite")
    token = api_token(email)
    with app.app_context():
        organization = user_by_email(email).organization
        organization.term_start = today() - timedelta(days=800)
        organization.term_end = today() - timedelta(days=1)
        db.session.commit()
    response = app.test_client().get(gated["xtreme"][1], headers=bearer(token), buffered=True)
    assert response.status_code == 403
    assert "support term ended" in response.get_data(as_text=True)

def test_anonymous_visitors_are_sent_to_sign_in_or_told_401(app, gated):
    client = app.test_client()
    patch_id, url = gated["xtreme"]
    assert client.get("/patches/").status_code == 302
    assert "/sign-in" in client.get(f"/patches/{patch_id}").headers["Location"]
    # a script is never redirected: curl -fLO must not save the sign-in page as the file
    assert client.get(url).status_code == 401
    assert client.get(url).mimetype == "text/plain"
    as_json = client.get(url, headers={"Accept": "application/json"})
    assert as_json.status_code == 401 and "Authorization: Bearer" in as_json.json["error"]
    assert as_json.headers["WWW-Authenticate"] == 'Bearer realm="kb"'
    # a browser is sent to sign in and comes back to the file
    browser = client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 302 and "/sign-in?next=" in browser.headers["Location"]
    assert client.get(f"/patches/{patch_id}/SHA256SUMS", headers={
        "Accept": "text/html"}).status_code == 302
    assert client.get(f"/api/v1/patches/{patch_id}").status_code == 401
    assert client.get("/api/v1/patches").status_code == 401


def test_staff_download_anything_and_see_drafts(client, auth, publish, patch_file, gated):
    draft = publish(publish=False, title="Draft", min_plan="elite")
    auth.login("staff@demo.test")
    assert client.get(patch_file(draft)[0], buffered=True).status_code == 200
    titles = {p["title"] for p in client.get("/api/v1/patches").json["patches"]}
    assert "Draft" in titles and "For elite" in titles


def test_staff_viewing_as_a_plan_get_that_plans_refusals(client, auth, gated):
    auth.login("staff@demo.test")
    auth.post("/staff/view-as", {"plan": "premium"})
    assert client.get(gated["elite"][1], buffered=True).status_code == 403
    assert client.get(gated["premium"][1], buffered=True).status_code == 200


def test_a_customer_without_an_organisation_is_refused(client, auth, make_user, gated):
    auth.login(make_user())
    assert client.get(gated["xtreme"][1], buffered=True).status_code == 403
