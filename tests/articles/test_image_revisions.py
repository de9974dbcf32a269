"""A revision records the images the article was saved with: restoring it brings back an image
removed since (and an image's bytes replaced since), keeps the images added since, and the
stored files a revision names stay through `kb storage check --remove-unreferenced` and are
among the files `kb migrate-data` copies."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles import service
from kb.articles.models import (
    IMAGE_FACTS,
    Article,
    ArticleImage,
    ArticleRevision,
    ArticleRevisionImage,
    ImageFacts,
)
from kb.articles.revisions import fields_of_revision
from kb.storage import FILES, file_store
from kb.transfer.references import referenced_keys
from tests.articles import web_fixtures
from tests.articles.image_samples import png
from tests.articles.test_images import JSON, fetch, upload

write_article = web_fixtures.write_article
article_state = web_fixtures.article_state
BODY = "The queue: ![The queue](images/queue.png)"


def save_edit(app, slug: str, body: str) -> None:
    """Save the article with a new body, as the editor does: its next revision."""
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        fields = fields_of_revision(article_revisions(article)[-1])
        fields.body = body
        service.update_article(user_by_email("staff@demo.test"), article, fields)


def article_revisions(article):
    return list(db.session.scalars(select(ArticleRevision).where(
        ArticleRevision.article_id == article.id).order_by(ArticleRevision.number)))


def image_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ArticleImage.id).where(ArticleImage.name == name))


def remove(auth, article_id: int, image: int):
    return auth.post(f"/staff/articles/{article_id}/images/{image}/remove", {"confirm": "yes"},
                     headers=JSON)


def restore(auth, article_id: int, number: int) -> str:
    answer = auth.post(f"/staff/articles/{article_id}/revisions/{number}/restore")
    assert answer.status_code == 302
    return auth.client.get(answer.location).get_data(as_text=True)


def test_restoring_a_revision_brings_back_an_image_removed_since(
        app, auth, write_article, article_state):
    slug = write_article("Queue", "No picture yet.")  # revision 1
    article_id = article_state(slug)["id"]
    auth.login("staff@demo.test")
    assert upload(auth, article_id, "queue.png", png(30, 10), JSON).status_code == 200
    save_edit(app, slug, BODY)  # revision 2, with queue.png
    assert remove(auth, article_id, image_id(app, "queue.png")).status_code == 200
    save_edit(app, slug, "The queue, without its picture.")  # revision 3
    history = restore(auth, article_id, 2)
    assert "Revision 2 has been restored as a new revision. Images brought back: queue.png." \
        in history
    page = auth.client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "missing image" not in page and 'width="30" height="10"' in page
    assert fetch(auth, f"/articles/{slug}/images/queue.png").data == png(30, 10)
    assert [number for number, *_ in article_state(slug)["revisions"]] == [1, 2, 3, 4]


def test_restoring_gives_back_old_bytes_and_keeps_images_added_since(
        app, auth, write_article, article_state):
    slug = write_article("Queue", BODY)
    article_id = article_state(slug)["id"]
    auth.login("staff@demo.test")
    upload(auth, article_id, "queue.png", png(30, 10), JSON)
    save_edit(app, slug, BODY + " (first picture)")  # revision 2
    upload(auth, article_id, "queue.png", png(8, 8, shade=90), JSON)  # replaced
    upload(auth, article_id, "chart.png", png(12, 12), JSON)  # added
    save_edit(app, slug, BODY + " ![A chart](images/chart.png)")  # revision 3
    restore(auth, article_id, 2)
    assert fetch(auth, f"/articles/{slug}/images/queue.png").data == png(30, 10)
    assert fetch(auth, f"/articles/{slug}/images/chart.png").data == png(12, 12)
    restore(auth, article_id, 3)  # and forward again
    assert fetch(auth, f"/articles/{slug}/images/queue.png").data == png(8, 8, shade=90)


def test_a_revisions_images_stay_stored_and_are_copied(app, runner, auth, write_article,
                                                       article_state):
    slug = write_article("Queue", "Text")
    article_id = article_state(slug)["id"]
    auth.login("staff@demo.test")
    upload(auth, article_id, "queue.png", png(30, 10), JSON)
    save_edit(app, slug, BODY)
    with app.app_context():
        key = db.session.scalar(select(ArticleImage.storage_key))
    remove(auth, article_id, image_id(app, "queue.png"))
    result = runner.invoke(args=["storage", "check", "--remove-unreferenced"])
    assert result.exit_code == 0, result.output
    assert "files: 1 file(s) named by the database, 0 missing; 0 stored" in result.output
    with app.app_context():
        assert file_store().exists(key)
        assert key in referenced_keys(FILES)  # what `kb migrate-data` copies
    assert "Images brought back: queue.png." in restore(auth, article_id, 2)


def test_an_image_whose_file_is_gone_is_named_and_the_rest_restored(
        app, auth, write_article, article_state):
    slug = write_article("Queue", "Text")
    article_id = article_state(slug)["id"]
    auth.login("staff@demo.test")
    upload(auth, article_id, "queue.png", png(30, 10), JSON)
    save_edit(app, slug, BODY)
    with app.app_context():
        key = db.session.scalar(select(ArticleImage.storage_key))
    remove(auth, article_id, image_id(app, "queue.png"))
    save_edit(app, slug, "Other text")
    with app.app_context():
        file_store().delete(key)  # as a storage check did before revisions named images
    history = restore(auth, article_id, 2)
    assert "Images no longer stored, shown as missing: queue.png." in history
    assert article_state(slug)["body"] == BODY
    assert image_id(app, "queue.png") is None


def test_an_image_and_the_copy_a_revision_keeps_take_their_facts_from_one_definition():
    """A fact added to images is held, and copied, by revisions too (the schema stays as the
    migrations made it: tests/test_migrations.py compares it)."""
    assert issubclass(ArticleImage, ImageFacts) and issubclass(ArticleRevisionImage, ImageFacts)
    assert IMAGE_FACTS == ("name", "content_type", "size", "sha256", "storage_key", "width",
                           "height")
    shared = ({column.name for column in ArticleImage.__table__.columns}
              & {column.name for column in ArticleRevisionImage.__table__.columns})
    assert shared - {"id"} == set(IMAGE_FACTS)
    for fact in IMAGE_FACTS:
        image, kept = ArticleImage.__table__.c[fact], ArticleRevisionImage.__table__.c[fact]
        assert (repr(image.type), image.nullable) == (repr(kept.type), kept.nullable), fact
