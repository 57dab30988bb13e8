"""Several uvicorn worker processes, each accepting on its own listening socket.

uvicorn's own `--workers` binds one socket in the parent and hands it to every worker. All of
them wait on it, and asyncio accepts every pending connection in one go (up to the listen
backlog) in whichever worker wakes first: a burst of keep-alive connections, such as a reverse
proxy's upstream pool, lands almost whole in one worker (measured: 49/1, 47/3, 43/7 of 50) and
the other idles. Here every worker binds the same address with SO_REUSEPORT, so the kernel
keeps one listening socket per worker and hashes each new connection to one of them.

The parent only supervises: it starts the workers, starts a new one when one dies, and on
SIGINT or SIGTERM stops them all (each finishes the requests it holds). Workers are forked from
it, not spawned: a spawned worker started a new interpreter and imported uvicorn again before it
imported the app (measured: 3 MB more RSS a worker, and 0.12 s more to a bare app's first answer;
the product's start, whose import dwarfs it, showed no difference). The supervisor starts no
thread (`junxiu serve` neither), so forking it is safe. Each worker still imports the app
itself, as uvicorn's do. A worker that fails before it serves (the app's startup failed) stops
the whole server, as uvicorn does: it would fail the same way again.

This module needs only the standard library and uvicorn, so `bench` can start any checkout's app
with this very file (`python -m junxiu_workers TARGET --port P --workers N`)."""

from __future__ import annotations

import argparse
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

logger = logging.getLogger("uvicorn.error")
fork = multiprocessing.get_context("fork")

STOP_TIMEOUT_S = 30.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port that shares the port with the other workers' sockets."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # Accepted connections inherit TCP_NODELAY: no answer waits for the client's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


def listening_sockets(port: int) -> int:
    """How many sockets listen on `port` on this machine: one per worker once all have started
    (the first worker answers before the others listen)."""
    listening = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                listening += 1
    return listening


def worker_pids(supervisor: int) -> set[int]:
    """The pids of a running supervisor's workers, read from /proc: its children that are
    copies of it (forked: the same command line; not a zombie, whose command line is empty)."""
    found: set[int] = set()
    for task in Path(f"/proc/{supervisor}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    own = _cmdline(supervisor)
    return {pid for pid in found if own and _cmdline(pid) == own}


def _cmdline(pid: int) -> bytes:
    """A process's command line; empty once it has ended (or is a zombie)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _end_with_parent(parent: int) -> None:
    """Ask the kernel to stop this worker when the supervisor dies, even by SIGKILL: a worker
    left behind would keep its socket, and a new server on the port would share it unawares."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the supervisor died before the request took effect
        os._exit(1)


def reset_signals() -> None:
    """A forked worker begins with the supervisor's handlers, which would only set the
    supervisor's flag in the worker's copy: until uvicorn installs its own, SIGTERM ends the
    worker and SIGINT raises, as in a new interpreter."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _serve_one(target: str, options: dict[str, Any], parent: int) -> None:
    """One worker: its own socket, then uvicorn on it (uvicorn calls listen after the app's
    startup, so no connection is handed to a worker that cannot answer yet)."""
    reset_signals()
    _end_with_parent(parent)
    config = uvicorn.Config(target, **options)
    sock = listening_socket(config.host, config.port)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        if not server.started:
            # Ended before it served: the app failed to import (a wrong setting raising at import
            # ends the process with 1, not uvicorn's STARTUP_FAILURE) or to start. Said as one
            # exit code, so the supervisor stops instead of starting it again every few seconds.
            logging.shutdown()
            os._exit(STARTUP_FAILURE)


class Supervisor:
    """Keeps `count` workers serving `target` until told to stop."""

    def __init__(self, target: str, count: int, options: dict[str, Any]) -> None:
        self.target = target
        self.count = count
        self.options = options
        self.workers: list[BaseProcess] = []
        self.stopping = threading.Event()
        self.failed = False

    def _start_worker(self) -> BaseProcess:
        process = fork.Process(target=_serve_one, args=(self.target, self.options, os.getpid()))
        process.start()
        logger.info("Started worker process [%s]", process.pid)
        return process

    def _stop(self, signum: int, _frame: object) -> None:
        logger.info("Received %s, stopping the workers.", signal.Signals(signum).name)
        self.stopping.set()

    def run(self) -> int:
        """Serve until SIGINT or SIGTERM; the exit status for the whole server."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._stop)
        try:
            self.workers = [self._start_worker() for _ in range(self.count)]
            while not self.stopping.is_set():
                # Wakes when a worker exits, or every half second to see a signal's flag.
                wait([w.sentinel for w in self.workers], timeout=0.5)
                self._replace_dead()
        finally:
            self._stop_all()
        return 1 if self.failed else 0

    def _replace_dead(self) -> None:
        for index, worker in enumerate(self.workers):
            if worker.is_alive() or self.stopping.is_set():
                continue
            worker.join()
            if worker.exitcode == STARTUP_FAILURE:
                logger.error("Worker [%s] failed to start; stopping the server.", worker.pid)
                self.failed = True
                self.stopping.set()
                return
            logger.warning("Worker [%s] ended (%s); starting another.", worker.pid, worker.exitcode)
            self.workers[index] = self._start_worker()

    def _stop_all(self) -> None:
        for worker in self.workers:
            if worker.is_alive() and worker.pid is not None:
                os.kill(worker.pid, signal.SIGTERM)
        for worker in self.workers:
            worker.join(STOP_TIMEOUT_S)
            if worker.is_alive():
                logger.warning("Worker [%s] did not stop in time; killing it.", worker.pid)
                worker.kill()
                worker.join()


def run_workers(target: str, count: int, options: dict[str, Any]) -> int:
    """Serve the ASGI app named by `target` ("module:attribute") from `count` processes.
    `options` are uvicorn.Config's keyword arguments (host and port included)."""
    uvicorn.Config(target, **options)  # configures this process's logging as the workers' own
    return Supervisor(target, count, options).run()


def command(
    target: str,
    *,
    port: int,
    workers: int,
    module: str = __name__,
    limit_concurrency: int | None = None,
) -> list[str]:
    """The command line that starts this supervisor quietly (warnings only, no access log) on
    the loopback `port`: for the tests and the bench, which start it as a process of its own.
    `module`: the name this file is importable as there."""
    line = [sys.executable, "-m", module, target, "--port", str(port), "--workers", str(workers)]
    line += ["--log-level", "warning", "--no-access-log"]
    if limit_concurrency is not None:
        line += ["--limit-concurrency", str(limit_concurrency)]
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="junxiu_workers", description=__doc__.split("\n")[0])
    parser.add_argument("target")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit-concurrency", type=int, default=None)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--no-access-log", action="store_true")
    args = parser.parse_args(argv)
    options = {
        "host": args.host,
        "port": args.port,
        "limit_concurrency": args.limit_concurrency,
        "log_level": args.log_level,
        "access_log": not args.no_access_log,
    }
    return run_workers(args.target, args.workers, options)


if __name__ == "__main__":
    sys.exit(main())
