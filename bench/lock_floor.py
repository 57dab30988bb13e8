"""The sign-up's lock floor, not a target: how fast sign-ups to one activity can go when each
locks the activity's row, writes a booking row and its outbox row and commits — on the bare app
(bench/bare_app.py), served as bench_http serves it, loaded as bench_http loads the sign-up
(2,000 requests, 200 connections), 3 repetitions, beside the one-row insert bench_http compares
the product's sign-up with.

- "one after another": the lock, the row, the outbox row and the commit, each waited for in turn
  (the shape of the product's sign-up today);
- "one statement": the same three writes as one statement in its own transaction (autocommit),
  one round trip.

Run: PYTHONPATH=. python -m bench.lock_floor   (BENCH_PEOPLE, BENCH_REPS, BENCH_WORKERS as in
bench_http)."""

from __future__ import annotations

import os
import statistics
import tempfile

from sqlalchemy import create_engine, text

from bench import server
from bench.common import fresh_pg_database
from bench.load import run_load

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "2000"))
REPS = int(os.environ.get("BENCH_REPS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_SIGNUP_CONNECTIONS", "200"))
ENDPOINTS = {
    "one-row insert (bench_http's baseline)": "/bare/insert",
    "lock + row + outbox row, one after another": "/bare/lock-steps",
    "lock + row + outbox row, one statement": "/bare/lock-one",
}


def _tables(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(
            text("CREATE TABLE bench_bare_row (id serial PRIMARY KEY, who text, at timestamptz)")
        )
        conn.execute(
            text("CREATE TABLE bench_bare_outbox (id serial PRIMARY KEY, row_id int, body text)")
        )
        conn.execute(
            text("CREATE TABLE bench_bare_lock (id int PRIMARY KEY, lock_version int, taken int)")
        )
        conn.execute(text("INSERT INTO bench_bare_lock VALUES (1, 0, 0)"))
        conn.execute(
            text("CREATE TABLE auth_session (token_hash text PRIMARY KEY, subject_id int)")
        )
    engine.dispose()


def spread(values: list[float]) -> str:
    return f"{min(values):.0f} / {statistics.median(values):.0f} / {max(values):.0f}"


def main() -> None:
    url = fresh_pg_database("junxiu_bench_lock_floor")
    if not url:
        return
    _tables(url)
    rates: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    errors: dict[str, int] = dict.fromkeys(ENDPOINTS, 0)
    with tempfile.TemporaryDirectory():
        for rep in range(REPS):
            srv = server.start(
                "bench.bare_app:app", {"DATABASE_URL": url}, log="/tmp/bench-floor.log"
            )
            try:
                for name, path in ENDPOINTS.items():
                    requests = [("POST", path, {}, {"who": f"{rep}-{i}"}) for i in range(PEOPLE)]
                    result = run_load(srv.port, requests, connections=CONNECTIONS, processes=3)
                    rates[name].append(result.rate)
                    errors[name] += result.errors
            finally:
                srv.stop()
    base = statistics.median(rates["one-row insert (bench_http's baseline)"])
    print(
        f"\n{REPS} repetitions, {server.WORKERS} workers, {CONNECTIONS} connections, "
        f"{PEOPLE} requests each"
    )
    print("| endpoint (bare app) | req/s min / median / max | ÷ one-row insert | errors |")
    print("|---|---|---|---|")
    for name in ENDPOINTS:
        print(
            f"| {name} | {spread(rates[name])} | "
            f"{statistics.median(rates[name]) / base:.2f} | {errors[name]} |"
        )


if __name__ == "__main__":
    main()
