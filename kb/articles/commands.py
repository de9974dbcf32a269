"""``kb import``: content files into articles and release notes (see ``importer``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from kb import PROJECT_ROOT
from kb.articles.importing import importer


class _ProgressBars:
    """One terminal progress bar per stage (reading, writing), shown only on a terminal."""

    def __init__(self):
        self.bar = None
        self.stage = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = click.progressbar(length=total, label=stage.capitalize().ljust(8))
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def default_content_folder() -> Path:
    """``content/`` of the working directory, else the project's own."""
    here = Path("content")
    return here if here.is_dir() else PROJECT_ROOT / "content"


def load_demo_content(echo) -> None:
    """The demo's articles and release notes: the project's ``content/`` (idempotent)."""
    report = importer.import_paths([PROJECT_ROOT / "content"])
    for error in report.errors:
        echo(error)
    echo(f"Content: {summary(report)}")


@click.command("import")
@click.option("--keep-going", is_flag=True,
              help="Import the good files even if some are bad (still exits non-zero).")
@click.option("--prune", is_flag=True,
              help="Archive items imported from these folders whose files are gone.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def import_command(keep_going: bool, prune: bool, paths: tuple[Path, ...]) -> None:
    """Import Markdown content files or folders (default: content/)."""
    bars = _ProgressBars() if sys.stdout.isatty() else None
    try:
        report = importer.import_paths(list(paths) or [default_content_folder()],
                                       keep_going=keep_going, prune=prune, progress=bars)
    except SQLAlchemyError as error:
        # e.g. another import committed the same slug meanwhile; this one rolled back
        click.echo(f"The database refused the import, nothing was changed: "
                   f"{getattr(error, 'orig', None) or error}",
                   err=True)
        sys.exit(1)
    finally:
        if bars:
            bars.close()
    for error in report.errors:
        click.echo(error, err=True)
    click.echo(summary(report))
    if report.errors:
        sys.exit(1)


def summary(report: importer.ImportReport) -> str:
    counts = (f"{len(report.created)} created, {len(report.updated)} updated, "
              f"{len(report.unchanged)} unchanged, {len(report.archived)} archived")
    if not report.errors:
        return f"Imported {report.files} files: {counts}."
    if report.committed:
        return f"{len(report.errors)} bad files skipped; {counts}."
    return (f"{len(report.errors)} problems found; nothing was imported (fix them, or use "
            "--keep-going to import the good files).")
