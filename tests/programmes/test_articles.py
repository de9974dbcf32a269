"""Articles kept to a programme: a question of the members' space turned into an article stays
the programme's, and staff keep any of the product's articles to it or open one to everyone.
While kept, only members read it (page, API, search, the programme's page), told on the page to
keep it inside their organisation; everyone else meets it as an unknown article, and staff's
pages say whose it is."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.articles.models import Article
from kb.community import service as community
from kb.community.models import Question
from tests.programmes.conftest import apply_and_accept, open_programme
from tests.web import csrf_token

ANSWER_WORD = "wombatworkaround"


def _solved_and_converted(app, world, staff) -> str:
    """Staff answer the members' question, accept it and turn it into an article through the
    page, then publish it from the editor; the article's slug."""
    with app.app_context():
        question = db.session.get(Question, world.question)
        helper = user_by_email("staff@demo.test")
        answer = community.answer(helper, question, f"Set the {ANSWER_WORD} flag first.")
        community.accept(helper, question, answer)
    converted = staff.post(f"/community/questions/{world.question}/convert")
    assert converted.status_code == 302
    with app.app_context():
        article = db.session.get(Question, world.question).article
        article_id, slug = article.id, article.slug
        assert article.programme_id == world.programme and article.status == "draft"
    assert staff.post(f"/staff/articles/{article_id}/publish").status_code == 302
    return slug


def _reads(client, auth, headers, slug: str) -> dict[str, bool]:
    found = client.get("/api/v1/search", query_string={"q": ANSWER_WORD}, headers=headers).json
    return {
        "page": auth.client.get(f"/articles/{slug}").status_code == 200,
        "api": client.get(f"/api/v1/articles/{slug}", headers=headers).status_code == 200,
        "search": any(result["url"].endswith(f"/articles/{slug}")
                      for result in found["results"]),
        "locked": ANSWER_WORD in str(found.get("locked")) or slug in str(found.get("locked")),
    }


def test_a_members_question_becomes_an_article_only_members_read(
        app, client, world, signed_in, token_for):
    staff = signed_in("staff")
    slug = _solved_and_converted(app, world, staff)
    elite, headers = signed_in("elite"), token_for("elite")
    assert not any(_reads(client, elite, headers, slug).values())
    real = client.get(f"/api/v1/articles/{slug}", headers=headers)
    unknown = client.get("/api/v1/articles/no-such-article", headers=headers)
    assert (real.status_code, real.json) == (unknown.status_code, unknown.json)

    apply_and_accept(app, world)
    assert _reads(client, elite, headers, slug) == {
        "page": True, "api": True, "search": True, "locked": False}
    programme_page = elite.client.get(f"/programmes/{world.programme}").get_data(as_text=True)
    assert f'href="/articles/{slug}"' in programme_page
    assert "kept-to-programme" in elite.client.get(f"/articles/{slug}").get_data(as_text=True)
    printed = elite.client.get(f"/articles/{slug}?print=1").get_data(as_text=True)
    assert "Keep it inside your organisation." in printed
    patch_page = elite.client.get(f"/patches/{world.patch}").get_data(as_text=True)
    assert "only the members of" in patch_page and "Orbit ERP 13 early access" in patch_page

    for reader in ("xtreme", "premium"):
        assert not any(_reads(client, signed_in(reader), token_for(reader), slug).values())
    editor = staff.client.get(f"/staff/programmes/{world.programme}").get_data(as_text=True)
    assert 'id="articles"' in editor and "Open to everyone" in editor


def test_opening_it_to_everyone_lets_every_elite_reader_in(app, client, world, signed_in,
                                                          token_for):
    staff = signed_in("staff")
    slug = _solved_and_converted(app, world, staff)
    with app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == slug))
    editor = staff.client.get(f"/staff/articles/{article_id}/edit").get_data(as_text=True)
    assert 'id="kept-to-programme"' in editor and "Orbit ERP 13 early access" in editor
    released = staff.post(f"/staff/programmes/{world.programme}/articles/{article_id}/release")
    assert released.status_code == 302 and released.headers["Location"].endswith("#articles")
    assert all(value for key, value in _reads(
        client, signed_in("elite"), token_for("elite"), slug).items() if key != "locked")
    assert not _reads(client, signed_in("premium"), token_for("premium"), slug)["page"]
    opened = signed_in("elite").client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "kept-to-programme" not in opened
    editor = staff.client.get(f"/staff/articles/{article_id}/edit").get_data(as_text=True)
    assert 'id="kept-to-programme"' not in editor


def test_staff_keep_a_product_article_to_the_programme_through_its_page(
        app, client, world, signed_in, token_for):
    with app.app_context():
        staff_user = user_by_email("staff@demo.test")
        article = articles.create_article(staff_user, ArticleFields(
            title="Orbit ERP 13 preview: what changes", body=f"The {ANSWER_WORD} is new.",
            products=["Orbit ERP"], status="published"))
        slug, article_id = article.slug, article.id
    premium, premium_headers = signed_in("premium"), token_for("premium")
    assert _reads(client, premium, premium_headers, slug)["api"]

    staff = signed_in("staff")
    page = staff.client.get(f"/staff/programmes/{world.programme}").get_data(as_text=True)
    assert f'value="{article_id}"' in page
    token = csrf_token(staff.client, f"/staff/programmes/{world.programme}")
    kept = staff.client.post(f"/staff/programmes/{world.programme}/articles", data={
        "article-item": str(article_id), "article-csrf_token": token})
    assert kept.status_code == 302 and kept.headers["Location"].endswith("#articles")
    assert not any(_reads(client, premium, premium_headers, slug).values())
    apply_and_accept(app, world)
    assert _reads(client, signed_in("elite"), token_for("elite"), slug)["api"]

    with app.app_context():  # another programme of the product may not take it
        other = open_programme(user_by_email("staff@demo.test"), title="Orbit ERP 14 preview")
        other_id = other.id
    taken = staff.post(f"/staff/programmes/{other_id}/articles/{article_id}/release")
    assert taken.status_code == 409
    with app.app_context():
        assert db.session.get(Article, article_id).programme_id == world.programme


def test_keeping_needs_a_choice_and_an_existing_article(world, signed_in):
    staff = signed_in("staff")
    token = csrf_token(staff.client, f"/staff/programmes/{world.programme}")
    empty = staff.client.post(f"/staff/programmes/{world.programme}/articles",
                              data={"article-item": "", "article-csrf_token": token})
    assert empty.status_code == 422
    unknown = staff.post(f"/staff/programmes/{world.programme}/articles/999999/release")
    assert unknown.status_code == 404
