"""The community page's own search: its box (and a link to /community/?q=) searches the
community's questions through the portal's search, as far as the reader may read them; an
article with the same words is not among them."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields


def test_the_community_page_has_a_search_box_for_readers_who_may_search(world, signed_in):
    page = signed_in("premium").client.get("/community/").text
    assert 'id="community-search"' in page and 'name="q"' in page


def test_a_community_search_finds_questions_only(app, world, signed_in):
    with app.app_context():
        articles.create_article(user_by_email("staff@demo.test"), ArticleFields(
            title="Posting job stuck: what to check", body="Check the posting queue."))
        db.session.commit()
    reader = signed_in("premium").client
    asked = reader.get("/community/?q=posting job stuck")

    assert asked.status_code == 302
    target = urlsplit(asked.headers["Location"])
    assert target.path == "/search"
    assert parse_qs(target.query) == {"q": ["posting job stuck"], "type": ["question"]}
    results = reader.get(asked.headers["Location"]).text
    assert f"/community/questions/{world.open_question}" in results
    assert "Posting job stuck: what to check" not in results


def test_a_community_search_never_shows_a_space_above_the_plan(world, signed_in):
    for reader, shown in (("xtreme", False), ("elite", True)):
        client = signed_in(reader).client
        results = client.get("/community/?q=preview build upgrade", follow_redirects=True).text
        assert (f"/community/questions/{world.elite_question}" in results) is shown, reader


def test_an_empty_search_shows_the_community_page(world, signed_in):
    assert signed_in("premium").client.get("/community/?q=+").status_code == 200
