"""Votes on answers: up or down, one per user (changed or taken back, never doubled), never on
one's own answer, not on a locked question or a hidden answer."""

from __future__ import annotations

from tests.community.conftest import answer


def _vote(client, headers, answer_id, value):
    return client.put(f"/api/v1/community/answers/{answer_id}/vote", headers=headers,
                      json={"value": value})


def test_one_vote_per_user_up_down_changed_and_taken_back(client, world, token_for):
    premium, elite = token_for("premium"), token_for("elite")
    assert _vote(client, premium, world.answer, 1).json["score"] == 1
    assert _vote(client, premium, world.answer, 1).json["score"] == 1  # not twice
    assert _vote(client, elite, world.answer, 1).json["score"] == 2
    assert _vote(client, premium, world.answer, -1).json["score"] == 0  # changed
    assert _vote(client, premium, world.answer, 0).json["score"] == 1  # taken back
    question = client.get(f"/api/v1/community/questions/{world.open_question}",
                          headers=premium).json
    assert question["answer_list"][0]["score"] == 1


def test_a_page_vote_shows_as_chosen_and_a_second_click_takes_it_back(world, signed_in):
    premium = signed_in("premium")
    voted = premium.post(f"/community/answers/{world.answer}/vote", {"value": "1"})
    assert voted.status_code == 302
    page = premium.client.get(f"/community/questions/{world.open_question}")
    html = page.get_data(as_text=True)
    assert 'aria-pressed="true" aria-label="This answer helps (vote up)"' in html
    assert 'aria-label="Score 1"' in html
    premium.post(f"/community/answers/{world.answer}/vote", {"value": "0"})
    html = premium.client.get(f"/community/questions/{world.open_question}").get_data(
        as_text=True)
    assert 'aria-label="Score 0"' in html


def test_nobody_votes_on_their_own_answer(app, client, world, token_for):
    own = answer(app, "premium@demo.test", world.open_question, "My own idea.")
    refused = _vote(client, token_for("premium"), own, 1)
    assert refused.status_code == 409 and "own answer" in refused.json["error"]


def test_bad_values_are_refused_with_a_json_error(client, world, token_for):
    for value in (2, "1", True, None):
        refused = _vote(client, token_for("premium"), world.answer, value)
        assert refused.status_code == 422 and "error" in refused.json, value


def test_no_votes_on_a_locked_question_or_a_hidden_answer(app, client, world, token_for):
    from kb import db
    from kb.accounts.queries import user_by_email
    from kb.community import moderation
    from kb.community.models import Answer, Question

    with app.app_context():
        staff = user_by_email("staff@demo.test")
        moderation.set_locked(staff, db.session.get(Question, world.open_question), True)
    locked = _vote(client, token_for("premium"), world.answer, 1)
    assert locked.status_code == 409 and "locked" in locked.json["error"]
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        moderation.set_locked(staff, db.session.get(Question, world.open_question), False)
        moderation.set_answer_hidden(staff, db.session.get(Answer, world.answer), True)
    hidden = _vote(client, token_for("premium"), world.answer, 1)
    assert hidden.status_code == 404
