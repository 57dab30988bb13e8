"""A route's reply serialised in the route's own thread.

For a sync route FastAPI validates the returned value against response_model in one more
thread-pool call, then serialises it. A route that already built its response_model instance
(validated when it was made) can hand back the JSON bytes instead: one hop fewer, the same bytes
(pydantic's serializer with by_alias, exactly what FastAPI's fast path calls), and the OpenAPI
document unchanged because response_model stays declared on the route."""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def json_reply(model: BaseModel) -> Response:
    """The body FastAPI would send for `model` as the route's response_model."""
    body = model.__pydantic_serializer__.to_json(model, by_alias=True)
    return Response(content=body, media_type="application/json")
