"""Who may enter the community: every plan reads the open space, only Elite (and staff) the
Elite space; a lapsed term and anonymous visitors are refused, in pages and the API alike."""

from __future__ import annotations

import pytest

from tests.community.conftest import READERS

ELITE_SPACE_READERS = {"elite", "staff"}


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_answers_401(client, world):
    for path in ("/community/", f"/community/{world.open_slug}",
                 f"/community/questions/{world.open_question}", "/community/ask"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/sign-in" in answer.headers["Location"], path
    listed = client.get("/api/v1/community/questions")
    assert listed.status_code == 401 and "error" in listed.json


@pytest.mark.parametrize("reader", READERS)
def test_pages_follow_plan_term_and_space(world, signed_in, reader):
    client = signed_in(reader).client
    lapsed = reader == "lapsed"
    for path in ("/community/", f"/community/{world.open_slug}",
                 f"/community/questions/{world.open_question}", "/community/ask"):
        assert client.get(path).status_code == (403 if lapsed else 200), (reader, path)
    may_elite = reader in ELITE_SPACE_READERS
    for path in (f"/community/{world.elite_slug}",
                 f"/community/questions/{world.elite_question}"):
        page = client.get(path)
        assert page.status_code == (200 if may_elite else 403), (reader, path)
        if not may_elite:
            assert "Preview build upgrade fails" not in page.get_data(as_text=True)
    if lapsed:
        assert "support term ended" in client.get("/community/").get_data(as_text=True)


@pytest.mark.parametrize("reader", READERS)
def test_api_lists_only_readable_questions_and_refuses_as_the_contract_says(
        client, world, token_for, reader):
    headers = token_for(reader)
    listed = client.get("/api/v1/community/questions", headers=headers)
    if reader == "lapsed":
        assert listed.status_code == 403
        assert listed.json["reason"] == "term_lapsed" and listed.json["feature"] == "community"
        return
    assert listed.status_code == 200
    ids = {question["id"] for question in listed.json}
    assert world.open_question in ids
    assert (world.elite_question in ids) is (reader in ELITE_SPACE_READERS)
    one = client.get(f"/api/v1/community/questions/{world.elite_question}", headers=headers)
    if reader in ELITE_SPACE_READERS:
        assert one.status_code == 200 and one.json["title"] == "Preview build upgrade fails"
    else:
        assert one.status_code == 403
        assert one.json == {"error": "This question is available on Elite.", "reason": "plan",
                            "feature": "community", "required_plan": "elite"}


@pytest.mark.parametrize("reader", ("xtreme", "premium"))
def test_below_elite_nobody_asks_or_answers_in_the_elite_space(client, world, token_for,
                                                               reader):
    headers = token_for(reader)
    asked = client.post("/api/v1/community/questions", headers=headers, json={
        "space": world.elite_slug, "title": "Can I sneak in here?", "body": "Hello"})
    assert asked.status_code == 403 and asked.json["required_plan"] == "elite"
    answered = client.post(f"/api/v1/community/questions/{world.elite_question}/answers",
                           headers=headers, json={"body": "Me too"})
    assert answered.status_code == 403


def test_the_spaces_list_names_a_locked_space_with_the_plan_it_needs(world, signed_in):
    page = signed_in("premium").client.get("/community/").get_data(as_text=True)
    assert "Early adopters" in page and "Available on Elite." in page
    assert f'href="/community/{world.elite_slug}"' not in page


def test_raising_a_space_s_plan_locks_its_questions_at_once(app, world, token_for, client):
    from sqlalchemy import select

    from kb import db
    from kb.community import spaces
    from kb.community.models import Space

    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.slug == world.open_slug))
        spaces.set_min_plan(None, space, "premium")
    xtreme, premium = token_for("xtreme"), token_for("premium")
    path = f"/api/v1/community/questions/{world.open_question}"
    assert client.get(path, headers=xtreme).status_code == 403
    assert client.get(path, headers=premium).status_code == 200
    found = client.get("/api/v1/search", query_string={"q": "posting job stuck"},
                       headers=xtreme).json
    assert all(hit["type"] != "question" for hit in found["results"])
