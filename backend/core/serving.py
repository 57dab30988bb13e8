"""Serve an ASGI app with uvicorn on a free loopback port in a background thread (tests, bench,
the fake WeChat API beside a test server)."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from typing import Any

import uvicorn


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
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    waiter = threading.Event()
    while not server.started and thread.is_alive():
        waiter.wait(0.01)
    if not server.started:
        raise RuntimeError("the server did not start")
    return RunningApp(app=app, base_url=f"http://127.0.0.1:{port}", server=server, thread=thread)
