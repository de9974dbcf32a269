"""Following an article or release note: a reader follows it from its page, staff say when a
change matters, and only then are the followers who may still read it told (in the portal and
by e-mail, as their settings say), once per revision, with the revision note."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts.models import OutboxEmail
from kb.articles.reader_models import ArticleFollow
from kb.notifications import Notification
from tests.a11y import described_by, problems, refused_summary
from tests.articles import web_fixtures
from tests.articles.test_publishing import editor_data
from tests.conftest import csrf_token
from tests.web import Auth

article_state = web_fixtures.article_state  # a fixture shared by the article tests
write_article = web_fixtures.write_article  # a fixture shared by the article tests


def reader(app, email: str) -> Auth:
    browser = Auth(app.test_client())
    browser.login(email)
    return browser


def press(browser: Auth, slug: str, article_id: int, action: str, **extra):
    return browser.client.post(f"/article-follows/{article_id}/{action}", data={
        "csrf_token": csrf_token(browser.client, f"/articles/{slug}"), **extra})


def edit(staff: Auth, article_id: int, **values):
    response = staff.client.post(f"/staff/articles/{article_id}/edit", data=editor_data(
        action="publish", csrf_token=csrf_token(staff.client, f"/staff/articles/{article_id}/edit"),
        **values))
    assert response.status_code == 302, response.get_data(as_text=True)


def told(app, email: str) -> dict[str, list[str]]:
    with app.app_context():
        user = user_by_email(email)
        return {"mail": list(db.session.scalars(select(OutboxEmail.body).where(
                    OutboxEmail.recipient == email, OutboxEmail.kind == "article"))),
                "portal": list(db.session.scalars(select(Notification.title).where(
                    Notification.user_id == user.id, Notification.kind == "article.updated")))}


@pytest.fixture
def staff(app, demo_accounts) -> Auth:
    return reader(app, "staff@demo.test")


def test_a_follower_is_told_of_a_change_that_matters_once_and_not_of_corrections(
        app, staff, write_article, article_state, customer_on):
    slug = write_article("Tune the ledger cache", "Old advice.", min_plan="premium")
    article_id = article_state(slug)["id"]
    follower, other = customer_on("premium"), customer_on("premium")
    browser = reader(app, follower)

    followed = press(browser, slug, article_id, "follow")
    assert followed.status_code == 302 and followed.headers["Location"] == f"/articles/{slug}"
    page = browser.client.get(f"/articles/{slug}").get_data(as_text=True)
    assert ">Following</span>" in page and "Stop following" in page
    assert ">Following</span>" not in reader(app, other).client.get(f"/articles/{slug}").get_data(
        as_text=True)
    press(browser, slug, article_id, "follow")  # twice changes nothing
    with app.app_context():
        assert db.session.query(ArticleFollow).count() == 1

    editor = staff.client.get(f"/staff/articles/{article_id}/edit").get_data(as_text=True)
    assert "Tell its 1 follower about this change" in editor
    edit(staff, article_id, title="Tune the ledger cache", body="Fixed a typo.",
         min_plan="premium", note="Typo")
    assert told(app, follower) == {"mail": [], "portal": []}

    unsaid = staff.client.post(f"/staff/articles/{article_id}/edit", data=editor_data(
        action="publish", title="Tune the ledger cache", body="New advice for 12.0.",
        min_plan="premium", tell_followers="y",
        csrf_token=csrf_token(staff.client, f"/staff/articles/{article_id}/edit")))
    assert unsaid.status_code == 422
    page = unsaid.get_data(as_text=True)
    assert "New advice for 12.0." in page
    tree, summary = refused_summary(unsaid, "article-problem")
    message = "Say in the revision note what changed: it is what the followers are told."
    assert problems(summary) == {"#note": f"Revision note: {message}"}
    assert described_by(tree, "note") == [message]
    assert article_state(slug)["body"] == "Fixed a typo."
    assert told(app, follower) == {"mail": [], "portal": []}
    edit(staff, article_id, title="Tune the ledger cache", body="New advice for 12.0.",
         min_plan="premium", note="The cache size advice changed for 12.0.", tell_followers="y")
    news = told(app, follower)
    assert news["portal"] == ["“Tune the ledger cache” was updated"]
    assert len(news["mail"]) == 1
    assert news["mail"][0].startswith("“Tune the ledger cache”, an article you follow, was "
                                      "updated.\n\nWhat changed: The cache size advice changed "
                                      "for 12.0.")
    assert f"/articles/{slug}" in news["mail"][0]
    assert told(app, other) == {"mail": [], "portal": []}


def test_who_may_no_longer_read_it_or_stopped_following_is_not_told(
        app, staff, write_article, article_state, customer_on):
    slug = write_article("Archive old journals", "Body", min_plan="premium")
    article_id = article_state(slug)["id"]
    downgraded, stopped, stays = (customer_on("premium") for _ in range(3))
    for email in (downgraded, stopped, stays):
        press(reader(app, email), slug, article_id, "follow")
    back = press(reader(app, stopped), slug, article_id, "unfollow")
    assert back.headers["Location"] == f"/articles/{slug}"
    with app.app_context():
        user_by_email(downgraded).organization.plan = "xtreme"
        db.session.commit()

    edit(staff, article_id, title="Archive old journals", body="Changed", min_plan="premium",
         note="Steps reordered", tell_followers="y")

    assert [len(told(app, email)["portal"]) for email in (downgraded, stopped, stays)] == [
        0, 0, 1]


def test_an_item_above_the_plan_cannot_be_followed(app, write_article, article_state,
                                                   customer_on):
    slug = write_article("Elite tuning", "Body", min_plan="elite")
    article_id = article_state(slug)["id"]
    browser = reader(app, customer_on("premium"))
    refused = browser.client.post(f"/article-follows/{article_id}/follow", data={
        "csrf_token": csrf_token(browser.client, "/articles/")})
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.query(ArticleFollow).count() == 0


def test_the_settings_page_lists_what_is_followed_and_stops_following_there(
        app, write_article, article_state, customer_on):
    slug = write_article("Rotate API keys", "Body")
    article_id = article_state(slug)["id"]
    browser = reader(app, customer_on("xtreme"))
    settings = browser.client.get("/notifications/settings").get_data(as_text=True)
    assert "Articles you follow" in settings and "None. Use <strong>Follow</strong>" in settings
    press(browser, slug, article_id, "follow")
    settings = browser.client.get("/notifications/settings").get_data(as_text=True)
    assert f'<a href="/articles/{slug}">Rotate API keys</a>' in settings

    back = press(browser, slug, article_id, "unfollow",
                 next="/notifications/settings#followed-articles")
    assert back.headers["Location"] == "/notifications/settings#followed-articles"
    assert f'href="/articles/{slug}"' not in browser.client.get(
        "/notifications/settings").get_data(as_text=True)
