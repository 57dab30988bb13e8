"""The console's one CSRF check (console/auth.py require_csrf, on the console router): every
console route that can change something refuses a post without this session's token. The walk
reads the routes from the app, so a new console POST route is walked without being listed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from backend.console.auth import CSRF_HEADER, csrf_for
from tests.accounts.test_access_matrix import SECRET
from tests.console.test_console_scope import _routers
from tests.factories import PASSWORD, TLS, World

NO_SESSION = {"/console/login"}  # the only console form sent before there is a session
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _unsafe_console_routes() -> list[tuple[str, str]]:
    """Every console page module's routes (found by module name, like the scope walk)."""
    found = []
    for module_router in _routers(None):
        for route in module_router.routes:
            path = getattr(route, "path", "")
            if path in NO_SESSION:
                continue
            for method in sorted((getattr(route, "methods", None) or set()) & UNSAFE):
                found.append((method, path))
    return found


def _fill(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "vehicles" if m.group(1) == "kind" else "1", path)


@contextmanager
def _logged_in(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=base_url, timeout=30, follow_redirects=False) as client:
        response = client.post("/console/login", data={"username": "admin1", "password": PASSWORD})
        assert response.status_code == 303
        yield client


def test_every_unsafe_console_route_refuses_a_missing_or_wrong_token(
    app_server, world: World
) -> None:
    routes = _unsafe_console_routes()
    assert len(routes) > 40, "the walk found too few console routes"
    failures = []
    with _logged_in(app_server.base_url) as client:
        for method, template in routes:
            path = _fill(template)
            attempts: list[dict[str, Any]] = [
                {"data": {"note": "x"}},
                {"data": {"csrf": "not-the-token"}},
                {"data": {"csrf": "令牌"}},  # not ASCII: still a refusal, never a 500
                {"data": {}, "headers": {CSRF_HEADER: "not-the-token"}},
                {"data": {"csrf": ""}, "files": {"file": ("a.jpg", b"\xff\xd8\xff\xe0")}},
            ]
            for attempt in attempts:
                response = client.request(method, path, **attempt)
                if response.status_code != 403 or "过期" not in response.text:
                    failures.append(f"{method} {path} {attempt}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_session_token_is_accepted_from_the_form_or_a_header(app_server, world: World) -> None:
    with _logged_in(app_server.base_url) as client:
        token = csrf_for(SECRET, client.cookies["junxiu_console"])
        wrong = client.post("/console/logout", headers={CSRF_HEADER: token + "x"})
        assert wrong.status_code == 403
        by_header = client.post("/console/logout", headers={CSRF_HEADER: token})
        assert by_header.status_code == 303
    with _logged_in(app_server.base_url) as client:
        token = csrf_for(SECRET, client.cookies["junxiu_console"])
        by_form = client.post("/console/logout", data={"csrf": token})
        assert by_form.status_code == 303
        assert by_form.headers["location"] == "/console/login"
