"""Per-request cost over HTTP: each product path beside a bare FastAPI endpoint served the same
way (uvicorn, same workers, same PostgreSQL) in the same run, 3 repetitions.

Paths: activity sign-up (PEOPLE concurrent for SEATS seats; must be exactly SEATS confirmed,
PEOPLE-SEATS waitlisted, 0 errors), GET /api/v1/inbox, home (GET /api/v1/me), activity list,
POST /api/v1/bot/ask, cold start to the first /healthz (bot index already built) and to the staff
API's first answers (it is built after start-up), RSS per worker.

Sizes from the environment (short runs while developing):
BENCH_PEOPLE=2000 BENCH_SEATS=100 BENCH_SECONDS=8 BENCH_REPS=3 BENCH_WORKERS=2 BENCH_CONNECTIONS=50
BENCH_PATHS=signup,inbox,home,activities,bot (any subset). BENCH_WARMUP=1 (0: none).
BENCH_BEFORE=<a checkout of earlier code>: its product is served and measured too, in the same
repetitions (its sign-ups fill activities of their own, in its own copy of the seeded database at
its own newest migration: `before_database`), and a second table compares the two —
what a change bought, measured in one run on the same machine. The servers take turns in a
different order each repetition (`rotated`).

Steady state, not start-up. Before each path is measured the database is vacuumed and
analyzed (`settle`: no autovacuum in the middle of a run), and both servers get the same unmeasured
warm-up: one pass of that path's requests, each person once (for sign-up, of the activity list
by the same people: what a person opens before tapping 报名). So every measured request is by a
person who made one a few seconds before, as someone moving between pages does: their session
and who they are are in the cache (30 s at most, accounts/sessions.py), the product's statement
caches and pools are filled, and its console has been built in the background after start-up
(backend/console/lazy.py). Start-up is measured on its own (cold start). Without the warm-up a
path's figures depended on the path run before it, whose people it found cached or not.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import redis  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, col, func, select  # noqa: E402

from backend.accounts import sessions, units  # noqa: E402
from backend.accounts.enums import SessionKind, StaffRole, UnitKind  # noqa: E402
from backend.accounts.models import Retiree, StaffAccount  # noqa: E402
from backend.activities import service as activities  # noqa: E402
from backend.activities.models import Activity  # noqa: E402
from backend.activities.schemas import ActivityIn  # noqa: E402
from backend.bookings.models import Booking  # noqa: E402
from backend.core.clock import SystemClock  # noqa: E402
from backend.core.db import make_engine, transaction  # noqa: E402
from backend.core.migrate import alembic_config, upgrade_to_head  # noqa: E402
from backend.core.security import token_hash  # noqa: E402
from backend.notices import fanout  # noqa: E402
from backend.notices import service as notices_service  # noqa: E402
from backend.notices.schemas import Audience, NoticeIn  # noqa: E402
from bench import server  # noqa: E402
from bench.common import fresh_pg_database, insert_people  # noqa: E402
from bench.load import LoadResult, Request, run_load  # noqa: E402
from bot.evaluate import read_rows  # noqa: E402

R = TypeVar("R")

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "2000"))
SEATS = int(os.environ.get("BENCH_SEATS", "100"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
REPS = int(os.environ.get("BENCH_REPS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
WARMUP = os.environ.get("BENCH_WARMUP", "1") != "0"
SIGNUP_CONNECTIONS = int(os.environ.get("BENCH_SIGNUP_CONNECTIONS", "200"))
CLIENT_PROCESSES = int(os.environ.get("BENCH_CLIENT_PROCESSES", "3"))
INBOX_NOTICES = int(os.environ.get("BENCH_INBOX_NOTICES", "40"))
BEFORE = os.environ.get("BENCH_BEFORE", "")
PATHS = os.environ.get("BENCH_PATHS", "signup,inbox,home,activities,bot").split(",")
SIGNUP_RUNS = REPS * (2 if BEFORE else 1)  # each sign-up run fills an activity of its own
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
QUESTIONS = REPO / "tests" / "bot" / "own_questions.jsonl"


@dataclass
class Seeded:
    signup_activities: list[int]
    tokens: list[str]
    retiree_ids: list[int]
    staff_token: str


def seed(url: str) -> Seeded:
    upgrade_to_head(url)
    engine = make_engine(url)
    clock = SystemClock()
    now = clock.now()
    with engine.begin() as conn:
        conn.execute(
            text("CREATE TABLE bench_bare_row (id serial PRIMARY KEY, who text, at timestamptz)")
        )
    with transaction(engine) as db:
        centre = units.create_unit(db, clock=clock, name="北京市军休中心", kind=UnitKind.center)
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
        made = []
        # one fresh activity per repetition (and one for BENCH_BEFORE's), the rest for the list
        for i in range(SIGNUP_RUNS + 12):
            made.append(
                activities.create(
                    db,
                    clock=clock,
                    staff=staff,
                    scope=unit,
                    data=ActivityIn(
                        category="文体活动",
                        title=f"春游{i}",
                        place="颐和园",
                        capacity=SEATS,
                        starts_at=now + timedelta(days=7 + i),
                        max_quantity=1,
                    ),
                ).id
                or 0
            )
        unit_id = unit.id or 0
        staff_id = staff.id or 0
        staff_token, _ = sessions.create(
            db, clock=clock, kind=SessionKind.staff, subject_id=staff_id, ttl=timedelta(days=1)
        )
    with engine.begin() as conn:
        users, _ = insert_people(conn, count=PEOPLE, now=now, unit_for=lambda _i: unit_id)
    with transaction(engine) as db:
        tokens = [
            sessions.create(
                db, clock=clock, kind=SessionKind.wechat, subject_id=u, ttl=timedelta(days=30)
            )[0]
            for u in users
        ]
        retiree_ids = list(db.exec(select(Retiree.id).order_by(Retiree.id)).all())
    # Every reader has INBOX_NOTICES messages, so an inbox page is a full page.
    for i in range(INBOX_NOTICES):
        with transaction(engine) as db:
            staff = db.get(StaffAccount, staff_id)
            scope = units.get_unit(db, unit_id)
            assert staff is not None
            notice = notices_service.create(
                db,
                clock=clock,
                staff=staff,
                scope=scope,
                data=NoticeIn(
                    title=f"通知{i}",
                    body="10月11日上午9点，在活动室。",
                    audience=Audience(everyone=True),
                ),
            )
            notices_service.send(db, clock=clock, staff=staff, notice=notice)
            notice_id = notice.id or 0
        fanout.run_fan_out(engine, clock=clock, notice_id=notice_id)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return Seeded(made[:SIGNUP_RUNS], tokens, [int(r) for r in retiree_ids], staff_token)


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@dataclass
class Path_:
    name: str
    bare: Callable[[Seeded, int], list[Request]]
    product: Callable[[Seeded, int], list[Request]]
    connections: int
    timed: bool = True


def _questions() -> list[str]:
    return (
        [r["question"] for r in read_rows(QUESTIONS)][:200]
        if QUESTIONS.exists()
        else ["离休干部护理费标准是多少"]
    )


PATH_DEFS = {
    "signup": Path_(
        "activity sign-up",
        lambda s, rep: [
            ("POST", "/bare/insert", {}, {"who": f"{rep}-{i}"}) for i in range(len(s.tokens))
        ],
        lambda s, rep: [
            (
                "POST",
                f"/api/v1/activities/{s.signup_activities[rep]}/signup",
                auth(t),
                {"retiree_id": r, "idempotency_key": f"bench-{rep}-{r}"},
            )
            for t, r in zip(s.tokens, s.retiree_ids, strict=True)
        ],
        SIGNUP_CONNECTIONS,
        timed=False,
    ),
    "inbox": Path_(
        "GET /api/v1/inbox",
        lambda s, _r: [("GET", "/bare/select", {"x-key": token_hash(t)}, None) for t in s.tokens],
        lambda s, _r: [("GET", "/api/v1/inbox", auth(t), None) for t in s.tokens],
        CONNECTIONS,
    ),
    "home": Path_(
        "GET /api/v1/me (home)",
        lambda s, _r: [("GET", "/bare/select", {"x-key": token_hash(t)}, None) for t in s.tokens],
        lambda s, _r: [("GET", "/api/v1/me", auth(t), None) for t in s.tokens],
        CONNECTIONS,
    ),
    "activities": Path_(
        "GET /api/v1/activities",
        lambda s, _r: [("GET", "/bare/select", {"x-key": token_hash(t)}, None) for t in s.tokens],
        lambda s, _r: [
            ("GET", f"/api/v1/activities?retiree_id={r}", auth(t), None)
            for t, r in zip(s.tokens, s.retiree_ids, strict=True)
        ],
        CONNECTIONS,
    ),
    "bot": Path_(
        "POST /api/v1/bot/ask",
        lambda _s, _r: [("GET", "/bare/json", {}, None)],
        lambda s, _r: [
            ("POST", "/api/v1/bot/ask", auth(t), {"question": q})
            for t, q in zip(s.tokens, _questions() * (len(s.tokens) // 10 + 1), strict=False)
        ],
        CONNECTIONS,
    ),
}


@dataclass
class Measure:
    rate: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    db_cpu_ms: list[float] = field(default_factory=list)
    client_cpu_ms: list[float] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    busy: list[float] = field(default_factory=list)
    cache_misses: list[float] = field(default_factory=list)
    busiest_worker: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, result: LoadResult, cost: Cost) -> None:
        server_cpu, db_cpu, misses = cost.server_cpu_s, cost.database_cpu_s, cost.cache_misses
        self.busiest_worker.append(cost.busiest_worker_share * 100)
        self.rate.append(result.rate)
        self.cache_misses.append(misses / max(1, result.count))
        self.p99.append(result.pct(0.99))
        self.cpu_ms.append(server_cpu / max(1, result.count) * 1000)
        self.db_cpu_ms.append(db_cpu / max(1, result.count) * 1000)
        self.client_cpu_ms.append(result.client_cpu_s / max(1, result.count) * 1000)
        self.errors.append(result.errors)
        self.busy.append(result.machine_busy * 100)


def _machine_ticks() -> tuple[int, int]:
    """(busy, all) jiffies of the whole machine since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def warm_up(srv: server.Server, seeded: Seeded, rep: int, path: Path_, kind: str) -> None:
    """Unmeasured load before a path's run (module docstring): the same for both servers. The
    cache is emptied first, so the warm-up writes every person's copies afresh: a copy lives
    30 s from when it was written and a hit does not extend it, so copies a previous run wrote
    (the same people, the same keys) were hit in the warm-up and ran out during the measured
    run — at one moment or another, by the timing of the run before. Runs of the same code
    that missed 0.04–0.10 times a request did 298–307 a second; those missing 0.63–1.70 times,
    122–266 (README, Benchmarks)."""
    if not WARMUP:
        return
    redis.Redis.from_url(REDIS_URL).flushdb()
    like = path if path.timed else PATH_DEFS["activities"]
    requests = (like.bare if kind == "bare" else like.product)(seeded, rep)
    if len(requests) < len(seeded.tokens):  # the bare JSON endpoint: one request, repeated
        requests = requests * len(seeded.tokens)
    run_load(srv.port, requests, connections=CONNECTIONS, processes=CLIENT_PROCESSES)


