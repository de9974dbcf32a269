"""The production server: gunicorn with threaded worker processes, built by the app factory."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class KbServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from kb import create_app

        return create_app()


def run(host: str, port: int, workers: int, threads: int) -> None:
    KbServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            # gthread: the worker's heartbeat runs beside the requests, so a long download is
            # never killed by the worker timeout, and one slow client holds one thread only
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 60,
            "graceful_timeout": 30,
            "keepalive": 5,
            "accesslog": "-",
            "proc_name": "kb",
        }
    ).run()
