"""Notices fan-out over HTTP: staff send one announcement to 20,000 recipients (10,000 retirees +
10,000 family copies) on the multi-worker server, while 50 real concurrent connections (several
client processes) read `GET /api/v1/inbox` for other users flat out. Measures the time until every
inbox row exists, and the readers' latency during the fan-out and when idle.

Targets (issue 15): fan-out ≤ 3 s; reads p99 ≤ 100 ms during it. PostgreSQL + Redis, BENCH_WORKERS
workers (default 2). Sizes: BENCH_RETIREES (10000), BENCH_READERS (50), BENCH_REPS (3).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import redis  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from backend.accounts import sessions, units  # noqa: E402
from backend.accounts.enums import SessionKind, StaffRole, UnitKind  # noqa: E402
from backend.accounts.models import FamilyBinding, StaffAccount, WechatUser  # noqa: E402
from backend.core.clock import SystemClock  # noqa: E402
from backend.core.db import make_engine, transaction  # noqa: E402
from backend.core.migrate import upgrade_to_head  # noqa: E402
from bench import server  # noqa: E402
from bench.bench_http import REDIS_URL, env_for  # noqa: E402
from bench.common import fresh_pg_database, insert_people  # noqa: E402
from bench.load import LoadResult, run_load  # noqa: E402

RETIREES = int(os.environ.get("BENCH_RETIREES", "10000"))
READERS = int(os.environ.get("BENCH_READERS", "50"))
REPS = int(os.environ.get("BENCH_REPS", "3"))
CLIENT_PROCESSES = int(os.environ.get("BENCH_CLIENT_PROCESSES", "3"))


def seed(engine: Engine) -> tuple[str, list[str]]:
    """Centre, one 军休所 of RETIREES retirees each with one family member; READERS more retirees
    elsewhere who read their inbox during the fan-out. Returns (staff token, reader tokens)."""
    clock = SystemClock()
    now = clock.now()
    with transaction(engine) as db:
        centre = units.create_unit(db, clock=clock, name="中心", kind=UnitKind.center)
        target = units.create_unit(
            db, clock=clock, name="第一军休所", kind=UnitKind.institute, parent=centre
        )
        other = units.create_unit(
            db, clock=clock, name="第二军休所", kind=UnitKind.institute, parent=centre
        )
        staff = StaffAccount(
            username="bench",
            display_name="bench",
            password_hash="x",
            role=StaffRole.staff,
            unit_id=target.id or 0,
            created_at=now,
        )
        db.add(staff)
        db.flush()
        staff_token, _ = sessions.create(
            db, clock=clock, kind=SessionKind.staff, subject_id=staff.id or 0, ttl=timedelta(1)
        )
        target_id, other_id = target.id or 0, other.id or 0
    with engine.begin() as conn:
        users, retiree_ids = insert_people(
            conn,
            count=RETIREES + READERS,
            now=now,
            unit_for=lambda i: target_id if i < RETIREES else other_id,
        )
        conn.execute(
            insert(WechatUser),
            [{"openid": f"family-{i}", "created_at": now} for i in range(RETIREES)],
        )
        family = [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM wechat_user WHERE openid LIKE 'family-%' ORDER BY id")
            )
        ]
        conn.execute(
            insert(FamilyBinding),
            [
                {
                    "retiree_id": retiree_ids[i],
                    "wechat_user_id": family[i],
                    "relation": "子女",
                    "display_name": "家属",
                    "can_receive_notices": True,
                    "can_submit_checkin": False,
                    "can_book": False,
                    "created_at": now,
                }
                for i in range(RETIREES)
            ],
        )
        conn.execute(text("ANALYZE"))
    with transaction(engine) as db:
        tokens = [
            sessions.create(
                db, clock=clock, kind=SessionKind.wechat, subject_id=u, ttl=timedelta(days=30)
            )[0]
            for u in users[RETIREES:]
        ]
    return staff_token, tokens


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def one_run(srv: server.Server, engine: Engine, staff: str, readers: list[str], rep: int) -> dict:
    import httpx

    base = f"http://127.0.0.1:{srv.port}"
    headers = {"authorization": f"Bearer {staff}"}
    created = httpx.post(
        f"{base}/api/v1/staff/notices",
        headers=headers,
        json={
            "title": f"重阳节慰问{rep}",
            "body": "10月11日上午9点，在活动室。",
            "audience": {"everyone": True},
        },
        timeout=60,
    )
    assert created.status_code in (200, 201), created.text
    notice_id = created.json()["id"]
    requests = [("GET", "/api/v1/inbox", {"authorization": f"Bearer {t}"}, None) for t in readers]
    box: dict[str, LoadResult] = {}
    idle = 3.0
    loader = threading.Thread(
        target=lambda: box.setdefault(
            "r",
            run_load(
                srv.port,
                requests,
                connections=READERS,
                seconds=idle + 12,
                processes=CLIENT_PROCESSES,
            ),
        )
    )
    loader.start()
    time.sleep(idle + 0.5)  # readers at full speed before the send
    started = time.time()
    sent = httpx.post(f"{base}/api/v1/staff/notices/{notice_id}/send", headers=headers, timeout=60)
    assert sent.status_code == 200, sent.text
    while True:
        with engine.connect() as conn:
            status = conn.execute(
                text("SELECT status FROM notice WHERE id = :i"), {"i": notice_id}
            ).scalar()
        if status == "sent":
            break
        time.sleep(0.05)
    finished = time.time()
    loader.join()
    result = box["r"]
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT count(*) FROM inbox_item WHERE notice_id = :i"), {"i": notice_id}
        ).scalar()
    during = [
        lat
        for lat, at in zip(result.latencies_ms, result.sent_at, strict=True)
        if started <= at <= finished
    ]
    before = [
        lat for lat, at in zip(result.latencies_ms, result.sent_at, strict=True) if at < started
    ]
    return {
        "rows": rows,
        "fanout_s": finished - started,
        "reads": len(during),
        "p50": statistics.median(during) if during else float("nan"),
        "p99": pct(during, 0.99),
        "idle_p99": pct(before, 0.99),
        "errors": result.errors,
    }


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def main() -> None:
    url = fresh_pg_database("junxiu_bench_notices")
    if not url:
        return
    redis.Redis.from_url(REDIS_URL).flushdb()
    upgrade_to_head(url)
    engine = make_engine(url)
    staff, readers = seed(engine)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        env = env_for(url, Path(tmp), 1)
        server.start("backend.main:app", env, log="/tmp/bench-notices.log").stop()  # bot index
        srv = server.start("backend.main:app", env, log="/tmp/bench-notices.log")
        try:
            for rep in range(REPS):
                runs.append(one_run(srv, engine, staff, readers, rep))
                print(f"repetition {rep + 1}: {runs[-1]}", flush=True)
        finally:
            srv.stop()
    engine.dispose()
    load = os.getloadavg()
    print(
        f"\n{REPS} repetitions, {server.WORKERS} workers, {READERS} concurrent readers; "
        f"load average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores"
    )
    print("| measure (min / median / max) | value | target |")
    print("|---|---|---|")
    print(f"| inbox rows written | {spread([r['rows'] for r in runs])} | {2 * RETIREES} |")
    print(f"| fan-out s | {spread([r['fanout_s'] for r in runs], '{:.2f}')} | ≤ 3 s |")
    print(f"| reads during the fan-out | {spread([r['reads'] for r in runs])} | |")
    print(f"| read p50 ms during | {spread([r['p50'] for r in runs])} | |")
    print(f"| read p99 ms during | {spread([r['p99'] for r in runs])} | ≤ 100 ms |")
    print(f"| read p99 ms before (idle fan-out) | {spread([r['idle_p99'] for r in runs])} | |")
    print(f"| read errors | {sum(r['errors'] for r in runs)} | 0 |")


if __name__ == "__main__":
    main()