def before_database(url: str, before: Path) -> str:
    """BENCH_BEFORE's own copy of the seeded database, taken back to the before's newest
    migration: when this round adds a migration, each checkout must find the schema its code was
    written for (the before's sign-ups failed on a function this round changed). A copy by
    template: the same rows with the same ids, so `seeded` holds for both. This checkout's
    migrations know the way down."""
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    source = make_url(url)
    copy = source.set(database=f"{source.database}_before")
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {copy.database} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {copy.database} TEMPLATE {source.database}"))
    admin.dispose()
    copy_url = copy.render_as_string(hide_password=False)
    head = ScriptDirectory(str(before / "backend" / "migrations")).get_current_head()
    if head is not None:
        command.downgrade(alembic_config(copy_url), head)
    return copy_url


def settle(url: str) -> None:
    """Vacuum and analyze the database before a path is warmed up and measured: every path
    starts from fresh statistics, and PostgreSQL's autovacuum — whose thresholds the 2,000
    sign-ups before the reads cross — does not begin in the middle of a measured run. (The run
    that prompted this, the same inbox code at 9.5 and 1.1 ms of database CPU a request, was
    more likely the notice scan that core/db.py PLANNER_OPTIONS removes; README, Benchmarks.)
    Waits for a running autovacuum worker of this database to finish first (VACUUM would only
    queue behind it)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            waiter_deadline = time.time() + 120
            while (
                time.time() < waiter_deadline
                and conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                        "'autovacuum worker' AND datname = current_database()"
                    )
                ).scalar_one()
            ):
                time.sleep(0.2)
            conn.execute(text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()


def _cache_misses() -> int:
    return int(redis.Redis.from_url(REDIS_URL).info("stats")["keyspace_misses"])


@dataclass
class Cost:
    """What a measured run cost besides the client's own CPU."""

    server_cpu_s: float
    database_cpu_s: float
    cache_misses: int  # times the server looked for a key the cache did not have (Redis's count)
    busiest_worker_share: float  # the busiest worker's part of the workers' CPU: 0.5 is even


