"""Routes that cost one thread-pool hop a request, not three or four.

FastAPI runs a plain `def` endpoint in the thread pool; then, each in a hop of its own, the
validation of what it returned against its response model, and the exit of the request's session
dependency (core/deps.get_db: COMMIT or ROLLBACK), as it does for every plain `def` dependency.
A hop costs about 0.12–0.17 ms of CPU here (bench/hop_cost.py) — as much as the statement a
cheap read sends. So every route here does all three in the endpoint's own hop (`_one_hop`):
the endpoint, its response turned into JSON, its session's COMMIT; get_db then finds nothing
left to send and closes the session without a hop (core/db.idle). A route that raises is left
to get_db, which rolls back, as before.

Every router in the app is `APIRouter` from this module (tests/core/test_routing.py walks the
app's routes). The app and the staff API take each domain's routes as they are (`add_routes`),
not through `include_router`."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import fastapi
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import ResponseValidationError
from fastapi.routing import APIRoute
from fastapi.utils import is_body_allowed_for_status_code
from sqlmodel import Session
from starlette.responses import Response
from starlette.routing import BaseRoute

from backend.core.db import REQUEST_SESSION


class OneHopRoute(APIRoute):
    """An APIRoute whose plain `def` endpoint, response and COMMIT take one hop together."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        plain = not (
            inspect.iscoroutinefunction(endpoint)
            or inspect.isgeneratorfunction(endpoint)
            or inspect.isasyncgenfunction(endpoint)
        )
        if plain:
            endpoint = self._one_hop(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def _one_hop(self, endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(endpoint)
        def run(**kwargs: Any) -> Any:
            result = endpoint(**kwargs)
            result = self._as_response(result, kwargs)
            for value in kwargs.values():
                if isinstance(value, Session) and value.info.get(REQUEST_SESSION):
                    value.commit()
            return result

        return run

    def _as_response(self, result: Any, kwargs: dict[str, Any]) -> Any:
        """What FastAPI would make of the endpoint's return value (fastapi.routing.
        get_request_handler: validated by the response model, dumped to JSON by pydantic, in a
        Response with the route's status code), made here. Anything that path does not cover —
        a Response already, no response model, another response class, a Response parameter
        whose headers or status FastAPI would copy — is returned as is, for FastAPI."""
        field = self.response_field
        if (
            field is None
            or isinstance(result, Response)
            or not isinstance(self.response_class, DefaultPlaceholder)
            or any(isinstance(v, Response) for v in kwargs.values())
            or (
                self.status_code is not None
                and not is_body_allowed_for_status_code(self.status_code)
            )
        ):
            return result
        value, errors = field.validate(result, {}, loc=("response",))
        if errors:
            raise ResponseValidationError(errors=errors, body=result)
        content = field.serialize_json(
            value,
            include=self.response_model_include,
            exclude=self.response_model_exclude,
            by_alias=self.response_model_by_alias,
            exclude_unset=self.response_model_exclude_unset,
            exclude_defaults=self.response_model_exclude_defaults,
            exclude_none=self.response_model_exclude_none,
        )
        return Response(
            content=content, media_type="application/json", status_code=self.status_code or 200
        )


class APIRouter(fastapi.APIRouter):
    """fastapi.APIRouter with OneHopRoute for its routes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", OneHopRoute)
        super().__init__(*args, **kwargs)


def add_routes(target: fastapi.APIRouter, router: fastapi.APIRouter) -> None:
    """`target.include_router(router)` with no arguments, for a router whose routes it would not
    change: its routes put in `target` as they are.

    FastAPI 0.165 includes a router by keeping it and analysing each of its routes a second
    time for the inclusion (the dependencies, the request and response models' validators: one
    more set per route), and on every request it asks each included router, in turn, whether
    its routes changed. The app's 89 routes and the staff API's 200 took ~6 MB of a worker's
    memory that way, the console's 187 another 4.7 MB. A router gives each route its own prefix,
    tags, dependencies and the rest when the route is made (APIRouter.add_api_route); what an
    inclusion adds comes from the router it is included into, and from the included router's
    body limits (fastapi.routing._RouterIncludeContext.for_include). When none of those adds
    anything, the routes are served as they are; otherwise the router is included as FastAPI
    does. Not carried over: `app.dependency_overrides`, which nothing here uses."""
    if _inclusion_changes(target, router):
        target.include_router(router)
        return
    target.routes.extend(router.routes)
    changed = getattr(target, "_mark_routes_changed", None)  # FastAPI 0.165 counts changes
    if changed is not None:
        changed()


def _inclusion_changes(target: fastapi.APIRouter, router: fastapi.APIRouter) -> bool:
    routes: list[BaseRoute] = list(router.routes)
    return bool(
        target.prefix
        or target.tags
        or target.dependencies
        or target.responses
        or target.callbacks
        or target.deprecated
        or not target.include_in_schema
        or not isinstance(target.default_response_class, DefaultPlaceholder)
        or not isinstance(target.generate_unique_id_function, DefaultPlaceholder)
        or getattr(target.strict_content_type, "value", target.strict_content_type) is not True
        or getattr(target, "max_body_size", None) is not None
        or getattr(router, "max_body_size", None) is not None
        or getattr(router, "form_limits", None)
        or not all(type(route) is OneHopRoute for route in routes)
    )
