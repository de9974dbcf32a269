"""Article images: staff upload them in the editor (PNG, JPEG, GIF, WebP told by their bytes;
SVG, pages in disguise and oversized files refused), readers get them only as they get the
article, with headers that keep the bytes an image, and ``images/<name>`` in the Markdown
shows them."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from kb import db
from kb.articles.image_html import with_images
from kb.articles.models import ArticleImage
from tests.articles import image_samples, web_fixtures
from tests.articles.image_samples import png

write_article = web_fixtures.write_article
article_state = web_fixtures.article_state
JSON = {"Accept": "application/json"}


def upload(auth, article_id: int, name: str, data: bytes, headers=None):
    return auth.post(f"/staff/articles/{article_id}/images",
                     {"image": (io.BytesIO(data), name)}, headers=headers or {},
                     content_type="multipart/form-data")


@pytest.fixture
def article_with_image(auth, write_article, article_state):
    """article_with_image(min_plan="xtreme", status="published") -> (slug, image address)."""

    def make(min_plan: str = "xtreme", status: str = "published", data: bytes = png()):
        slug = write_article(f"Flows on {min_plan} {status}", "![The flow](images/flow.png)",
                             min_plan=min_plan, status=status)
        auth.login("staff@demo.test")
        assert upload(auth, article_state(slug)["id"], "flow.png", data).status_code == 302
        auth.logout()
        return slug, f"/articles/{slug}/images/flow.png"

    return make


def fetch(auth, address: str, **kwargs):
    """GET an image, its stored file closed once read."""
    return auth.client.get(address, buffered=True, **kwargs)


def image_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ArticleImage.id)))


@pytest.mark.parametrize("name, data, stored_as, content_type", [
    ("flow.png", png(), "flow.png", "image/png"),
    ("Photo Of Desk.JPEG", image_samples.jpeg(), "Photo_Of_Desk.JPEG", "image/jpeg"),
    ("spinner.gif", image_samples.gif(), "spinner.gif", "image/gif"),
    ("shot.webp", image_samples.webp(), "shot.webp", "image/webp"),
    ("../../etc/chart.png", png(), "chart.png", "image/png"),  # no directory parts
    ("really-a-gif.png", image_samples.gif(), "really-a-gif.gif", "image/gif"),
])
def test_staff_upload_images_told_by_their_bytes(app, auth, write_article, article_state,
                                                 name, data, stored_as, content_type):
    slug = write_article("Images", "text")
    auth.login("staff@demo.test")
    answer = upload(auth, article_state(slug)["id"], name, data, JSON)
    assert answer.status_code == 200, answer.get_json()
    assert f"](images/{stored_as})" in answer.get_json()["html"]
    served = fetch(auth, f"/articles/{slug}/images/{stored_as}")
    assert served.status_code == 200
    assert served.content_type == content_type and served.data == data


@pytest.mark.parametrize("name, data, status, message", [
    ("logo.svg", image_samples.SVG, 422, "is an SVG image, which may hold scripts"),
    ("logo.png", image_samples.SVG, 422, "is an SVG image"),
    ("fake.png", image_samples.HTML_NAMED_PNG, 422, "is not a PNG, JPEG, GIF or WebP image"),
    ("fake.png", image_samples.PNG_SIGNATURE_THEN_HTML, 422, "is damaged"),
    ("empty.png", b"", 422, "is empty"),
    ("broken.gif", b"GIF89a" + bytes.fromhex("206e6f7400000000000000"), 422,
     "says it is 28,192 × 29,807 pixels; an image may be at most 10,000 pixels on a side"),
    ("cut.png", png(30, 20)[:-20], 422, "is damaged: its image data does not decode"),
    ("huge.png", png() + bytes(2000), 413, "larger than the limit of 1.0 KiB per image"),
])
def test_uploads_that_are_no_accepted_image_are_refused(app, auth, write_article, article_state,
                                                        name, data, status, message):
    app.config["ARTICLE_IMAGE_MAX_BYTES"] = 1024
    slug = write_article("Refusals", "text")
    auth.login("staff@demo.test")
    answer = upload(auth, article_state(slug)["id"], name, data, JSON)
    assert answer.status_code == status
    assert message in answer.get_json()["error"]
    assert image_count(app) == 0
    without_script = upload(auth, article_state(slug)["id"], name, data)
    assert without_script.status_code == 302
    assert message in auth.client.get(without_script.location).get_data(as_text=True)


def test_uploading_a_name_again_replaces_the_image(app, auth, article_with_image,
                                                  article_state):
    slug, address = article_with_image()
    auth.login("staff@demo.test")
    first = auth.client.get(f"/articles/{slug}").get_data(as_text=True)
    replaced = upload(auth, article_state(slug)["id"], "flow.png", png(8, 8, shade=90), JSON)
    assert replaced.status_code == 200 and image_count(app) == 1
    served = fetch(auth, address)
    assert served.data == png(8, 8, shade=90)
    page = auth.client.get(f"/articles/{slug}").get_data(as_text=True)
    assert 'width="8" height="8"' in page
    version = re.compile(re.escape(address) + r"\?v=(\w+)")
    assert version.search(page).group(1) != version.search(first).group(1)


def test_only_staff_upload_and_remove(app, auth, client, write_article, article_state):
    slug = write_article("Staff only", "text")
    auth.login("elite@demo.test")
    assert upload(auth, article_state(slug)["id"], "a.png", png()).status_code == 403
    assert image_count(app) == 0


def test_image_headers_keep_the_bytes_an_image(auth, article_with_image):
    slug, address = article_with_image()
    auth.login("xtreme@demo.test")
    served = fetch(auth, address)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"] == "default-src 'none'"
    assert served.headers["Content-Disposition"].startswith("inline;")
    assert served.headers["Cache-Control"].startswith("private, max-age=")
    etag = served.headers["ETag"]
    again = fetch(auth, address, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("reader", ["xtreme@demo.test", "premium@demo.test", "lapsed@demo.test",
                                    None])
def test_an_image_answers_as_its_article_does(auth, article_with_image, reader):
    slug, address = article_with_image(min_plan="elite")
    if reader:
        auth.login(reader)
    page, image = auth.client.get(f"/articles/{slug}"), fetch(auth, address)
    assert image.status_code == page.status_code
    assert page.status_code in (302, 403)
    if page.status_code == 302:  # anonymous: signing in leads back to what was asked for
        assert page.location.startswith("/sign-in") and image.location.startswith("/sign-in")
    else:
        reason = re.search(r"(Available on [^<.]*|support term[^<.]*)",
                           page.get_data(as_text=True)).group(1)
        assert reason in image.get_data(as_text=True)
    assert png() not in image.data


def test_elite_readers_and_staff_get_an_elite_articles_image(auth, article_with_image):
    _, address = article_with_image(min_plan="elite")
    auth.login("elite@demo.test")
    assert fetch(auth, address).data == png()


def test_an_unpublished_articles_images_are_for_staff_only(auth, article_with_image):
    slug, address = article_with_image(status="draft")
    auth.login("elite@demo.test")
    assert auth.client.get(f"/articles/{slug}").status_code == 404
    assert fetch(auth, address).status_code == 404
    auth.logout()
    auth.login("staff@demo.test")
    assert fetch(auth, address).data == png()


def test_an_image_the_article_lacks_is_not_found(auth, article_with_image):
    slug, _ = article_with_image()
    auth.login("elite@demo.test")
    assert auth.client.get(f"/articles/{slug}/images/other.png").status_code == 404


def test_markdown_images_show_the_articles_image(auth, article_with_image):
    slug, address = article_with_image()
    auth.login("xtreme@demo.test")
    page = auth.client.get(f"/articles/{slug}").get_data(as_text=True)
    tag = re.search(r'<img src="([^"]+)" alt="The flow"[^>]*>', page)
    assert tag is not None, page
    assert tag.group(1).startswith(address + "?v=")
    assert 'loading="lazy"' in tag.group(0) and 'width="3" height="2"' in tag.group(0)
    assert fetch(auth, tag.group(1).replace("&amp;", "&")).data == png()


def test_a_missing_image_is_a_note_for_staff_and_its_alt_text_for_readers(
        auth, write_article):
    slug = write_article("Missing", "Before ![The chart](images/chart.png) after")
    auth.login("staff@demo.test")
    staff_page = auth.client.get(f"/articles/{slug}").get_data(as_text=True)
    assert '<span class="image-missing">missing image: chart.png</span>' in staff_page
    auth.logout()
    auth.login("xtreme@demo.test")
    reader_page = auth.client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "missing image" not in reader_page
    assert '<span class="kb-image-alt">The chart</span>' in reader_page


def test_removing_an_image_leaves_a_note_where_it_was_shown(auth, article_with_image,
                                                           article_state, app):
    slug, address = article_with_image()
    auth.login("staff@demo.test")
    with app.app_context():
        image_id = db.session.scalar(select(ArticleImage.id))
    removed = auth.post(f"/staff/articles/{article_state(slug)['id']}/images/{image_id}/remove",
                        {"confirm": "yes"}, headers=JSON)
    assert removed.status_code == 200 and "flow.png has been removed" in removed.get_json()[
        "message"]
    assert fetch(auth, address).status_code == 404
    assert "missing image: flow.png" in auth.client.get(f"/articles/{slug}").get_data(
        as_text=True)


def test_the_editor_lists_images_with_their_markdown_and_previews_them(
        auth, article_with_image, article_state):
    slug, address = article_with_image()
    article_id = article_state(slug)["id"]
    auth.login("staff@demo.test")
    editor = auth.client.get(f"/staff/articles/{article_id}/edit").get_data(as_text=True)
    assert "![flow](images/flow.png)" in editor and 'id="images"' in editor
    preview = auth.post("/staff/articles/preview",
                        {"body": "![x](images/flow.png) ![y](images/nope.png)",
                         "article_id": str(article_id)}).get_json()["html"]
    assert f'src="{address}?v=' in preview and "missing image: nope.png" in preview


def test_a_new_article_says_to_save_it_before_adding_images(auth, demo_accounts):
    auth.login("staff@demo.test")
    page = auth.client.get("/staff/articles/new").get_data(as_text=True)
    assert "to add images to it" in page


def test_release_notes_have_images_at_their_own_address(auth, write_article, article_state):
    slug = write_article("ERP 12.1", "![Screen](images/screen.png)", type="release-note",
                         product="Orbit ERP", version="12.1")
    auth.login("staff@demo.test")
    upload(auth, article_state(slug)["id"], "screen.png", png())
    auth.logout()
    auth.login("xtreme@demo.test")
    assert fetch(auth, f"/release-notes/{slug}/images/screen.png").data == png()
    moved = auth.client.get(f"/articles/{slug}/images/screen.png")
    assert moved.status_code == 301
    assert moved.location.endswith(f"/release-notes/{slug}/images/screen.png")


def test_the_api_gives_the_html_with_the_images_address(auth, article_with_image):
    slug, address = article_with_image()
    auth.login("xtreme@demo.test")
    html = auth.client.get(f"/api/v1/articles/{slug}").get_json()["html"]
    assert f'src="{address}?v=' in html


def test_storage_check_knows_the_images_stored_files(app, runner, auth, article_with_image):
    article_with_image()
    with app.app_context():
        key = db.session.scalar(select(ArticleImage.storage_key))
    result = runner.invoke(args=["storage", "check"])
    assert result.exit_code == 0, result.output
    assert "files: 1 file(s) named by the database, 0 missing; 0 stored" in result.output
    assert key not in result.output


def test_an_article_whose_slug_holds_images_keeps_its_address(auth, write_article):
    slug = write_article("Overview of the images folder", "The overview text.",
                         slug="guide/images/overview")
    assert slug == "guide/images/overview"
    auth.login("xtreme@demo.test")
    page = auth.client.get("/articles/guide/images/overview")
    assert page.status_code == 200 and "The overview text." in page.get_data(as_text=True)


def test_alt_text_is_escaped_whatever_the_sanitiser_left_in_the_attribute():
    stored = '<p><img alt="<script>x()</script> &amp; more" src="images/gone.png"></p>'
    shown = with_images(stored, [], lambda image: "", show_missing=False)
    assert "<script>" not in shown
    assert '<span class="kb-image-alt">&lt;script&gt;x()&lt;/script&gt; &amp; more</span>' in shown
