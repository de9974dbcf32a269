"""``kb outbox run``, ``kb outbox status`` and ``kb outbox retry``."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from kb.alerts import addresses, delivery, outbox, worker
from kb.alerts.schedule import run_due_jobs


@click.group("outbox")
def outbox_group() -> None:
    """The e-mail outbox."""


def _echo_report(report: delivery.Report) -> None:
    for error in report.errors:
        click.echo(error, err=True)
    click.echo(f"Sent {report.sent}, to retry {report.retried}, failed {report.failed}"
               + (f", interrupted {report.interrupted}" if report.interrupted else "") + ".")


@outbox_group.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@with_appcontext
def run_command(once: bool) -> None:
    """Deliver queued e-mail through KB_SMTP_URL (until SIGTERM or Ctrl+C, or --once)."""
    if not current_app.config["SMTP_URL"]:
        raise click.ClickException("KB_SMTP_URL is not set: e-mail stays in the outbox.")
    try:
        delivery.smtp_server(current_app.config["SMTP_URL"])
    except ValueError as problem:
        raise click.ClickException(str(problem)) from None
    for warning in addresses.sender_warnings():
        click.echo(f"Warning: {warning}", err=True)
    if once:
        run_due_jobs()
        _echo_report(delivery.drain(delivery.worker_name()))
        return
    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    click.echo(f"Delivering e-mail every {current_app.config['OUTBOX_POLL_SECONDS']} s "
               "(Ctrl+C stops).")
    worker.run_until_stopped(current_app._get_current_object(), stop, _echo_report)


@outbox_group.command("status")
@with_appcontext
def status_command() -> None:
    """Messages by state, and the failed ones with their last error."""
    counts = outbox.counts_by_status()
    click.echo(", ".join(f"{status} {counts.get(status, 0)}"
                         for status in ("queued", "sending", "sent", "failed")))
    for message in outbox.failed_messages():
        click.echo(f"#{message.id} {message.recipient} {message.subject!r} "
                   f"after {message.attempts} attempt(s): {message.last_error}")


@outbox_group.command("retry")
@click.argument("message_ids", nargs=-1, type=int, required=True)
@with_appcontext
def retry_command(message_ids: tuple[int, ...]) -> None:
    """Queue failed messages again (they keep their Message-ID)."""
    named = set(message_ids)
    queued = outbox.requeue(list(named))
    click.echo(f"Queued {queued} message(s) again.")
    if queued < len(named):
        raise click.ClickException(
            f"{len(named) - queued} of the messages named are not failed ones, or do not exist: "
            "only failed messages are sent again ('kb outbox status' lists them).")
