"""Start an ASGI app under uvicorn the way production does, and read its cost from /proc:
CPU seconds of the supervisor and its workers, and each worker's resident memory.

Every app (the product, the bare baseline, a `BENCH_BEFORE` checkout) is started by this
checkout's worker supervisor (backend/core/workers.py, which `junxiu serve --workers N` runs),
copied under its own module name so that an older checkout is served the same way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from backend.core.workers import command, listening_sockets, worker_pids
from bench.common import free_port

REPO = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _postmaster() -> int | None:
    """The local PostgreSQL server's first process, or None (not on this machine, or unseen)."""
    for pid_file in Path("/var/run/postgresql").glob("*.pid"):
        try:
            return int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return None


def database_cpu() -> float:
    """CPU seconds the local PostgreSQL has used: its processes alive now, and (counted in the
    first process's cutime/cstime) every backend that has exited. 0 when it is not local."""
    root = _postmaster()
    if root is None:
        return 0.0
    try:
        fields = Path(f"/proc/{root}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    exited = (int(fields[13]) + int(fields[14])) / TICKS  # cutime + cstime
    return exited + sum(_cpu(p) for p in _tree(root))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Server:
    process: subprocess.Popen  # type: ignore[type-arg]
    port: int
    start_s: float

    def cpu(self) -> float:
        return sum(_cpu(p) for p in _tree(self.process.pid))

    def worker_cpu(self) -> dict[int, float]:
        """CPU seconds of each worker, by pid."""
        return {pid: _cpu(pid) for pid in self.workers()}

    def worker_rss_mb(self) -> list[float]:
        return [_rss_mb(p) for p in self.workers()]

    def workers(self) -> list[int]:
        return sorted(worker_pids(self.process.pid))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(
    target: str, env: dict[str, str], *, log: str, workers: int = WORKERS, repo: Path = REPO
) -> Server:
    """uvicorn `target` with the product's serving settings; returns once /healthz answers,
    with the time that took (cold start). `repo`: another checkout to serve the code of."""
    from backend.cli import compile_bytecode

    if repo == REPO:
        compile_bytecode()  # as `junxiu serve` does before it starts uvicorn
    else:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "backend", "bot"], cwd=repo, check=True
        )
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        command(target, port=port, workers=workers, module="junxiu_workers", limit_concurrency=250),
        cwd=repo,
        env={**os.environ, **env, "PYTHONPATH": f"{_supervisor_dir()}:{repo}"},
        stderr=open(log, "w"),  # noqa: SIM115
    )
    deadline = time.time() + 400
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    server = Server(process, port, time.perf_counter() - started)
                    _wait_for_listeners(server, workers, deadline)
                    return server
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.02)
    process.kill()
    raise RuntimeError(f"{target} did not start; see {log}")


_SUPERVISOR: list[str] = []


def _supervisor_dir() -> str:
    """A directory holding this checkout's worker supervisor as the module `junxiu_workers`."""
    if not _SUPERVISOR:
        folder = tempfile.mkdtemp(prefix="bench-supervisor-")
        shutil.copy(REPO / "backend" / "core" / "workers.py", Path(folder) / "junxiu_workers.py")
        _SUPERVISOR.append(folder)
    return _SUPERVISOR[0]


def _wait_for_listeners(server: Server, workers: int, deadline: float) -> None:
    """The first worker answers /healthz before the others listen; a load started then would
    open every connection to that worker. Wait until each worker has its socket."""
    while listening_sockets(server.port) < workers:
        if time.time() > deadline or server.process.poll() is not None:
            server.stop()
            raise RuntimeError(f"only {listening_sockets(server.port)} of {workers} workers listen")
        time.sleep(0.02)
