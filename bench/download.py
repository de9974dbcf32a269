"""Benchmark: a 1 GiB patch file through `kb serve` against the same file served by nginx.

Publishes a 1 GiB file with `kb patch add` into a temporary data directory, starts `kb serve`
and nginx (Debian's, own minimal configuration, serving the stored file) on loopback, and
prints: single-download throughput of both and the ratio, the time of a 1 MB Range request at
the start and at the end of the file, the kb worker's peak memory growth during a download,
20 parallel downloads' total throughput and error count, and whether a rate-limited download
outlives a 5-second worker timeout. Goals: >= 80% of nginx, growth < 30 MB, zero errors.

Run (as root, for nginx):  .venv/bin/python bench/download.py [--size-mib 1024]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.download_measures import (  # noqa: E402
    MIB,
    PARALLEL,
    curl,
    interleaved,
    parallel,
    peak_rss_growth,
    range_time,
    single_speed,
)

KB = [sys.executable, "-m", "kb.cli"]
NGINX = "/usr/sbin/nginx"
RUNS = 7
PARALLEL_ROUNDS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def make_big_file(path: Path, size: int) -> None:
    block = os.urandom(MIB)
    with path.open("wb") as handle:
        for _ in range(size // MIB):
            handle.write(block)


class Bench:
    def __init__(self, work: Path, size: int):
        self.work = work
        self.size = size
        self.data = work / "data"
        self.environment = {**os.environ, "KB_DATA_DIR": str(self.data),
                            "KB_DATABASE_URL": "", "PYTHONUNBUFFERED": "1"}
        self.processes: list[subprocess.Popen] = []

    def kb(self, *arguments: str) -> str:
        done = subprocess.run([*KB, *arguments], env=self.environment, cwd=REPO_ROOT,
                              capture_output=True, text=True, check=True, timeout=900)
        return done.stdout.strip().splitlines()[-1]

    def start(self, command: list[str], log: str, **extra) -> subprocess.Popen:
        with (self.work / log).open("w") as output:
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True, **extra)
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def publish(self) -> tuple[str, str]:
        """(the new patch's id, a bearer token of an Elite customer)."""
        source = self.work / "service-pack-1gib.bin"
        make_big_file(source, self.size)
        self.kb("init")
        self.kb("demo")
        started = time.monotonic()
        patch_id = self.kb("patch", "add", "--product", "Orbit ERP", "--version", "12.0",
                           "--title", "Benchmark service pack", "--kind", "service-pack",
                           str(source))
        print(f"kb patch add of {self.size / MIB:.0f} MiB (store, hash, verify): "
              f"{time.monotonic() - started:.1f} s")
        source.unlink()
        return patch_id, self.kb("token", "create", "elite@demo.test")

    def start_kb(self, port: int, timeout: int | None = None) -> subprocess.Popen:
        if timeout is None:
            command = [*KB, "serve", "--port", str(port)]
        else:  # the same server with a short worker timeout, to show it never cuts a download
            options = {"bind": f"127.0.0.1:{port}", "workers": 2, "worker_class": "gthread",
                       "threads": 8, "timeout": timeout}
            command = [sys.executable, "-c",
                       f"from kb.server import KbServer; KbServer({options!r}).run()"]
        process = self.start(command, f"kb-{port}.log", env=self.environment, cwd=REPO_ROOT)
        wait_for(f"http://127.0.0.1:{port}/healthz")
        return process

    def start_nginx(self, port: int) -> None:
        prefix = self.work / "nginx"
        prefix.mkdir()
        (prefix / "nginx.conf").write_text(f"""
user root;
worker_processes 2;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {self.data / "files"};
        location / {{ default_type application/octet-stream; }}
    }}
}}
""")
        self.start([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], "nginx.log")
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    arguments = parser.parse_args()
    size = arguments.size_mib * MIB
    work = Path(tempfile.mkdtemp(prefix="kb-bench-download-"))
    bench = Bench(work, size)
    try:
        patch_id, token = bench.publish()
        kb_port, nginx_port, slow_port = free_port(), free_port(), free_port()
        kb_server = bench.start_kb(kb_port)
        bench.start_nginx(nginx_port)
        answer = urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{kb_port}/api/v1/patches/{patch_id}",
            headers={"Authorization": f"Bearer {token}"})).read()
        stored = json.loads(answer)["files"][0]
        kb_url, sha256 = stored["url"], stored["sha256"]
        nginx_url = f"http://127.0.0.1:{nginx_port}/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"
        for _ in range(4):  # every worker has loaded the app before anything is measured
            curl(kb_url, token, "-r", "0-0")

        kb_speeds, nginx_speeds = interleaved(single_speed, (kb_url, token), (nginx_url, None),
                                              RUNS)
        kb_speed, nginx_speed = statistics.median(kb_speeds), statistics.median(nginx_speeds)
        print(f"single download, median of {RUNS} interleaved: kb {kb_speed:,.0f} MiB/s "
              f"(best {max(kb_speeds):,.0f}), nginx {nginx_speed:,.0f} MiB/s "
              f"(best {max(nginx_speeds):,.0f}), ratio {kb_speed / nginx_speed:.0%} "
              "(goal >= 80%)")
        for name, url, auth in (("kb", kb_url, token), ("nginx", nginx_url, None)):
            print(f"1 MB Range request, {name}: at the start {range_time(url, auth, 0):.1f} ms,"
                  f" at the end {range_time(url, auth, size - MIB):.1f} ms")
        growth, workers, before = peak_rss_growth(kb_server.pid, kb_url, token)
        print(f"kb worker peak RSS growth during two whole downloads: {growth:.1f} MiB "
              f"(goal < 30 MB; {workers} workers sampled every 10 ms, RSS before "
              f"up to {before:.0f} MiB)")
        kb_rounds, nginx_rounds = interleaved(parallel, (kb_url, token, size),
                                              (nginx_url, None, size), PARALLEL_ROUNDS)
        for name, rounds in (("kb", kb_rounds), ("nginx", nginx_rounds)):
            speeds = [speed for speed, _ in rounds]
            print(f"{PARALLEL} parallel downloads, {name}, median of {PARALLEL_ROUNDS} rounds: "
                  f"{statistics.median(speeds):,.0f} MiB/s in total (rounds: "
                  f"{', '.join(f'{speed:,.0f}' for speed in speeds)}), "
                  f"{sum(errors for _, errors in rounds)} error(s)")
        ratio = statistics.median(s for s, _ in kb_rounds) / statistics.median(
            s for s, _ in nginx_rounds)
        print(f"parallel ratio kb/nginx: {ratio:.0%}")

        bench.start_kb(slow_port, timeout=5)
        slow_url = kb_url.replace(f":{kb_port}/", f":{slow_port}/")
        rate = max(1, size // MIB // 12)  # about 12 seconds, over twice the worker timeout
        code, seconds, got = curl(slow_url, token, "--limit-rate", f"{rate}M")
        print(f"rate-limited download with a 5 s worker timeout: {got:,} of {size:,} bytes in "
              f"{seconds:.1f} s, {'complete' if not code and got == size else 'CUT OFF'}")
        print(f"download records: {recorded(bench)}")
    finally:
        bench.stop_all()
        shutil.rmtree(work, ignore_errors=True)


def recorded(bench: Bench) -> str:
    script = ("from kb import create_app, db\nfrom sqlalchemy import select, func\n"
              "from kb.patches.models import Download\napp = create_app()\n"
              "with app.app_context():\n"
              "    rows = db.session.execute(select(Download.outcome, func.count())"
              ".group_by(Download.outcome)).all()\n"
              "    print(', '.join(f'{o}: {n}' for o, n in rows))\n")
    done = subprocess.run([sys.executable, "-c", script], env=bench.environment, cwd=REPO_ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


if __name__ == "__main__":
    main()
