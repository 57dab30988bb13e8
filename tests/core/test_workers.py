"""`junxiu serve --workers N`: every worker has its own listening socket, so a burst of
keep-alive connections is spread over the workers by the kernel instead of landing in whichever
worker wakes first; a worker that dies is replaced; SIGTERM stops them all; a broken app stops
the server instead of restarting forever.

The supervisor is started for real (`python -m backend.core.workers`) on a tiny app that answers
with its worker's pid."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.core import serving, workers
from backend.core.serving import free_port
from backend.core.workers import command, listening_sockets, worker_pids

REPO = Path(__file__).resolve().parents[2]
CONNECTIONS = 200
DEADLINE_S = 60.0


def _until(condition: Any, what: str) -> None:
    """Wait for a condition the test cannot be told about (another process's state)."""
    waiter = threading.Event()
    for _ in range(int(DEADLINE_S / 0.02)):
        if condition():
            return
        waiter.wait(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _start(port: int, *, workers: int = 2, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command("tests.core.pid_app:app", port=port, workers=workers),
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )  # its log goes to pytest's captured stderr, shown when a test fails


def _pid_from(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/")
        return int(connection.getresponse().read())
    finally:
        connection.close()


def _gone(pid: int) -> bool:
    """Ended (or a zombie nobody has reaped yet): /proc shows no command line."""
    try:
        return not Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def supervisor() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    process = _start(port)
    try:
        _until(lambda: listening_sockets(port) == 2, "two listening workers")
        yield process, port
    finally:
        _stop(process)


def _state(pid: int) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("State:"):
            return line.split()[1]
    return "?"


def test_connections_that_come_while_a_worker_is_busy_still_reach_it(
    supervisor: tuple[subprocess.Popen[bytes], int],
) -> None:
    """A burst of keep-alive connections (a proxy's pool, the load client) arrives while one
    worker is off the CPU — here stopped outright. With one shared socket the other worker
    accepted all 200 and kept them; with a socket each, the busy worker's share waits in its
    own queue and is served when it runs again."""
    process, port = supervisor
    busy = min(worker_pids(process.pid))
    os.kill(busy, signal.SIGSTOP)
    connections = [
        http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(CONNECTIONS)
    ]
    try:
        _until(lambda: _state(busy) == "T", "the worker to stop")
        for connection in connections:
            connection.connect()  # the kernel completes the handshake; no worker is needed
        os.kill(busy, signal.SIGCONT)
        served: Counter[int] = Counter()
        for connection in connections:
            connection.request("GET", "/")
            served[int(connection.getresponse().read())] += 1
    finally:
        os.kill(busy, signal.SIGCONT)
        for connection in connections:
            connection.close()
    assert len(served) == 2, served
    # Hashed over 2 sockets, 200 connections split 100 ± 7; 130 is more than 4 deviations out.
    assert max(served.values()) <= 0.65 * CONNECTIONS, served


def test_a_worker_that_dies_is_replaced(supervisor: tuple[subprocess.Popen[bytes], int]) -> None:
    process, port = supervisor
    first = worker_pids(process.pid)
    victim = _pid_from(port)
    assert victim in first
    os.kill(victim, signal.SIGKILL)
    _until(lambda: len(worker_pids(process.pid) - first) == 1, "a new worker")
    _until(lambda: listening_sockets(port) == 2, "the new worker's socket")
    seen = {_pid_from(port) for _ in range(40)}
    assert victim not in seen
    assert process.poll() is None


def test_sigterm_stops_every_worker_and_exits_cleanly(
    supervisor: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = supervisor
    workers = worker_pids(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=DEADLINE_S) == 0
    assert listening_sockets(port) == 0
    assert len(workers) == 2
    assert all(_gone(pid) for pid in workers)


def test_workers_do_not_outlive_a_killed_supervisor(
    supervisor: tuple[subprocess.Popen[bytes], int],
) -> None:
    """SIGKILL gives the supervisor no chance to stop its workers; the kernel tells them
    (PR_SET_PDEATHSIG), so none is left holding the port for a later server to share."""
    process, port = supervisor
    workers = worker_pids(process.pid)
    process.kill()
    process.wait()
    _until(lambda: all(_gone(pid) for pid in workers), "the workers to end")
    _until(lambda: listening_sockets(port) == 0, "the port to be free")


def test_a_forked_worker_begins_with_a_new_interpreter_s_signal_handlers() -> None:
    """Workers are forked from the supervisor and would begin with its handlers, which only set
    the supervisor's flag (in the worker's copy). Until uvicorn installs its own, SIGTERM (the
    supervisor stopping, or the kernel when the supervisor dies) must end the worker."""
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGTERM, lambda *_: None)
        signal.signal(signal.SIGINT, lambda *_: None)
        workers.reset_signals()
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) == signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGINT, before[1])


def test_workers_are_forked_copies_of_the_supervisor(
    supervisor: tuple[subprocess.Popen[bytes], int],
) -> None:
    """No new interpreter a worker (no second import of uvicorn before the app's): each has the
    supervisor's command line, which is how worker_pids tells them from other children."""
    process, _port = supervisor
    found = worker_pids(process.pid)
    assert len(found) == 2
    own = Path(f"/proc/{process.pid}/cmdline").read_bytes()
    assert all(Path(f"/proc/{pid}/cmdline").read_bytes() == own for pid in found)


@pytest.mark.parametrize("broken", ["FAIL_STARTUP", "FAIL_IMPORT"])
def test_an_app_that_cannot_start_stops_the_server(broken: str) -> None:
    """Its startup fails, or importing it raises: started again it would fail again, so the
    server stops with an error instead of starting workers for ever."""
    process = _start(free_port(), **{broken: "1"})
    try:
        assert process.wait(timeout=DEADLINE_S) == 1
    finally:
        _stop(process)


def test_serve_with_workers_runs_the_supervisor(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run_workers(target: str, count: int, options: dict[str, Any]) -> int:
        seen.update(target=target, count=count, **options)
        return 0

    monkeypatch.setattr(serving, "run_workers", fake_run_workers)
    status = serving.run_server(
        "backend.main:app", host="127.0.0.1", port=8123, workers=3, limit_concurrency=40
    )
    assert status == 0
    assert seen["target"] == "backend.main:app"
    assert seen["count"] == 3
    assert seen["port"] == 8123
    assert seen["limit_concurrency"] == 40
    assert "log_config" in seen  # the redacting handler, in every worker
    with pytest.raises(TypeError):
        serving.run_server(object(), host="127.0.0.1", port=8123, workers=2)
