"""``kb import`` brings the images a content file shows from beside it (``images/<name>``):
created with the article, replaced when their bytes change, left alone when not; a missing
image or a file that is no image is ``PATH:LINE: what is wrong`` and changes nothing."""

from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import select

from kb import db
from kb.articles.importing.importer import import_paths
from kb.articles.models import ArticleImage
from kb.storage import file_store
from tests.articles import image_samples
from tests.articles.image_samples import png
from tests.articles.import_helpers import article, snapshot, write

GUIDE = """
    ---
    title: Message flows
    ---
    # Message flows

    The flow:

    ![The flow](images/flow.png "How messages move")

    <img src="images/spinner.gif" alt="Waiting">
    """


@pytest.fixture
def guide(tmp_path):
    folder = tmp_path / "content"
    write(folder, "hub/flows.md", GUIDE)
    (folder / "hub/images").mkdir()
    (folder / "hub/images/flow.png").write_bytes(png())
    (folder / "hub/images/spinner.gif").write_bytes(image_samples.gif())
    return folder


def stored_images() -> dict[str, tuple[str, str, int]]:
    db.session.expire_all()
    return {image.name: (image.content_type, image.sha256, image.id)
            for image in db.session.scalars(select(ArticleImage))}


def test_imported_articles_bring_their_images(app_context, guide):
    report = import_paths([guide])
    assert report.errors == [] and report.created == ["hub/flows"]
    images = stored_images()
    assert sorted(images) == ["flow.png", "spinner.gif"]
    assert images["flow.png"][0] == "image/png"
    image = db.session.scalar(select(ArticleImage).where(ArticleImage.name == "flow.png"))
    assert image.article_id == article("hub/flows").id
    assert (image.width, image.height) == (3, 2)
    with file_store().open(image.storage_key) as stored:
        assert stored.read() == png()
    assert 'src="images/flow.png"' in article("hub/flows").rendered_html


def test_importing_again_changes_nothing_and_a_changed_image_updates(app_context, guide):
    import_paths([guide])
    before, images = snapshot(), stored_images()
    again = import_paths([guide])
    assert again.unchanged == ["hub/flows"] and again.updated == []
    assert snapshot() == before and stored_images() == images

    (guide / "hub/images/flow.png").write_bytes(png(shade=200))
    changed = import_paths([guide])
    assert changed.updated == ["hub/flows"]
    now = stored_images()
    assert now["flow.png"][2] == images["flow.png"][2]  # the same image, new bytes
    assert now["flow.png"][1] != images["flow.png"][1]
    assert now["spinner.gif"] == images["spinner.gif"]


@pytest.mark.parametrize("change, line, message", [
    (lambda folder: os.remove(folder / "hub/images/flow.png"), 8,
     "images/flow.png: no such image beside flows.md"),
    (lambda folder: (folder / "hub/images/flow.png").write_bytes(image_samples.SVG), 8,
     "images/flow.png is an SVG image"),
    (lambda folder: (folder / "hub/images/spinner.gif").write_text("<html>not a gif</html>"),
     10, "images/spinner.gif is not a PNG, JPEG, GIF or WebP image"),
])
def test_a_missing_or_false_image_is_an_error_that_changes_nothing(app_context, guide,
                                                                   change, line, message):
    write(guide, "other.md", "# Another article\n")
    change(guide)
    before = snapshot()
    report = import_paths([guide])
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"{guide / 'hub/flows.md'}:{line}: {message}")
    assert not report.committed and snapshot() == before and stored_images() == {}


def test_an_image_too_large_is_an_error(app, app_context, guide):
    app.config["ARTICLE_IMAGE_MAX_BYTES"] = 50
    report = import_paths([guide])
    assert report.errors[0] == (f"{guide / 'hub/flows.md'}:8: images/flow.png is larger than "
                                "the limit of 50 bytes per image")


def test_an_image_outside_the_folder_is_refused(app_context, guide, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    (guide / "hub/images/flow.png").unlink()
    (guide / "hub/images/flow.png").symlink_to(outside)
    report = import_paths([guide])
    assert len(report.errors) == 1 and "leads outside the imported folder" in report.errors[0]


def test_sources_kb_cannot_hold_are_left_as_before(app_context, tmp_path):
    folder = tmp_path / "docs"
    write(folder, "ref.md", "# Reference\n\n![Public method](images/Dd5.pubmethod(en-us,VS.90)"
                            '.gif "Public method")\n')
    report = import_paths([folder])
    assert report.errors == [] and stored_images() == {}
    assert '<span class="kb-image-alt">Public method</span>' in article("ref").rendered_html


def test_an_image_the_file_stops_showing_goes_unless_staff_uploaded_it(demo_accounts,
                                                                     app_context, guide):
    from kb.accounts.queries import user_by_email
    from kb.articles import images
    from kb.storage import Upload

    import_paths([guide])
    staff = user_by_email("staff@demo.test")
    images.add_image(staff, article("hub/flows"), Upload("chart.png", io.BytesIO(png(5, 5))))
    images.add_image(staff, article("hub/flows"), Upload("flow.png", io.BytesIO(png(7, 7))))
    spinner_key = db.session.scalar(select(ArticleImage.storage_key).where(
        ArticleImage.name == "spinner.gif"))
    write(guide, "hub/flows.md", GUIDE.replace('<img src="images/spinner.gif" alt="Waiting">',
                                               "").replace("images/flow.png", "images/x.png"))
    (guide / "hub/images/x.png").write_bytes(png())
    changed = import_paths([guide])
    assert changed.errors == [] and changed.updated == ["hub/flows"]
    # spinner.gif was the import's; chart.png and flow.png were uploaded by staff
    assert sorted(stored_images()) == ["chart.png", "flow.png", "x.png"]
    assert file_store().exists(spinner_key)  # the revisions saved with it still name it
    before, kept = snapshot(), stored_images()
    again = import_paths([guide])
    assert again.unchanged == ["hub/flows"] and snapshot() == before and stored_images() == kept

    write(guide, "hub/flows.md", "# Message flows\n\nNo pictures now.\n")
    assert import_paths([guide]).updated == ["hub/flows"]
    assert sorted(stored_images()) == ["chart.png", "flow.png"]


def test_an_imported_image_staff_upload_again_unchanged_is_theirs(demo_accounts, app_context,
                                                                  guide):
    from kb.accounts.queries import user_by_email
    from kb.articles import images
    from kb.storage import Upload

    import_paths([guide])
    same_bytes = (guide / "hub/images/flow.png").read_bytes()
    images.add_image(user_by_email("staff@demo.test"), article("hub/flows"),
                     Upload("flow.png", io.BytesIO(same_bytes)))
    write(guide, "hub/flows.md", "# Message flows\n\nNo pictures now.\n")
    assert import_paths([guide]).updated == ["hub/flows"]
    assert "flow.png" in stored_images()
