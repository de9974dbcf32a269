"""``kb serve``'s workers share the connections: each worker listens on a socket of its own
(SO_REUSEPORT) and the kernel spreads new connections over them. On one shared socket the first
worker to wake accepted every connection a client opened at once, and kept them alive: under
load one worker served everything on one core while the other idled (bench/search_load.py's
windows alternated between 340 and 140 req/s)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.browser.conftest import LiveServer, running_server

LISTEN, ESTABLISHED = "0A", "01"
# both tests on one worker, which starts the module's one server
pytestmark = pytest.mark.xdist_group("scaleout-workers")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module: neither test changes what it serves."""
    directory = tmp_path_factory.mktemp("workers")
    with running_server(directory, workers=2, demo=False,
                        environment={"HOME": str(directory / "home")}) as live:
        yield live


def workers_of(live: LiveServer) -> list[int]:
    pid = live.process.pid
    return [int(child) for child in
            Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def socket_owners(pids: list[int]) -> dict[str, int]:
    """Socket inode -> the process holding it."""
    owners = {}
    for pid in pids:
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = descriptor.readlink().name
            except OSError:
                continue
            if target.startswith("socket:["):
                owners[target[8:-1]] = pid
    return owners


def sockets_on(port: int, state: str) -> list[tuple[int, str]]:
    """(remote port, inode) of the IPv4 sockets in ``state`` whose local port is ``port``."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == state:
            found.append((int(fields[2].split(":")[1], 16), fields[9]))
    return found


def listeners_by_worker(live: LiveServer, timeout: float = 60) -> dict[int, set[str]]:
    """Each worker's listening sockets, once both workers have booted."""
    deadline = time.monotonic() + timeout
    while True:
        workers = workers_of(live)
        owners = socket_owners(workers)
        listening: dict[int, set[str]] = {worker: set() for worker in workers}
        for _, inode in sockets_on(live.port, LISTEN):
            if inode in owners:
                listening[owners[inode]].add(inode)
        if (len(workers) == 2 and all(listening.values())) or time.monotonic() > deadline:
            return listening
        time.sleep(0.2)


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_each_worker_listens_and_connections_opened_at_once_reach_both(server):
    listening = listeners_by_worker(server)
    assert len(listening) == 2
    first, second = listening.values()
    assert first and second and not first & second  # a socket of each worker's own

    clients = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(16)]
    try:
        for client in clients:
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: kb.test\r\n\r\n")
        for client in clients:
            assert client.recv(64).startswith(b"HTTP/1.1 200")
        ours = {client.getsockname()[1] for client in clients}
        owners = socket_owners(workers_of(server))
        serving = {owners[inode] for remote, inode in sockets_on(server.port, ESTABLISHED)
                   if remote in ours and inode in owners}
        # 16 connections hashed over two sockets all land on one with odds of 1 in 32,768
        assert serving == set(listening)
        # and nothing else listens: gunicorn's control socket (a path shared by every server
        # of the user) is off
        assert not (Path(server.environment["HOME"]) / ".gunicorn").exists()
    finally:
        for client in clients:
            client.close()


def test_a_second_kb_serve_on_the_port_is_refused(server):
    listeners_by_worker(server)
    second = server.kb("serve", "--port", str(server.port), "--workers", "1", check=False)
    assert second.returncode != 0
    assert f"127.0.0.1:{server.port} is in use" in second.stderr
    assert len(workers_of(server)) == 2  # the first one serves on, alone
