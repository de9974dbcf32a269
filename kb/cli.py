"""The ``kb`` command: a Flask CLI group plus init, demo and serve; areas add their own."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

# set on the context of a `kb --help` whose settings kb cannot use: commands come from the
# bare command catalogue
LISTING_WITHOUT_SETTINGS = "kb.listing_without_settings"


def _create_app_for_cli() -> Flask:
    from kb import create_process_app
    from kb.config import ConfigurationError

    try:
        return create_process_app()
    except ConfigurationError as problem:
        raise click.ClickException(str(problem)) from None


class KbGroup(FlaskGroup):
    """Flask's command group, except that a setting kb cannot use is one line, never a
    traceback: a command that needs the application stops with it (exit 1), and ``kb --help``
    says it on stderr above the commands, listed then from kb's bare command catalogue."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except click.ClickException as problem:
            click.echo(f"Error: {problem.format_message()}", err=True)
            ctx.meta[LISTING_WITHOUT_SETTINGS] = True
            self._load_plugin_commands()
            return sorted({*click.Group.list_commands(self, ctx),
                           *_catalogue().cli.list_commands(ctx)})
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if ctx.meta.get(LISTING_WITHOUT_SETTINGS):
            return click.Group.get_command(self, ctx, name) or _catalogue().cli.get_command(
                ctx, name)
        return super().get_command(ctx, name)


@functools.cache
def _catalogue() -> Flask:
    """Built once: click asks for it once for the list and again for each command it shows."""
    from kb import command_catalogue

    return command_catalogue()


@click.group(cls=KbGroup, create_app=_create_app_for_cli, add_version_option=False,
             load_dotenv=False)
def main() -> None:
    """kb: the knowledge and learning portal of the support plans."""


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create the data directory and create or upgrade the database schema."""
    from kb import data_directory, migrate, search

    data_dir = Path(current_app.config["DATA_DIR"])
    for problem in data_directory.make_owner_only(data_dir):
        click.echo(f"Could not make owner-only: {problem}", err=True)
    migrate.upgrade_to_head(current_app)
    search.ensure_index()
    click.echo(f"Data directory: {data_dir} (owner-only)")
    click.echo(f"Database at revision {migrate.current_revision(current_app)}.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo organisations, users and content (idempotent)."""
    from kb import demo

    demo.load(echo=click.echo)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="KB_HOST")
@click.option("--port", default=8000, show_default=True, type=int, envvar="KB_PORT")
@click.option("--workers", default=None, type=int,
              help="Worker processes (default: 2 x CPU cores, at least 2).")
@click.option("--threads", default=8, show_default=True, type=int,
              help="Threads per worker; long downloads hold one thread, not a whole worker.")
def serve_command(host: str, port: int, workers: int | None, threads: int) -> None:
    """Run the production server (gunicorn, several worker processes)."""
    from kb.server import PortInUse, refuse_a_taken_port, run

    try:
        refuse_a_taken_port(host, port)
    except PortInUse as taken:
        raise click.ClickException(str(taken)) from None
    workers = workers or max(2, 2 * (os.cpu_count() or 1))
    click.echo(f"kb is serving on http://{host}:{port}/ with {workers} workers (Ctrl+C stops).")
    run(host=host, port=port, workers=workers, threads=threads)


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Look for settings kb runs with but should not (exit 1 when it finds one)."""
    from kb.alerts.addresses import sender_warnings

    warnings = sender_warnings()
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if warnings:
        raise SystemExit(1)
    click.echo("The settings look right.")


def init_app(app: Flask) -> None:
    for command in (init_command, demo_command, serve_command, check_command):
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
