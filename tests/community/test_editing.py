"""Authors edit their own question or answer (re-rendered, sanitised and re-indexed at once);
nobody else but staff may, and not once the question is locked."""

from __future__ import annotations

from tests.conftest import indexed_status


def test_the_asker_edits_the_question_and_search_finds_the_new_words(app, world, signed_in,
                                                                    client, token_for):
    asker = signed_in("xtreme")
    path = f"/community/questions/{world.open_question}/edit"
    assert asker.client.get(path).status_code == 200
    saved = asker.post(path, {"title": "Posting job stuck in the zanzibar queue",
                              "body": "Now with **details** <img src=x onerror=alert(1)>"})
    assert saved.status_code == 302
    shown = client.get(f"/api/v1/community/questions/{world.open_question}",
                       headers=token_for("premium")).json
    assert shown["title"] == "Posting job stuck in the zanzibar queue"
    assert "<strong>details</strong>" in shown["html"] and "onerror" not in shown["html"]
    found = client.get("/api/v1/search", query_string={"q": "zanzibar"},
                       headers=token_for("premium")).json
    assert [hit["id"] for hit in found["results"] if hit["type"] == "question"] \
        == [world.open_question]
    page = asker.client.get(f"/community/questions/{world.open_question}")
    assert "· edited" in page.get_data(as_text=True)
    with app.app_context():
        assert indexed_status(f"question:{world.open_question}") == "published"


def test_nobody_else_edits_and_bad_edits_keep_the_text(world, signed_in):
    other = signed_in("premium")
    assert other.client.get(
        f"/community/questions/{world.open_question}/edit").status_code == 403
    assert other.post(f"/community/answers/{world.answer}/edit",
                      {"body": "vandalised"}).status_code == 403
    asker = signed_in("xtreme")
    short = asker.post(f"/community/questions/{world.open_question}/edit",
                       {"title": "short", "body": "My kept text"})
    assert short.status_code == 422
    assert "My kept text" in short.get_data(as_text=True)


def test_an_answer_s_author_edits_it_until_the_question_is_locked(app, world, signed_in):
    from tests.community.conftest import answer

    mine = answer(app, "elite@demo.test", world.open_question, "First version.")
    elite = signed_in("elite")
    assert elite.post(f"/community/answers/{mine}/edit",
                      {"body": "Second version."}).status_code == 302
    page = elite.client.get(f"/community/questions/{world.open_question}")
    assert "Second version." in page.get_data(as_text=True)
    signed_in("staff").post(f"/community/questions/{world.open_question}/lock")
    locked = elite.post(f"/community/answers/{mine}/edit", {"body": "Third version."})
    assert locked.status_code == 409
    assert signed_in("staff").post(f"/community/answers/{mine}/edit",
                                   {"body": "Staff tidied it."}).status_code == 302