def _busiest_share(before: dict[int, float], after: dict[int, float]) -> float:
    used = [after[pid] - before.get(pid, 0.0) for pid in after]
    return max(used) / sum(used) if sum(used) > 0 else 0.0


def measure(srv: server.Server, requests: list[Request], path: Path_) -> tuple[LoadResult, Cost]:
    """The load's result and its cost (Cost). Each worker's CPU is read too: when the
    connections land unevenly, one worker runs flat out and the other idles (README)."""
    misses0 = _cache_misses()
    workers0 = srv.worker_cpu()
    cpu0, db0 = srv.cpu(), server.database_cpu()
    busy0, all0 = _machine_ticks()
    result = run_load(
        srv.port,
        requests,
        connections=path.connections,
        seconds=SECONDS if path.timed else None,
        processes=CLIENT_PROCESSES,
    )
    busy1, all1 = _machine_ticks()
    result.machine_busy = (busy1 - busy0) / max(1, all1 - all0)
    return result, Cost(
        server_cpu_s=srv.cpu() - cpu0,
        database_cpu_s=server.database_cpu() - db0,
        cache_misses=_cache_misses() - misses0,
        busiest_worker_share=_busiest_share(workers0, srv.worker_cpu()),
    )


def staff_answering_s(srv: server.Server) -> float:
    """From the start to the staff API's first answers: the staff API is built after start-up
    (backend/core/staff_api.py), and a staff request that comes before that waits for it. Four
    requests at once, so that both workers are likely asked; the last answer counts."""

    def ask() -> float:
        started = time.perf_counter()
        request = urllib.request.Request(f"http://127.0.0.1:{srv.port}/api/v1/staff/login")
        try:
            urllib.request.urlopen(request, timeout=60).close()
        except urllib.error.HTTPError:
            pass  # 405: a GET of the login is refused, by the built staff API
        return time.perf_counter() - started

    with ThreadPoolExecutor(4) as pool:
        waited = max(pool.map(lambda _: ask(), range(4)))
    return srv.start_s + waited


