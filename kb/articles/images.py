"""The images an article shows: stored (by content, in the file store's ``files`` namespace, as
patch files and incident attachments are), replaced under the same name, removed, listed.

Removing an image removes its row only: the revisions saved with it name its bytes (restoring
one brings the image back), and identical bytes may be stored once for a patch file, an
attachment or another article, so the bytes stay until ``kb storage check
--remove-unreferenced`` finds nothing naming them."""

from __future__ import annotations

import hashlib
import io
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from kb import db, policy
from kb.accounts.models import User
from kb.articles.image_files import ImageKind, identify, image_name
from kb.articles.models import IMAGE_FACTS, Article, ArticleImage, ArticleRevision
from kb.errors import Invalid, NotFound, TooLarge
from kb.storage import Upload, file_store, human_size
from kb.storage.names import requested_name, safe_file_name


def image_limit() -> int:
    """The largest image file, in bytes (``KB_ARTICLE_IMAGE_MAX_BYTES``)."""
    return current_app.config["ARTICLE_IMAGE_MAX_BYTES"]


def images_of(article: Article) -> list[ArticleImage]:
    return list(db.session.scalars(select(ArticleImage).where(
        ArticleImage.article_id == article.id).order_by(ArticleImage.name)))


def image_named(article: Article, name: str) -> ArticleImage | None:
    return db.session.scalar(select(ArticleImage).where(
        ArticleImage.article_id == article.id, ArticleImage.name == name))


def image_requested(article: Article, name: str) -> ArticleImage | None:
    """The image a reader's address names: by its exact name, else spelt as stored names are
    (``requested_name``: "e" and a combining accent finds "\u00e9", as patch downloads do)."""
    return image_named(article, name) or image_named(article, requested_name(name))


def get_image(article: Article, image_id: int) -> ArticleImage:
    image = db.session.get(ArticleImage, image_id)
    if image is None or image.article_id != article.id:
        raise NotFound("No such image.")
    return image


def too_large(label: str) -> TooLarge:
    """The refusal of an image file (``label``) past the limit."""
    return TooLarge(f"{label} is larger than the limit of {human_size(image_limit())} per "
                    "image; nothing was uploaded.")


def read_image_bytes(stream: BinaryIO, label: str) -> bytes:
    """All of an image file's bytes (at most the limit: ``TooLarge`` past it, ``Invalid`` for
    an empty file)."""
    data = stream.read(image_limit() + 1)
    if len(data) > image_limit():
        raise too_large(label)
    if not data:
        raise Invalid(f"{label} is empty.")
    return data


def store_image(article: Article, name: str, data: bytes, kind: ImageKind,
                uploader_id: int | None = None) -> ArticleImage:
    """Keep ``data`` (an image of ``kind``, see ``image_files.identify``) as the article's
    image ``name``, replacing one of that name unless it holds the same bytes already. Bytes
    written without ``uploader_id`` are the import's (``imported``), with one a staff upload's.
    The article has an id. Does not commit."""
    image = image_named(article, name) or ArticleImage(article_id=article.id, name=name)
    if image.id is None or image.sha256 != hashlib.sha256(data).hexdigest():
        blob = file_store().save_stream(io.BytesIO(data))
        image.sha256, image.size, image.storage_key = blob.sha256, blob.size, blob.key
        image.uploaded_by_id, image.imported = uploader_id, uploader_id is None
    elif uploader_id is not None:  # staff uploading the same bytes make the image theirs
        image.uploaded_by_id, image.imported = uploader_id, False
    image.content_type, image.width, image.height = kind.content_type, kind.width, kind.height
    db.session.add(image)
    return image


def add_image(actor: User, article: Article, upload: Upload) -> ArticleImage:
    """Upload an image to an article (staff only), committed; an image of the same name is
    replaced. ``TooLarge`` past the limit, ``Invalid`` for anything but PNG, JPEG, GIF, WebP."""
    policy.require_staff(actor)
    if not upload.name:
        raise Invalid("Choose an image file to upload.")
    label = safe_file_name(upload.name)
    data = read_image_bytes(upload.stream, label)
    kind = identify(data, label)
    image = store_image(article, image_name(upload.name, kind.content_type), data, kind,
                        actor.id)
    db.session.commit()
    return image


def remove_image(actor: User, image: ArticleImage) -> None:
    """Remove an image from its article (staff only), committed; the Markdown that shows it
    then shows staff a "missing image" note and readers its alt text."""
    policy.require_staff(actor)
    db.session.delete(image)
    db.session.commit()


def bring_back_images(article: Article, revision: ArticleRevision) -> tuple[list[str], list[str]]:
    """Give the article each image ``revision`` was saved with, as it was then (an image
    removed since comes back, one replaced since gets its old bytes again); images added since
    stay. Returns the names brought back, and those whose stored file is gone (``kb storage
    check --remove-unreferenced`` before revisions named images). Does not commit."""
    brought, lost = [], []
    for recorded in revision.images:
        image = image_named(article, recorded.name)
        if image is not None and image.sha256 == recorded.sha256:
            continue
        if not file_store().exists(recorded.storage_key):
            lost.append(recorded.name)
            continue
        image = image or ArticleImage(article_id=article.id, name=recorded.name)
        for fact in IMAGE_FACTS:
            setattr(image, fact, getattr(recorded, fact))
        db.session.add(image)
        brought.append(recorded.name)
    return brought, lost
