"""Two customers ask for the same topic at the same moment, each through the API in a thread
of its own (its own connection and transaction). Both pass the look-up for an open request of
the topic before either inserts (held at the insert until both are there), so only the unique
key on open requests can keep them to one: the first request is made, the second is answered
as a duplicate asked a moment later is, 409 naming the request to vote for."""

from __future__ import annotations

import threading

from sqlalchemy import event, func, select

from kb import db
from kb.sessions.models import TopicRequest, TopicVote
from tests.conftest import bearer

TITLE = "Intercompany eliminations at month end"


def _ask_at_once(app, tokens: dict[str, str], product: str) -> dict[str, object]:
    at_insert = threading.Barrier(len(tokens), timeout=60)
    answers: dict[str, object] = {}

    def hold_until_both_insert(_mapper, _connection, topic) -> None:
        if threading.current_thread().name in tokens and topic.title == TITLE:
            at_insert.wait()

    def ask(email: str) -> None:
        try:
            response = app.test_client().post(
                "/api/v1/topics", headers=bearer(tokens[email]),
                json={"title": TITLE, "details": f"Asked by {email}", "product": product})
            answers[email] = (response.status_code, response.json)
        except BaseException as failure:  # noqa: BLE001 - reported by the test
            answers[email] = failure

    event.listen(TopicRequest, "before_insert", hold_until_both_insert)
    try:
        threads = [threading.Thread(target=ask, args=(email,), name=email) for email in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        event.remove(TopicRequest, "before_insert", hold_until_both_insert)
    return answers


def _race(app, api_token, product: str) -> None:
    emails = ("premium@demo.test", "elite@demo.test")
    answers = _ask_at_once(app, {email: api_token(email) for email in emails}, product)
    statuses = sorted(answer[0] for answer in answers.values())
    assert statuses == [201, 409], answers
    made = next(body for status, body in answers.values() if status == 201)
    refused = next(body for status, body in answers.values() if status == 409)
    assert refused["id"] == made["id"] and refused["url"] == made["url"]
    assert "already been requested" in refused["error"]
    with app.app_context():
        assert db.session.scalar(select(func.count(TopicRequest.id)).where(
            TopicRequest.title == TITLE)) == 1
        assert db.session.scalar(select(func.count(TopicVote.id)).where(
            TopicVote.topic_id == made["id"])) == 1  # the requester's own


def test_two_customers_asking_for_one_topic_at_once_make_one_request(app, demo_accounts,
                                                                     api_token):
    _race(app, api_token, "Orbit ERP")


def test_the_same_holds_for_a_topic_naming_no_product(app, demo_accounts, api_token):
    _race(app, api_token, "")
