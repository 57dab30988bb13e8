"""When the database cannot serve a request — no free connection in time, the server gone or
restarting — the answer is a 503 with a Chinese sentence and when to try again, never
"系统出了点问题" (500), and nothing is half written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from backend.app import create_app
from backend.core.cache import Cache
from backend.core.clock import FrozenClock
from backend.core.db import make_engine
from backend.core.errors import DATABASE_BUSY
from backend.core.settings import Settings
from tests.factories import TLS
from tests.server import RunningApp, serve_in_thread


@pytest.fixture
def own_server(settings: Settings, clock: FrozenClock, cache: Cache) -> Iterator[RunningApp]:
    running = serve_in_thread(create_app(settings, clock=clock, cache=cache))
    yield running
    running.stop()


@contextmanager
def _serving_from(running: RunningApp, engine: Engine) -> Iterator[None]:
    """The running app reads the database through `engine` for the block."""
    ctx = running.app.state.ctx
    original = ctx.engine
    ctx.engine = engine
    try:
        yield
    finally:
        ctx.engine = original
        engine.dispose()


def _post_login(running: RunningApp) -> httpx.Response:
    with httpx.Client(base_url=running.base_url, verify=TLS) as client:
        return client.post("/api/v1/staff/login", json={"username": "nobody", "password": "x" * 8})


def test_no_free_connection_is_503_with_a_chinese_sentence(
    own_server: RunningApp, settings: Settings
) -> None:
    # One connection, taken: the request's wait for a connection times out.
    engine = make_engine(settings.database_url, pool_size=1, max_overflow=0, pool_timeout=0.05)
    held = engine.connect()
    try:
        held.execute(text("select 1"))
        with _serving_from(own_server, engine):
            response = _post_login(own_server)
    finally:
        held.close()
    assert response.status_code == 503, response.text
    assert response.json() == {"code": "database_busy", "message": DATABASE_BUSY, "detail": None}
    assert response.headers["Retry-After"] == "5"
    # The server is fine again once connections are free.
    assert _post_login(own_server).status_code == 401


def test_database_unreachable_is_503(own_server: RunningApp) -> None:
    gone = make_engine("postgresql://postgres@127.0.0.1:1/test", pool_pre_ping=False)
    with _serving_from(own_server, gone):
        response = _post_login(own_server)
    assert response.status_code == 503, response.text
    assert response.json()["message"] == DATABASE_BUSY
