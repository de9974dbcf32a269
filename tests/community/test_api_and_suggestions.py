"""The contract's community endpoints (list, and POST giving 201), their JSON errors, the
OpenAPI document, and similar questions and articles while a title is typed (from the
index, as far as the reader may read)."""

from __future__ import annotations

import re

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields


def test_post_gives_201_and_the_list_holds_it(client, world, token_for):
    headers = token_for("premium")
    posted = client.post("/api/v1/community/questions", headers=headers, json={
        "space": world.open_slug, "title": "How do I export the ledger?", "body": "As CSV."})
    assert posted.status_code == 201
    assert posted.json["title"] == "How do I export the ledger?"
    assert posted.json["space"] == world.open_slug and posted.json["solved"] is False
    assert posted.json["url"] == f"/community/questions/{posted.json['id']}"
    listed = client.get("/api/v1/community/questions", headers=headers).json
    assert listed[0]["id"] == posted.json["id"]
    by_name = client.post("/api/v1/community/questions", headers=headers, json={
        "space": "Orbit ERP", "title": "Space named by its name", "body": "Works too."})
    assert by_name.status_code == 201


def test_bad_input_gets_a_clear_json_error(client, world, token_for):
    headers = token_for("premium")
    cases = [
        ("not json", 422), ({"space": world.open_slug, "title": 5, "body": "x"}, 422),
        ({"space": "no-such-space", "title": "A fine title", "body": "x"}, 422),
        ({"space": world.open_slug, "title": "short", "body": "x"}, 422),
        ({"space": world.open_slug, "title": "A fine title", "body": ""}, 422),
        ({"space": world.open_slug, "title": "A fine title", "body": "x" * 20_001}, 422),
        ({"space": world.open_slug, "title": "T" * 201, "body": "x"}, 422),
    ]
    for body, status in cases:
        answer = (client.post("/api/v1/community/questions", headers=headers, data=body)
                  if isinstance(body, str) else
                  client.post("/api/v1/community/questions", headers=headers, json=body))
        assert answer.status_code == status, body
        assert answer.is_json and answer.json["error"], body
    assert client.get("/api/v1/community/questions?filter=maybe",
                      headers=headers).status_code == 422
    assert client.get("/api/v1/community/questions/999999", headers=headers).status_code == 404


def test_the_openapi_document_names_the_community_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/community/questions"])
    assert "201" in paths["/api/v1/community/questions"]["post"]["responses"]
    assert "/api/v1/community/questions/{question_id}/answers" in paths
    assert "/api/v1/community/answers/{answer_id}/vote" in paths


def test_similar_questions_and_articles_come_from_the_index(app, world, signed_in):
    with app.app_context():
        articles.create_article(user_by_email("staff@demo.test"), ArticleFields(
            title="Posting job stuck: what to check", body="Check the posting queue."))
        db.session.commit()
    found = signed_in("premium").client.get("/community/suggest?q=posting job stuck").json
    assert {"question", "article"} <= {entry["type"] for entry in found}
    assert any(entry["url"] == f"/community/questions/{world.open_question}" for entry in found)
    assert signed_in("premium").client.get("/community/suggest?q=ab").json == []


def test_similar_questions_never_leak_a_space_above_the_plan(world, signed_in):
    found = signed_in("xtreme").client.get("/community/suggest?q=preview build upgrade").json
    assert all(entry["url"] != f"/community/questions/{world.elite_question}"
               for entry in found)
    elite = signed_in("elite").client.get("/community/suggest?q=preview build upgrade").json
    assert any(entry["url"] == f"/community/questions/{world.elite_question}"
               for entry in elite)


def test_one_search_finds_community_questions_beside_articles(world, client, token_for):
    found = client.get("/api/v1/search", query_string={"q": "posting job stuck"},
                       headers=token_for("premium")).json
    assert any(hit["type"] == "question" and hit["id"] == world.open_question
               for hit in found["results"])


def test_question_pages_carry_link_and_total_headers(client, world, token_for):
    headers = token_for("elite")
    page = client.get("/api/v1/community/questions?per_page=1&filter=unsolved", headers=headers)

    assert len(page.json) == 1 and page.headers["X-Total-Count"] == "2"
    found = {relation: url for url, relation in
             re.findall(r'<([^>]*)>; rel="(\w+)"', page.headers["Link"])}
    assert set(found) == {"first", "next", "last"}
    assert found["next"].endswith("/api/v1/community/questions?per_page=1&filter=unsolved&page=2")
    second = client.get(found["next"], headers=headers)
    assert [q["id"] for q in page.json + second.json] == [
        q["id"] for q in client.get("/api/v1/community/questions", headers=headers).json]


def test_a_retried_question_is_asked_once(client, world, token_for):
    headers = {**token_for("premium"), "Idempotency-Key": "ask-once"}
    body = {"space": world.open_slug, "title": "How do I export the ledger?", "body": "As CSV."}
    first = client.post("/api/v1/community/questions", headers=headers, json=body)
    again = client.post("/api/v1/community/questions", headers=headers, json=body)

    assert first.status_code == again.status_code == 201 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    titles = [q["title"] for q in client.get("/api/v1/community/questions",
                                             headers=token_for("premium")).json]
    assert titles.count("How do I export the ledger?") == 1
