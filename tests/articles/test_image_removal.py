"""Removing an article's image is confirmed first, without a script: the editor's "Remove"
leads to a page that says what removing does, and only its button removes the image; a
removal sent without that confirmation removes nothing."""

from __future__ import annotations

import re

from sqlalchemy import select

from kb import db
from kb.articles.models import ArticleImage
from tests.articles import web_fixtures
from tests.articles.test_images import JSON, article_with_image, fetch, image_count
from tests.conftest import csrf_token

write_article = web_fixtures.write_article
article_state = web_fixtures.article_state
__all__ = ["article_with_image"]  # a fixture of these tests


def _image_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(ArticleImage.id))


def test_the_editor_asks_before_an_image_is_removed(app, auth, article_with_image,
                                                    article_state):
    slug, address = article_with_image()
    article_id, image_id = article_state(slug)["id"], _image_id(app)
    removal = f"/staff/articles/{article_id}/images/{image_id}/remove"
    auth.login("staff@demo.test")

    editor = auth.client.get(f"/staff/articles/{article_id}/edit").get_data(as_text=True)
    assert f'href="{removal}"' in editor
    plain_forms = re.findall(rf'<form[^>]*action="{removal}"[^>]*>.*?</form>', editor, re.S)
    assert all('name="confirm" value="yes"' in form for form in plain_forms)

    page = auth.client.get(removal)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Remove flow.png?" in text
    assert "The saved text shows it 1 time" in text and "alt text" in text
    assert 'name="confirm" value="yes"' in text
    assert f'href="/staff/articles/{article_id}/edit#images"' in text  # keep the image
    assert image_count(app) == 1 and fetch(auth, address).status_code == 200


def test_a_removal_without_the_confirmation_removes_nothing(app, auth, article_with_image,
                                                            article_state):
    slug, _ = article_with_image()
    article_id, image_id = article_state(slug)["id"], _image_id(app)
    removal = f"/staff/articles/{article_id}/images/{image_id}/remove"
    auth.login("staff@demo.test")

    unconfirmed = auth.post(removal)
    assert unconfirmed.status_code == 303 and unconfirmed.headers["Location"] == removal
    refused = auth.post(removal, headers=JSON)
    assert refused.status_code == 422 and "Confirm" in refused.get_json()["error"]
    assert image_count(app) == 1

    confirmed = auth.client.post(removal, data={
        "confirm": "yes", "csrf_token": csrf_token(auth.client, removal)})
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith(f"/staff/articles/{article_id}/edit#images")
    assert image_count(app) == 0
    assert "flow.png has been removed" in auth.client.get(
        confirmed.headers["Location"]).get_data(as_text=True)


def test_customers_cannot_reach_the_confirmation(app, auth, article_with_image, article_state):
    slug, _ = article_with_image()
    auth.login("elite@demo.test")
    page = auth.client.get(f"/staff/articles/{article_state(slug)['id']}/images/"
                           f"{_image_id(app)}/remove")
    assert page.status_code == 403
