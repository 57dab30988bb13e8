"""Where one request's time goes: each path called one request at a time in-process (TestClient,
PostgreSQL + Redis like production), under cProfile, with the SQL statements counted.

Run: PYTHONPATH=. python -m bench.profile_paths [path ...]   (paths as in bench_http.PATH_DEFS)
BENCH_PROFILE_N requests per path (default 200). BENCH_PROFILE_WARM=1 makes each request once
before the profiled pass: the steady state of a person who asks again, with their session and
identity cached (for the sign-up, whose second request would be a repeat: their activity list).
BENCH_PROFILE_CLOCK=cpu has yappi count CPU time instead of wall time (a loaded machine's waits
left out).
BENCH_PROFILE_SQL=1 then prints the SQL statements of one more request of the path."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import event

from backend.app import create_app
from backend.core.settings import Settings
from backend.wechat.fake_server import start_fake_wechat_server
from bench import bench_http
from bench.common import fresh_pg_database

N = int(os.environ.get("BENCH_PROFILE_N", "200"))
WARM = os.environ.get("BENCH_PROFILE_WARM") == "1"
SHOW_SQL = os.environ.get("BENCH_PROFILE_SQL") == "1"
OURS = ("/backend/", "/bot/")


@contextmanager
def profiled() -> Iterator[Callable[[int], None]]:
    """yappi when installed (every thread: sync routes and dependencies run in a thread pool),
    else cProfile of this thread only. Yields a function printing our functions by wall time."""
    try:
        import yappi
    except ImportError:
        profile = cProfile.Profile()
        profile.enable()
        box: list[str] = []

        def show_cprofile(_n: int) -> None:
            print("(cProfile: this thread only; install yappi for the server's threads)")
            print(box[0])

        yield show_cprofile
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(r"backend|bot/", 40)
        box.append(out.getvalue())
        return
    yappi.set_clock_type(os.environ.get("BENCH_PROFILE_CLOCK", "wall"))
    yappi.clear_stats()
    yappi.start(builtins=False, profile_threads=True)
    rows: list[tuple[float, float, int, str]] = []

    def show(n: int) -> None:
        print(f"{'ms/req incl':>11} {'ms/req own':>10} {'calls/req':>9}  function")
        for total, own, calls, name in rows[:45]:
            print(f"{total / n * 1000:>11.2f} {own / n * 1000:>10.2f} {calls / n:>9.1f}  {name}")

    yield show
    yappi.stop()
    for stat in yappi.get_func_stats():
        if any(part in stat.module for part in OURS) or stat.name in ("execute", "commit"):
            short = stat.module.split("/wt/perf/")[-1].split("site-packages/")[-1]
            rows.append((stat.ttot, stat.tsub, stat.ncall, f"{short}:{stat.lineno} {stat.name}"))
    rows.sort(reverse=True)


def main(argv: list[str]) -> None:
    os.environ.setdefault("BENCH_PEOPLE", "300")
    os.environ.setdefault("BENCH_INBOX_NOTICES", "30")
    url = fresh_pg_database("junxiu_bench_profile")
    assert url
    seeded = bench_http.seed(url)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = bench_http.env_for(url, workdir, 1)
        fake = start_fake_wechat_server()
        settings = Settings(
            database_url=url,
            redis_url=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
            secret_key=env["SECRET_KEY"],
            mount_fake_wechat=False,
            wechat_api_base=fake.base_url,
            upload_dir=workdir / "uploads",
            bot_index_path=workdir / "bot_index.pkl",
            run_scheduler=False,
            bot_asks_per_minute=100000,
        )
        app = create_app(settings, configure_logs=False)
        with TestClient(app) as client:
            statements = [0]
            last: list[str] = []

            @event.listens_for(app.state.ctx.engine, "before_cursor_execute")
            def _count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
                statements[0] += 1
                last.append(statement)

            @event.listens_for(app.state.ctx.engine, "commit")
            def _commit(_conn: object) -> None:
                last.append("COMMIT")

            for name in argv or list(bench_http.PATH_DEFS):
                path = bench_http.PATH_DEFS[name]
                requests = path.product(seeded, 0)[:N]
                # warm: each person's request once before; for the sign-up (a second one would
                # be a repeat) their activity list, as bench_http's warm-up does
                like = path if path.timed else bench_http.PATH_DEFS["activities"]
                warm_up = like.product(seeded, 0)[:N]
                for method, url_, headers, body in warm_up if WARM else requests[:5]:
                    client.request(method, url_, headers=headers, json=body)
                statements[0] = 0
                started = time.perf_counter()
                cpu = time.process_time()
                with profiled() as report:
                    for method, url_, headers, body in requests:
                        client.request(method, url_, headers=headers, json=body)
                per = (time.perf_counter() - started) / len(requests) * 1000
                cpu_per = (time.process_time() - cpu) / len(requests) * 1000
                print(
                    f"\n== {path.name}: {per:.2f} ms/request, {cpu_per:.2f} ms CPU (profiled), "
                    f"{statements[0] / len(requests):.1f} SQL statements/request"
                )
                report(len(requests))
                if SHOW_SQL:
                    last.clear()
                    method, url_, headers, body = path.product(seeded, 0)[N]
                    client.request(method, url_, headers=headers, json=body)
                    print("\nthe statements of one more request (as SQLAlchemy sends them):")
                    for statement in last:
                        print("  " + " ".join(statement.split())[:160])


if __name__ == "__main__":
    main(sys.argv[1:])
