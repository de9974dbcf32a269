"""Following a question: followers hear of new answers and of the accepted answer through the
alerts path (notification centre and e-mail outbox), the author of the answer does not, and a
follower who may no longer read the question is not told."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.alerts.models import OutboxEmail
from tests.community.conftest import answer


def _kinds(client, headers) -> list[str]:
    return [n["kind"] for n in client.get("/api/v1/notifications", headers=headers).json]


def test_the_asker_hears_of_answers_and_followers_too(app, client, world, signed_in,
                                                      token_for):
    # the asker (xtreme) follows their question; staff answered in the fixture
    assert "community.answer" in _kinds(client, token_for("xtreme"))
    assert "community.answer" not in _kinds(client, token_for("staff"))
    assert signed_in("premium").post(
        f"/community/questions/{world.open_question}/follow").status_code == 302
    answer(app, "elite@demo.test", world.open_question, "Another way: clear the queue.")
    told = client.get("/api/v1/notifications", headers=token_for("premium")).json
    assert told[0]["kind"] == "community.answer"
    assert told[0]["url"].startswith(f"/community/questions/{world.open_question}#answer-")
    assert "community.answer" not in _kinds(client, token_for("elite"))  # their own answer
    with app.app_context():
        mail = db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.recipient == "premium@demo.test")).all()
        assert any("Another way: clear the queue." in message.body for message in mail)


def test_unfollowing_stops_the_notices(app, client, world, signed_in, token_for):
    premium = signed_in("premium")
    premium.post(f"/community/questions/{world.open_question}/follow")
    premium.post(f"/community/questions/{world.open_question}/unfollow")
    answer(app, "elite@demo.test", world.open_question, "Yet another answer.")
    assert "community.answer" not in _kinds(client, token_for("premium"))


def test_accepting_tells_the_followers(client, world, signed_in, token_for):
    signed_in("premium").post(f"/community/questions/{world.open_question}/follow")
    client.put(f"/api/v1/community/questions/{world.open_question}/accepted-answer",
               headers=token_for("xtreme"), json={"answer_id": world.answer})
    assert "community.solved" in _kinds(client, token_for("premium"))
    assert "community.solved" not in _kinds(client, token_for("xtreme"))  # they accepted


def test_a_follower_who_lost_access_is_not_told(app, client, world, signed_in, token_for):
    from kb.accounts.models import Organization
    from kb.accounts.queries import user_by_email

    signed_in("elite").post(f"/community/questions/{world.elite_question}/follow")
    with app.app_context():
        organization = db.session.get(Organization, user_by_email("elite@demo.test")
                                      .organization_id)
        organization.plan = "premium"
        db.session.commit()
    answer(app, "staff@demo.test", world.elite_question, "The preview log goes here.")
    assert "community.answer" not in _kinds(client, token_for("elite"))
