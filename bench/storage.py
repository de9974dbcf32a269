"""The two file stores side by side: a file streamed in, read back whole, and read as
resumed ranges; for S3, against moto in server mode on loopback (a stand-in in its own
process: the figures show kb's own overhead, not a real store's network).

    .venv/bin/python -m bench.storage [--mib 64]

Prints MiB/s for each step and the peak memory of the upload (tracemalloc)."""

from __future__ import annotations

import argparse
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from kb.storage import LocalFileStore, store_at

BLOCK = 1024 * 1024


def _source(mib: int):
    block = hashlib.sha256(b"bench").digest() * (BLOCK // 32)
    for _ in range(mib):
        yield block


def _measure(store, mib: int) -> dict[str, float]:
    figures = {}
    tracemalloc.start()
    started = time.perf_counter()
    staged = store.stage()
    for chunk in _source(mib):
        staged.write(chunk)
    blob = store.save(staged)
    figures["upload MiB/s"] = mib / (time.perf_counter() - started)
    figures["upload peak MiB"] = tracemalloc.get_traced_memory()[1] / BLOCK
    tracemalloc.stop()
    started = time.perf_counter()
    store.verify(blob.key, blob.sha256, blob.size, "bench")
    figures["verify MiB/s"] = mib / (time.perf_counter() - started)
    started = time.perf_counter()
    step = blob.size // 8
    for start in range(0, blob.size, step):
        with store.open(blob.key, start, min(start + step, blob.size)) as reader:
            while reader.read(256 * 1024):
                pass
    figures["8 ranges MiB/s"] = mib / (time.perf_counter() - started)
    store.delete(blob.key)
    return figures


def _start_moto() -> tuple[subprocess.Popen, str]:
    """moto in a process of its own, so that tracemalloc sees only kb's memory."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                               "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"http://127.0.0.1:{port}"
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("moto did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=64)
    mib = parser.parse_args().mib
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "bench")
    server, endpoint = _start_moto()
    try:
        with tempfile.TemporaryDirectory() as directory:
            local = LocalFileStore(Path(directory) / "files")
            bucket = f"bench-{uuid.uuid4().hex[:8]}"
            s3 = store_at(f"s3://{bucket}/kb", "files", endpoint_url=endpoint)
            s3.client.create_bucket(Bucket=bucket)
            rows = {"local": _measure(local, mib), "s3 (moto)": _measure(s3, mib)}
    finally:
        server.terminate()
        server.wait()
    print(f"{mib} MiB file")
    names = list(next(iter(rows.values())))
    print(f"{'store':<12}" + "".join(f"{name:>18}" for name in names))
    for store, figures in rows.items():
        print(f"{store:<12}" + "".join(f"{figures[name]:>18.1f}" for name in names))


if __name__ == "__main__":
    main()
