"""报平安: one scheduler run over 2,000 retirees' daily deadlines on PostgreSQL.

Each repetition is a new Shanghai day at 10:00 with BENCH_RETIREES (2000) plans, deadlines
spread over 09:00–09:59, one family member each. A typical day: 70% have checked in, 10% were
reminded 70 minutes ago and are escalated now (a message to the unit's staff and to the family),
2% are away, the rest are reminded now. The worst case: nobody has checked in, everyone is
reminded in the one run. Timed: the whole run (claims, messages, commit, inbox fan-out) and the
two set-based claim statements alone (then rolled back).

Target (issue 17): 2,000 retirees' daily deadlines evaluated in one scheduler run in ≤ 1 s.
Sizes: BENCH_RETIREES (2000), BENCH_REPS (3).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from backend.accounts import units  # noqa: E402
from backend.accounts.enums import UnitKind  # noqa: E402
from backend.accounts.models import FamilyBinding, WechatUser  # noqa: E402
from backend.core.cache import MemoryCache  # noqa: E402
from backend.core.clock import FrozenClock, local_at  # noqa: E402
from backend.core.context import AppContext  # noqa: E402
from backend.core.db import make_engine, transaction  # noqa: E402
from backend.core.migrate import upgrade_to_head  # noqa: E402
from backend.core.security import PersonalDataCipher  # noqa: E402
from backend.core.settings import Settings  # noqa: E402
from backend.safecheck import scheduled  # noqa: E402
from backend.safecheck.models import SafecheckDay, SafecheckPause, SafecheckPlan  # noqa: E402
from bench.common import fresh_pg_database, insert_people  # noqa: E402

RETIREES = int(os.environ.get("BENCH_RETIREES", "2000"))
REPS = int(os.environ.get("BENCH_REPS", "3"))
FIRST_DAY = date(2026, 12, 1)


def seed(engine: Engine, clock: FrozenClock) -> list[int]:
    now = clock.now()
    with transaction(engine) as db:
        centre = units.create_unit(db, clock=clock, name="中心", kind=UnitKind.center)
        unit = units.create_unit(
            db, clock=clock, name="第一军休所", kind=UnitKind.institute, parent=centre
        )
        unit_id = unit.id or 0
    with engine.begin() as conn:
        _, ids = insert_people(conn, count=RETIREES, unit_for=lambda _: unit_id, now=now)
        conn.execute(
            insert(WechatUser), [{"openid": f"fam-{i}", "created_at": now} for i in range(RETIREES)]
        )
        family = [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM wechat_user WHERE openid LIKE 'fam-%' ORDER BY id")
            )
        ]
        conn.execute(
            insert(FamilyBinding),
            [
                {
                    "retiree_id": rid,
                    "wechat_user_id": family[i],
                    "relation": "子女",
                    "display_name": "家属",
                    "can_receive_notices": True,
                    "created_at": now,
                }
                for i, rid in enumerate(ids)
            ],
        )
        conn.execute(
            insert(SafecheckPlan),
            [
                {
                    "retiree_id": rid,
                    "enabled": True,
                    "due_minute": 540 + i % 60,
                    "quiet_start_minute": 1260,
                    "quiet_end_minute": 420,
                    "starts_on": FIRST_DAY,
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": "self",
                }
                for i, rid in enumerate(ids)
            ],
        )
        conn.execute(
            insert(SafecheckPause),
            [
                {
                    "retiree_id": rid,
                    "kind": "外出",
                    "starts_on": FIRST_DAY,
                    "ends_on": FIRST_DAY + timedelta(days=60),
                    "created_by": "self",
                    "created_at": now,
                }
                for i, rid in enumerate(ids)
                if i % 50 == 9
            ],
        )
        conn.execute(text("ANALYZE"))
    return ids


def typical_day(engine: Engine, ids: list[int], day: date) -> None:
    """70% checked in this morning, 10% reminded 70 minutes ago."""
    checked = local_at(day, datetime.min.time().replace(hour=8))
    reminded = local_at(day, datetime.min.time().replace(hour=8, minute=50))
    rows = []
    for i, rid in enumerate(ids):
        if i % 10 < 7:
            rows.append(
                {"retiree_id": rid, "day": day, "checked_in_at": checked, "reminded_at": None}
            )
        elif i % 10 == 7:
            rows.append(
                {"retiree_id": rid, "day": day, "checked_in_at": None, "reminded_at": reminded}
            )
    with engine.begin() as conn:
        conn.execute(insert(SafecheckDay), rows)
        conn.execute(text("ANALYZE safecheck_day"))


def one_run(engine: Engine, ctx: AppContext, clock: FrozenClock, day: date, typical: bool) -> dict:
    """scheduled.run, step by step with a stopwatch: the claims, the message rows written in
    the same transaction (notices.notify, one per person), and the commit with notices' fan-out
    of each message after it."""
    if typical:
        typical_day(engine, ctx_ids, day)
    clock.set(local_at(day, datetime.min.time().replace(hour=10)))
    now = clock.now()
    grace = ctx.settings.safecheck_grace_minutes
    started = time.perf_counter()
    with transaction(engine) as db:
        reminded = scheduled._claim_reminders(db, now)
        escalated = scheduled._claim_escalations(db, now, timedelta(minutes=grace))
        claimed = time.perf_counter()
        scheduled._remind(db, clock, reminded, day)
        scheduled._escalate(db, clock, escalated, grace)
        written = time.perf_counter()
    done = time.perf_counter()
    return {
        "claims_s": claimed - started,
        "written_s": written - started,
        "run_s": done - started,
        "reminded": len(reminded),
        "escalated": len(escalated),
    }


ctx_ids: list[int] = []


def spread(values: list[float], fmt: str = "{:.3f}") -> str:
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def main() -> None:
    url = fresh_pg_database("junxiu_bench_safecheck")
    if not url:
        return
    upgrade_to_head(url)
    engine = make_engine(url)
    clock = FrozenClock(local_at(FIRST_DAY, datetime.min.time().replace(hour=7)))
    settings = Settings(database_url=url, run_scheduler=False, log_level="WARNING")
    ctx = AppContext(
        settings=settings,
        engine=engine,
        cache=MemoryCache(),
        clock=clock,
        cipher=PersonalDataCipher(settings.secret_key, settings.id_encryption_key),
    )
    ctx_ids.extend(seed(engine, clock))
    typical, worst = [], []
    for rep in range(REPS):
        # Days two apart: a day's reminders are never escalated by the next run as yesterday's.
        typical.append(one_run(engine, ctx, clock, FIRST_DAY + timedelta(days=4 * rep), True))
        print(f"typical day, repetition {rep + 1}: {typical[-1]}", flush=True)
        worst.append(one_run(engine, ctx, clock, FIRST_DAY + timedelta(days=4 * rep + 2), False))
        print(f"worst case, repetition {rep + 1}: {worst[-1]}", flush=True)
    engine.dispose()
    load = os.getloadavg()
    print(
        f"\n{REPS} repetitions, {RETIREES} plans; load average {load[0]:.1f} / {load[1]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    print("| measure (min / median / max) | value | target |")
    print("|---|---|---|")
    for name, runs in (("typical day", typical), ("worst case", worst)):
        told = f"{spread([r['reminded'] for r in runs], '{:.0f}')} reminded, "
        told += f"{spread([r['escalated'] for r in runs], '{:.0f}')} escalated"
        print(f"| {name}: who | {told} | |")
        print(
            f"| {name}: the two set-based claims s | {spread([r['claims_s'] for r in runs])} "
            "| ≤ 1 s |"
        )
        print(
            f"| {name}: claims + message rows written s | "
            f"{spread([r['written_s'] for r in runs])} | |"
        )
        print(
            f"| {name}: whole run, commit and fan-out included s | "
            f"{spread([r['run_s'] for r in runs])} | |"
        )


if __name__ == "__main__":
    main()
