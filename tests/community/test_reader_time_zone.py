"""Community times read in the reader's own time zone, as every other page's do."""

from __future__ import annotations

from datetime import UTC, datetime

from kb import db
from kb.accounts.queries import user_by_email
from kb.community.models import Answer, Question

ASKED = datetime(2030, 3, 4, 22, 30, tzinfo=UTC)  # 07:30 the next morning in Tokyo


def _in_tokyo(app, world) -> None:
    with app.app_context():
        user_by_email("premium@demo.test").time_zone = "Asia/Tokyo"
        db.session.get(Question, world.open_question).created_at = ASKED
        db.session.get(Answer, world.answer).created_at = ASKED
        db.session.commit()


def test_question_and_answer_times_show_in_the_readers_zone(app, world, signed_in):
    _in_tokyo(app, world)
    page = signed_in("premium").client.get(f"/community/questions/{world.open_question}")
    text = page.get_data(as_text=True)
    assert text.count("2030-03-05 07:30 JST") == 2
    assert "22:30 UTC" not in text


def test_question_lists_date_the_question_in_the_readers_zone(app, world, signed_in):
    _in_tokyo(app, world)
    page = signed_in("premium").client.get(f"/community/{world.open_slug}")
    text = page.get_data(as_text=True)
    assert "2030-03-05</time>" in text and "2030-03-04</time>" not in text
