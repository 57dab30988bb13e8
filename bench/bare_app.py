"""The baseline: a bare FastAPI app on the same PostgreSQL, served the same way as the product.

/healthz and /bare/json return JSON; /bare/select does one indexed SELECT (a session row by its
primary key, what every authenticated product request needs at least); /bare/insert writes one
row in its own transaction. Sync routes on the same thread pool size as the product."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI, Request
from sqlalchemy import text

from backend.core.db import make_engine, transaction

engine = make_engine(os.environ["DATABASE_URL"])


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = 40
    yield
    engine.dispose()


app = FastAPI(lifespan=lifespan)


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/bare/json")
def bare_json() -> dict[str, Any]:
    return {"data": [], "unread": 0}


@app.get("/bare/select")
def bare_select(request: Request) -> dict[str, Any]:
    digest = request.headers.get("x-key", "")
    with transaction(engine) as db:
        row = db.execute(
            text("SELECT subject_id FROM auth_session WHERE token_hash = :h"), {"h": digest}
        ).first()
    return {"subject": row[0] if row else None}


@app.post("/bare/insert")
def bare_insert(body: dict[str, Any]) -> dict[str, Any]:
    with transaction(engine) as db:
        db.execute(
            text("INSERT INTO bench_bare_row (who, at) VALUES (:who, now())"),
            {"who": str(body.get("who", ""))},
        )
    return {"status": "confirmed"}
