"""The console as a part of the app built after start-up, not before it.

Importing the console's page modules and building their routes costs about 0.3 s of a worker's
start (import + start-up 1.73 s → 1.43 s with compiled bytecode, this machine, 2026-11-28), and
nothing of the mini-program API needs them. So
`install_lazy_console` puts one route at the end of the app's router that answers every
`/console` path with a FastAPI app of its own (backend/console/router.py builds it), and that
app is built:
- in a background thread as soon as start-up is done (`warm_in_background`), so the API answers
  /healthz a second sooner and the console is ready a moment later;
- or by the first /console request that finds it not built yet (it waits for the build).

The console app shares the main app's state (`request.app.state.ctx`), sits behind the main app's
middleware (the body limits) and has the console's own error pages and refusals."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI
from starlette._utils import get_route_path
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX = "/console"


def is_console_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


class LazyConsole(BaseRoute):
    def __init__(self, main: FastAPI) -> None:
        self.main = main
        self._app: ASGIApp | None = None
        self._lock = threading.Lock()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and is_console_path(get_route_path(scope)):
            return Match.FULL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    def build(self) -> ASGIApp:
        """The console app, built once per app (every caller after the first gets it)."""
        with self._lock:
            if self._app is None:
                from backend.console.router import create_console_app

                console = create_console_app()
                console.state = self.main.state  # the same ctx the API's requests use
                self._app = console
            return self._app

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        app: ASGIApp | None = self._app
        if app is None:
            app = await run_in_threadpool(self.build)
        await app(scope, receive, send)


def install_lazy_console(app: FastAPI) -> LazyConsole:
    route = LazyConsole(app)
    app.router.routes.append(route)
    return route


def warm_in_background(route: LazyConsole) -> threading.Thread:
    thread = threading.Thread(target=route.build, name="console-build", daemon=True)
    thread.start()
    return thread
