"""Search under load: `kb serve` on the shared articles, `wrk -t2 -c16` for a minute with
queries that never repeat (1-3 words of the articles' titles, thousands of them) and snippets,
as an API client with a Bearer token would send them.

Prints, for each 10 s window: requests per second, p50 and p99 latency, errors, the workers' CPU
time per request (the figure to compare between runs on a shared machine), each worker's share
of a core and resident memory; then the figures against the goals (>= 150 req/s sustained, the
last window within 10% of the first, p99 <= 300 ms, flat memory per worker).

Run: ``.venv/bin/python -m bench.search_load [--data-dir DIR] [--seconds 60] [--workers 2]``.
Without ``--data-dir`` a new data directory is made and the shared articles imported into it
(a few minutes); with one that does not exist yet, it is made there and kept. Needs ``wrk``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KB_SHARED_DIR", REPO.parent / "shared"))
ARTICLES = SHARED / "corpus" / "articles"
KB = [sys.executable, "-m", "kb.cli"]
GOAL_RATE, GOAL_P99_MS, GOAL_DRIFT = 150.0, 300.0, 0.10

WRK_SCRIPT = r"""
local queries = {}
for line in io.lines(os.getenv("KB_LOAD_QUERIES")) do queries[#queries + 1] = line end
local token = os.getenv("KB_LOAD_TOKEN")
local first = tonumber(os.getenv("KB_LOAD_OFFSET"))
-- globals, not locals: thread:set and thread:get reach a thread's globals only
threads, counter, stride, offset, number = {}, 0, 1, 0, 0

function setup(thread)
  number = number + 1
  thread:set("offset", number - 1)
  thread:set("stride", tonumber(os.getenv("KB_LOAD_THREADS")))
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  local index = (first + offset + counter * stride) % #queries + 1
  counter = counter + 1
  return wrk.format("GET", "/api/v1/search?per_page=10&q=" .. queries[index])
end

function done(summary, latency, requests)
  local sent = 0
  for _, thread in ipairs(threads) do sent = sent + thread:get("counter") end
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_us": %d, "p99_us": %d, "errors": %d, "sent": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout, sent))
end
"""


def kb_environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "KB_DATA_DIR": str(data_dir), "KB_SECRET_KEY": "bench",
            "KB_DATABASE_URL": f"sqlite:///{data_dir / 'kb.sqlite3'}"}


def kb(data_dir: Path, *arguments: str) -> str:
    return subprocess.run([*KB, *arguments], env=kb_environment(data_dir), cwd=REPO,
                          check=True, capture_output=True, text=True).stdout


def prepare(data_dir: Path) -> None:
    """kb init, the demo accounts and content, and the shared articles imported."""
    if (data_dir / "kb.sqlite3").exists():
        return
    started = time.perf_counter()
    kb(data_dir, "init")
    kb(data_dir, "demo")
    kb(data_dir, "import", str(ARTICLES))
    print(f"data directory made and {ARTICLES} imported in {time.perf_counter() - started:.0f} s")


def title_queries(data_dir: Path, seed: int = 5) -> list[str]:
    """Every run of 1-3 consecutive words of the published titles, and every two words of a
    title with one between them, once each, shuffled: over 26,000 queries, more than a minute at
    the 340 req/s of two workers on two cores."""
    with sqlite3.connect(data_dir / "kb.sqlite3") as connection:
        titles = [row[0] for row in connection.execute("SELECT title FROM articles")]
    queries: set[str] = set()
    for title in titles:
        words = re.findall(r"[a-z0-9]+", title.lower())
        for length in (1, 2, 3):
            for start in range(len(words) - length + 1):
                queries.add("+".join(words[start:start + length]))
        for start in range(len(words) - 2):
            queries.add(f"{words[start]}+{words[start + 2]}")
    ordered = sorted(queries)
    random.Random(seed).shuffle(ordered)
    return ordered


@dataclass
class Window:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    memory_mb: list[float]
    worker_cpu_seconds: list[float]

    @property
    def cpu_seconds(self) -> float:
        return sum(self.worker_cpu_seconds)

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu_seconds / max(1, self.requests)

    @property
    def cpu_shares(self) -> list[float]:
        """Each worker's CPU time over the window's length (100%: one core all the time)."""
        return [seconds / self.seconds for seconds in self.worker_cpu_seconds]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


class Server:
    def __init__(self, data_dir: Path, workers: int, threads: int):
        self.port = free_port()
        self.log = open(data_dir / "bench-serve.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*KB, "serve", "--port", str(self.port), "--workers", str(workers),
             "--threads", str(threads)],
            env=kb_environment(data_dir), cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("kb serve did not come up: see bench-serve.log")

    def workers(self) -> list[str]:
        pid = self.process.pid
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()

    def worker_memory_mb(self) -> list[float]:
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes

    def worker_cpu_seconds(self) -> list[float]:
        """User and system time of each worker so far."""
        seconds = []
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds.append((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
        return seconds

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_window(port: int, token: str, queries_file: Path, offset: int, seconds: int,
               threads: int, connections: int, script: Path) -> dict:
    environment = {**os.environ, "KB_LOAD_QUERIES": str(queries_file), "KB_LOAD_TOKEN": token,
                   "KB_LOAD_OFFSET": str(offset), "KB_LOAD_THREADS": str(threads)}
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         "-s", str(script), f"http://127.0.0.1:{port}"],
        env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed: {done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="threads per server worker")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-search-load-") as scratch:
        data_dir = arguments.data_dir or Path(scratch) / "data"
        prepare(data_dir)
        load_run(data_dir, seconds=arguments.seconds, window=arguments.window,
                 workers=arguments.workers, threads=arguments.threads,
                 connections=arguments.connections, wrk_threads=arguments.wrk_threads)


def load_run(data_dir: Path, *, seconds: int = 60, window: int = 10, workers: int = 2,
             threads: int = 8, connections: int = 16, wrk_threads: int = 2) -> list[Window]:
    """The load run on a prepared data directory: prints each window and the report."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="kb-search-load-") as scratch:
        queries = title_queries(data_dir)
        queries_file = Path(scratch) / "queries.txt"
        queries_file.write_text("\n".join(queries) + "\n")
        script = Path(scratch) / "load.lua"
        script.write_text(WRK_SCRIPT)
        token = kb(data_dir, "token", "create", "elite@demo.test").strip().splitlines()[-1]
        print(f"{os.cpu_count()} CPU cores; kb serve --workers {workers} --threads {threads}; "
              f"wrk -t{wrk_threads} -c{connections}; {len(queries):,} distinct title queries")
        server = Server(data_dir, workers, threads)
        windows: list[Window] = []
        sent = 0
        try:
            print("  worker RSS before any request: "
                  + " ".join(f"{size:.0f}" for size in server.worker_memory_mb()) + " MB")
            for _ in range(seconds // window):
                cpu_before = server.worker_cpu_seconds()
                result = run_window(server.port, token, queries_file, sent, window,
                                    wrk_threads, connections, script)
                sent += result["sent"]
                windows.append(Window(result["requests"], result["seconds"],
                                      result["p50_us"] / 1000, result["p99_us"] / 1000,
                                      result["errors"], server.worker_memory_mb(),
                                      [after - before for before, after in
                                       zip(cpu_before, server.worker_cpu_seconds(),
                                           strict=False)]))
                print_window(windows[-1], len(windows) * window)
        finally:
            server.stop()
    report(windows, sent, len(queries))
    return windows


def print_window(last: Window, elapsed: int) -> None:
    print(f"  {elapsed:4d} s  {last.rate:7.1f} req/s   p50 {last.p50_ms:6.1f} ms   "
          f"p99 {last.p99_ms:6.1f} ms   errors {last.errors}   "
          f"CPU {last.cpu_ms_per_request:5.1f} ms/req   worker CPU "
          + " ".join(f"{share:.0%}" for share in last.cpu_shares) + "   RSS "
          + " ".join(f"{size:.0f}" for size in last.memory_mb) + " MB")


def report(windows: list[Window], sent: int, distinct: int) -> None:
    total = sum(window.requests for window in windows)
    rate = total / sum(window.seconds for window in windows)
    drift = abs(windows[-1].rate - windows[0].rate) / windows[0].rate
    worst_p99 = max(window.p99_ms for window in windows)
    growth = [after - before for before, after in
              zip(windows[0].memory_mb, windows[-1].memory_mb, strict=False)]
    print(f"sustained {rate:.1f} req/s over {len(windows)} windows ({total:,} requests; "
          f"{'no query repeated' if sent <= distinct else 'queries wrapped around'})")
    print(f"  goal >= {GOAL_RATE:.0f} req/s: {'met' if rate >= GOAL_RATE else 'NOT met'}")
    print(f"  last window vs first: {drift:.1%} apart (goal <= {GOAL_DRIFT:.0%}): "
          f"{'met' if drift <= GOAL_DRIFT else 'NOT met'}")
    print(f"  worst window p99 {worst_p99:.0f} ms (goal <= {GOAL_P99_MS:.0f} ms): "
          f"{'met' if worst_p99 <= GOAL_P99_MS else 'NOT met'}")
    middle = windows[len(windows) // 2 - 1].memory_mb
    print("  worker memory from the first window to the last: "
          + ", ".join(f"{change:+.0f} MB" for change in growth)
          + " (end: " + " ".join(f"{size:.0f}" for size in windows[-1].memory_mb) + " MB); "
          "over the second half: " + ", ".join(
              f"{after - before:+.0f} MB" for before, after in
              zip(middle, windows[-1].memory_mb, strict=False)))
    cpu = [window.cpu_ms_per_request for window in windows]
    print(f"  worker CPU per request: first window {cpu[0]:.1f} ms, last {cpu[-1]:.1f} ms, "
          f"run {sum(w.cpu_seconds for w in windows) * 1000 / max(1, total):.1f} ms")


if __name__ == "__main__":
    main()
