"""The console is built once per app, after start-up: whoever comes first (the background
thread, or a /console request that finds it not built) builds it and everyone else gets the
same app; paths outside /console never reach it."""

from __future__ import annotations

import threading

import httpx
import pytest
from starlette.routing import Match

from backend.app import create_app
from backend.console import lazy
from backend.console import router as console_router


def test_built_once_whoever_asks_first(settings, clock, cache, monkeypatch) -> None:
    built = []
    real = console_router.create_console_app

    def counting():  # type: ignore[no-untyped-def]
        built.append(1)
        return real()

    monkeypatch.setattr(console_router, "create_console_app", counting)
    app = create_app(settings, clock=clock, cache=cache, configure_logs=False)
    route = app.router.routes[-1]
    assert isinstance(route, lazy.LazyConsole)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(route.build())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and len({id(g) for g in got}) == 1
    assert got[0].state is app.state  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "console"),
    [
        ("/console", True),
        ("/console/medical", True),
        ("/consoles", False),
        ("/api/v1/me", False),
        ("/console-static", False),
    ],
)
def test_only_console_paths_match(path: str, console: bool, settings, clock, cache) -> None:
    app = create_app(settings, clock=clock, cache=cache, configure_logs=False)
    route = app.router.routes[-1]
    match, _ = route.matches({"type": "http", "path": path, "root_path": ""})
    assert (match == Match.FULL) is console


def test_the_console_answers_as_before(client: httpx.Client) -> None:
    page = client.get("/console/login")
    assert page.status_code == 200 and "登录" in page.text
    missing = client.get("/console/no-such-page")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
