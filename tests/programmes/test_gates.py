"""Every early adopter page and endpoint is refused below Elite and for a lapsed Elite
organisation (403 with the upgrade prompt; the API's 403 names the feature); staff pages are
refused to every customer; anonymous visitors sign in first."""

from __future__ import annotations

import pytest

from tests.conftest import Auth, bearer

CUSTOMER_PAGES = [("get", "/programmes"), ("get", "/programmes/{id}"),
                  ("post", "/programmes/{id}/apply")]
API = [("get", "/api/v1/programmes"), ("get", "/api/v1/programmes/{id}"),
       ("post", "/api/v1/programmes/{id}/applications")]
STAFF_PAGES = [("get", "/staff/programmes/"), ("post", "/staff/programmes/"),
               ("get", "/staff/programmes/{id}"), ("post", "/staff/programmes/{id}"),
               ("post", "/staff/programmes/{id}/end"),
               ("post", "/staff/programmes/applications/1/accept"),
               ("post", "/staff/programmes/applications/1/decline"),
               ("post", "/staff/programmes/{id}/patches"),
               ("post", "/staff/programmes/{id}/patches/1/release"),
               ("post", "/staff/programmes/{id}/articles"),
               ("post", "/staff/programmes/{id}/articles/1/release")]
STAFF_API = [("get", "/api/v1/programmes/{id}/applications"),
             ("post", "/api/v1/programmes/applications/1/decision")]
KEPT = "<any(patches, articles):kinds>"


def _request(auth: Auth, method: str, path: str):
    return auth.client.get(path) if method == "get" else auth.post(path, data={})


@pytest.mark.parametrize("plan, lapsed", [("xtreme", False), ("premium", False),
                                          ("elite", True)])
def test_below_elite_and_lapsed_are_refused(client, auth, world, customer_on, api_token, plan,
                                            lapsed):
    email = customer_on(plan, lapsed=lapsed)
    auth.login(email)
    for method, path in CUSTOMER_PAGES + STAFF_PAGES:
        answer = _request(auth, method, path.format(id=world.programme))
        assert answer.status_code == 403, (method, path)
    page = auth.client.get(f"/programmes/{world.programme}").get_data(as_text=True)
    assert "Orbit ERP 13" not in page
    assert ("renewed" if lapsed else 'class="upgrade-prompt"') in page
    token = bearer(api_token(email))
    for method, path in API:
        answer = getattr(client, method)(path.format(id=world.programme), headers=token,
                                         json={})
        assert answer.status_code == 403, path
        body = answer.get_json()
        if lapsed:
            assert body["reason"] == "term_lapsed"
        else:
            assert body == {"error": body["error"], "reason": "plan",
                            "feature": "early_adopter", "required_plan": "elite"}


def test_an_elite_customer_may_not_use_the_staff_pages(auth, world, client, api_token):
    auth.login("elite@demo.test")
    for method, path in STAFF_PAGES:
        assert _request(auth, method, path.format(id=world.programme)).status_code == 403, path
    token = bearer(api_token("elite@demo.test"))
    for method, path in STAFF_API:
        answer = getattr(client, method)(path.format(id=world.programme), headers=token,
                                         json={"decision": "accept"})
        assert answer.status_code == 403 and answer.get_json()["error"], path


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_answers_401(client, world):
    assert client.get("/programmes").status_code == 302
    assert client.get("/staff/programmes/").status_code == 302
    assert client.get("/api/v1/programmes").status_code == 401
    assert client.post(f"/api/v1/programmes/{world.programme}/applications",
                       json={}).status_code == 401


def test_the_lists_above_hold_every_programme_route(app):
    listed = {(method, path.replace("{id}", "<int:programme_id>"))
              for method, path in CUSTOMER_PAGES + API + STAFF_PAGES + STAFF_API}
    found = {(method.lower(), rule.rule) for rule in app.url_map.iter_rules()
             for method in rule.methods - {"HEAD", "OPTIONS"}
             if rule.rule.startswith(("/programmes", "/staff/programmes", "/api/v1/programmes"))}
    normalized = {(method, path.replace("applications/1/accept",
                                        "applications/<int:application_id>/<any(accept, "
                                        "decline):action>")
                   .replace("applications/1/decline",
                            "applications/<int:application_id>/<any(accept, decline):action>")
                   .replace("/1/release", "/<int:item_id>/release")
                   .replace("applications/1/decision",
                            "applications/<int:application_id>/decision")
                   .replace("/patches", f"/{KEPT}").replace("/articles", f"/{KEPT}"))
                  for method, path in listed}
    assert found <= normalized, found - normalized
