"""Finding the files of an import: which folder (``source_root``) each belongs to, and which
files in a folder are articles (not include fragments, READMEs or navigation files)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from kb import db
from kb.articles.importing.containment import FolderBounds, data_directory_refusal
from kb.articles.importing.content_files import ContentFile
from kb.articles.models import Article
from kb.markdown import Rendered

FRAGMENT_FOLDER = "includes"
# navigation and repository files of documentation sets, not articles
SKIPPED_FILE_NAMES = {"readme.md", "toc.md"}


@dataclass
class SourceFile:
    """One article file of an import: where it is, how to name it in messages, what it says."""

    path: Path
    relative: str
    shown: str
    parsed: ContentFile | None = None
    slug: str = ""
    body_hash: str = ""
    article_id: int | None = None
    failed: bool = False
    # rendered while checking, handed to the article when it is written
    rendered: Rendered | None = None
    # the images beside it that it shows (``importing.images.ContentImage``)
    images: list = field(default_factory=list)


@dataclass
class SourceFolder:
    """The files of one ``source_root`` in this import."""

    root: Path
    sources: list[SourceFile] = field(default_factory=list)
    # the sub-folders read whole (relative to root, "" for all of it): only items under them
    # can be pruned
    whole: list[str] = field(default_factory=list)


def collect(paths: Iterable[Path], errors: list[str]) -> dict[Path, SourceFolder]:
    """The article files named (files and folders), grouped by the folder they belong to.
    A file or folder that may not be read (see ``containment``) is an error."""
    folders: dict[Path, SourceFolder] = {}
    for given in paths:
        path = Path(given)
        is_folder = path.is_dir()
        if not is_folder and not (path.is_file() and path.suffix.lower() == ".md"):
            errors.append(f"{path}:1: no such Markdown file or folder")
            continue
        # a file's folder is resolved, the file itself is checked against its folder's bounds
        located = path.resolve() if is_folder else path.parent.resolve() / path.name
        refusal = data_directory_refusal(located)
        if refusal:
            errors.append(f"{path}:1: {refusal}")
            continue
        root = known_root(located, include_self=is_folder) or (
            located if is_folder else located.parent)
        relative = located.relative_to(root)
        if FRAGMENT_FOLDER in relative.parts[:-1] or located.name == FRAGMENT_FOLDER:
            errors.append(f"{path}:1: include fragments (under {FRAGMENT_FOLDER}/) are not"
                          " articles; import the folder that uses them")
            continue
        folder = folders.setdefault(root, SourceFolder(root))
        _add(folder, path, located, errors)
    for folder in folders.values():
        unique = {source.relative: source for source in folder.sources}
        folder.sources = sorted(unique.values(), key=lambda source: source.relative)
    return folders


def _add(folder: SourceFolder, path: Path, located: Path, errors: list[str]) -> None:
    bounds = FolderBounds.of(folder.root)
    if not located.is_dir():
        refusal = bounds.refusal(located, "this symbolic link")
        if refusal:
            errors.append(f"{path}:1: {refusal}")
            return
        relative = located.relative_to(folder.root).as_posix()
        folder.sources.append(SourceFile(located.resolve(), relative, str(path)))
        return
    folder.whole.append("" if located == folder.root
                        else located.relative_to(folder.root).as_posix())
    files, refused = article_files(located, bounds)
    for link, refusal in refused:
        errors.append(f"{path / link.relative_to(located)}:1: {refusal}")
    for file in files:
        relative = file.relative_to(folder.root).as_posix()
        folder.sources.append(SourceFile(file.resolve(), relative,
                                         str(path / file.relative_to(located))))


def article_files(folder: Path, bounds: FolderBounds) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The folder's ``.md`` files, without fragments, hidden folders, README/TOC files and kb's
    data directory; and the symbolic links among them that lead out of ``bounds``, with why.
    Linked folders are never walked (those inside the bounds are walked where they are)."""
    found, refused = [], []
    for directory, subdirectories, files in os.walk(folder):
        here = Path(directory)
        walked = []
        for name in sorted(subdirectories):
            if name.startswith(".") or name == FRAGMENT_FOLDER:
                continue
            if (here / name).is_symlink():
                refusal = bounds.refusal(here / name, "this symbolic link")
                if refusal:
                    refused.append((here / name, refusal))
            elif not bounds.is_data_directory(here / name):
                walked.append(name)
        subdirectories[:] = walked
        for name in files:
            if name.lower().endswith(".md") and name.lower() not in SKIPPED_FILE_NAMES \
                    and not name.startswith("."):
                refusal = bounds.refusal(here / name, "this symbolic link")
                if refusal:
                    refused.append((here / name, refusal))
                else:
                    found.append(here / name)
    return found, refused


def known_root(path: Path, include_self: bool) -> Path | None:
    """The nearest folder (``path`` itself or above) that items were imported from before, so
    that importing a sub-folder or a single file updates the same items."""
    candidates = [path, *path.parents] if include_self else list(path.parents)
    for candidate in candidates:
        if db.session.scalar(select(Article.id).where(
                Article.source_root == str(candidate)).limit(1)) is not None:
            return candidate
    return None
