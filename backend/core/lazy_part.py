"""A part of the app built after start-up, not before it: one route that answers every path
under its prefix with an ASGI app of its own, built once.

Two parts are built this way: the staff API (backend/core/staff_api.py, every path under
/api/v1/staff) and the console (backend/console/lazy.py, /console). Nothing of the mini-program
API needs either, so a worker answers /healthz — and the retirees' requests — without having
imported or built them. Each part is built:
- in a background thread as soon as start-up is done (`build_in_background`), so it is ready a
  moment after the rest;
- or by the first request under its prefix that finds it not built yet (that request waits
  for the build, whoever started it; nobody builds it twice).
The parts are built one at a time, whoever builds them (one lock for all): FastAPI does not say
that building routes in two threads at once is safe, and a request that needs a part waits for
the build either way.

Matching costs one string comparison for a path outside the prefix, however many routes the
part holds: a retiree's request is no longer tried against the 200 staff routes first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from starlette._utils import get_route_path
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import ASGIApp, Receive, Scope, Send

# One build at a time, of any part (see the module docstring).
_BUILDING = threading.Lock()


def under(prefix: str, path: str) -> bool:
    """`path` is `prefix` itself or below it ("/console", not "/consoles")."""
    return path == prefix or path.startswith(prefix + "/")


class LazyPart(BaseRoute):
    def __init__(self, prefix: str, create: Callable[[], ASGIApp]) -> None:
        self.prefix = prefix
        self._create = create
        self._app: ASGIApp | None = None

    @property
    def built(self) -> bool:
        return self._app is not None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and under(self.prefix, get_route_path(scope)):
            return Match.FULL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    def build(self) -> ASGIApp:
        """The part's app, built once (every caller after the first gets the same one)."""
        with _BUILDING:
            if self._app is None:
                self._app = self._create()
            return self._app

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        app: ASGIApp | None = self._app
        if app is None:
            app = await run_in_threadpool(self.build)
        await app(scope, receive, send)


def build_in_background(*parts: LazyPart) -> threading.Thread:
    """One thread building each part in turn, in the order given."""

    def build_all() -> None:
        for part in parts:
            part.build()

    thread = threading.Thread(target=build_all, name="lazy-parts-build", daemon=True)
    thread.start()
    return thread
