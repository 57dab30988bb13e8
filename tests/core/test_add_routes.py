"""The app and the staff API take each domain's routes as they are (core/routing.add_routes):
what FastAPI's include_router serves, without analysing every route a second time."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI, HTTPException
from fastapi.testclient import TestClient

from backend.core.routing import APIRouter, OneHopRoute, add_routes
from backend.core.staff_api import build_staff_router, load_router
from backend.domains import DOMAINS


def _domain_routers() -> list[APIRouter]:
    routers = [router for domain in DOMAINS for router in domain.routers]
    staff = [load_router(ref) for domain in DOMAINS for ref in domain.staff_routers]
    return [*routers, *staff]


def test_every_domain_route_is_served_as_it_is(app_server) -> None:
    """No domain router is left to an inclusion (each would analyse its routes again and be
    asked on every request whether they changed): the app's and the staff API's routes are the
    very route objects the domains made."""
    served = {id(r) for r in app_server.app.router.routes}
    served |= {id(r) for r in build_staff_router(DOMAINS).routes}
    routes = [route for router in _domain_routers() for route in router.routes]
    assert len(routes) > 280
    assert all(isinstance(r, OneHopRoute) for r in routes)
    missing = [f"{r.methods} {r.path}" for r in _one_hop(routes) if id(r) not in served]
    assert not missing


def _one_hop(routes: list[Any]) -> list[OneHopRoute]:
    return [r for r in routes if isinstance(r, OneHopRoute)]


def test_every_console_route_is_served_as_it_is() -> None:
    """The console's page modules give their routes the /console prefix and the console's
    checks themselves (console/page_router.py), so none is left to an inclusion either."""
    from backend.console import pages_auth
    from backend.console.router import create_console_app, dashboard_router
    from tests.console.test_console_scope import _routers

    console = create_console_app()
    served = {id(r) for r in console.router.routes}
    routers = [*_routers(None), pages_auth.login_router, dashboard_router]
    routes = [r for router in routers for r in router.routes]
    assert len(routes) > 150
    missing = [f"{r.methods} {r.path}" for r in _one_hop(routes) if id(r) not in served]
    assert not missing
    assert all(r.path.startswith("/console") for r in _one_hop(routes))


def _openapi(add: Any) -> dict[str, Any]:
    app = FastAPI(title="t", version="1")
    for router in _domain_routers():
        add(app, router)
    return app.openapi()


def test_the_api_described_is_the_same_as_with_include_router() -> None:
    """Every path, operation id, parameter, body and answer model of every domain's routes, as
    FastAPI's own inclusion describes them."""
    included = _openapi(lambda app, router: app.include_router(router))
    added = _openapi(lambda app, router: add_routes(app.router, router))
    assert len(included["paths"]) > 200
    assert added == included


def _refuse() -> None:
    raise HTTPException(status_code=403, detail="不行")


def test_a_router_s_own_checks_stay_on_its_routes() -> None:
    """A router gives its dependencies to each route when the route is made: its routes are
    taken as they are, and still check."""
    guarded = APIRouter(prefix="/guarded", dependencies=[Depends(_refuse)])

    @guarded.get("/x")
    def x() -> dict[str, str]:
        return {"ok": "yes"}

    app = FastAPI()
    add_routes(app.router, guarded)
    assert [r for r in app.router.routes if getattr(r, "path", "") == "/guarded/x"]
    assert TestClient(app).get("/guarded/x").status_code == 403


def test_a_router_an_inclusion_would_change_is_included() -> None:
    """What an inclusion adds comes from where the router is included (here the app's own
    dependencies): then the router is included as FastAPI does, and the app's check applies."""
    plain = APIRouter(prefix="/plain")

    @plain.get("/y")
    def y() -> dict[str, str]:
        return {"ok": "yes"}

    app = FastAPI(dependencies=[Depends(_refuse)])
    add_routes(app.router, plain)
    assert not [r for r in app.router.routes if getattr(r, "path", "") == "/plain/y"]
    assert TestClient(app).get("/plain/y").status_code == 403
