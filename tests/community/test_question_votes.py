"""Votes on questions: up or down, one per user (changed or taken back, never doubled), never on
one's own question, not on a locked or hidden one, not in a space above the plan; the page and
the API show the score."""

from __future__ import annotations

from kb import db
from kb.accounts.queries import user_by_email
from kb.community import moderation
from kb.community.models import Question


def _vote(client, headers, question_id, value):
    return client.put(f"/api/v1/community/questions/{question_id}/vote", headers=headers,
                      json={"value": value})


def test_one_vote_per_user_up_down_changed_and_taken_back(client, world, token_for):
    premium, elite = token_for("premium"), token_for("elite")
    assert _vote(client, premium, world.open_question, 1).json["score"] == 1
    assert _vote(client, premium, world.open_question, 1).json["score"] == 1  # not twice
    assert _vote(client, elite, world.open_question, 1).json["score"] == 2
    assert _vote(client, premium, world.open_question, -1).json["score"] == 0  # changed
    assert _vote(client, premium, world.open_question, 0).json["score"] == 1  # taken back
    shown = client.get(f"/api/v1/community/questions/{world.open_question}", headers=premium)
    assert shown.json["score"] == 1


def test_a_page_vote_shows_as_chosen_and_a_second_click_takes_it_back(world, signed_in):
    premium = signed_in("premium")
    address = f"/community/questions/{world.open_question}"
    assert premium.post(f"{address}/vote", {"value": "1"}).status_code == 302
    html = premium.client.get(address).get_data(as_text=True)
    assert 'aria-pressed="true" aria-label="This question is useful (vote up)"' in html
    assert 'aria-label="Question score 1"' in html
    premium.post(f"{address}/vote", {"value": "0"})
    assert 'aria-label="Question score 0"' in premium.client.get(address).get_data(as_text=True)
    assert premium.post(f"{address}/vote", {"value": "7"}).status_code == 422


def test_nobody_votes_on_their_own_question(client, world, token_for):
    refused = _vote(client, token_for("xtreme"), world.open_question, 1)  # xtreme asked it
    assert refused.status_code == 409 and "own question" in refused.json["error"]


def test_bad_values_are_refused_with_a_json_error(client, world, token_for):
    for value in (2, "1", True, None):
        refused = _vote(client, token_for("premium"), world.open_question, value)
        assert refused.status_code == 422 and "error" in refused.json, value


def test_no_votes_on_a_locked_or_hidden_question_nor_above_the_plan(app, client, world,
                                                                   token_for):
    premium = token_for("premium")
    assert _vote(client, premium, world.elite_question, 1).status_code == 403
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        moderation.set_locked(staff, db.session.get(Question, world.open_question), True)
    assert _vote(client, premium, world.open_question, 1).status_code == 409
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        question = db.session.get(Question, world.open_question)
        moderation.set_locked(staff, question, False)
        moderation.set_question_hidden(staff, question, True)
    assert _vote(client, premium, world.open_question, 1).status_code == 404
    assert _vote(client, token_for("staff"), world.open_question, 1).status_code == 409
