"""The images a content file shows from beside it: ``![Flow](images/flow.png)`` in
``guide/setup.md`` names ``guide/images/flow.png``. Each is found and checked (there, inside
the imported folder, an image kb shows, within the size limit) before anything is written, and
its SHA-256 joins the file's hash: a changed image updates the article, unchanged ones leave it
as it is. Written with the article: created, replaced when its bytes changed, else left; an
image an import brought in that the file no longer shows is removed (never one staff
uploaded)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from kb import db
from kb.articles import images
from kb.articles.image_files import identify
from kb.articles.importing.containment import FolderBounds
from kb.articles.importing.front_matter import read_text
from kb.articles.models import Article
from kb.docfx import LOCAL_IMAGE
from kb.errors import DomainError
from kb.storage import human_size

LOCAL_PREFIX = "images/"
# where Markdown, HTML and DocFX name an image's source; only images/<name> counts (LOCAL_IMAGE).
# Each scan looks at most 500 characters ahead: 100 KB of unfinished "<img" takes about a
# second, as rendering it does
IMAGE_SOURCE = re.compile(
    r"!\[[^\]\n]{0,500}\]\(\s*<?(?P<markdown>[^)\s>]{1,300})"
    r"|<img\b[^>]{0,500}?\bsrc\s*=\s*[\"'](?P<html>[^\"'>]{1,300})[\"']"
    r"|:::image\b[^\n]{0,500}?\bsource\s*=\s*\"(?P<docfx>[^\"\n]{1,300})\"",
    re.IGNORECASE)


@dataclass(frozen=True)
class ContentImage:
    """An image file a content file shows, as checked: its name and where it is."""

    name: str
    path: Path
    sha256: str


class ImageRefused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def referenced_names(body: str) -> list[str]:
    """The names of the ``images/<name>`` a body shows, in order, each once."""
    sources = (match.group("markdown") or match.group("html") or match.group("docfx")
               for match in IMAGE_SOURCE.finditer(body))
    return list(dict.fromkeys(source[len(LOCAL_PREFIX):] for source in sources
                              if LOCAL_IMAGE.match(source)))


def content_images(path: Path, body: str, bounds: FolderBounds,
                   body_line: int) -> list[ContentImage]:
    """Every image ``body`` (of the content file at ``path``) shows, checked; ``ImageRefused``
    with the line of the file that names the first one that cannot be imported."""
    names = referenced_names(body)
    if not names:
        return []
    text = read_text(path)
    return [_checked(path, name, bounds, _line_naming(text, name, body_line))
            for name in names]


def _line_naming(text: str, name: str, fallback: int) -> int:
    position = text.find(LOCAL_PREFIX + name)
    return text.count("\n", 0, position) + 1 if position >= 0 else fallback


def _checked(path: Path, name: str, bounds: FolderBounds, line: int) -> ContentImage:
    label = LOCAL_PREFIX + name
    file = path.parent / "images" / name
    refusal = bounds.refusal(file, label)
    if refusal is not None:
        raise ImageRefused(line, refusal)
    if not file.is_file():
        raise ImageRefused(line, f"{label}: no such image beside {path.name}")
    limit = images.image_limit()
    if file.stat().st_size > limit:
        raise ImageRefused(line, f"{label} is larger than the limit of {human_size(limit)} "
                                 "per image")
    data = file.read_bytes()
    try:
        identify(data, label)
    except DomainError as error:
        raise ImageRefused(line, error.message) from None
    return ContentImage(name, file, hashlib.sha256(data).hexdigest())


def store_content_images(article: Article, found: list[ContentImage]) -> list[str]:
    """Give the article each image (created, or replaced when its bytes changed) and remove
    those an import brought in that the file no longer shows; images staff uploaded and the
    file does not show are left. The article has an id. Returns the names removed. Does not
    commit."""
    for image in found:
        data = image.path.read_bytes()
        images.store_image(article, image.name, data, identify(data, LOCAL_PREFIX + image.name))
    shown = {image.name for image in found}
    dropped = [image for image in images.images_of(article)
               if image.imported and image.name not in shown]
    for image in dropped:
        db.session.delete(image)  # its bytes stay while a revision names them
    return [image.name for image in dropped]
