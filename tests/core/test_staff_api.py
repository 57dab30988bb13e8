"""The staff API is one part of the app, built after start-up (backend/core/staff_api.py).
Every /api/v1/staff path is its and no other; it answers as the app's own routes did (errors,
wrong methods, url_for, the OpenAPI); a request that comes before the build waits for it. That
a worker starts without importing it: tests/core/test_startup_memory.py."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp

from backend.app import create_app
from backend.core import lazy_part
from backend.core.staff_api import PREFIX, StaffApi, build_staff_router, served_routes
from backend.domains import DOMAINS
from tests.factories import staff_headers


def _api_routes(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, APIRoute]]:
    """(full path, route) of every FastAPI route, through included routers."""
    found: list[tuple[str, APIRoute]] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            inner = prefix + (getattr(route.include_context, "prefix", "") or "")  # type: ignore[attr-defined]
            found += _api_routes(included.routes, inner)
        elif isinstance(route, APIRoute):
            found.append((prefix + route.path, route))
    return found


def test_every_staff_path_is_the_staff_apis_and_no_other_routes(settings, clock, cache) -> None:
    app = create_app(settings, clock=clock, cache=cache, configure_logs=False)
    assert isinstance(app.router.routes[0], StaffApi)  # first: nothing else can answer its paths
    staff = _api_routes(build_staff_router(DOMAINS).routes)
    others = _api_routes(app.router.routes)
    assert len(staff) >= 150 and others
    outside = [path for path, _ in staff if not path.startswith(PREFIX + "/")]
    assert outside == []
    inside = [path for path, _ in others if path == PREFIX or path.startswith(PREFIX + "/")]
    assert inside == []
    # Together they are every route the app serves, each once.
    served = _api_routes(served_routes(app.router.routes))
    both = sorted((p, sorted(r.methods)) for p, r in staff + others)
    assert sorted((p, sorted(r.methods)) for p, r in served) == both


@pytest.mark.parametrize(
    ("path", "staff"),
    [
        ("/api/v1/staff", True),
        ("/api/v1/staff/login", True),
        ("/api/v1/staff/sos/alerts", True),
        ("/api/v1/staffing", False),
        ("/api/v1/me", False),
        ("/console/staff", False),
    ],
)
def test_only_staff_paths_match(path: str, staff: bool, settings, clock, cache) -> None:
    app = create_app(settings, clock=clock, cache=cache, configure_logs=False)
    part = app.router.routes[0]
    match, _ = part.matches({"type": "http", "path": path, "root_path": ""})
    assert (match == Match.FULL) is staff


def test_the_staff_api_answers_as_the_apps_own_routes(client: httpx.Client, world) -> None:
    staff = staff_headers(client, "staff1")
    listed = client.get("/api/v1/staff/sos/alerts", headers=staff)
    assert listed.status_code == 200, listed.text
    anonymous = client.get("/api/v1/staff/sos/alerts")
    assert anonymous.status_code == 401 and anonymous.json()["message"]
    missing = client.get("/api/v1/staff/no-such-thing", headers=staff)
    assert missing.status_code == 404
    assert missing.json()["code"] and "没有" in missing.json()["message"]
    wrong_method = client.delete("/api/v1/staff/login")
    assert wrong_method.status_code == 405 and wrong_method.json()["message"]
    bad = client.post("/api/v1/staff/login", json={"username": ""})
    assert bad.status_code == 422 and all(
        "\u4e00" <= ch <= "\u9fff" for ch in bad.json()["message"][:1]
    )


def test_url_for_and_the_openapi_see_the_staff_routes(settings, clock, cache) -> None:
    app = create_app(settings, clock=clock, cache=cache, configure_logs=False)
    paths = app.openapi()["paths"]
    assert "/api/v1/staff/login" in paths and "/api/v1/me" in paths
    served = _api_routes(served_routes(app.router.routes))
    name = next(route.name for path, route in served if path == PREFIX + "/login")
    assert app.url_path_for(name) == "/api/v1/staff/login"


def test_built_once_whoever_asks_first(settings, clock, cache) -> None:
    app = create_app(settings, clock=clock, cache=cache, configure_logs=False)
    part = app.router.routes[0]
    assert isinstance(part, StaffApi) and not part.built
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(part.build())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert part.built and len({id(g) for g in got}) == 1


def test_a_request_before_the_build_waits_for_it_and_is_answered() -> None:
    """The part is not built when the request comes: the request builds it (once) and is
    answered by it; a path outside the prefix never builds it."""
    builds: list[int] = []

    def create() -> ASGIApp:
        builds.append(1)
        return PlainTextResponse("built part")

    part = lazy_part.LazyPart("/part", create)
    fallback = Starlette(routes=[part])

    async def ask(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=fallback)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.get(path)

    def asked(path: str) -> httpx.Response:  # a loop of its own, whatever runs this test
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, ask(path)).result()

    outside = asked("/other")
    assert outside.status_code == 404 and builds == [] and not part.built
    first, second = asked("/part/a"), asked("/part")
    assert first.text == second.text == "built part" and builds == [1]
