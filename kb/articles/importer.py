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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from kb import db, markdown
from kb.alerts import critical
from kb.articles import import_files, service
from kb.articles.assembly import BodyAssembler, IncludeRefused
from kb.articles.containment import FolderBounds
from kb.articles.content_files import first_heading, parse_content_file
from kb.articles.import_files import SourceFile, SourceFolder
from kb.articles.models import Article, SlugRedirect
from kb.errors import Invalid

# raise when the way files become fields changes, so that the next import updates everything
IMPORT_FORMAT_VERSION = 1
SLUG_SEGMENT = re.compile(r"[^a-z0-9]+")
ARTICLE_LINK = re.compile(r"\]\(/articles/([a-z0-9/\-]+)")
MAX_TITLE = 500
MAX_SLUG = 300
QUERY_CHUNK = 500

Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    """What an import did: slugs per outcome, and ``PATH:LINE: what is wrong`` per problem."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Existing:
    id: int
    slug: str
    source_path: str
    source_hash: str | None
    status: str


def import_paths(paths: list[Path], *, keep_going: bool = False, prune: bool = False,
                 progress: Progress | None = None) -> ImportReport:
    """Import content files and folders (see the module docstring). Commits once, or not at
    all when a file is bad and ``keep_going`` is false. Needs an app context."""
    report = ImportReport()
    folders = import_files.collect(paths, report.errors)
    report.files = sum(len(folder.sources) for folder in folders.values())
    plans = [_prepare(folder, report, progress) for folder in folders.values()]
    if report.errors and not keep_going:
        db.session.rollback()
        return report
    try:
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
            _fail(report, source, problem.line, problem.message)
        if progress:
            progress("reading", done, total)
    good = [source for source in folder.sources if not source.failed]
    _assign_slugs(folder, good, existing, by_path, report)
    good = [source for source in good if not source.failed]
    article_slugs = {path.lower(): item.slug for path, item in by_path.items()
                     if item.status != "archived"}
    article_slugs.update({source.relative.lower(): source.slug for source in good})
    assembler = BodyAssembler(FolderBounds.of(folder.root), article_slugs)
    for source in good:
        _complete_fields(source, assembler, report)
        if not source.failed and _changed(source, existing):
            _render(source, report)
    return folder, existing


def _existing_items(root: Path) -> dict[int, _Existing]:
    rows = db.session.execute(
        select(Article.id, Article.slug, Article.source_path, Article.source_hash,
               Article.status).where(Article.source_root == str(root)))
    return {row.id: _Existing(*row) for row in rows}


RELEASE_NOTE_FOLDERS = ("release-notes", "release-note", "releasenotes")


def _fail(report: ImportReport, source: SourceFile, line: int, message: str) -> None:
    source.failed = True
    report.errors.append(f"{source.shown}:{line}: {message}")


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


def _assign_slugs(folder: SourceFolder, sources: list[SourceFile], existing: dict[int, _Existing],
                  by_path: dict[str, _Existing], report: ImportReport) -> None:
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
            _fail(report, source, 1, f"slug {source.parsed.fields.slug!r} has no letters or"
                                     " digits")
            continue
        wanted = explicit or (known.slug if known else default_slug(source.relative,
                                                                 source.parsed.fields.type))
        if len(wanted) > MAX_SLUG:
            _fail(report, source, 1, f"the slug is longer than {MAX_SLUG} characters")
            continue
        if explicit and explicit in taken_here:
            _fail(report, source, 1, f"slug {explicit!r} is also used by"
                                     f" {taken_here[explicit].shown}")
            continue
        source.slug = wanted if explicit else _unique(wanted, taken_here, owner_by_slug, known)
        taken_here[source.slug] = source
        owner = owner_by_slug.get(source.slug)
        if owner is not None and owner.id != source.article_id:
            _take_over_if_gone(folder, source, owner, report)
    _check_foreign_slugs(folder.root, sources, report)


def _unique(wanted: str, taken_here: dict, owner_by_slug: dict, known: _Existing | None) -> str:
    slug, number = wanted, 1
    while slug in taken_here or (
            slug in owner_by_slug and (known is None or owner_by_slug[slug].id != known.id)
            and not _gone_owner(owner_by_slug[slug])):
        number += 1
        slug = f"{wanted}-{number}"
    return slug


def _gone_owner(owner: _Existing) -> bool:
    return owner.status == "archived" and owner.source_hash is None


def _take_over_if_gone(folder: SourceFolder, source: SourceFile, owner: _Existing,
                       report: ImportReport) -> None:
    """Another item of this folder holds the slug: a file renamed (the old file is gone)
    takes its item over; two files wanting one slug is an error."""
    if (folder.root / owner.source_path).exists():
        _fail(report, source, 1, f"slug {source.slug!r} is already used by"
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
            _fail(report, wanted[slug], 1, f"slug {slug!r} is already used by an article {where};"
                                           " set another 'slug:'")


def _complete_fields(source: SourceFile, assembler: BodyAssembler, report: ImportReport) -> None:
    fields = source.parsed.fields
    try:
        fields.body = assembler.assemble(source.path, fields.body, source.parsed.body_line)
    except IncludeRefused as refused:
        _fail(report, source, refused.line, refused.message)
        return
    fields.title = (fields.title or first_heading(fields.body)
                    or source.parsed.fallback_title)[:MAX_TITLE]
    fields.slug = source.slug
    try:
        service.check_fields(fields)
    except Invalid as error:
        _fail(report, source, 1, error.message)
        return
    payload = json.dumps([IMPORT_FORMAT_VERSION, dataclasses.asdict(fields)], sort_keys=True,
                         default=str)
    source.body_hash = hashlib.sha256(payload.encode()).hexdigest()


def _changed(source: SourceFile, existing: dict[int, _Existing]) -> bool:
    known = existing.get(source.article_id) if source.article_id else None
    return not (known and known.source_hash == source.body_hash
                and known.source_path == source.relative)


def _render(source: SourceFile, report: ImportReport) -> None:
    """Render before writing, so that a body the renderer cannot take is a file error."""
    try:
        source.rendered = markdown.render(source.parsed.fields.body)
    except markdown.RenderError as error:
        _fail(report, source, 1, str(error))


def _write(folder: SourceFolder, existing: dict[int, _Existing], report: ImportReport,
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
            _redirect(article, source.slug)
        outcome = report.updated
    article.source_path, article.source_hash = source.relative, source.body_hash
    _use_rendering(article, source)
    service.apply_fields(article, fields)
    service.add_revision(article, None, "import")
    service.record_index_change(article)
    critical.announce_article(article)
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


def _redirect(article: Article, new_slug: str) -> None:
    """The article's old slug keeps leading to it; the new one is no longer a redirect."""
    redirects = {redirect.old_slug: redirect for redirect in db.session.scalars(
        select(SlugRedirect).where(SlugRedirect.old_slug.in_([article.slug, new_slug])))}
    if new_slug in redirects:
        db.session.delete(redirects[new_slug])
    if article.slug in redirects:
        redirects[article.slug].article_id = article.id
    else:
        db.session.add(SlugRedirect(old_slug=article.slug, article_id=article.id))
    article.slug = new_slug


def _prune(folder: SourceFolder, existing: dict[int, _Existing], report: ImportReport) -> None:
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
        service.add_revision(article, None, "import: file removed")
        service.record_index_change(article)
        report.archived.append(article.slug)
