"""The app's PostgreSQL connections tell the planner that an index lookup is cheap
(core/db.py PLANNER_OPTIONS): a page of one person's inbox looks their notices up by key, instead
of reading every notice the service has ever written (which every personal notice — a booking
confirmed, a ride assigned — makes longer)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from backend.core.db import make_engine
from backend.notices import inbox_sql
from tests.factories import World

NOTICES = 2000  # personal notices to other people (a busy month of bookings)
MINE = 41  # the reader's own messages: a page of 30 and more


def _plan(engine: Engine, retiree_id: int) -> str:
    statement = inbox_sql.page(own=True, copies=False, category=False, before=False)
    compiled = statement.params(own_id=retiree_id, limit=30).compile(
        dialect=engine.dialect, compile_kwargs={"literal_binds": True}
    )
    with engine.connect() as conn:
        return "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {compiled}")))


def _fill(engine: Engine, world: World) -> int:
    retiree_id = world.retiree_a.id or 0
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO notice (kind, unit_id, title, body, category, urgent, audience, "
                "include_family, status, created_at, updated_at, sent_at, recipients_total, "
                "fanout_cursor, version) "
                "SELECT 'system', :unit, '报名成功', '您已报上春游。', '通知', false, '{}', true, "
                "'sent', now(), now(), now(), 1, 0, 1 FROM generate_series(1, :n)"
            ),
            {"unit": world.retiree_a.unit_id, "n": NOTICES},
        )
        conn.execute(
            text(
                "INSERT INTO inbox_item (notice_id, retiree_id, copy_binding_id, created_at) "
                "SELECT id, :rid, 0, now() FROM notice ORDER BY id DESC LIMIT :mine"
            ),
            {"rid": retiree_id, "mine": MINE},
        )
        conn.execute(text("ANALYZE notice"))
        conn.execute(text("ANALYZE inbox_item"))
    return retiree_id


def test_an_inbox_page_looks_its_notices_up_by_key(engine: Engine, world: World) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner setting; SQLite plans by its own rules")
    retiree_id = _fill(engine, world)
    plan = _plan(engine, retiree_id)
    assert "Seq Scan on notice" not in plan, plan
    assert "Index Scan using notice_pkey on notice" in plan, plan

    # Without the setting (PostgreSQL's default costs) the same page reads every notice:
    # what the setting is for, and what this test would catch if it were lost.
    default = make_engine(
        engine.url.render_as_string(hide_password=False), connect_args={"options": ""}
    )
    try:
        assert "Seq Scan on notice" in _plan(default, retiree_id)
    finally:
        default.dispose()
