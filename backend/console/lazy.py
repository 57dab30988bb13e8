"""The console as a part of the app built after start-up, not before it (backend/core/lazy_part.py).

Importing the console's page modules and building their routes costs about 0.3 s of a worker's
start (import + start-up 1.73 s → 1.43 s with compiled bytecode, this machine, 2026-11-28), and
nothing of the mini-program API needs them. So `install_lazy_console` puts one route at the end
of the app's router that answers every `/console` path with a FastAPI app of its own
(backend/console/router.py builds it), built in the background after start-up or by the first
/console request that finds it not built yet.

The console app shares the main app's state (`request.app.state.ctx`), sits behind the main app's
middleware (the body limits) and has the console's own error pages and refusals."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from backend.core.lazy_part import LazyPart, under

PREFIX = "/console"


def is_console_path(path: str) -> bool:
    return under(PREFIX, path)


class LazyConsole(LazyPart):
    def __init__(self, main: FastAPI) -> None:
        self.main = main
        super().__init__(PREFIX, self._create_console)

    def _create_console(self) -> ASGIApp:
        from backend.console.router import create_console_app

        console = create_console_app()
        console.state = self.main.state  # the same ctx the API's requests use
        return console


def install_lazy_console(app: FastAPI) -> LazyConsole:
    route = LazyConsole(app)
    app.router.routes.append(route)
    return route
