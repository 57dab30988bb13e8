"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from sqlalchemy import text

from backend.core.deps import CtxDep
from backend.core.routing import APIRouter

router = APIRouter(tags=["运维"])


@router.get("/healthz", summary="进程在运行")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="数据库和缓存是否可用（缓存不可用为降级）")
def readyz(ctx: CtxDep) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means not ready
        checks["database"] = "down"
    if ctx.settings.redis_url:
        checks["redis"] = "ok" if ctx.cache.ping() else "down"
    else:
        checks["redis"] = "not_configured"
    if checks["database"] != "ok":
        return JSONResponse({"status": "down", "checks": checks}, status_code=503)
    status = "degraded" if checks["redis"] == "down" else "ok"
    return JSONResponse({"status": status, "checks": checks})
