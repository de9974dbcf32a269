"""/developers/api: the API reference page, read from the same OpenAPI document scripts get."""

from __future__ import annotations

import re
from html import unescape

ANCHORS = re.compile(r'\bid="([^"]+)"')
SHAPE_LINKS = re.compile(r'href="#(schema-[^"]+)"')


def operation_html(page: str, operation_id: str) -> str:
    start = page.index(f'id="{operation_id}"')
    return page[start:page.index("</article>", start)]


def test_every_operation_and_every_shape_of_the_document_is_on_the_page(client):
    document = client.get("/api/v1/openapi.json").get_json()
    response = client.get("/developers/api")
    assert response.status_code == 200  # no sign-in needed, as for the document itself
    page = response.get_data(as_text=True)

    anchors = set(ANCHORS.findall(page))
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            html = operation_html(page, operation["operationId"])
            assert f">{method.upper()}</span>" in html and f">{path}</code>" in html
    assert {f"schema-{name}" for name in document["components"]["schemas"]} <= anchors
    assert set(SHAPE_LINKS.findall(page)) <= anchors  # no link leads nowhere


def test_an_operation_shows_its_body_fields_limits_and_own_answers(client):
    html = unescape(operation_html(client.get("/developers/api").get_data(as_text=True),
                                   "api_log_incident"))
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "severity required integer 1 (highest) to 4 (from 1 to 4)" in text
    assert "title required string not empty; up to 300 characters" in text
    assert "version string or null" in text and "version required" not in text
    assert '<dd>Logged: <a href="#schema-IncidentWithThread">' in html
    # the 401 and 403 every signed-in operation may give are said once, at the top
    assert "No or a bad credential" not in text and "422 Invalid details" in text


def test_the_page_gives_this_portal_s_address_and_the_footer_and_account_link_it(
        client, auth, demo_accounts):
    page = unescape(client.get("/developers/api").get_data(as_text=True))
    assert 'curl -H "Authorization: Bearer $KB_TOKEN" http://kb.test/api/v1/me' in page
    assert "Account → API tokens once signed in" in page

    auth.login("premium@demo.test")
    account = client.get("/account").get_data(as_text=True)
    assert 'href="/developers/api"' in account
    assert 'href="/account#tokens"' in client.get("/developers/api").get_data(as_text=True)


def test_the_document_is_built_once_per_app_and_served_the_same(app, client, monkeypatch):
    from kb.api import openapi

    builds, build = [], openapi.build_document

    def counted():
        builds.append(1)
        return build()

    monkeypatch.setattr(openapi, "build_document", counted)
    first = client.get("/api/v1/openapi.json")
    pages = [client.get("/developers/api") for _ in range(2)]
    again = client.get("/api/v1/openapi.json")

    assert len(builds) == 1
    assert all(page.status_code == 200 for page in pages)
    assert first.status_code == again.status_code == 200 and first.is_json
    assert first.get_data() == again.get_data()
    with app.test_request_context():
        assert first.get_json() == build()


def test_each_request_s_host_is_the_address_in_the_curl_example(app, client):
    app.config["BASE_URL"] = ""  # links then follow the host each request came to

    one = client.get("/developers/api", base_url="http://one.example").get_data(as_text=True)
    two = client.get("/developers/api", base_url="https://two.example:8443")
    document = client.get("/api/v1/openapi.json", base_url="http://three.example").get_json()

    assert "http://one.example/api/v1/me" in unescape(one)
    assert "https://two.example:8443/api/v1/me" in unescape(two.get_data(as_text=True))
    assert "one.example" not in two.get_data(as_text=True)
    assert document["servers"] == [{"url": "/"}]  # the document names no host at all
