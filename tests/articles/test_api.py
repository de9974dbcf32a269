"""/api/v1/articles, /api/v1/articles/<slug> and /api/v1/release-notes, as in the contract."""

from __future__ import annotations

from datetime import date

from tests.articles import web_fixtures
from tests.conftest import bearer

write_article = web_fixtures.write_article  # a fixture shared by the article tests


def test_list_articles_with_filters_pages_and_locked_entries(client, api_token, write_article):
    write_article("Open to all", "Body", summary="For everyone", kind="how-to",
                  products=["Orbit ERP"], versions=["12.0"], tags=["setup"])
    write_article("Elite only", "Body", summary="Secret summary", kind="reference",
                  min_plan="elite")
    write_article("A draft", "Body", status="draft")
    headers = bearer(api_token("premium@demo.test"))

    answer = client.get("/api/v1/articles", headers=headers).get_json()
    assert answer["total"] == 2 and answer["page"] == 1
    by_title = {item["title"]: item for item in answer["items"]}
    assert set(by_title) == {"Open to all", "Elite only"}
    open_item = by_title["Open to all"]
    assert open_item["slug"] == "open-to-all" and open_item["summary"] == "For everyone"
    assert open_item["kind"] == "how-to" and open_item["min_plan"] == "xtreme"
    assert open_item["products"] == ["Orbit ERP"] and open_item["versions"] == ["12.0"]
    assert open_item["url"] == "/articles/open-to-all" and open_item["locked"] is False
    assert open_item["updated"].startswith(str(date.today().year))
    locked = by_title["Elite only"]
    assert locked["locked"] is True and locked["summary"] is None
    assert locked["min_plan"] == "elite"

    def titles(query: str) -> list[str]:
        return [i["title"] for i in client.get("/api/v1/articles" + query,
                                                 headers=headers).get_json()["items"]]

    assert titles("?product=Orbit+ERP") == ["Open to all"]
    assert titles("?version=12.0&tag=setup") == ["Open to all"]
    assert titles("?kind=reference") == ["Elite only"]
    assert titles("?q=elite") == ["Elite only"]
    assert titles("?q=100%25") == []
    paged = client.get("/api/v1/articles?per_page=1&page=2", headers=headers).get_json()
    assert paged["per_page"] == 1 and paged["pages"] == 2 and len(paged["items"]) == 1
    past_the_end = client.get("/api/v1/articles?page=3", headers=headers).get_json()
    assert past_the_end["items"] == [] and past_the_end["total"] == 2


def test_one_article_has_the_contract_fields(client, api_token, write_article):
    slug = write_article("Import ledgers", "## Steps\n\n1. *Open* the file", summary="How to",
                         products=["Orbit ERP"])
    answer = client.get(f"/api/v1/articles/{slug}",
                        headers=bearer(api_token("xtreme@demo.test")))
    assert answer.status_code == 200
    article = answer.get_json()
    for key in ("slug", "title", "summary", "html", "markdown", "min_plan", "products",
                "updated"):
        assert key in article
    assert article["markdown"] == "## Steps\n\n1. *Open* the file"
    assert "<em>Open</em>" in article["html"]
    assert article["products"] == ["Orbit ERP"] and article["summary"] == "How to"


def test_below_the_minimum_plan_is_403_with_feature_and_plan(client, api_token, write_article):
    slug = write_article("Premium tuning", "Secret body", min_plan="premium")
    answer = client.get(f"/api/v1/articles/{slug}", headers=bearer(api_token("xtreme@demo.test")))
    assert answer.status_code == 403
    body = answer.get_json()
    assert body == {"error": "This article is available on Premium and Elite.",  # contract
                    "reason": "plan", "feature": "how_to", "required_plan": "premium"}
    assert "Secret body" not in answer.get_data(as_text=True)


def test_lapsed_customers_get_titles_only_and_403_for_a_body(client, auth, write_article):
    """Their tokens stop working (the foundation's rule); their browser session still asks."""
    slug = write_article("Anything", "Body", summary="Summary")
    auth.login("lapsed@demo.test")
    items = client.get("/api/v1/articles").get_json()["items"]
    assert [(i["title"], i["locked"], i["summary"]) for i in items] == [
        ("Anything", True, None)]
    answer = client.get(f"/api/v1/articles/{slug}")
    assert answer.status_code == 403 and answer.get_json()["reason"] == "term_lapsed"


def test_drafts_and_unknown_slugs_are_404_and_no_credential_is_401(client, api_token,
                                                                   write_article):
    slug = write_article("Unfinished", "Body", status="draft")
    headers = bearer(api_token("elite@demo.test"))
    assert client.get(f"/api/v1/articles/{slug}", headers=headers).status_code == 404
    missing = client.get("/api/v1/articles/nothing-here", headers=headers)
    assert missing.status_code == 404 and "error" in missing.get_json()
    assert client.get("/api/v1/articles").status_code == 401
    assert client.get(f"/api/v1/articles/{slug}").status_code == 401
    staff = bearer(api_token("staff@demo.test"))
    assert client.get(f"/api/v1/articles/{slug}", headers=staff).status_code == 200


def test_release_notes_list_with_filters(client, api_token, write_article):
    guide = write_article("Upgrade guide", "Body")
    write_article("ERP 12.0", "Body", type="release-note", product="Orbit ERP", version="12.0",
                  released_on=date(2026, 2, 1), highlights="Faster", linked=[guide])
    write_article("Hub 4.0", "Body", type="release-note", product="Orbit Integration Hub",
                  version="4.0", released_on=date(2025, 10, 1), min_plan="elite",
                  highlights="Secret highlights")
    headers = bearer(api_token("premium@demo.test"))
    answer = client.get("/api/v1/release-notes", headers=headers).get_json()
    assert [item["title"] for item in answer["items"]] == ["ERP 12.0", "Hub 4.0"]
    erp, hub = answer["items"]
    assert erp["product"] == "Orbit ERP" and erp["version"] == "12.0"
    assert erp["released"] == "2026-02-01" and erp["highlights"] == "Faster"
    assert erp["articles"] == [f"/articles/{guide}"] and erp["url"] == "/release-notes/erp-12-0"
    assert hub["locked"] is True and hub["highlights"] is None
    only_hub = client.get("/api/v1/release-notes?product=orbit-integration-hub",
                          headers=headers).get_json()
    assert [item["title"] for item in only_hub["items"]] == ["Hub 4.0"]
    by_version = client.get("/api/v1/release-notes?version=12.0", headers=headers).get_json()
    assert [item["title"] for item in by_version["items"]] == ["ERP 12.0"]


def test_openapi_documents_the_article_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/articles" in paths and "/api/v1/articles/{slug}" in paths
    assert "/api/v1/release-notes" in paths
    listed = paths["/api/v1/articles"]["get"]
    assert "locked" in listed["summary"]
    assert {p["name"] for p in listed["parameters"]} >= {"product", "version", "kind", "tag",
                                                         "q", "page", "per_page"}
