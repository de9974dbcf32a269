"""``kb reindex`` and ``kb search apply|check``: thin wrappers over the search maintenance."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from kb import db
from kb.search import maintenance, sync
from kb.search.backend import backend


@click.command("reindex")
@click.option("--processes", type=int, default=None,
              help="Writer processes (default: the CPU cores, at most 4).")
@click.option("--memory-mb", type=click.IntRange(min=16), default=1024, show_default=True,
              help="Memory each writer process may fill before it sorts postings to disk.")
@with_appcontext
def reindex_command(processes: int | None, memory_mb: int) -> None:
    """Rebuild the search index from the database while the old one keeps serving."""
    session = db.database().sessionmaker()
    try:
        total = maintenance.count_items(session)
    finally:
        session.close()
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        result = maintenance.rebuild(bar.update, processes=processes, memory_mb=memory_mb)
    click.echo(f"Indexed {result.documents} documents into {result.where} and made it live"
               f" ({result.caught_up} items changed meanwhile were caught up).")
    if result.failed:
        click.echo(f"{result.failed} item(s) could not be indexed: 'kb search check' lists "
                   "them.", err=True)


@click.group("search")
def search_group() -> None:
    """The search index: apply queued changes, check and repair drift."""


def _require_a_live_index() -> None:
    """Say what to do when there is no index of this version to work on (the engine was just
    switched, or the data directory never saw `kb init`), instead of failing in the engine."""
    state = backend().health()
    if state.startswith(("missing", "outdated")):
        raise click.ClickException(f"The search index ({backend().name}) is {state}.")


@search_group.command("apply")
@with_appcontext
def apply_command() -> None:
    """Apply queued index changes (those a crash or a busy index left behind) and retry the
    items that could not be indexed."""
    _require_a_live_index()
    report = sync.apply_pending(retry_failed=True)
    click.echo(f"Applied {report.applied} item(s).")
    for (item_type, item_id), error in report.failed.items():
        click.echo(f"  failed {item_type}:{item_id}: {error}", err=True)
    if report.busy:
        click.echo(f"The index stayed busy: {report.busy}", err=True)
    if report.failed or report.busy:
        raise SystemExit(1)


@search_group.command("check")
@click.option("--repair/--no-repair", default=True, show_default=True,
              help="Rewrite the items whose documents drifted.")
@with_appcontext
def check_command(repair: bool) -> None:
    """Compare the index with the database; report (and repair) drift, and list the items
    that could not be indexed (exit code 1 while there are any)."""
    _require_a_live_index()
    drift = maintenance.check(repair=repair)
    for label, keys in (("missing", drift.missing), ("stale", drift.stale),
                        ("extra", drift.extra)):
        click.echo(f"{label}: {len(keys)}" + (f" ({', '.join(keys[:10])})" if keys else ""))
    click.echo(f"failed: {len(drift.failed)}")
    for failure in drift.failed:
        click.echo(f"  {failure.key}: {failure.error}")
    if drift.clean:
        click.echo("The index matches the database.")
    elif repair:
        click.echo(f"Repaired {drift.repaired} item(s).")
    if drift.failed or not (drift.clean or repair):
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(reindex_command)
    app.cli.add_command(search_group)
