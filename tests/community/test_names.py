"""Other organisations' users see a community author's name, never their e-mail address, also
when the author has no name: in the pages, the API and the e-mail about an answer."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.accounts.users import update_profile
from kb.alerts.models import OutboxEmail
from tests.community.conftest import answer, ask


def test_an_author_without_a_name_is_shown_by_member_number(app, world, signed_in, client,
                                                            token_for):
    with app.app_context():
        nameless = user_by_email("premium@demo.test")
        update_profile(nameless, "  ", "UTC")
        label = f"Member {nameless.id}"
    question = ask(app, "premium@demo.test", world.open_slug, "Year-end close in parallel")
    answer(app, "premium@demo.test", world.open_question, "We run it at night.")

    page = signed_in("xtreme").client.get(f"/community/questions/{question}")
    api = client.get(f"/api/v1/community/questions/{world.open_question}",
                     headers=token_for("xtreme")).json
    with app.app_context():
        told = db.session.scalars(select(OutboxEmail.body).where(
            OutboxEmail.recipient == "xtreme@demo.test")).all()

    assert label in page.get_data(as_text=True)
    assert "premium@demo.test" not in page.get_data(as_text=True)
    assert label in [item["author"] for item in api["answer_list"]]
    assert "premium@demo.test" not in str(api)
    assert any(f"{label} answered" in body for body in told)
    assert not any("premium@demo.test" in body for body in told)
