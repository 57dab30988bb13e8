"""The staff API — every path under /api/v1/staff — as one part of the app, built after start-up
(backend/core/lazy_part.py).

Its 200 routes are two thirds of the app's, and the modules behind them (the staff routers and
what only they use: exports, print-outs, queues, statistics) are imported only when it is built.
Each domain names its staff routers (`Domain.staff_routers`); `build_staff_router` imports them
and puts their routes into one APIRouter (core/routing.add_routes), in the domains' order. That
router runs inside the main app: the same middleware, error handlers and `request.app.state`.
`url_for` and the OpenAPI (`served_routes`) see its routes as if they were the app's own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import Any

from fastapi import FastAPI
from starlette.routing import BaseRoute

from backend.core.domain import Domain
from backend.core.lazy_part import LazyPart
from backend.core.routing import APIRouter, add_routes

PREFIX = "/api/v1/staff"


def load_router(reference: str) -> APIRouter:
    """ "backend.meals.staff_router" → its `router`; "module:attribute" → that attribute."""
    module, _, attribute = reference.partition(":")
    router = getattr(import_module(module), attribute or "router")
    if not isinstance(router, APIRouter):
        raise TypeError(f"{reference} is not an APIRouter")
    return router


def build_staff_router(domains: Iterable[Domain]) -> APIRouter:
    router = APIRouter()
    for domain in domains:
        for reference in domain.staff_routers:
            add_routes(router, load_router(reference))
    return router


class StaffApi(LazyPart):
    def __init__(self, domains: Sequence[Domain]) -> None:
        self.domains = tuple(domains)
        super().__init__(PREFIX, lambda: build_staff_router(self.domains))

    @property
    def router(self) -> APIRouter:
        """The staff API's router, built if it was not."""
        router = self.build()
        assert isinstance(router, APIRouter)
        return router

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        return self.router.url_path_for(name, **path_params)


def install_staff_api(app: FastAPI, domains: Sequence[Domain]) -> StaffApi:
    """The staff API as the app's first route: every /api/v1/staff path is its, whatever the
    other routes' patterns."""
    part = StaffApi(domains)
    app.router.routes.insert(0, part)
    return part


def served_routes(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """The app's routes with the staff API's in its place (built if it was not): what the
    OpenAPI document describes."""
    expanded: list[BaseRoute] = []
    for route in routes:
        expanded += route.router.routes if isinstance(route, StaffApi) else [route]
    return expanded
