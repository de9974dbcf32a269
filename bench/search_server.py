"""``kb`` commands and ``kb serve`` for the search speed bench (bench/search.py): searching and
publishing through HTTP on loopback."""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KB = [sys.executable, "-m", "kb.cli"]


def environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "KB_DATA_DIR": str(data_dir), "KB_SECRET_KEY": "bench",
            "KB_DATABASE_URL": f"sqlite:///{data_dir / 'kb.sqlite3'}"}


def kb(data_dir: Path, *arguments: str) -> str:
    done = subprocess.run([*KB, *arguments], env=environment(data_dir), cwd=REPO, check=True,
                          capture_output=True, text=True)
    return done.stdout


class Server:
    def __init__(self, data_dir: Path, workers: int):
        with socket_port() as port:
            self.port = port
        self.log = (data_dir / "serve.log").open("w")
        self.process = subprocess.Popen(
            [*KB, "serve", "--port", str(self.port), "--workers", str(workers)],
            env=environment(data_dir), cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("kb serve did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


class socket_port:
    def __enter__(self) -> int:
        import socket

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        return self.socket.getsockname()[1]

    def __exit__(self, *_):
        self.socket.close()


def over_http(port: int, token: str, queries: list[str]) -> tuple[list[float], int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"}
    samples, failures = [], 0
    for text in [queries[0], *queries]:
        started = time.perf_counter()
        connection.request("GET", "/api/v1/search?" + urllib.parse.urlencode(
            {"q": text, "per_page": 10}), headers=headers)
        response = connection.getresponse()
        response.read()
        failures += response.status != 200
        samples.append(time.perf_counter() - started)
    return samples[1:], failures


def publish_to_searchable(port: int, token: str) -> float:
    """Seconds from the start of a publish (service call, commit, index write) until a search
    through HTTP finds it."""
    from tests.search.writer import publish

    word = f"quokka{random.randrange(10**9)}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    publish(f"Benchmark {word}", f"The {word} appears.")
    while True:
        connection.request("GET", f"/api/v1/search?q={word}",
                           headers={"Authorization": f"Bearer {token}"})
        if json.loads(connection.getresponse().read())["total"] == 1:
            return time.perf_counter() - started
