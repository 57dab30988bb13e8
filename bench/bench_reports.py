"""The monthly statistics sheet (issue 18) for a centre of 2,000 retirees in 10 units with a year
of activity data, on PostgreSQL.

Seeded with set-based inserts (2026): a monthly contact for every retiree, 4 visits each, 8
activities a month in every unit with 30 people attending, lunch every day in every unit with
20 orders, 5 completed rides each, a rating for every ride and 500 matters, 50 失联 cases,
1,000 信访 cases (a tenth answered late) and the year's check-in. Timed:
`reports.monthly.build` for November (the figures), the .xlsx and
the PDF with charts, each 3 times; min / median / max.

Target: the sheet builds in ≤ 2 s on PostgreSQL. Sizes: BENCH_RETIREES (2000), BENCH_REPS (3).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from backend.accounts import units  # noqa: E402
from backend.accounts.enums import UnitKind  # noqa: E402
from backend.accounts.models import StaffAccount, Unit  # noqa: E402
from backend.core.clock import FrozenClock  # noqa: E402
from backend.core.db import make_engine, transaction  # noqa: E402
from backend.core.migrate import upgrade_to_head  # noqa: E402
from backend.reports import export, monthly, views  # noqa: E402
from bench.common import fresh_pg_database, insert_people  # noqa: E402

RETIREES = int(os.environ.get("BENCH_RETIREES", "2000"))
REPS = int(os.environ.get("BENCH_REPS", "3"))
UNITS = 10
YEAR_START = datetime(2025, 12, 31, 16, 0, tzinfo=UTC)  # 2026-01-01 00:00 in Shanghai
NOW = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)


def _sql(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def seed(engine: Engine, clock: FrozenClock) -> tuple[int, int]:
    with transaction(engine) as db:
        centre = units.create_unit(db, clock=clock, name="服务管理中心", kind=UnitKind.center)
        unit_ids = [
            units.create_unit(
                db, clock=clock, name=f"第{i + 1}军休所", kind=UnitKind.institute, parent=centre
            ).id
            or 0
            for i in range(UNITS)
        ]
        staff = StaffAccount(
            username="bench",
            display_name="统计员",
            password_hash="x",
            role="admin",
            unit_id=centre.id or 0,
            created_at=clock.now(),
        )
        db.add(staff)
        db.flush()
        centre_id, staff_id = centre.id or 0, staff.id or 0
    with engine.begin() as conn:
        insert_people(conn, count=RETIREES, unit_for=lambda i: unit_ids[i % UNITS], now=clock.now())
    y = YEAR_START
    # contacts: one a month each; visits: 4 a year each (half at home)
    _sql(
        engine,
        "INSERT INTO contact_log (retiree_id, unit_id, at, channel)"
        " SELECT r.id, r.unit_id, :y + (m || ' months')::interval + interval '3 days', '电话'"
        " FROM retiree r, generate_series(0, 11) m",
        y=y,
    )
    _sql(
        engine,
        "INSERT INTO visit_record (retiree_id, unit_id, kind, visited_at, visitors, met,"
        " staff_id, created_at)"
        " SELECT r.id, r.unit_id, CASE WHEN q % 2 = 0 THEN '上门' ELSE '电话' END,"
        " :y + (q * 3 + 1 || ' months')::interval + interval '10 days', '张干事', '本人', :s, :y"
        " FROM retiree r, generate_series(0, 3) q",
        y=y,
        s=staff_id,
    )
    # activities: 8 a month per unit, 30 attending each (bookables, activities, bookings)
    _sql(
        engine,
        "INSERT INTO bookable (kind, unit_id, title, capacity, starts_at, opens_at, closes_at,"
        " cancel_deadline, status, confirmed_count, max_quantity, eligibility, lock_version,"
        " created_at, updated_at)"
        " SELECT 'activity', u.id, '活动' || n, 40, :y + (n * 91 || ' hours')::interval,"
        " :y, :y, :y, 'open', 30, 2, '{}', 0, :y, :y"
        " FROM unit u, generate_series(0, 95) n WHERE u.kind = '军休所'",
        y=y,
    )
    _sql(
        engine,
        "INSERT INTO activity (bookable_id, category, description, place)"
        " SELECT id, '文体活动', '', '活动室' FROM bookable WHERE kind = 'activity'",
    )
    _sql(
        engine,
        "INSERT INTO booking (bookable_id, retiree_id, unit_id, quantity, status, booked_by,"
        " channel, created_at, attended)"
        " SELECT b.id, r.id, r.unit_id, 1, 'confirmed', 'self', '小程序', :y, true FROM bookable b"
        " JOIN LATERAL (SELECT id, unit_id FROM retiree WHERE unit_id = b.unit_id"
        " ORDER BY (id * 7919 + b.id) % 1000 LIMIT 30) r ON true WHERE b.kind = 'activity'",
        y=y,
    )
    # lunch every day in every unit, 20 orders each (menu, option bookable, bookings, orders)
    _sql(
        engine,
        "INSERT INTO meal_menu (unit_id, day, meal, serve_at, cutoff_at, status, created_at,"
        " updated_at)"
        " SELECT u.id, (:y + (d || ' days')::interval + interval '8 hours')::date, '午餐',"
        " :y + (d || ' days')::interval + interval '4 hours',"
        " :y + (d || ' days')::interval + interval '1 hour', 'open', :y, :y"
        " FROM unit u, generate_series(0, 364) d WHERE u.kind = '军休所'",
        y=y,
    )
    _sql(
        engine,
        "INSERT INTO bookable (kind, unit_id, title, capacity, starts_at, opens_at, closes_at,"
        " cancel_deadline, status, confirmed_count, max_quantity, eligibility, lock_version,"
        " created_at, updated_at)"
        " SELECT 'meal', m.unit_id, 'menu' || m.id, 40, m.serve_at, :y, m.cutoff_at,"
        " m.cutoff_at, 'open', 20, 2, '{}', 0, :y, :y FROM meal_menu m",
        y=y,
    )
    _sql(
        engine,
        "INSERT INTO meal_option (menu_id, bookable_id, position, name, dishes, tags, price_fen,"
        " subsidised_fen)"
        " SELECT m.id, b.id, 0, '套餐A', '米饭', '[]', 1500, 500 FROM meal_menu m"
        " JOIN bookable b ON b.kind = 'meal' AND b.title = 'menu' || m.id",
    )
    _sql(
        engine,
        "INSERT INTO booking (bookable_id, retiree_id, unit_id, quantity, status, booked_by,"
        " channel, created_at)"
        " SELECT b.id, r.id, r.unit_id, 1, 'confirmed', 'self', '小程序', :y FROM bookable b"
        " JOIN LATERAL (SELECT id, unit_id FROM retiree WHERE unit_id = b.unit_id"
        " ORDER BY (id * 104729 + b.id) % 1000 LIMIT 20) r ON true WHERE b.kind = 'meal'",
        y=y,
    )
    _sql(
        engine,
        "INSERT INTO meal_order (booking_id, option_id, retiree_id, mode, amount_fen, paid)"
        " SELECT k.id, o.id, k.retiree_id, CASE WHEN k.id % 4 = 0 THEN '送餐' ELSE '堂食' END,"
        " 1000, false FROM booking k JOIN meal_option o ON o.bookable_id = k.bookable_id",
    )
    # rides: 5 completed each, every one rated
    _sql(
        engine,
        "INSERT INTO ride_request (retiree_id, unit_id, pickup_address, destination, pickup_at,"
        " passengers, wheelchair, companion_needed, status, requested_by, created_at, updated_at)"
        " SELECT r.id, r.unit_id, '家', '医院', :y + (n * 70 + r.id % 60 || ' days')::interval,"
        " 1, false, false, 'completed', 'self', :y, :y FROM retiree r, generate_series(0, 4) n",
        y=y,
    )
    _sql(
        engine,
        "INSERT INTO satisfaction_rating (source, source_id, retiree_id, unit_id, label,"
        " asked_at, score, rated_at, rated_by)"
        " SELECT 'ride', id, retiree_id, unit_id, '用车', pickup_at,"
        " CASE WHEN id % 10 = 0 THEN '不满意' ELSE '满意' END, pickup_at + interval '2 hours',"
        " 'retiree' FROM ride_request",
    )
    # matters, 失联 cases, the year's check-in
    _sql(
        engine,
        "INSERT INTO matter (retiree_id, unit_id, kind, flow, level, status, details,"
        " submitted_at, submitted_by, due_at, decided_at, to_province, version)"
        " SELECT id, unit_id, '出版/讲学', '报备', '团级及以下', 'acknowledged', '{}',"
        " :y + (id % 330 || ' days')::interval, '本人', :y + (id % 330 + 5 || ' days')::interval,"
        " :y + (id % 330 + 1 || ' days')::interval, false, 1 FROM retiree WHERE id % 4 = 0",
        y=y,
    )
    _sql(
        engine,
        "INSERT INTO lost_contact_case (retiree_id, unit_id, status, last_contact_at, lost_on,"
        " opened_at, investigation_due)"
        " SELECT id, unit_id, 'open', :y, (:y + interval '300 days')::date,"
        " :y + interval '300 days', (:y + interval '310 days')::date"
        " FROM retiree WHERE id % 40 = 0",
        y=y,
    )
    _sql(
        engine,
        "INSERT INTO case_file (number, retiree_id, unit_id, kind, channel, body, submitted_by,"
        " created_at, due_on, status, follow_ups, replied_at, reply, rating, rated_at, closed_at)"
        " SELECT '信2026-' || id, id, unit_id, '咨询', '小程序', '问一件事', '本人',"
        " :y + (id % 330 || ' days')::interval, (:y + (id % 330 + 3 || ' days')::interval)::date,"
        " 'closed', 0,"
        " :y + (id % 330 + CASE WHEN id % 20 = 0 THEN 6 ELSE 1 END || ' days')::interval,"
        " '答复', '满意', :y + (id % 330 + 7 || ' days')::interval,"
        " :y + (id % 330 + 7 || ' days')::interval FROM retiree WHERE id % 2 = 0",
        y=y,
    )
    with engine.begin() as conn:
        campaign = conn.execute(
            text(
                "INSERT INTO checkin_campaign (year, unit_id, opens_on, closes_on,"
                " created_by_staff_id, created_at, updated_at)"
                " VALUES (2026, :c, :o, :e, :s, :y, :y) RETURNING id"
            ),
            {"c": centre_id, "o": date(2026, 1, 1), "e": date(2026, 3, 31), "s": staff_id, "y": y},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO checkin_submission (campaign_id, retiree_id, unit_id, status, answers,"
                " channel, on_behalf, submit_count, return_count, submitted_at, reviewed_at,"
                " created_at, updated_at, version)"
                " SELECT :c, id, unit_id, 'approved', '{}', '小程序', false, 1, 0,"
                " :y + interval '20 days', :y + interval '25 days', :y, :y, 1 FROM retiree"
            ),
            {"c": campaign, "y": y},
        )
    _sql(engine, "ANALYZE")
    return centre_id, staff_id


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    url = fresh_pg_database("junxiu_bench_reports")
    if url is None:
        print("PostgreSQL not reachable: skipped")
        return 0
    upgrade_to_head(url)
    engine = make_engine(url)
    clock = FrozenClock(NOW)
    started = time.perf_counter()
    centre_id, staff_id = seed(engine, clock)
    seeded = time.perf_counter() - started
    with engine.connect() as conn:
        counts = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in (
                "retiree",
                "contact_log",
                "visit_record",
                "booking",
                "meal_order",
                "ride_request",
                "satisfaction_rating",
                "matter",
                "case_file",
            )
        }
    with transaction(engine) as db:
        scope = db.get(Unit, centre_id)
        assert scope is not None
        sheet = monthly.build(db, clock=clock, scope=scope, month="2026-11")
        header, body = views.table(sheet)
        totals = dict(zip(header, body[-1], strict=True))
    times: dict[str, list[float]] = {"build": [], "xlsx": [], "pdf": []}
    for _ in range(REPS):
        with transaction(engine) as db:
            scope = db.get(Unit, centre_id)
            staff = db.get(StaffAccount, staff_id)
            assert scope is not None and staff is not None
            same = {"clock": clock, "scope": scope, "month": "2026-11"}
            times["build"].append(_timed(partial(monthly.build, db, **same)))
            times["xlsx"].append(_timed(partial(export.xlsx, db, staff=staff, **same)))
            times["pdf"].append(_timed(partial(export.pdf, db, staff=staff, **same)))
    engine.dispose()
    print(f"seeded in {seeded:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"{REPS} repetitions, month 2026-11, scope the centre ({UNITS} units)")
    print("November's totals: " + ", ".join(f"{k} {v}" for k, v in list(totals.items())[1:]))
    print("| measure (min / median / max) | seconds | target |")
    print("|---|---|---|")
    targets = {"build": "≤ 2 s", "xlsx": "", "pdf": ""}
    labels = {"build": "sheet built (all figures)", "xlsx": "… and .xlsx", "pdf": "… and PDF"}
    for key, values in times.items():
        low, mid, high = min(values), statistics.median(values), max(values)
        print(f"| {labels[key]} | {low:.3f} / {mid:.3f} / {high:.3f} | {targets[key]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
