"""An article's images as readers get them, at its own address plus ``/images/<name>``.

An image answers exactly as its article does (``views.open_item``: a sign-in for anonymous
visitors, the locked page below the plan, 404 for what the reader may not know of, a redirect
for a renamed slug), so it never tells more than the article; only then is it sent. Its bytes
are never read as anything but the image they are: their own type, ``nosniff``, a policy that
allows nothing, ``inline``."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user
from werkzeug.wsgi import wrap_file

from kb import policy
from kb.articles import images, queries, views
from kb.articles.image_html import with_images
from kb.articles.models import Article, ArticleImage
from kb.storage import file_store
from kb.storage.base import problem
from kb.storage.names import content_disposition
from kb.storage.ranges import BLOCK_SIZE

blueprint = Blueprint("article_images", __name__)
ENDPOINTS = {"article": "article_images.article_image",
             "release-note": "article_images.release_note_image"}
# the address carries the image's SHA-256 (``v``), so a replaced image is fetched anew
CACHE_CONTROL = "private, max-age=86400"


def image_url(article: Article, image: ArticleImage) -> str:
    """The reader's address of one of an article's images."""
    return url_for(ENDPOINTS[article.type], slug=article.slug, name=image.name,
                   v=image.sha256[:12])


def no_address(image: ArticleImage) -> str:
    """For an article not saved yet, which has no images (nor an address)."""
    raise LookupError(f"an unsaved article has no image {image.name}")


def article_html(article: Article, sanitized_html: str) -> str:
    """An article's stored rendering with its images resolved for the current user: staff see
    a note for each image the article lacks, readers its alt text."""
    return with_images(sanitized_html, images.images_of(article),
                       lambda image: image_url(article, image),
                       show_missing=policy.acts_as_staff(current_user))


@blueprint.get("/articles/<path:slug>/images/<name>")
def article_image(slug: str, name: str):
    return _image(slug, name, "article")


@blueprint.get("/release-notes/<path:slug>/images/<name>")
def release_note_image(slug: str, name: str):
    return _image(slug, name, "release-note")


def _image(slug: str, name: str, type_: str):
    whole_slug = f"{slug}/images/{name}"  # slugs may hold "/images/": such an article wins
    if queries.find_by_slug(current_user, slug)[0] is None \
            and queries.find_by_slug(current_user, whole_slug)[0] is not None:
        return views.show(whole_slug) if type_ == "article" else views.release_note(whole_slug)
    article, answer = views.open_item(
        slug, type_, lambda item: url_for(ENDPOINTS[item.type], slug=item.slug, name=name))
    if article is None:
        return answer
    image = images.image_requested(article, name)
    if image is None:
        abort(404)
    return _send(image)


def _send(image: ArticleImage) -> Response:
    headers = {"ETag": f'"{image.sha256}"', "Cache-Control": CACHE_CONTROL,
               "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "default-src 'none'",
               "Content-Disposition": content_disposition(image.name, "inline")}
    if request.if_none_match.contains(image.sha256):
        return Response(status=304, headers=headers)
    store = file_store()
    size = store.size(image.storage_key)
    if size is None:
        raise problem(image.name, "is missing from the file store")
    response = Response(wrap_file(request.environ, store.open(image.storage_key), BLOCK_SIZE),
                        headers=headers, mimetype=image.content_type, direct_passthrough=True)
    response.content_length = size
    return response