def _record_start(
    kind: str, srv: server.Server, starts: dict[str, list[float]], staff: dict[str, list[float]]
) -> None:
    starts.setdefault(kind, []).append(srv.start_s)
    if kind != "bare":  # the bare app has no staff API
        staff.setdefault(kind, []).append(staff_answering_s(srv))


def rotated(kinds: list[R], rep: int) -> list[R]:
    """The servers in another order each repetition (bare, product, before; then product,
    before, bare; …): each takes each place in the order equally often over 3 repetitions. A
    server run second found what the first left behind (PostgreSQL's autovacuum after 2,000
    sign-ups, longer waiting lines), and with a fixed order the before was always second: the
    same code then measured ×1.5 apart, always in the same direction."""
    shift = rep % len(kinds)
    return kinds[shift:] + kinds[:shift]


def env_for(url: str, workdir: Path, wechat_port: int) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "RUN_SCHEDULER": "false",
        "MOUNT_FAKE_WECHAT": "false",
        "WECHAT_API_BASE": f"http://127.0.0.1:{wechat_port}",
        "UPLOAD_DIR": str(workdir / "uploads"),
        "BOT_INDEX_PATH": str(workdir / "bot_index.pkl"),
        "BOT_ASKS_PER_MINUTE": "100000",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
    }


