"""Finding the files of an import: which folder (``source_root``) each belongs to, and which
files in a folder are articles (not include fragments, READMEs or navigation files)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from kb import db
from kb.articles.content_files import ContentFile
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


@dataclass
class SourceFolder:
    """The files of one ``source_root`` in this import."""

    root: Path
    sources: list[SourceFile] = field(default_factory=list)
    # the sub-folders read whole (relative to root, "" for all of it): only items under them
    # can be pruned
    whole: list[str] = field(default_factory=list)


def collect(paths: Iterable[Path], errors: list[str]) -> dict[Path, SourceFolder]:
    """The article files named (files and folders), grouped by the folder they belong to."""
    folders: dict[Path, SourceFolder] = {}
    for given in paths:
        path = Path(given)
        resolved = path.resolve()
        if resolved.is_dir() or (resolved.is_file() and resolved.suffix.lower() == ".md"):
            root = known_root(resolved, include_self=resolved.is_dir()) or (
                resolved if resolved.is_dir() else resolved.parent)
            relative = resolved.relative_to(root)
            if FRAGMENT_FOLDER in relative.parts[:-1] or resolved.name == FRAGMENT_FOLDER:
                errors.append(f"{path}:1: include fragments (under {FRAGMENT_FOLDER}/) are not"
                              " articles; import the folder that uses them")
                continue
            folder = folders.setdefault(root, SourceFolder(root))
            _add(folder, path, resolved)
        else:
            errors.append(f"{path}:1: no such Markdown file or folder")
    for folder in folders.values():
        unique = {source.relative: source for source in folder.sources}
        folder.sources = sorted(unique.values(), key=lambda source: source.relative)
    return folders


def _add(folder: SourceFolder, path: Path, resolved: Path) -> None:
    if resolved.is_file():
        relative = resolved.relative_to(folder.root).as_posix()
        folder.sources.append(SourceFile(resolved, relative, str(path)))
        return
    folder.whole.append("" if resolved == folder.root
                        else resolved.relative_to(folder.root).as_posix())
    for file in article_files(resolved):
        relative = file.relative_to(folder.root).as_posix()
        folder.sources.append(SourceFile(file, relative, str(path / file.relative_to(resolved))))


def article_files(root: Path) -> list[Path]:
    """The folder's ``.md`` files, without fragments, hidden folders and README/TOC files."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(name for name in subdirectories
                                   if not name.startswith(".") and name != FRAGMENT_FOLDER)
        for name in files:
            if name.lower().endswith(".md") and name.lower() not in SKIPPED_FILE_NAMES \
                    and not name.startswith("."):
                found.append(Path(directory) / name)
    return found


def known_root(path: Path, include_self: bool) -> Path | None:
    """The nearest folder (``path`` itself or above) that items were imported from before, so
    that importing a sub-folder or a single file updates the same items."""
    candidates = [path, *path.parents] if include_self else list(path.parents)
    for candidate in candidates:
        if db.session.scalar(select(Article.id).where(
                Article.source_root == str(candidate)).limit(1)) is not None:
            return candidate
    return None
