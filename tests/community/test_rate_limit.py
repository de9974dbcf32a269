"""Rate limits against spam: a customer posts a few questions and answers at once, then gets
a clear 429 (API, with Retry-After) or form error, and nothing of the refused post is kept.
Staff are not limited."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from kb import db
from kb.community.limits import POSTS
from kb.community.models import Answer, Question


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def test_the_post_after_the_free_ones_waits_and_nothing_is_kept(app, client, world,
                                                                token_for):
    headers = token_for("premium")
    for number in range(POSTS.free):
        posted = client.post(f"/api/v1/community/questions/{world.open_question}/answers",
                             headers=headers, json={"body": f"Answer number {number}"})
        assert posted.status_code == 201, number
    before = (_count(app, Question), _count(app, Answer))
    refused = client.post("/api/v1/community/questions", headers=headers, json={
        "space": world.open_slug, "title": "One post too many", "body": "spam?"})
    assert refused.status_code == 429
    # 30 s from the tenth post, less what a slow machine took since
    seconds = int(refused.headers["Retry-After"])
    assert 20 <= seconds <= 30 and f"wait {seconds} seconds" in refused.json["error"]
    assert (_count(app, Question), _count(app, Answer)) == before


def test_the_form_says_so_and_keeps_what_was_typed(world, signed_in):
    premium = signed_in("premium")
    for number in range(POSTS.free):
        premium.post(f"/community/questions/{world.open_question}/answers",
                     {"body": f"Answer number {number}"})
    refused = premium.post(f"/community/questions/{world.open_question}/answers",
                           {"body": "The text I typed"})
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert re.search(r"please wait (2\d|30) seconds before posting again", html)
    assert "The text I typed" in html


def test_a_refused_post_is_not_counted(world, client, token_for):
    headers = token_for("premium")
    for _ in range(POSTS.free + 3):
        bad = client.post("/api/v1/community/questions", headers=headers, json={
            "space": world.open_slug, "title": "short", "body": "x"})
        assert bad.status_code == 422
    ok = client.post("/api/v1/community/questions", headers=headers, json={
        "space": world.open_slug, "title": "A good question at last", "body": "Details."})
    assert ok.status_code == 201


def test_staff_are_not_limited(world, client, token_for):
    headers = token_for("staff")
    for number in range(POSTS.free + 2):
        posted = client.post(f"/api/v1/community/questions/{world.open_question}/answers",
                             headers=headers, json={"body": f"Staff answer {number}"})
        assert posted.status_code == 201
