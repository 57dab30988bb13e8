"""A cheap authenticated read costs one thread-pool hop (core/routing.py): the route's own, which
also commits; who is asking comes from Redis's copies on the event loop (accounts/deps.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import httpx
import pytest
from fastapi.routing import APIRoute

from backend.core.cache import RedisCache
from backend.core.routing import OneHopRoute
from backend.core.staff_api import build_staff_router
from backend.domains import DOMAINS
from tests.console.test_console_scope import _routers
from tests.factories import TLS, World, staff_headers, wechat_headers


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", route)  # an included router (FastAPI 0.165)
        yield from _api_routes(getattr(inner, "routes", []))


def test_every_route_is_a_one_hop_route(app_server) -> None:
    routes = [
        *_api_routes(app_server.app.routes),
        *_api_routes(build_staff_router(DOMAINS).routes),
        *(r for router in _routers(None) for r in _api_routes(router.routes)),
    ]
    assert len(routes) > 300
    plain = [f"{sorted(r.methods)} {r.path}" for r in routes if not isinstance(r, OneHopRoute)]
    assert not plain


@pytest.fixture
def hops(monkeypatch) -> list[str]:
    """What each request sent to the thread pool, by function name."""
    seen: list[str] = []
    real = anyio.to_thread.run_sync

    async def counting(func: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(func, "__name__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return seen


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me",
        "/api/v1/inbox",
        "/api/v1/activities?retiree_id={rid}",
        "/api/v1/bookings?retiree_id={rid}",
    ],
)
def test_a_cheap_read_takes_one_hop_with_redis_and_two_without(
    app_server, world: World, fake_wechat, cache, hops: list[str], path: str
) -> None:
    path = path.format(rid=world.retiree_a.id)
    with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=30) as c:
        bearer = wechat_headers(c, fake_wechat.base_url, "openid-a")
        assert c.get(path, headers=bearer).status_code == 200  # the copies made
        hops.clear()
        response = c.get(path, headers=bearer)
        assert response.status_code == 200, response.text
    # With Redis: the route (its COMMIT in the same hop). Without: who is asking, then the route.
    assert len(hops) == (1 if isinstance(cache, RedisCache) else 2), hops


def test_a_staff_read_takes_two_hops_with_redis_and_three_without(
    app_server, world: World, cache, hops: list[str]
) -> None:
    """Who the staff member is comes from Redis's copies on the event loop; their unit (one
    statement) and the route take a hop each."""
    with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=30) as c:
        bearer = staff_headers(c, "staff1")
        assert c.get("/api/v1/staff/bot/questions", headers=bearer).status_code == 200
        hops.clear()
        response = c.get("/api/v1/staff/bot/questions", headers=bearer)
        assert response.status_code == 200, response.text
    assert len(hops) == (2 if isinstance(cache, RedisCache) else 3), hops
