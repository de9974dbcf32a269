"""An article's ``images/<name>`` pointed at its images as a page is made.

The stored rendering keeps ``<img src="images/flow.png">`` as the author wrote it; here, as
``scrolling_tables`` boxes tables, each such image gets the address of the article's image of
that name (with its size, ``loading="lazy"`` and its alt text). Done as the page is made, not
stored: adding, replacing or removing an image, or renaming the article, needs no rendering
again. An image the article does not have shows staff a visible "missing image" note and
readers its alt text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from kb.articles.models import ArticleImage

# nh3's output: attribute values double-quoted, '"' escaped inside them
IMAGE_TAG = re.compile(r'<img\s(?:[^>"]|"[^"]*")*>')
ATTRIBUTE = re.compile(r'([a-z][a-z-]*)="([^"]*)"')
LOCAL_PREFIX = "images/"


def with_images(sanitized_html: str, images: Iterable[ArticleImage],
                url_of: Callable[[ArticleImage], str], *, show_missing: bool) -> str:
    """``sanitized_html`` (an article's stored rendering) with its ``images/<name>`` images
    pointed at ``url_of(image)``; one it does not have becomes a note (``show_missing``,
    for staff) or its alt text."""
    by_name = {image.name: image for image in images}

    def resolved(match: re.Match) -> str:
        attributes = dict(ATTRIBUTE.findall(match.group(0)))
        source = html.unescape(attributes.get("src", ""))
        if not source.startswith(LOCAL_PREFIX):
            return match.group(0)
        name = unquote(source[len(LOCAL_PREFIX):])
        image = by_name.get(name)
        if image is None:
            return _missing(name, attributes.get("alt", ""), show_missing)
        return _image_tag(image, url_of(image), attributes)

    return IMAGE_TAG.sub(resolved, sanitized_html)


def _escaped_again(value: str) -> str:
    """An attribute value as nh3 left it, escaped by us for any place in the page: this does
    not rest on which characters the sanitiser's serialiser escapes in attributes."""
    return html.escape(html.unescape(value))


def _image_tag(image: ArticleImage, url: str, attributes: dict[str, str]) -> str:
    parts = [f'src="{html.escape(url)}"', f'alt="{_escaped_again(attributes.get("alt", ""))}"']
    if "title" in attributes:
        parts.append(f'title="{_escaped_again(attributes["title"])}"')
    if image.width and image.height:
        parts.append(f'width="{image.width}" height="{image.height}"')
    return f'<img {" ".join(parts)} loading="lazy" class="article-image">'


def _missing(name: str, alt: str, show_missing: bool) -> str:
    if show_missing:
        return f'<span class="image-missing">missing image: {html.escape(name)}</span>'
    return f'<span class="kb-image-alt">{_escaped_again(alt)}</span>' if alt else ""
