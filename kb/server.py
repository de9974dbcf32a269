"""The production server: gunicorn with threaded worker processes, built by the app factory,
each of which also delivers the e-mail outbox in the background (``kb.alerts.worker``)."""

from __future__ import annotations

import errno
import gc
import logging
import socket
import sys
import threading

from gunicorn.app.base import BaseApplication

from kb.alerts.worker import start_in_background
from kb.links import serve_url
from kb.search.backend import backend

log = logging.getLogger(__name__)


class KbServer(BaseApplication):
    def __init__(self, options: dict, app_settings: dict):
        self.options = options
        self.app_settings = app_settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:
            # gunicorn 24+ listens for commands on ~/.gunicorn/gunicorn.ctl, one path for every
            # server the user runs (the last one started takes it): kb offers no such interface
            self.cfg.set("control_socket_disable", True)

    def load(self):
        from kb import create_process_app

        return create_process_app(self.app_settings)


def _after_worker_init(worker) -> None:
    try:
        with worker.wsgi.app_context():
            backend().warm()
        _warm_every_thread(worker)
    except Exception:  # noqa: BLE001 - a cold cache is slower, never fatal
        log.exception("warming the search caches failed")
    # the application's modules, templates, tables and warmed caches are loaded for good: the
    # garbage collector's full passes need not walk them again (under load those passes took
    # 0.2-1.9 s each, with every request of the worker waiting)
    gc.freeze()
    worker.kb_outbox_stop = start_in_background(worker.wsgi)


def _warm_every_thread(worker) -> None:
    """What each request thread holds (a Whoosh searcher) opened before the worker serves: the
    threads' first requests come together, and opening it then had each wait for the others."""
    threads = worker.cfg.threads
    # every task waits for the others, so that the pool starts a thread for each
    together = threading.Barrier(threads)

    def open_searcher() -> None:
        together.wait(timeout=60)
        with worker.wsgi.app_context():
            backend().warm_thread()

    for opening in [worker.tpool.submit(open_searcher) for _ in range(threads)]:
        opening.result(timeout=120)


def _stop_outbox_delivery(server, worker) -> None:
    stop = getattr(worker, "kb_outbox_stop", None)
    if stop is not None:
        stop.set()


class PortInUse(Exception):
    pass


def refuse_a_taken_port(host: str, port: int) -> None:
    """Raise PortInUse when something listens on the address already. The workers bind with
    SO_REUSEPORT, which would let a second kb serve (an old one left running) share the port
    and half the connections; a plain bind fails where any socket listens."""
    family, kind, protocol, _, address = socket.getaddrinfo(host, port,
                                                            type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # connections closing
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise PortInUse(f"{host}:{port} is in use: is kb serve running already?") from None


def run(host: str, port: int, workers: int, threads: int) -> None:
    KbServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            # gthread: the worker's heartbeat runs beside the requests, so a long download is
            # never killed by the worker timeout, and one slow client holds one thread only
            "worker_class": "gthread",
            "threads": threads,
            # a listening socket per worker (SO_REUSEPORT): Linux spreads new connections over
            # the workers. On one shared socket the first worker to wake took them all: a
            # client's connections, kept alive, then had one core while the others idled.
            # (BSD and macOS give every connection to one of such sockets: shared there)
            "reuse_port": sys.platform.startswith("linux"),
            # gunicorn's most (its default, 4094, answers its own HTML 414 before kb sees the
            # request): a search of 500 characters, kb's limit, in Korean is some 4,500 bytes
            # once percent-encoded, and the API's answers are JSON
            "limit_request_line": 8190,
            "timeout": 60,
            "graceful_timeout": 30,
            "keepalive": 5,
            "accesslog": "-",
            "proc_name": "kb",
            # every worker drains the e-mail outbox in a thread; leases keep them apart
            "post_worker_init": _after_worker_init,
            "worker_exit": _stop_outbox_delivery,
        },
        # links made outside a request (e-mail, background work) name this address unless
        # KB_BASE_URL is set
        {"SERVE_URL": serve_url(host, port)},
    ).run()
