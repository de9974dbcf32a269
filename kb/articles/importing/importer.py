"""``kb import``: content files and folders into articles and release notes, in one transaction.

Every file is read and checked before anything is written. By default one bad file means no
change at all; with ``keep_going`` the good files are imported and the bad ones listed. An
item remembers the folder it came from (``source_root``) and its path there; an import only
ever touches items of the folders it imports, never items of another folder or written in the
browser. Re-importing an unchanged file changes nothing (``source_hash``)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

from sqlalchemy import select

from kb import db, markdown, name_lookups
from kb.alerts import critical, release_notes
from kb.articles import service, slugs
from kb.articles.fields import apply_fields, check_fields
from kb.articles.importing import source_files
from kb.articles.importing.assembly import BodyAssembler, IncludeRefused
from kb.articles.importing.containment import FolderBounds
from kb.articles.importing.content_files import first_heading, parse_content_file
from kb.articles.importing.images import ImageRefused, content_images, store_content_images
from kb.articles.importing.report import ExistingItem, ImportReport, Progress, fail
from kb.articles.importing.slug_assignment import assign_slugs
from kb.articles.importing.source_files import SourceFile, SourceFolder
from kb.articles.models import Article
from kb.articles.revisions import add_revision
from kb.errors import Invalid

# raise when the way files become fields changes, so that the next import updates everything
IMPORT_FORMAT_VERSION = 1
ARTICLE_LINK = re.compile(r"\]\(/articles/([a-z0-9/\-]+)")
MAX_TITLE = 500


def import_paths(paths: list[Path], *, keep_going: bool = False, prune: bool = False,
                 progress: Progress | None = None) -> ImportReport:
    """Import content files and folders (see the module docstring). Commits once, or not at
    all when a file is bad and ``keep_going`` is false. Needs an app context."""
    report = ImportReport()
    folders = source_files.collect(paths, report.errors)
    report.files = sum(len(folder.sources) for folder in folders.values())
    plans = [_prepare(folder, report, progress) for folder in folders.values()]
    if report.errors and not keep_going:
        db.session.rollback()
        return report
    try:
        with name_lookups.remembered():  # each product, version and tag looked up once
            for folder, existing in plans:
                _write(folder, existing, report, progress)
                if prune and folder.whole:
                    _prune(folder, existing, report)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.committed = True
    return report


def _prepare(folder: SourceFolder, report: ImportReport, progress: Progress | None):
    """Read, check and assemble every file of the folder; nothing is written."""
    existing = _existing_items(folder.root)
    by_path = {item.source_path: item for item in existing.values()}
    total = len(folder.sources)
    for done, source in enumerate(folder.sources, 1):
        source.parsed = parse_content_file(source.path, source.relative)
        for problem in source.parsed.problems:
            fail(report, source, problem.line, problem.message)
        if progress:
            progress("reading", done, total)
    good = [source for source in folder.sources if not source.failed]
    assign_slugs(folder, good, existing, by_path, report)
    good = [source for source in good if not source.failed]
    article_slugs = {path.lower(): item.slug for path, item in by_path.items()
                     if item.status != "archived"}
    article_slugs.update({source.relative.lower(): source.slug for source in good})
    bounds = FolderBounds.of(folder.root)
    assembler = BodyAssembler(bounds, article_slugs)
    for source in good:
        _complete_fields(source, assembler, bounds, report)
        if not source.failed and _changed(source, existing):
            _render(source, report)
    return folder, existing


def _existing_items(root: Path) -> dict[int, ExistingItem]:
    rows = db.session.execute(
        select(Article.id, Article.slug, Article.source_path, Article.source_hash,
               Article.status).where(Article.source_root == str(root)))
    return {row.id: ExistingItem(*row) for row in rows}


def _complete_fields(source: SourceFile, assembler: BodyAssembler, bounds: FolderBounds,
                     report: ImportReport) -> None:
    fields = source.parsed.fields
    try:
        fields.body = assembler.assemble(source.path, fields.body, source.parsed.body_line)
        source.images = content_images(source.path, fields.body, bounds,
                                       source.parsed.body_line)
    except (IncludeRefused, ImageRefused) as refused:
        fail(report, source, refused.line, refused.message)
        return
    fields.title = (fields.title or first_heading(fields.body)
                    or source.parsed.fallback_title)[:MAX_TITLE]
    fields.slug = source.slug
    try:
        check_fields(fields)
    except Invalid as error:
        fail(report, source, 1, error.message)
        return
    # images only where there are some: the hash of a file without images stays as it was
    shown = [[image.name, image.sha256] for image in source.images]
    payload = json.dumps([IMPORT_FORMAT_VERSION, dataclasses.asdict(fields)] + (
        [shown] if shown else []), sort_keys=True, default=str)
    source.body_hash = hashlib.sha256(payload.encode()).hexdigest()


def _changed(source: SourceFile, existing: dict[int, ExistingItem]) -> bool:
    known = existing.get(source.article_id) if source.article_id else None
    return not (known and known.source_hash == source.body_hash
                and known.source_path == source.relative)


def _render(source: SourceFile, report: ImportReport) -> None:
    """Render before writing, so that a body the renderer cannot take is a file error."""
    try:
        source.rendered = markdown.render(source.parsed.fields.body, local_images=True)
    except markdown.RenderError as error:
        fail(report, source, 1, str(error))


def _write(folder: SourceFolder, existing: dict[int, ExistingItem], report: ImportReport,
           progress: Progress | None) -> None:
    sources = [source for source in folder.sources if not source.failed]
    release_notes = []
    for done, source in enumerate(sources, 1):
        if not _changed(source, existing):
            report.unchanged.append(existing[source.article_id].slug)
        else:
            article = _save(folder, source, report)
            if article.is_release_note:
                release_notes.append(article)
        if progress:
            progress("writing", done, len(sources))
    for note in release_notes:
        _relate_linked_articles(note)


def _save(folder: SourceFolder, source: SourceFile, report: ImportReport) -> Article:
    fields = source.parsed.fields
    if source.article_id is None:
        article = Article(source_root=str(folder.root), slug=source.slug, author=None)
        db.session.add(article)
        outcome = report.created
    else:
        article = db.session.get(Article, source.article_id)
        if article.slug != source.slug:
            slugs.move_slug(article, source.slug)
        outcome = report.updated
    article.source_path, article.source_hash = source.relative, source.body_hash
    _use_rendering(article, source)
    apply_fields(article, fields)
    db.session.flush()  # a new article's id, which its images name
    store_content_images(article, source.images)
    add_revision(article, None, "import")
    service.record_index_change(article)
    critical.announce_article(article)
    release_notes.announce_release_note(article)
    outcome.append(article.slug)
    return article


def _use_rendering(article: Article, source: SourceFile) -> None:
    """Hand the rendering done while checking to the article (``apply_fields`` then keeps it)
    and drop it from the source to keep memory flat."""
    rendered, source.rendered = source.rendered, None
    article.rendered_html, article.rendered_toc = rendered.html, rendered.toc
    article.rendered_text = rendered.text
    article.render_key = markdown.render_key(source.parsed.fields.body)


def _relate_linked_articles(note: Article) -> None:
    """A release note's articles are the articles its body links to."""
    slugs = list(dict.fromkeys(ARTICLE_LINK.findall(note.body)))
    note.related_articles = list(db.session.scalars(select(Article).where(
        Article.slug.in_(slugs), Article.type == "article").order_by(Article.title))) \
        if slugs else []


def _prune(folder: SourceFolder, existing: dict[int, ExistingItem], report: ImportReport) -> None:
    """Archive this folder's items whose file is gone (a file that failed to read still
    exists: its item is kept)."""
    present = {source.relative for source in folder.sources}
    prefixes = tuple(f"{sub}/" if sub else "" for sub in folder.whole)
    for item in existing.values():
        if item.source_path in present or item.status == "archived" \
                or not item.source_path.startswith(prefixes):
            continue
        if (folder.root / item.source_path).exists():
            continue
        article = db.session.get(Article, item.id)
        article.status, article.source_hash = "archived", None
        add_revision(article, None, "import: file removed")
        service.record_index_change(article)
        report.archived.append(article.slug)
