"""An open topic request is not asked for twice: the same title (case and spaces ignored) for
the same product (a request naming none matches any, but one on no product does not block a
request for a product) is refused, on the page with a link and a vote for the existing
request, in the API with 409 naming it; the suggestions while typing put such a request first.
Two customers asking at the same moment make one request (a unique key on the open request):
the second is answered as if they had asked a moment later."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from kb import db, search
from kb.accounts.queries import user_by_email
from kb.articles.models import Article
from kb.db import utcnow
from kb.sessions.models import TopicRequest
from kb.sessions.topics import service as topics
from tests.conftest import bearer

TITLE = "Year-end closing with several currencies"


def _ask(app, email, title, product=""):
    with app.app_context():
        return topics.request_topic(user_by_email(email), title, "", product).id


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(TopicRequest.id)))


def test_the_api_answers_409_naming_the_open_request_of_the_same_title(
        app, client, demo_accounts, api_token):
    token = bearer(api_token("elite@demo.test"))
    first = client.post("/api/v1/topics", headers=token,
                        json={"title": TITLE, "product": "Orbit ERP"})
    assert first.status_code == 201
    for title, product in ((TITLE, "Orbit ERP"), ("  year-END closing  with several CURRENCIES ",
                                                  "Orbit ERP"), (TITLE, "")):
        again = client.post("/api/v1/topics", headers=token,
                            json={"title": title, "product": product})
        assert again.status_code == 409 and again.is_json
        assert again.json["id"] == first.json["id"] and again.json["url"] == first.json["url"]
        assert "already been requested" in again.json["error"]
    assert _count(app) == 1
    other_product = client.post("/api/v1/topics", headers=token,
                                json={"title": TITLE, "product": "Orbit Analytics"})
    assert other_product.status_code == 201


def test_a_request_on_no_product_does_not_block_one_for_a_product(app, client, demo_accounts,
                                                                   api_token):
    token = bearer(api_token("elite@demo.test"))

    def ask(product: str):
        return client.post("/api/v1/topics", headers=token,
                           json={"title": TITLE, "product": product})

    general = ask("")
    on_erp = ask("Orbit ERP")
    assert general.status_code == on_erp.status_code == 201
    assert ask("Orbit Analytics").status_code == 201
    # asked again: each joins its own, the one naming no product the request on none
    assert [(again.status_code, again.json["id"]) for again in (ask(""), ask("Orbit ERP"))] == [
        (409, general.json["id"]), (409, on_erp.json["id"])]
    assert _count(app) == 3


def test_a_closed_request_of_the_same_title_may_be_asked_again(app, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", TITLE)
    with app.app_context():
        topics.change_status(user_by_email("staff@demo.test"), db.session.get(
            TopicRequest, topic_id), "declined", reason="Covered by the manual.")
    assert _ask(app, "elite@demo.test", TITLE) != topic_id


def test_the_page_shows_the_existing_request_to_vote_for_keeping_what_was_typed(
        app, client, auth, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", TITLE, "Orbit ERP")
    auth.login("elite@demo.test")
    response = auth.post("/sessions/topics/new", {
        "title": TITLE.upper(), "details": "Three companies, EUR and CHF.",
        "product": "Orbit ERP"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This topic has already been requested:" in html
    assert f'<a href="/sessions/topics/{topic_id}">{TITLE}</a>' in html
    assert f'action="/sessions/topics/{topic_id}/vote"' in html
    assert f'value="{TITLE.upper()}"' in html and "Three companies, EUR and CHF." in html
    assert _count(app) == 1
    voted = client.post(f"/sessions/topics/{topic_id}/vote",
                        data={"csrf_token": _token(html)})
    assert voted.status_code == 302
    assert "You have voted for it already." in auth.post("/sessions/topics/new", {
        "title": TITLE, "product": "Orbit ERP"}).get_data(as_text=True)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_an_exact_title_comes_first_in_the_suggestions(app, client, auth, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", TITLE)
    with app.app_context():
        article = Article(slug="year-end-closing", title="Year-end closing checklist",
                          status="published", min_plan="xtreme", published_at=utcnow())
        db.session.add(article)
        db.session.flush()
        search.record_change("article", article.id)
        db.session.commit()
    auth.login("xtreme@demo.test")
    found = client.get("/sessions/topics/suggest", query_string={
        "q": "year-end closing with SEVERAL currencies"}).json
    # the page's script lists "exact" first (JSON keys have no order)
    assert set(found) == {"exact", "recordings", "articles", "topics"}
    assert found["exact"] == [{"title": TITLE, "url": f"/sessions/topics/{topic_id}"}]
    assert [a["title"] for a in found["articles"]] == ["Year-end closing checklist"]
    assert found["topics"] == []  # not twice
    assert client.get("/sessions/topics/suggest?q=year-end+closing").json["exact"] == []
