"""The account page and the feeds page date a token in the reader's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from kb import db
from kb.accounts.models import ApiToken, User

MADE = datetime(2030, 3, 4, 22, 30, tzinfo=UTC)  # 07:30 the next morning in Tokyo


def test_token_times_show_in_the_readers_zone(app, client, auth, customer_on, api_token):
    email = customer_on("premium")
    api_token(email)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.time_zone = "Asia/Tokyo"
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        token.created_at = token.last_used_at = MADE
        token.expires_at = MADE.replace(year=2031)
        db.session.commit()
    auth.login(email)
    text = client.get("/account").get_data(as_text=True)
    assert text.count("2030-03-05 07:30 JST") == 2 and "2031-03-05 07:30 JST" in text
    assert "22:30 UTC" not in text