def signup_counts(url: str, activity_id: int) -> tuple[int, int]:
    engine = make_engine(url)
    with Session(engine) as db:
        counts = dict(
            db.exec(
                select(Booking.status, func.count())
                .join(Activity, col(Activity.bookable_id) == Booking.bookable_id)
                .where(Activity.id == activity_id)
                .group_by(Booking.status)
            ).all()
        )
    engine.dispose()
    return counts.get("confirmed", 0), counts.get("waitlisted", 0)


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    if not values:
        return "-"
    lo, mid, hi = min(values), statistics.median(values), max(values)
    return " / ".join(fmt.format(v) for v in (lo, mid, hi))


def _print_before_after(
    paths: list[Path_],
    before: dict[str, Measure],
    after: dict[str, Measure],
    starts: dict[str, list[float]],
    rss: dict[str, list[float]],
    staff_ready: dict[str, list[float]],
) -> None:
    print(f"\nbefore = {BEFORE} (served in the same repetitions); after = this checkout")
    print(
        "| path | before req/s | after req/s | after ÷ before | before server CPU ms/req "
        "| after | before database CPU ms/req | after | before p99 ms | after p99 ms "
        "| before cache misses/req | after | before busiest worker % of CPU | after |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        b, a = before[path.name], after[path.name]
        if not b.rate:
            continue
        gain = statistics.median(a.rate) / statistics.median(b.rate)
        print(
            f"| {path.name} | {spread(b.rate)} | {spread(a.rate)} | {gain:.2f} "
            f"| {spread(b.cpu_ms, '{:.1f}')} | {spread(a.cpu_ms, '{:.1f}')} "
            f"| {spread(b.db_cpu_ms, '{:.1f}')} | {spread(a.db_cpu_ms, '{:.1f}')} "
            f"| {spread(b.p99)} | {spread(a.p99)} | {spread(b.cache_misses, '{:.2f}')} "
            f"| {spread(a.cache_misses, '{:.2f}')} | {spread(b.busiest_worker)} "
            f"| {spread(a.busiest_worker)} |"
        )
    print(
        f"| cold start s | {spread(starts['before'], '{:.2f}')} "
        f"| {spread(starts['product'], '{:.2f}')} | | | | | | | |"
    )
    print(
        f"| … to the staff API's first answers s | {spread(staff_ready['before'], '{:.2f}')} "
        f"| {spread(staff_ready['product'], '{:.2f}')} | | | | | | | |"
    )
    print(
        f"| RSS per worker MB | {spread(rss['before'])} | {spread(rss['product'])} | | | | | | | |"
    )


def main() -> None:
    url = fresh_pg_database("junxiu_bench_http")
    if not url:
        return
    redis.Redis.from_url(REDIS_URL).flushdb()
    paths = [PATH_DEFS[p] for p in PATHS if p in PATH_DEFS]
    started = time.perf_counter()
    seeded = seed(url)
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    bare = {p.name: Measure() for p in paths}
    product = {p.name: Measure() for p in paths}
    before = {p.name: Measure() for p in paths}
    starts: dict[str, list[float]] = {}
    staff_ready: dict[str, list[float]] = {}
    rss: dict[str, list[float]] = {}
    signup_ok: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        wechat = server.start("bench.fake_wechat:app", {}, log="/tmp/bench-wechat.log", workers=1)
        env = env_for(url, workdir, wechat.port)
        # Build the bot index once (warm start from then on), as `make run` does. The before's
        # code may keep its index in another format: it has a file of its own.
        urls = {"bare": url, "product": url, "before": url}
        if BEFORE:
            urls["before"] = before_database(url, Path(BEFORE).resolve())
        envs = {
            "bare": env,
            "product": env,
            "before": {
                **env,
                "BOT_INDEX_PATH": str(workdir / "before_bot_index.pkl"),
                "DATABASE_URL": urls["before"],
            },
        }
        server.start("backend.main:app", env, log="/tmp/bench-product.log").stop()
        kinds = [
            ("bare", "bench.bare_app:app", server.REPO),
            ("product", "backend.main:app", server.REPO),
        ]
        if BEFORE:
            kinds.append(("before", "backend.main:app", Path(BEFORE).resolve()))
            server.start(
                "backend.main:app",
                envs["before"],
                log="/tmp/bench-before.log",
                repo=Path(BEFORE).resolve(),
            ).stop()
        try:
            for rep in range(REPS):
                for kind, target, repo in rotated(kinds, rep):
                    srv = server.start(target, envs[kind], log=f"/tmp/bench-{kind}.log", repo=repo)
                    _record_start(kind, srv, starts, staff_ready)
                    try:
                        # the before's sign-ups fill activities of their own
                        run = rep + REPS if kind == "before" else rep
                        for path in paths:
                            make = path.bare if kind == "bare" else path.product
                            settle(urls[kind])
                            warm_up(srv, seeded, rep, path, kind)
                            t0 = time.perf_counter()
                            result, cost = measure(srv, make(seeded, run), path)
                            print(
                                f"  {kind} {path.name}: {result.count} in "
                                f"{time.perf_counter() - t0:.1f} s {result.sample_error}",
                                flush=True,
                            )
                            {"bare": bare, "product": product, "before": before}[kind][
                                path.name
                            ].add(result, cost)
                            if kind != "bare" and path.name == "activity sign-up":
                                c, w = signup_counts(urls[kind], seeded.signup_activities[run])
                                signup_ok.setdefault(kind, []).append(f"{c}/{w}/{result.errors}")
                        rss.setdefault(kind, []).append(max(srv.worker_rss_mb()))
                    finally:
                        srv.stop()
                print(f"repetition {rep + 1} done", flush=True)
        finally:
            wechat.stop()
    load = os.getloadavg()
    print(
        f"\n{REPS} repetitions, {server.WORKERS} workers, {CONNECTIONS} connections "
        f"({SIGNUP_CONNECTIONS} for sign-up), {SECONDS:.0f} s per read run; "
        f"load average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores"
    )
    print("min / median / max of the repetitions; ratio = product median ÷ bare median")
    print(
        "| path | product req/s | bare req/s | ratio | product p99 ms | bare p99 ms "
        "| server CPU ms/req product | bare | database CPU ms/req product | bare "
        "| client CPU ms/req | machine busy % product | bare | busiest worker % of CPU product "
        "| bare | errors | cache misses/req |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        p, b = product[path.name], bare[path.name]
        ratio = statistics.median(p.rate) / statistics.median(b.rate)
        print(
            f"| {path.name} | {spread(p.rate)} | {spread(b.rate)} | {ratio:.2f} "
            f"| {spread(p.p99)} | {spread(b.p99)} | {spread(p.cpu_ms, '{:.1f}')} "
            f"| {spread(b.cpu_ms, '{:.2f}')} | {spread(p.db_cpu_ms, '{:.1f}')} "
            f"| {spread(b.db_cpu_ms, '{:.2f}')} | {spread(p.client_cpu_ms, '{:.2f}')} "
            f"| {spread(p.busy)} | {spread(b.busy)} | {spread(p.busiest_worker)} "
            f"| {spread(b.busiest_worker)} | {sum(p.errors)} "
            f"| {spread(p.cache_misses, '{:.2f}')} |"
        )
    print(
        f"| cold start to /healthz s (bot warm) | {spread(starts['product'], '{:.2f}')} "
        f"| {spread(starts['bare'], '{:.2f}')} | | | | | | | | | | | | |"
    )
    empty = " |" * 12
    print(
        f"| … to the staff API's first answers s | {spread(staff_ready['product'], '{:.2f}')} "
        f"| |{empty}"
    )
    print(f"| RSS per worker MB | {spread(rss['product'])} | {spread(rss['bare'])} |{empty}")
    print("bare endpoints: sign-up → one-row insert; inbox/home/activities → one indexed SELECT;")
    print("bot → JSON only")
    if BEFORE:
        _print_before_after(paths, before, product, starts, rss, staff_ready)
    for kind, counts in signup_ok.items():
        print(
            f"sign-up confirmed/waitlisted/errors per repetition ({kind}): {', '.join(counts)} "
            f"(must be {SEATS}/{PEOPLE - SEATS}/0)"
        )
    if any(s != f"{SEATS}/{PEOPLE - SEATS}/0" for counts in signup_ok.values() for s in counts):
        raise SystemExit("capacity invariant broken")


if __name__ == "__main__":
    main()
