"""Community content is inert against the XSS list used for articles: each payload posted as a
question and as an answer, read back in the question page and the API's stored HTML."""

from __future__ import annotations

import pytest

from tests.articles.test_xss import PAYLOADS, problems_in


@pytest.fixture
def staff_headers(world, token_for):
    # staff post without the rate limit, so every payload goes through one account
    return token_for("staff")


@pytest.mark.parametrize("number, payload", list(enumerate(PAYLOADS)))
def test_payload_is_inert_in_question_answer_page_and_api(client, world, staff_headers,
                                                          signed_in, number, payload):
    asked = client.post("/api/v1/community/questions", headers=staff_headers, json={
        "space": world.open_slug, "title": f"XSS {number} {payload[:60]}",
        "body": f"Before\n\n{payload}\n\nAfter"})
    if "\x00" in payload:  # refused whole, as every text holding NUL is
        assert asked.status_code == 400 and "NUL" in asked.json["error"]
        return
    assert asked.status_code == 201, asked.json
    question_id = asked.json["id"]
    answered = client.post(f"/api/v1/community/questions/{question_id}/answers",
                           headers=staff_headers, json={"body": f"Answer\n\n{payload}"})
    assert answered.status_code == 201
    assert problems_in(asked.json["html"], fragment=True) == []
    assert problems_in(answered.json["html"], fragment=True) == []

    page = signed_in("premium").client.get(f"/community/questions/{question_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"XSS {number} " in html
    assert problems_in(html, fragment=False) == []
    listing = signed_in("premium").client.get(f"/community/{world.open_slug}")
    assert problems_in(listing.get_data(as_text=True), fragment=False) == []


def test_the_body_is_rendered_once_when_written(app, world, client, staff_headers):
    from kb import db, markdown
    from kb.community.models import Question

    asked = client.post("/api/v1/community/questions", headers=staff_headers, json={
        "space": world.open_slug, "title": "Rendered when written",
        "body": "**bold** <script>alert(1)</script>"})
    with app.app_context():
        question = db.session.get(Question, asked.json["id"])
        assert question.body_html == markdown.render(question.body).html
        assert "<strong>bold</strong>" in question.body_html
        assert "<script" not in question.body_html
