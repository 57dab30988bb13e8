"""Serve an ASGI app with uvicorn on a free loopback port in a background thread (tests, bench,
the fake WeChat API beside a test server)."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from typing import Any

import uvicorn

from backend.core.logging import logging_config
from backend.core.workers import run_workers


@dataclass
class RunningApp:
    app: Any
    base_url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_in_thread(app: Any, *, port: int | None = None) -> RunningApp:
    # The socket is bound here and handed to uvicorn, so no other process (a parallel test
    # worker) can take the port between choosing it and listening on it.
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit TCP_NODELAY from this socket. Without it (uvicorn sets it
    # only on sockets it binds itself) each answer's last segment waits for the client's
    # delayed ACK: ~40 ms of idle time per request on the loopback.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port or 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    waiter = threading.Event()
    while not server.started and thread.is_alive():
        waiter.wait(0.01)
    if not server.started:
        raise RuntimeError("the server did not start")
    return RunningApp(app=app, base_url=f"http://127.0.0.1:{port}", server=server, thread=thread)


def run_server(
    app: Any,
    *,
    host: str,
    port: int,
    workers: int = 1,
    limit_concurrency: int | None = None,
    log_level: str = "INFO",
    log_json: bool = False,
) -> int:
    """Run uvicorn in the foreground the way `junxiu serve` does: our logging configuration
    (one redacting handler) replaces uvicorn's own, in every worker. Several workers need `app`
    as an import string; each gets its own listening socket (see backend.core.workers).
    Returns the exit status."""
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "limit_concurrency": limit_concurrency,
        "log_config": logging_config(log_level, log_json),
        "log_level": log_level.lower(),
    }
    if workers > 1:
        if not isinstance(app, str):
            raise TypeError("several workers import the app themselves: pass 'module:attribute'")
        return run_workers(app, workers, options)
    uvicorn.run(app, **options)
    return 0
