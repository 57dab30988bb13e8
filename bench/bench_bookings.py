"""Contention: 2,000 concurrent sign-ups for a 100-seat activity over HTTP.

Against the single-process embedded default (SQLite, in-process cache) and against a
multi-worker server on PostgreSQL + Redis. Each row must show exactly 100 confirmed,
1,900 waitlisted and 0 errors; the table reports requests/s and latency.

PostgreSQL: a `junxiu_bench` database on postgresql://postgres@127.0.0.1:5432 (or
BENCH_DATABASE_URL); Redis: BENCH_REDIS_URL or redis://127.0.0.1:6379/14.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import redis  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402

from backend.accounts import sessions, units  # noqa: E402
from backend.accounts.enums import SessionKind, StaffRole, UnitKind  # noqa: E402
from backend.accounts.models import Retiree, StaffAccount  # noqa: E402
from backend.activities import service as activities  # noqa: E402
from backend.activities.schemas import ActivityIn  # noqa: E402
from backend.bookings.models import Booking  # noqa: E402
from backend.core.clock import SystemClock  # noqa: E402
from backend.core.db import make_engine, transaction  # noqa: E402
from backend.core.migrate import upgrade_to_head  # noqa: E402
from bench import server  # noqa: E402
from bench.common import fresh_pg_database, insert_people  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "2000"))
SEATS = int(os.environ.get("BENCH_SEATS", "100"))
PARALLEL = int(os.environ.get("BENCH_PARALLEL", "200"))


def seed(url: str) -> tuple[int, list[str]]:
    upgrade_to_head(url)
    engine = make_engine(url)
    clock = SystemClock()
    now = clock.now()
    with transaction(engine) as db:
        centre = units.create_unit(db, clock=clock, name="中心", kind=UnitKind.center)
        unit = units.create_unit(
            db, clock=clock, name="第一军休所", kind=UnitKind.institute, parent=centre
        )
        staff = StaffAccount(
            username="bench",
            display_name="bench",
            password_hash="x",
            role=StaffRole.staff,
            unit_id=unit.id or 0,
            created_at=now,
        )
        db.add(staff)
        db.flush()
        activity = activities.create(
            db,
            clock=clock,
            staff=staff,
            scope=unit,
            data=ActivityIn(
                category="文体活动",
                title="春游",
                place="颐和园",
                capacity=SEATS,
                starts_at=now + timedelta(days=7),
                max_quantity=1,
            ),
        )
        unit_id, activity_id = unit.id or 0, activity.id or 0
    with engine.begin() as conn:
        users, _ = insert_people(conn, count=PEOPLE, now=now, unit_for=lambda _i: unit_id)
    with transaction(engine) as db:
        tokens = [
            sessions.create(
                db, clock=clock, kind=SessionKind.wechat, subject_id=u, ttl=timedelta(days=1)
            )[0]
            for u in users
        ]
        retiree_ids = list(db.exec(select(Retiree.id).order_by(Retiree.id)).all())
    engine.dispose()
    return activity_id, [f"{t}|{r}" for t, r in zip(tokens, retiree_ids, strict=True)]


def start_server(url: str, redis_url: str, workers: int, workdir: Path) -> server.Server:
    """The product on its own workers, started as `junxiu serve --workers N` starts them."""
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "RUN_SCHEDULER": "false",
        "MOUNT_FAKE_WECHAT": "false",
        "UPLOAD_DIR": str(workdir / "uploads"),
        "BOT_INDEX_PATH": str(workdir / "bot_index.pkl"),
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
    }
    log = f"/tmp/bench-bookings-{workers}.log"
    return server.start("backend.main:app", env, log=log, workers=workers)


async def fire(
    base: str, activity_id: int, people: list[str]
) -> tuple[list[float], list[int], float]:
    limits = httpx.Limits(max_connections=PARALLEL, max_keepalive_connections=PARALLEL)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def one(item: str) -> tuple[float, int]:
            token, retiree_id = item.split("|")
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"/api/v1/activities/{activity_id}/signup",
                    json={
                        "retiree_id": int(retiree_id),
                        "idempotency_key": f"k-{retiree_id}-bench",
                    },
                    headers={"Authorization": f"Bearer {token}"},
                )
                code = response.status_code
            except httpx.HTTPError:
                code = 0
            return (time.perf_counter() - started) * 1000, code

        # PARALLEL senders share the list: never more requests in flight than connections, so
        # the client's pool does not spend its time managing thousands of waiters.
        queue = list(reversed(people))
        results: list[tuple[float, int]] = []

        async def sender() -> None:
            while queue:
                results.append(await one(queue.pop()))

        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(PARALLEL)))
        wall = time.perf_counter() - started
    return [r[0] for r in results], [r[1] for r in results], wall


def run(label: str, url: str, redis_url: str, workers: int, workdir: Path) -> dict[str, object]:
    activity_id, people = seed(url)
    running = start_server(url, redis_url, workers, workdir)
    try:
        base = f"http://127.0.0.1:{running.port}"
        latencies, codes, wall = asyncio.run(fire(base, activity_id, people))
    finally:
        running.stop()
    engine = make_engine(url)
    with Session(engine) as db:
        counts = dict(db.exec(select(Booking.status, func.count()).group_by(Booking.status)).all())
    engine.dispose()
    ordered = sorted(latencies)
    return {
        "server": label,
        "confirmed": counts.get("confirmed", 0),
        "waitlisted": counts.get("waitlisted", 0),
        "errors": sum(1 for c in codes if c != 200),
        "req/s": round(len(codes) / wall),
        "p50 ms": round(ordered[len(ordered) // 2]),
        "p99 ms": round(ordered[int(len(ordered) * 0.99) - 1]),
    }


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if os.environ.get("BENCH_ONLY") != "postgresql":
            url = f"sqlite:///{workdir / 'bench.db'}"
            rows.append(run("embedded: 1 process, SQLite, no Redis", url, "", 1, workdir))
        pg = fresh_pg_database() if os.environ.get("BENCH_ONLY") != "sqlite" else None
        redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
        if pg:
            redis.Redis.from_url(redis_url).flushdb()
            rows.append(run("2 workers, PostgreSQL + Redis", pg, redis_url, 2, workdir))
    headers = list(rows[0])
    print(f"{PEOPLE} concurrent sign-ups ({PARALLEL} connections) for {SEATS} seats")
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for row in rows:
        print("| " + " | ".join(str(row[h]) for h in headers) + " |")
    print(f"must be: confirmed {SEATS}, waitlisted {PEOPLE - SEATS}, errors 0")
    broken = [
        r["server"]
        for r in rows
        if (r["confirmed"], r["waitlisted"], r["errors"]) != (SEATS, PEOPLE - SEATS, 0)
    ]
    if broken:
        raise SystemExit(f"capacity invariant broken on: {', '.join(map(str, broken))}")


if __name__ == "__main__":
    main()
