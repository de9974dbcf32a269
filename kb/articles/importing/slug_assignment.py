"""Which slug each content file's item gets: as written, as imported before, or from
its path; unique within the folder and never another folder's or the browser's."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from kb import db
from kb.articles.importing.report import ExistingItem, ImportReport, fail
from kb.articles.importing.source_files import SourceFile, SourceFolder
from kb.articles.models import Article

SLUG_SEGMENT = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 300
QUERY_CHUNK = 500
RELEASE_NOTE_FOLDERS = ("release-notes", "release-note", "releasenotes")


def default_slug(relative: str, type_: str = "article") -> str:
    """``Admin/Set Up_Mail.md`` -> ``admin/set-up-mail``; a release note's leading
    ``release-notes/`` folder is left out (its address already says it: /release-notes/...)."""
    segments = []
    for part in Path(relative).with_suffix("").parts:
        segment = SLUG_SEGMENT.sub("-", part.lower()).strip("-")
        if segment:
            segments.append(segment)
    if type_ == "release-note" and len(segments) > 1 and segments[0] in RELEASE_NOTE_FOLDERS:
        segments = segments[1:]
    return "/".join(segments) or "article"


def _normalized_slug(slug: str) -> str:
    return "/".join(part for part in (SLUG_SEGMENT.sub("-", segment.lower()).strip("-")
                                      for segment in slug.split("/")) if part)


def assign_slugs(folder: SourceFolder, sources: list[SourceFile], existing: dict[int, ExistingItem],
                  by_path: dict[str, ExistingItem], report: ImportReport) -> None:
    """Explicit slugs as written; an imported item keeps its slug; new files get one from
    their path, made unique. A slug held by an item of another folder or written in the
    browser is an error for the file."""
    taken_here: dict[str, SourceFile] = {}
    owner_by_slug = {item.slug: item for item in existing.values()}
    for source in sources:
        known = by_path.get(source.relative)
        source.article_id = known.id if known else None
        explicit = _normalized_slug(source.parsed.fields.slug or "")
        if source.parsed.explicit_slug and not explicit:
            fail(report, source, 1, f"slug {source.parsed.fields.slug!r} has no letters or"
                                     " digits")
            continue
        wanted = explicit or (known.slug if known else default_slug(source.relative,
                                                                 source.parsed.fields.type))
        if len(wanted) > MAX_SLUG:
            fail(report, source, 1, f"the slug is longer than {MAX_SLUG} characters")
            continue
        if explicit and explicit in taken_here:
            fail(report, source, 1, f"slug {explicit!r} is also used by"
                                     f" {taken_here[explicit].shown}")
            continue
        source.slug = wanted if explicit else _unique(wanted, taken_here, owner_by_slug, known)
        taken_here[source.slug] = source
        owner = owner_by_slug.get(source.slug)
        if owner is not None and owner.id != source.article_id:
            _take_over_if_gone(folder, source, owner, report)
    _check_foreign_slugs(folder.root, sources, report)


def _unique(wanted: str, taken_here: dict, owner_by_slug: dict, known: ExistingItem | None) -> str:
    slug, number = wanted, 1
    while slug in taken_here or (
            slug in owner_by_slug and (known is None or owner_by_slug[slug].id != known.id)
            and not _gone_owner(owner_by_slug[slug])):
        number += 1
        slug = f"{wanted}-{number}"
    return slug


def _gone_owner(owner: ExistingItem) -> bool:
    return owner.status == "archived" and owner.source_hash is None


def _take_over_if_gone(folder: SourceFolder, source: SourceFile, owner: ExistingItem,
                       report: ImportReport) -> None:
    """Another item of this folder holds the slug: a file renamed (the old file is gone)
    takes its item over; two files wanting one slug is an error."""
    if (folder.root / owner.source_path).exists():
        fail(report, source, 1, f"slug {source.slug!r} is already used by"
                                 f" {owner.source_path} of the same folder")
    elif source.article_id is None:
        source.article_id = owner.id


def _check_foreign_slugs(root: Path, sources: list[SourceFile], report: ImportReport) -> None:
    wanted = {source.slug: source for source in sources if not source.failed}
    slugs = list(wanted)
    for start in range(0, len(slugs), QUERY_CHUNK):
        rows = db.session.execute(select(Article.slug, Article.source_root).where(
            Article.slug.in_(slugs[start:start + QUERY_CHUNK])))
        for slug, source_root in rows:
            if source_root == str(root):
                continue
            where = f"imported from {source_root}" if source_root else "written in the browser"
            fail(report, wanted[slug], 1, f"slug {slug!r} is already used by an article {where};"
                                           " set another 'slug:'")
