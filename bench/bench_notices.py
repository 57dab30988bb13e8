"""Notices fan-out: one announcement to 20,000 recipients (10,000 retirees + 10,000 family
copies). Measures the time until every inbox row exists, on SQLite and on PostgreSQL, and the
latency of `GET /api/v1/inbox` over real HTTP for other users while the fan-out runs.

Targets (issue): inbox complete in ≤ 5 s on PostgreSQL; inbox reads p99 ≤ 50 ms during the fan-out.

PostgreSQL: BENCH_DATABASE_URL, else a `junxiu_bench` database created on the local server
(postgresql://postgres@127.0.0.1:5432). Skipped with a note when no server answers.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402

from backend.accounts import sessions, units  # noqa: E402
from backend.accounts.enums import SessionKind, StaffRole, UnitKind  # noqa: E402
from backend.accounts.models import FamilyBinding, StaffAccount, WechatUser  # noqa: E402
from backend.app import create_app  # noqa: E402
from backend.core.cache import MemoryCache  # noqa: E402
from backend.core.clock import FrozenClock  # noqa: E402
from backend.core.db import make_engine, transaction  # noqa: E402
from backend.core.migrate import upgrade_to_head  # noqa: E402
from backend.core.serving import serve_in_thread  # noqa: E402
from backend.core.settings import Settings  # noqa: E402
from backend.notices import fanout  # noqa: E402
from backend.notices import service as notices_service  # noqa: E402
from backend.notices.models import InboxItem  # noqa: E402
from backend.notices.schemas import NoticeIn  # noqa: E402
from bench.common import fresh_pg_database, insert_people  # noqa: E402

RETIREES = 10_000
READERS = 50
CHUNK = int(os.environ.get("BENCH_CHUNK", fanout.CHUNK))
ONLY = os.environ.get("BENCH_ONLY", "")
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def seed(engine: Engine, clock: FrozenClock) -> tuple[int, int, list[int]]:
    """Centre, one 军休所, 10,000 retirees each with one family member; 50 more retirees who
    read their inbox during the fan-out (outside the audience's unit)."""
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
            created_at=NOW,
        )
        db.add(staff)
        db.flush()
        target_id, other_id, staff_id = target.id or 0, other.id or 0, staff.id or 0
    total = RETIREES + READERS
    with engine.begin() as conn:
        users, retiree_ids = insert_people(
            conn, count=total, now=NOW, unit_for=lambda i: target_id if i < RETIREES else other_id
        )
        conn.execute(
            insert(WechatUser),
            [{"openid": f"family-{i}", "created_at": NOW} for i in range(RETIREES)],
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
                    "created_at": NOW,
                }
                for i in range(RETIREES)
            ],
        )
    return staff_id, target_id, users[RETIREES:total]


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run(label: str, url: str, workdir: Path) -> dict[str, object]:
    upgrade_to_head(url)
    engine = make_engine(url)
    clock = FrozenClock(NOW)
    staff_id, unit_id, reader_users = seed(engine, clock)
    with transaction(engine) as db:
        tokens = [
            sessions.create(
                db, clock=clock, kind=SessionKind.wechat, subject_id=u, ttl=timedelta(days=30)
            )[0]
            for u in reader_users
        ]
    settings = Settings(
        database_url=url,
        redis_url="",
        secret_key="bench-secret-key-bench-secret-key-0123456789",
        mount_fake_wechat=False,
        upload_dir=workdir / "uploads",
        bot_index_path=workdir / "bot_index.pkl",
        run_scheduler=False,
        log_level="WARNING",
    )
    app = create_app(settings, clock=clock, cache=MemoryCache(), configure_logs=False)
    server = serve_in_thread(app)
    latencies: list[float] = []
    idle: list[float] = []
    stop = threading.Event()

    def read(into: list[float], until: threading.Event | None, count: int = 0) -> None:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            i = 0
            while (until is not None and not until.is_set()) or (until is None and i < count):
                headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}
                started = time.perf_counter()
                response = client.get("/api/v1/inbox", headers=headers)
                into.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text
                i += 1

    try:
        read(idle, None, count=300)
        reader = threading.Thread(target=read, args=(latencies, stop))
        reader.start()
        started = time.perf_counter()
        with transaction(engine) as db:
            staff = db.get(StaffAccount, staff_id)
            scope = units.get_unit(db, unit_id)
            assert staff is not None
            notice = notices_service.create(
                db,
                clock=clock,
                staff=staff,
                scope=scope,
                data=NoticeIn(title="重阳节慰问", body="10月11日上午9点，在活动室。"),
            )
            notices_service.send(db, clock=clock, staff=staff, notice=notice)
            notice_id = notice.id or 0
        fanout.run_fan_out(engine, clock=clock, notice_id=notice_id, chunk=CHUNK)
        elapsed = time.perf_counter() - started
        stop.set()
        reader.join()
        with Session(engine) as db:
            rows = db.exec(
                select(func.count()).select_from(InboxItem).where(InboxItem.notice_id == notice_id)
            ).one()
    finally:
        stop.set()
        server.stop()
        engine.dispose()
    assert rows == 2 * RETIREES, rows
    return {
        "database": label,
        "inbox rows": rows,
        "fan-out s": round(elapsed, 2),
        "reads during": len(latencies),
        "read p50 ms": round(statistics.median(latencies), 1) if latencies else "-",
        "read p99 ms": round(p(latencies, 0.99), 1) if latencies else "-",
        "idle p99 ms": round(p(idle, 0.99), 1),
    }


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if ONLY != "postgresql":
            results.append(run("SQLite", f"sqlite:///{workdir / 'bench.db'}", workdir))
        url = fresh_pg_database() if ONLY != "sqlite" else None
        if url:
            results.append(run("PostgreSQL", url, workdir))
    headers = list(results[0])
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for row in results:
        print("| " + " | ".join(str(row[h]) for h in headers) + " |")
    print("targets: fan-out ≤ 5 s on PostgreSQL; reads p99 ≤ 50 ms during the fan-out")


if __name__ == "__main__":
    main()
