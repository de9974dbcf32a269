"""Draining the outbox continuously: the loop of ``kb outbox run`` and of ``kb serve``. Each
round first runs the scheduled jobs (``kb.alerts.schedule``: reminders, digests), then
delivers e-mail when KB_SMTP_URL is set.

``kb serve`` runs the loop in a thread of every worker process, beside the request threads,
so a slow SMTP server never holds a request, and the loop survives as long as the server
(gunicorn replaces a dead worker, thread included). Several loops at once are safe: each
message is claimed under a lease by one of them (see ``kb.alerts.delivery``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask

from kb.alerts.delivery import Report, drain, worker_name
from kb.alerts.schedule import run_due_jobs

log = logging.getLogger(__name__)


def run_until_stopped(app: Flask, stop: threading.Event,
                      on_report: Callable[[Report], None] | None = None) -> None:
    """Run the due jobs and drain the outbox every OUTBOX_POLL_SECONDS until ``stop`` is set;
    an error in one round (database or SMTP trouble) is logged and the next round tries
    again."""
    worker = worker_name()
    while not stop.is_set():
        try:
            with app.app_context():
                run_due_jobs()
                report = drain(worker) if app.config["SMTP_URL"] else Report()
            if on_report and report.handled:
                on_report(report)
        except Exception:
            log.exception("delivering the outbox failed; trying again")
        stop.wait(app.config["OUTBOX_POLL_SECONDS"])


def start_in_background(app: Flask) -> threading.Event:
    """Start the loop in a daemon thread; the event stops it."""
    stop = threading.Event()
    thread = threading.Thread(target=run_until_stopped, args=(app, stop),
                              name="kb-outbox", daemon=True)
    thread.start()
    return stop
