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


# The sign-up's lock floor (bench/lock_floor.py): what a sign-up that locks one row, writes a
# booking and its outbox row and commits can reach, with the locked part as statements one after
# another (as the product does today) or as one statement in its own transaction.
_LOCK = "UPDATE bench_bare_lock SET lock_version = lock_version + 1 WHERE id = 1 RETURNING taken"
_ROW = "INSERT INTO bench_bare_row (who, at) VALUES (:who, now()) RETURNING id"
_OUTBOX = "INSERT INTO bench_bare_outbox (row_id, body) VALUES (:row, :body)"
_ONE = (
    "WITH l AS (UPDATE bench_bare_lock SET lock_version = lock_version + 1 WHERE id = 1"
    " RETURNING taken),"
    " r AS (INSERT INTO bench_bare_row (who, at) SELECT :who, now() FROM l RETURNING id)"
    " INSERT INTO bench_bare_outbox (row_id, body) SELECT r.id, :body FROM r"
)


@app.post("/bare/lock-steps")
def bare_lock_steps(body: dict[str, Any]) -> dict[str, Any]:
    with transaction(engine) as db:
        db.execute(text(_LOCK)).scalar()
        row = db.execute(text(_ROW), {"who": str(body.get("who", ""))}).scalar()
        db.execute(text(_OUTBOX), {"row": row, "body": "您已报名。"})
    return {"status": "confirmed"}


@app.post("/bare/lock-one")
def bare_lock_one(body: dict[str, Any]) -> dict[str, Any]:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(_ONE), {"who": str(body.get("who", "")), "body": "您已报名。"})
    return {"status": "confirmed"}
