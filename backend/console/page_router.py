"""A console page module's router: its pages under /console, with the console's checks on every
route, given to each route when it is made.

Each route checks first that an id in its address can name a record (`ids_in_range`) and then,
for every page but the login page, that an unsafe request carries this session's CSRF token
(console/auth.require_csrf). The checks are the router's dependencies, so every route a page
module adds has them, and the console app takes the routes as they are (core/routing.add_routes)
instead of including each module's router with a prefix and the checks — which FastAPI does by
analysing every route a second time (4.7 MB of a worker's memory for the console's 187 routes).
tests/console/test_console_csrf.py walks every unsafe route over HTTP."""

from __future__ import annotations

from fastapi import Depends, Request

from backend.console.auth import require_csrf
from backend.console.lazy import PREFIX
from backend.core.errors import NotFound
from backend.core.inputs import MAX_ID
from backend.core.routing import APIRouter


async def ids_in_range(request: Request) -> None:
    """An id in a console address that no record can have (not a number, 0, beyond what the
    database holds) is "not found", shown as a page, before any page's own parsing."""
    for name, value in request.path_params.items():
        if name.endswith("_id") and not (str(value).isdigit() and 1 <= int(str(value)) <= MAX_ID):
            raise NotFound("没有找到。请从左边的菜单重新进入。")


def page_router(path: str = "", *, csrf: bool = True) -> APIRouter:
    """The router of the console pages under /console<path>. `csrf=False` only for the login
    page: the one form sent before there is a session."""
    checks = [Depends(ids_in_range)]
    if csrf:
        checks.append(Depends(require_csrf))
    return APIRouter(prefix=PREFIX + path, dependencies=checks, include_in_schema=False)
