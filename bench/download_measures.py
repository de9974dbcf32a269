"""What bench/download.py measures of a download through curl: throughput, Range request
times, a worker's memory growth, parallel downloads."""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
from pathlib import Path

MIB = 1024 * 1024
PARALLEL = 20


def curl(url: str, token: str | None, *extra: str) -> tuple[int, float, int]:
    """(exit code, seconds, bytes) of one curl download to /dev/null."""
    headers = ["-H", f"Authorization: Bearer {token}"] if token else []
    done = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w",
                           "%{time_total} %{size_download} %{http_code}", *headers, *extra,
                           url], capture_output=True, text=True)
    seconds, size, status = (done.stdout.split() + ["0", "0", "0"])[:3]
    ok = done.returncode == 0 and status in ("200", "206")
    return (0 if ok else (done.returncode or 1)), float(seconds), int(size)


def single_speed(url: str, token: str | None) -> float:
    """MiB/s of one whole-file download."""
    code, seconds, size = curl(url, token)
    if code:
        raise RuntimeError(f"download of {url} failed ({code})")
    return size / MIB / seconds


def interleaved(measure, kb_arguments: tuple, nginx_arguments: tuple,
                rounds: int) -> tuple[list, list]:
    """Alternate kb and nginx, so that drift and noise of a shared VM hit both alike."""
    kb_results, nginx_results = [], []
    for _ in range(rounds):
        kb_results.append(measure(*kb_arguments))
        nginx_results.append(measure(*nginx_arguments))
    return kb_results, nginx_results


def range_time(url: str, token: str | None, start: int) -> float:
    """Median milliseconds of a 1 MB Range request starting at ``start``."""
    times = [curl(url, token, "-r", f"{start}-{start + MIB - 1}")[1] for _ in range(7)]
    return statistics.median(times) * 1000


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def peak_rss_growth(master: int, url: str, token: str) -> tuple[float, int, float]:
    """(MiB: the largest rise of any worker's RSS above its level before the downloads,
    how many workers were watched, their largest RSS before, in MiB)."""
    pids = worker_pids(master)
    baseline = {pid: rss_kib(pid) for pid in pids}
    peak = dict(baseline)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_kib(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    for _ in range(2):
        curl(url, token)
    done.set()
    sampler.join()
    growth = max(peak[pid] - baseline[pid] for pid in pids) / 1024
    return growth, len(pids), max(baseline.values()) / 1024


def parallel(url: str, token: str | None, size: int) -> tuple[float, int]:
    """(total MiB/s, errors) of PARALLEL simultaneous whole-file downloads."""
    results: list[tuple[int, float, int]] = []
    threads = [threading.Thread(target=lambda: results.append(curl(url, token)))
               for _ in range(PARALLEL)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    errors = sum(1 for code, _, got in results if code or got != size)
    return sum(got for _, _, got in results) / MIB / elapsed, errors
