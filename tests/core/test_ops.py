"""Health, readiness, error shape and log redaction."""

from __future__ import annotations

import logging

import httpx

from backend.app import create_app
from backend.core.logging import RedactingFilter, redact
from tests.factories import TLS
from tests.server import serve_in_thread


def test_healthz_and_readyz(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"


def test_redis_down_is_degraded_not_failed(settings, clock) -> None:
    broken = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    running = serve_in_thread(create_app(broken, clock=clock, configure_logs=False))
    try:
        with httpx.Client(verify=TLS, base_url=running.base_url) as c:
            ready = c.get("/readyz")
            assert ready.status_code == 200
            assert ready.json() == {
                "status": "degraded",
                "checks": {"database": "ok", "redis": "down"},
            }
    finally:
        running.stop()


def test_database_down_is_not_ready(settings, clock) -> None:
    broken = settings.model_copy(
        update={"database_url": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    )
    running = serve_in_thread(create_app(broken, clock=clock, configure_logs=False))
    try:
        with httpx.Client(verify=TLS, base_url=running.base_url) as c:
            ready = c.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"] == "down"
    finally:
        running.stop()


def test_unknown_path_has_the_error_shape(client: httpx.Client) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "detail"}


def test_logs_never_carry_id_numbers_or_phones(caplog) -> None:
    assert redact("身份证 110101193603120011 电话 13800138000") == (
        "身份证 110101********0011 电话 138****8000"
    )
    logger = logging.getLogger("test.redaction")
    handler_filter = RedactingFilter()
    record = logger.makeRecord(
        "t", logging.INFO, __file__, 1, "id=%s", ("110101193603120011",), None
    )
    handler_filter.filter(record)
    assert "110101193603120011" not in record.getMessage()
